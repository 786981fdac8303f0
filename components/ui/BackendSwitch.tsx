'use client';

import Link from 'next/link';
import { useEffect, useRef, useState, type MouseEvent } from 'react';
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

function Option({ backend, chosen, here, probed }: { backend: BackendName | null; chosen: BackendName | null; here: string | null; probed: Probed | null }) {
  const inUse = backend === chosen;
  const available = backend === null || backend === 'cpu' || probed === null || probed.availability[backend].available;
  const label = backend ? BACKEND_LABELS[backend] : 'Automatic';
  const href = here ? backendHref(here, backend) : undefined;
  return (
    <li data-backend={backend ?? 'auto'}>
      {inUse ? (
        <strong aria-current="true">{label} <span className="switch-tag">chosen</span></strong>
      ) : available ? (
        <a href={href} onClick={(e) => go(e, backend)} data-testid={`backend-option-${backend ?? 'auto'}`}>Use {label}</a>
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
 * The header's backend switch: WebGPU, WebGL, CPU or automatic, each with what it means, the
 * adapter this page found (software or not), and a link to check this computer. Choosing one
 * reloads the page with `?backend=` changed (lib/compute/backend-link), the rest of the address kept.
 */
export function BackendSwitch({ status }: { status: ComputeStatus }) {
  const ref = useRef<HTMLDetailsElement>(null);
  const [open, setOpen] = useState(false);
  const [probed, setProbed] = useState<Probed | null>(null);
  const [here, setHere] = useState<string | null>(null);

  useEffect(() => {
    if (!open) return;
    setHere(location.href); // eslint-disable-line react-hooks/set-state-in-effect -- read of the URL when the panel opens
    let live = true;
    probeCompute().then((p) => {
      if (live) setProbed({ availability: p.availability, adapter: p.adapter?.description ?? null });
    }, () => {});
    const close = (e: Event) => {
      if (e instanceof KeyboardEvent ? e.key === 'Escape' : !ref.current?.contains(e.target as Node)) {
        setOpen(false);
        if (e instanceof KeyboardEvent) ref.current?.querySelector('summary')?.focus();
      }
    };
    document.addEventListener('pointerdown', close);
    document.addEventListener('keydown', close);
    return () => {
      live = false;
      document.removeEventListener('pointerdown', close);
      document.removeEventListener('keydown', close);
    };
  }, [open]);

  const software = status.software && status.state !== 'lost';
  // The backend the address forces, when the page obeyed it; else the usual order chose.
  const forced = here ? readBackendParam(new URL(here).search).forced : null;
  const chosen = forced && status.backend === forced ? forced : null;
  return (
    <details ref={ref} className="backend-switch" open={open} onToggle={(e) => setOpen(e.currentTarget.open)} data-testid="backend-switch">
      <summary aria-label="Switch the compute backend" data-testid="backend-switch-toggle">Switch</summary>
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
          <Link href="/check/" onClick={() => setOpen(false)}>Check this computer</Link>: how long a QLoRA step takes here, with the GPU self-test and the benchmarks.
        </p>
      </div>
    </details>
  );
}
