'use client';

import { useEffect, useId, useSyncExternalStore } from 'react';
import { BACKEND_LABELS, computeStatus, detectCompute } from '@/lib/compute';
import { INITIAL_STATUS } from '@/lib/compute/status';

/**
 * The header's badge: which backend this page computes on (WebGPU, WebGL or CPU), with the reason
 * as its tooltip. It probes the browser without loading tfjs; a widget that loads tfjs updates it.
 */
export function ComputeBadge() {
  const status = useSyncExternalStore(computeStatus.subscribe, computeStatus.getSnapshot, () => INITIAL_STATUS);
  const reasonId = useId();
  useEffect(() => {
    void detectCompute();
  }, []);
  const label = status.backend ? BACKEND_LABELS[status.backend] : status.state === 'error' ? 'None' : 'Detecting…';
  return (
    <span className="backend-badge" data-state={status.state} title={status.reason} tabIndex={0} aria-describedby={reasonId}>
      <span className="dot" aria-hidden="true" />
      <span className="badge-label">Compute:</span>
      <strong data-testid="compute-backend">{label}</strong>
      {status.software && <span data-testid="compute-software">(software)</span>}
      <span id={reasonId} className="badge-tip" role="tooltip">
        {status.reason}
      </span>
    </span>
  );
}
