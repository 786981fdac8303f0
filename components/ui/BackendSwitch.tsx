'use client';

import dynamic from 'next/dynamic';
import { useEffect, useRef, useState } from 'react';
import type { ComputeStatus } from '@/lib/compute';

/** The panel loads when the switch first opens: every page's first load carries only the toggle (docs/design.md rule 8). */
const BackendPanel = dynamic(() => import('./BackendPanel'), { ssr: false, loading: () => <div className="backend-panel">Loading…</div> });

/**
 * The header's backend switch: a disclosure beside the compute badge whose panel offers WebGPU,
 * WebGL, CPU or automatic, each with what it means, and the adapter this page found. Choosing one
 * reloads the page with `?backend=` changed (lib/compute/backend-link), the rest of the address
 * kept. Escape or a click elsewhere closes it.
 */
export function BackendSwitch({ status }: { status: ComputeStatus }) {
  const ref = useRef<HTMLDetailsElement>(null);
  const [open, setOpen] = useState(false);

  useEffect(() => {
    if (!open) return;
    const close = (e: Event) => {
      if (e instanceof KeyboardEvent ? e.key === 'Escape' : !ref.current?.contains(e.target as Node)) {
        setOpen(false);
        if (e instanceof KeyboardEvent) ref.current?.querySelector('summary')?.focus();
      }
    };
    document.addEventListener('pointerdown', close);
    document.addEventListener('keydown', close);
    return () => {
      document.removeEventListener('pointerdown', close);
      document.removeEventListener('keydown', close);
    };
  }, [open]);

  return (
    <details ref={ref} className="backend-switch" open={open} onToggle={(e) => setOpen(e.currentTarget.open)} data-testid="backend-switch">
      <summary aria-label="Switch the compute backend" data-testid="backend-switch-toggle">Switch</summary>
      {open && <BackendPanel status={status} onClose={() => setOpen(false)} />}
    </details>
  );
}
