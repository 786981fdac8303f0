'use client';

import { useEffect, useId, useState, useSyncExternalStore } from 'react';
import { BACKEND_LABELS, computeStatus, detectCompute } from '@/lib/compute';
import { readBackendParam } from '@/lib/compute/backend-choice';
import { INITIAL_STATUS } from '@/lib/compute/status';
import { BackendSwitch } from './BackendSwitch';

/**
 * The header's badge: which backend this page computes on (WebGPU, WebGL or CPU), with the reason
 * as its tooltip, and the switch to another one. It probes the browser without loading tfjs; a
 * widget that loads tfjs updates it.
 */
export function ComputeBadge() {
  const status = useSyncExternalStore(computeStatus.subscribe, computeStatus.getSnapshot, () => INITIAL_STATUS);
  const reasonId = useId();
  const [ignored, setIgnored] = useState<string[]>([]);
  useEffect(() => {
    void detectCompute();
    setIgnored(readBackendParam(location.search).ignored); // eslint-disable-line react-hooks/set-state-in-effect -- one-time read of the URL after hydration
  }, []);
  const label =
    status.state === 'lost' ? 'WebGPU device lost' : status.backend ? BACKEND_LABELS[status.backend] : status.state === 'error' ? 'None' : 'Detecting…';
  const badge = (
    <span className="compute-switch">
      <span className="backend-badge" data-state={status.state} title={status.reason} tabIndex={0} aria-describedby={reasonId}>
        <span className="dot" aria-hidden="true" />
        <span className="badge-label">Compute:</span>
        <strong data-testid="compute-backend">{label}</strong>
        {status.software && status.state !== 'lost' && <span data-testid="compute-software">(software)</span>}
        {status.losses > 0 && status.state === 'ready' && <span data-testid="compute-restarted">(restarted after a WebGPU device loss)</span>}
        <span id={reasonId} className="badge-tip" role="tooltip">
          {status.reason}
        </span>
      </span>
      <BackendSwitch status={status} />
    </span>
  );
  if (ignored.length === 0) return badge;
  return (
    <span className="badge-wrap">
      {badge}
      <span className="error-message badge-notice" role="status" data-testid="compute-ignored">
        This link’s {ignored.join(', ')} could not be used (webgpu, webgl or cpu), so the usual order applies.
      </span>
    </span>
  );
}
