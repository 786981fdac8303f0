'use client';

import { useCallback, useEffect, useState, type ReactNode } from 'react';
import type { SavedResult as Saved } from '@/lib/results-store';

/** The page's results store, loaded on demand (it is not needed to draw a widget). */
const store = () => import('@/lib/results-store').then((m) => m.resultsStore());

/** "26 Nov 2026, 04:12": when a saved result was computed, in the learner's locale and time zone. */
export function formatWhen(ms: number): string {
  return new Date(ms).toLocaleString(undefined, { dateStyle: 'medium', timeStyle: 'short' });
}

/**
 * A widget's last result from an earlier visit (lib/results-store: IndexedDB): `saved` is what was
 * read back (null until then, or when there is none or it failed validation), `save` keeps a new one.
 */
export function useSavedResult<T>(key: string, isData: (x: unknown) => x is T) {
  const [saved, setSaved] = useState<Saved<T> | null>(null);
  useEffect(() => {
    let live = true;
    store().then((s) => s.load(key, isData)).then((r) => {
      if (live) setSaved(r);
    }, () => {});
    return () => {
      live = false;
    };
    // isData is a module-level guard
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [key]);
  const save = useCallback(
    (adapter: string, data: T) => {
      const now = Date.now();
      void store().then((s) => s.save(key, adapter, data, now)).then((ok) => {
        if (ok) setSaved({ key, savedAt: now, adapter, data });
      });
    },
    [key],
  );
  return { saved, save };
}

/**
 * A saved result shown on return: "Computed <when> on <adapter>", a "Run again" button, and the
 * result itself (children).
 */
export function SavedResult({ savedAt, adapter, onRunAgain, runDisabled, testId, children }: { savedAt: number; adapter: string; onRunAgain: () => void; runDisabled?: boolean; testId?: string; children: ReactNode }) {
  return (
    <div className="saved-result" data-testid={testId}>
      <p className="saved-result-head">
        <span>
          Last result: computed {formatWhen(savedAt)} on {adapter}.
        </span>
        <button type="button" onClick={onRunAgain} disabled={runDisabled}>Run again</button>
      </p>
      {children}
    </div>
  );
}

/**
 * The label a result is saved with: the backend as shown (e.g. "WebGPU (software)") and, on
 * WebGPU, the adapter's name from the page's probe, e.g. "WebGPU (software) · google swiftshader".
 */
export async function adapterLabel(backend: string): Promise<string> {
  if (!backend.startsWith('WebGPU')) return backend;
  const { probeCompute } = await import('@/lib/compute');
  const probe = await probeCompute().catch(() => null);
  return probe?.adapter ? `${backend} · ${probe.adapter.name}` : backend;
}
