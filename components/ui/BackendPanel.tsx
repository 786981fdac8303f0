'use client';

import Link from 'next/link';
import { useEffect, useState, type MouseEvent } from 'react';
import { BACKEND_LABELS, probeCompute, type BackendName, type ComputeStatus } from '@/lib/compute';
import { BACKEND_ORDER, readBackendParam, type Availability } from '@/lib/compute/backend-choice';
import { BACKEND_MEANINGS, backendHref } from '@/lib/compute/backend-link';

interface Probed {
  availability: Availability;
  adapter: string | null;
}

/** Reloads the page with `?backend=` set (null: removed), keeping the widgets' state in the address. */
function go(e: MouseEvent<HTMLAnchorElement>, backend: BackendName | null) {
  e.preventDefault();
  location.assign(backendHref(location.href, backend));
}

function Option({ backend, chosen, here, probed }: { backend: BackendName | null; chosen: BackendName | null; here: string; probed: Probed | null }) {
  const available = backend === null || backend === 'cpu' || probed === null || probed.availability[backend].available;
  const label = backend ? BACKEND_LABELS[backend] : 'Automatic';
  return (
    <li data-backend={backend ?? 'auto'}>
      {backend === chosen ? (
        <strong aria-current="true">{label} <span className="switch-tag">chosen</span></strong>
      ) : available ? (
        <a href={backendHref(here, backend)} onClick={(e) => go(e, backend)} data-testid={`backend-option-${backend ?? 'auto'}`}>Use {label}</a>
      ) : (
        <span className="switch-off">{label} <span className="switch-tag">not available here</span></span>
      )}
      <span className="switch-meaning">
        {backend ? BACKEND_MEANINGS[backend] : 'WebGPU, then WebGL, then the CPU: the first that works in this browser.'}
        {backend && !available && probed ? ` ${probed.availability[backend].detail}` : ''}
      </span>
    </li>
  );
}

/**
 * The backend switch's panel (loaded when it first opens, components/ui/BackendSwitch): what is in
 * use and on which adapter, the backends with what each means, and Check this computer.
 */
export default function BackendPanel({ status, onClose }: { status: ComputeStatus; onClose: () => void }) {
  const [probed, setProbed] = useState<Probed | null>(null);
  const [here] = useState(() => location.href);
  useEffect(() => {
    let live = true;
    probeCompute().then((p) => {
      if (live) setProbed({ availability: p.availability, adapter: p.adapter?.description ?? null });
    }, () => {});
    return () => {
      live = false;
    };
  }, []);
  // The backend the address forces, when the page obeyed it; else the usual order chose.
  const forced = readBackendParam(new URL(here).search).forced;
  const chosen = forced && status.backend === forced ? forced : null;
  const software = status.software && status.state !== 'lost';
  return (
    <div className="backend-panel">
      <p className="switch-now" data-testid="backend-switch-now">
        Computing on <strong>{status.backend ? BACKEND_LABELS[status.backend] : '…'}{software ? ' (software)' : ''}</strong>.{' '}
        {probed && (probed.adapter ?? 'No WebGPU adapter in this browser.')}
      </p>
      <ul className="switch-options">
        {[...BACKEND_ORDER, null].map((b) => <Option key={b ?? 'auto'} backend={b} chosen={chosen} here={here} probed={probed} />)}
      </ul>
      <p className="switch-note">Switching reloads the page. The settings in its address are kept; a run in progress is not.</p>
      <p className="switch-note">
        <Link href="/check/" onClick={onClose}>Check this computer</Link>: how long a QLoRA step takes here, with the GPU self-test and the benchmarks.
      </p>
    </div>
  );
}
