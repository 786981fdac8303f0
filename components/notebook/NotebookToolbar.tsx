'use client';

import { useState, type ReactNode } from 'react';
import { backendLabel } from '@/lib/compute';
import { MAX_TIME_LIMIT_MS } from '@/lib/notebook/limits';
import { useNotebook } from './NotebookProvider';

/** What the kernel is and runs on, from the session's snapshot. */
export function KernelBadge() {
  const { snapshot: s } = useNotebook();
  let text: string;
  if (s.kernel === 'off') text = 'kernel off — starts on the first Run';
  else if (s.kernel === 'starting') text = 'kernel starting…';
  else if (s.kernel === 'failed') text = 'kernel failed';
  else text = `kernel on ${s.backend ? backendLabel({ backend: s.backend, software: s.software }) : '?'}`;
  const busy = s.running !== null ? ` · running${s.queued.length ? `, ${s.queued.length} queued` : ''}` : '';
  return (
    <span className="nb-kernel" data-testid="kernel-badge" data-kernel={s.kernel} title={[s.error, ...s.notes].filter(Boolean).join(' ') || undefined}>
      {text}
      {busy}
    </span>
  );
}

function TimeLimit() {
  const nb = useNotebook();
  const seconds = Math.round(nb.snapshot.timeLimitMs / 1000);
  const [draft, setDraft] = useState<string | null>(null);
  const text = draft ?? String(seconds);
  const max = MAX_TIME_LIMIT_MS / 1000;
  const commit = () => {
    const v = Number(text);
    if (Number.isFinite(v) && v >= 1 && v <= max) nb.setTimeLimit(v);
    setDraft(null);
  };
  return (
    <label className="nb-limit">
      time limit per cell{' '}
      <input type="number" min={1} max={max} step={1} value={text} onChange={(e) => setDraft(e.target.value)} onBlur={commit} onKeyDown={(e) => e.key === 'Enter' && commit()} data-testid="time-limit" /> s
    </label>
  );
}

/**
 * The notebook's commands: Run all, Run stale, Restart & run all, Stop, the per-cell time limit and
 * the kernel's badge. `compact` (lesson pages) tucks them into a disclosure.
 */
export function NotebookToolbar({ compact = false, extra }: { compact?: boolean; extra?: ReactNode }) {
  const nb = useNotebook();
  const s = nb.snapshot;
  const anyStale = Object.values(s.cells).some((c) => c.stale);
  const busy = s.running !== null || s.queued.length > 0;
  const buttons = (
    <>
      <button type="button" onClick={nb.runAll} data-testid="run-all">Run all</button>
      <button type="button" onClick={nb.runStale} disabled={!anyStale} data-testid="run-stale">Run stale</button>
      <button type="button" onClick={nb.restartAndRunAll} data-testid="restart-run-all">Restart &amp; run all</button>
      {!compact ? <button type="button" onClick={nb.stop} disabled={!busy} data-testid="toolbar-stop">■ Stop</button> : null}
      <TimeLimit />
      {extra}
    </>
  );
  if (compact) {
    return (
      <details className="nb-toolbar nb-toolbar-compact">
        <summary>
          Notebook <KernelBadge />
        </summary>
        <div className="nb-toolbar-row">{buttons}</div>
      </details>
    );
  }
  return (
    <div className="nb-toolbar" role="group" aria-label="Notebook commands">
      <div className="nb-toolbar-row">{buttons}</div>
      <KernelBadge />
      {s.error ? <p className="error-message">{s.error}</p> : null}
    </div>
  );
}
