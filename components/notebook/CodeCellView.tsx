'use client';

import { lazy, Suspense, useEffect, useRef, useState, type ReactNode } from 'react';
import { useNearScreen } from '@/components/ui/useNearScreen';
import type { CellState } from '@/lib/notebook/session';
import type { CellEditorHandle } from './editor';
import { useCellState, useNotebook } from './NotebookProvider';
import { errorMessage } from '@/lib/errors';

// Outputs (and the charts they draw with) load with the first output, not with the page.
const CellOutputs = lazy(() => import('./CellOutputs').then((m) => ({ default: m.CellOutputs })));

/** Shown while a cell runs, after this long: the Stop button (a short run needs none). */
const STOP_AFTER_MS = 1000;

function useElapsed(state: CellState): number | null {
  const [now, setNow] = useState(() => performance.now());
  const running = state.status === 'running' && state.startedAt !== null;
  useEffect(() => {
    if (!running) return;
    const t = setInterval(() => setNow(performance.now()), 200);
    return () => clearInterval(t);
  }, [running]);
  return running ? Math.max(0, now - (state.startedAt as number)) : null;
}

function seconds(ms: number): string {
  return ms < 1000 ? `${Math.round(ms)} ms` : `${(ms / 1000).toFixed(1)} s`;
}

/** Stop (after a second of running) and the status; the only part that re-renders while the clock ticks. */
function RunState({ state, onStop }: { state: CellState; onStop: () => void }) {
  const elapsed = useElapsed(state);
  const showStop = state.status === 'running' && elapsed !== null && elapsed >= STOP_AFTER_MS;
  return (
    <>
      {showStop ? <button type="button" onClick={onStop} data-testid="stop-kernel">■ Stop</button> : null}
      <StatusLine state={state} elapsed={elapsed} />
    </>
  );
}

function StatusLine({ state, elapsed }: { state: CellState; elapsed: number | null }) {
  let text = '';
  if (state.status === 'queued') text = 'queued';
  else if (state.status === 'running') text = `running… ${elapsed !== null ? seconds(elapsed) : ''}`;
  else if (state.status === 'ok') text = `ok · ${state.ms !== null ? seconds(state.ms) : ''}`;
  else if (state.status === 'error') text = 'error';
  else if (state.status === 'stopped') text = 'stopped';
  return (
    <span className="nb-status" data-testid="cell-status" data-status={state.status} data-stale={state.stale ? 'true' : undefined}>
      <span className={`nb-status-${state.status}`}>{text}</span>
      {state.stale ? <span className="nb-stale" title="A cell this one reads from has run again, or the kernel restarted. Run this cell again to update it.">stale — an earlier cell changed</span> : null}
    </span>
  );
}

/**
 * One code cell: the code (a plain <pre> until the cell nears the screen, then the CodeMirror
 * editor, loaded on demand), Run (or Shift+Enter), its status, Stop after a second of running, and
 * its outputs. The source is owned by the parent (`source` / `onSourceChange`).
 */
export function CodeCellView({ id, source, onSourceChange, caption, tools, notices, toolbar, editorOnIntent = false }: {
  id: string;
  source: string;
  onSourceChange: (source: string) => void;
  caption?: ReactNode;
  /** Extra buttons beside Run (Reset cell, move, delete). */
  tools?: ReactNode;
  /** Messages above the editor (saved-edit notices). */
  notices?: ReactNode;
  /** A compact notebook toolbar (lesson cells). */
  toolbar?: ReactNode;
  /**
   * Load the editor when the learner points at, focuses or taps the code rather than when the cell
   * nears the screen: lesson pages run widgets (a training loop) whose main thread must stay free of
   * long tasks, and compiling the editor's code is one.
   */
  editorOnIntent?: boolean;
}) {
  const nb = useNotebook();
  const state = useCellState(id);
  const root = useRef<HTMLDivElement>(null);
  const host = useRef<HTMLDivElement>(null);
  const editor = useRef<CellEditorHandle | null>(null);
  const sourceRef = useRef(source);
  const changeRef = useRef(onSourceChange);
  const [editorError, setEditorError] = useState<string | null>(null);
  const [loaded, setLoaded] = useState(false);
  const near = useNearScreen(root, '600px');
  const [intent, setIntent] = useState(false);
  const want = () => setIntent(true);
  const ready = editorOnIntent ? intent : near;
  const label = nb.label(id);

  const run = () => nb.run([id]);
  const runRef = useRef(run);
  useEffect(() => {
    sourceRef.current = source;
    changeRef.current = onSourceChange;
    runRef.current = run;
  });

  const register = nb.register;
  useEffect(() => register(id, { element: () => root.current, source: () => sourceRef.current }), [register, id]);

  useEffect(() => {
    if (!ready || editor.current) return;
    let cancelled = false;
    import('./editor')
      .then(({ createCellEditor }) => {
        if (cancelled || !host.current) return;
        editor.current = createCellEditor(host.current, {
          source: sourceRef.current,
          label: `Code of ${label}`,
          onChange: (s) => {
            if (s !== sourceRef.current) {
              sourceRef.current = s;
              changeRef.current(s);
            }
          },
          onRun: () => runRef.current(),
        });
        setLoaded(true);
        if (editorOnIntent) editor.current.focus();
      })
      .catch((e: unknown) => setEditorError(`The editor could not be loaded (${errorMessage(e)}); the code is shown as text. Reload the page to try again.`));
    return () => {
      cancelled = true;
    };
    // eslint-disable-next-line react-hooks/exhaustive-deps -- created once, when the cell nears the screen (or is wanted)
  }, [ready]);

  useEffect(() => () => {
    editor.current?.destroy();
    editor.current = null;
  }, []);

  // A source set from outside (Reset cell, an imported notebook) goes into the editor.
  useEffect(() => {
    editor.current?.setSource(source);
  }, [source]);

  const err = state.outputs.find((o) => o.kind === 'error');
  const errLine = err && err.kind === 'error' ? err.line : null;
  useEffect(() => {
    if (loaded) editor.current?.setErrorLine(errLine);
  }, [errLine, loaded]);


  return (
    <div ref={root} className={`nb-cell${state.stale ? ' nb-cell-stale' : ''}`} data-testid="code-cell" data-cell-id={id}>
      {caption ? <p className="nb-caption">{caption}</p> : null}
      {notices}
      <div className="nb-editor" data-testid="cell-editor" data-loaded={loaded ? 'true' : undefined}>
        <div ref={host} />
        {!loaded ? (
          <pre
            className="nb-static"
            tabIndex={editorOnIntent ? 0 : undefined}
            title={editorOnIntent ? 'Click to edit this code' : undefined}
            onPointerEnter={editorOnIntent ? want : undefined}
            onFocus={editorOnIntent ? want : undefined}
            onClick={editorOnIntent ? want : undefined}
          >
            {source}
          </pre>
        ) : null}
      </div>
      {editorError ? <p className="error-message">{editorError}</p> : null}
      <div className="nb-actions">
        <button type="button" className="primary" onClick={run} data-testid="run-cell" title="Run this cell (Shift+Enter in the editor)" aria-label={`Run ${label}`}>
          ▶ Run
        </button>
        <RunState state={state} onStop={nb.stop} />
        <span className="nb-tools">{tools}</span>
      </div>
      {toolbar}
      <div className="nb-output" data-testid="cell-output" aria-live="polite">
        {state.outputs.length > 0 ? (
          <Suspense fallback={<p className="nb-notice">Loading the output…</p>}>
            <CellOutputs outputs={state.outputs} label={label} />
          </Suspense>
        ) : null}
      </div>
    </div>
  );
}
