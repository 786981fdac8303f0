/**
 * The page's side of a notebook kernel: one engine per page (every cell of a lesson shares it),
 * read by React with useSyncExternalStore (subscribe / getSnapshot), framework-free.
 *
 * - Starts the worker on first run (nothing runs on page load), queues runs, streams outputs into
 *   each cell's state.
 * - Stale cells: after a cell defines names, every other cell that read one of them is marked stale.
 * - Stop: asks the running cell to stop (cooperative: `await tick()`), and after STOP_GRACE_MS
 *   terminates the worker and starts a fresh kernel; every cell that had run is then stale. The
 *   same happens when a cell runs past the time limit.
 */
import type { BackendName } from '../compute/backend-choice';
import type { CellOutput } from './outputs';
import type { FromKernel, KernelFile, ToKernel } from './protocol';

export type CellStatus = 'idle' | 'queued' | 'running' | 'ok' | 'error' | 'stopped';

export interface CellState {
  status: CellStatus;
  stale: boolean;
  outputs: CellOutput[];
  ms: number | null;
  defines: string[];
  reads: string[];
  /** performance.now() when the run started (for the Stop button's one-second delay). */
  startedAt: number | null;
}

export type KernelStatus = 'off' | 'starting' | 'ready' | 'failed';

export interface SessionSnapshot {
  kernel: KernelStatus;
  backend: BackendName | null;
  software: boolean;
  notes: string[];
  error: string | null;
  cells: Readonly<Record<string, CellState>>;
  running: string | null;
  queued: readonly string[];
  timeLimitMs: number;
}

/** What a worker must offer (a real Worker, or a fake in tests). */
export interface KernelWorker {
  postMessage(m: ToKernel, transfer?: Transferable[]): void;
  terminate(): void;
  onmessage: ((e: MessageEvent<FromKernel>) => void) | null;
  onerror: ((e: ErrorEvent) => void) | null;
}

export interface SessionOptions {
  spawn: () => KernelWorker;
  backend: () => Promise<{ backend: BackendName; software: boolean }>;
  modelUrl: string;
  now?: () => number;
  setTimer?: (fn: () => void, ms: number) => unknown;
  clearTimer?: (t: unknown) => void;
}

import { DEFAULT_TIME_LIMIT_MS, MAX_TIME_LIMIT_MS, STOP_GRACE_MS } from './limits';

export { DEFAULT_TIME_LIMIT_MS, MAX_TIME_LIMIT_MS, STOP_GRACE_MS };

const EMPTY_CELL: CellState = { status: 'idle', stale: false, outputs: [], ms: null, defines: [], reads: [], startedAt: null };

interface Job {
  cellId: string;
  source: string;
  labels: Record<string, string>;
}

export class NotebookSession {
  private snapshot: SessionSnapshot = { kernel: 'off', backend: null, software: false, notes: [], error: null, cells: {}, running: null, queued: [], timeLimitMs: DEFAULT_TIME_LIMIT_MS };
  private readonly listeners = new Set<() => void>();
  private worker: KernelWorker | null = null;
  private ready: Promise<void> | null = null;
  private jobs: Job[] = [];
  private runId = 0;
  private current: { runId: number; cellId: string; timer: unknown } | null = null;
  private stopTimer: unknown = null;
  private files: KernelFile[] = [];
  private disposed = false;
  private readonly now: () => number;
  private readonly setTimer: (fn: () => void, ms: number) => unknown;
  private readonly clearTimer: (t: unknown) => void;

  constructor(private readonly o: SessionOptions) {
    this.now = o.now ?? (() => performance.now());
    this.setTimer = o.setTimer ?? ((fn, ms) => setTimeout(fn, ms));
    this.clearTimer = o.clearTimer ?? ((t) => clearTimeout(t as ReturnType<typeof setTimeout>));
  }

  subscribe = (fn: () => void): (() => void) => {
    this.listeners.add(fn);
    return () => this.listeners.delete(fn);
  };

  getSnapshot = (): SessionSnapshot => this.snapshot;

  private set(patch: Partial<SessionSnapshot>) {
    this.snapshot = { ...this.snapshot, ...patch };
    for (const l of this.listeners) l();
  }

  private cell(id: string): CellState {
    return this.snapshot.cells[id] ?? EMPTY_CELL;
  }

  private setCell(id: string, patch: Partial<CellState>) {
    this.set({ cells: { ...this.snapshot.cells, [id]: { ...this.cell(id), ...patch } } });
  }

  /** The per-cell time limit, in milliseconds (1 s … 30 min). */
  setTimeLimit(ms: number): void {
    if (!Number.isFinite(ms)) return;
    this.set({ timeLimitMs: Math.min(MAX_TIME_LIMIT_MS, Math.max(1000, Math.round(ms))) });
  }

  /** Files the learner dropped; cells see them as files["name"]. */
  setFiles(files: KernelFile[]): void {
    this.files = files;
    this.worker?.postMessage({ type: 'files', files });
  }

  /** Queues cells to run in order (Run, Run all, Run stale). */
  run(jobs: Job[]): void {
    if (this.disposed) return;
    for (const j of jobs) {
      if (this.snapshot.running === j.cellId || this.jobs.some((x) => x.cellId === j.cellId)) continue;
      this.jobs.push(j);
      this.setCell(j.cellId, { status: 'queued' });
    }
    this.set({ queued: this.jobs.map((j) => j.cellId) });
    void this.pump();
  }

  /** Forgets every name and tensor, then runs `jobs` (Restart & run all). */
  async restartAndRun(jobs: Job[]): Promise<void> {
    this.restart('Restarted.');
    this.run(jobs);
  }

  /** Clears a cell's outputs (Reset cell). */
  clearCell(id: string): void {
    if (this.snapshot.running === id) return;
    this.setCell(id, { ...EMPTY_CELL });
  }

  private ensureWorker(): Promise<void> {
    if (this.ready) return this.ready;
    this.set({ kernel: 'starting', error: null });
    this.ready = (async () => {
      const { backend, software } = await this.o.backend();
      const w = this.o.spawn();
      this.worker = w;
      await new Promise<void>((resolve, reject) => {
        w.onerror = (e) => {
          const msg = `The notebook kernel failed to load: ${e.message || 'a script could not be fetched (are you offline?)'}.`;
          this.set({ kernel: 'failed', error: msg });
          reject(new Error(msg));
        };
        w.onmessage = (e) => {
          const m = e.data;
          if (m.type === 'ready') {
            this.set({ kernel: 'ready', backend: m.backend, software: m.software, notes: m.notes });
            w.onmessage = (ev) => this.onMessage(w, ev.data);
            resolve();
          } else if (m.type === 'fatal') {
            this.set({ kernel: 'failed', error: m.message });
            reject(new Error(m.message));
          }
        };
        w.postMessage({ type: 'init', backend, software, modelUrl: this.o.modelUrl });
        if (this.files.length > 0) w.postMessage({ type: 'files', files: this.files });
      });
    })();
    this.ready.catch(() => {
      this.ready = null;
      this.worker?.terminate();
      this.worker = null;
    });
    return this.ready;
  }

  private onMessage(w: KernelWorker, m: FromKernel) {
    if (w !== this.worker) return;
    const cur = this.current;
    if (m.type === 'output') {
      if (!cur || m.runId !== cur.runId) return;
      this.setCell(m.cellId, { outputs: [...this.cell(m.cellId).outputs, m.output] });
    } else if (m.type === 'done') {
      if (!cur || m.runId !== cur.runId) return;
      this.finish(m.cellId, m.result.ok ? 'ok' : this.cell(m.cellId).outputs.some((o) => o.kind === 'error') ? 'error' : 'stopped', m.result);
    } else if (m.type === 'fatal') {
      this.set({ error: m.message });
      if (cur) this.finish(cur.cellId, 'error', { defines: [], reads: [], ms: 0 });
    }
  }

  private finish(cellId: string, status: CellStatus, result: { defines: string[]; reads: string[]; ms: number }) {
    if (this.current) this.clearTimer(this.current.timer);
    if (this.stopTimer !== null) {
      this.clearTimer(this.stopTimer);
      this.stopTimer = null;
    }
    this.current = null;
    const cells = { ...this.snapshot.cells };
    cells[cellId] = { ...this.cell(cellId), status, ms: result.ms, defines: result.defines, reads: result.reads, startedAt: null, stale: false };
    if (status === 'ok' && result.defines.length > 0) {
      const changed = new Set(result.defines);
      for (const [id, c] of Object.entries(cells)) {
        if (id !== cellId && c.status !== 'idle' && c.status !== 'queued' && c.reads.some((r) => changed.has(r))) cells[id] = { ...c, stale: true };
      }
    }
    this.set({ cells, running: null });
    void this.pump();
  }

  private async pump(): Promise<void> {
    if (this.current || this.jobs.length === 0 || this.disposed) return;
    try {
      await this.ensureWorker();
    } catch {
      for (const j of this.jobs.splice(0)) this.setCell(j.cellId, { status: 'idle' });
      this.set({ queued: [] });
      return;
    }
    if (this.current || this.jobs.length === 0 || !this.worker) return;
    const job = this.jobs.shift() as Job;
    const runId = ++this.runId;
    const timer = this.setTimer(() => this.timeout(runId), this.snapshot.timeLimitMs);
    this.current = { runId, cellId: job.cellId, timer };
    this.setCell(job.cellId, { status: 'running', outputs: [], startedAt: this.now(), ms: null });
    this.set({ running: job.cellId, queued: this.jobs.map((j) => j.cellId) });
    this.worker.postMessage({ type: 'run', runId, cellId: job.cellId, source: job.source, labels: job.labels });
  }

  private timeout(runId: number) {
    if (this.current?.runId !== runId) return;
    const s = Math.round(this.snapshot.timeLimitMs / 1000);
    this.kill(`Stopped after ${s} s, the time limit for one cell. Raise the limit in the notebook's toolbar if the cell needs longer.`);
  }

  /** Stop: cooperative first; after STOP_GRACE_MS, a fresh kernel. */
  stop(): void {
    if (!this.current) {
      for (const j of this.jobs.splice(0)) this.setCell(j.cellId, { status: 'idle' });
      this.set({ queued: [] });
      return;
    }
    for (const j of this.jobs.splice(0)) this.setCell(j.cellId, { status: 'idle' });
    this.set({ queued: [] });
    this.worker?.postMessage({ type: 'interrupt' });
    const runId = this.current.runId;
    if (this.stopTimer !== null) return;
    this.stopTimer = this.setTimer(() => {
      this.stopTimer = null;
      if (this.current?.runId === runId) this.kill('Stopped: the cell did not yield, so the kernel was restarted. Every variable is gone; run the cells again (Run all).');
    }, STOP_GRACE_MS);
  }

  private kill(message: string) {
    const cur = this.current;
    if (cur) {
      this.clearTimer(cur.timer);
      this.setCell(cur.cellId, { outputs: [...this.cell(cur.cellId).outputs, { kind: 'notice', text: message }] });
      this.finish(cur.cellId, 'stopped', { defines: [], reads: this.cell(cur.cellId).reads, ms: this.now() - (this.cell(cur.cellId).startedAt ?? this.now()) });
    }
    this.restart(null);
  }

  /** Ends the worker: names and tensors are gone, so every cell that had run is stale. */
  private restart(notice: string | null) {
    this.worker?.terminate();
    this.worker = null;
    this.ready = null;
    if (this.current) this.clearTimer(this.current.timer);
    this.current = null;
    this.jobs = [];
    const cells: Record<string, CellState> = {};
    for (const [id, c] of Object.entries(this.snapshot.cells)) {
      cells[id] = c.status === 'idle' ? c : { ...c, status: c.status === 'running' || c.status === 'queued' ? 'stopped' : c.status, stale: true, startedAt: null };
    }
    this.set({ cells, running: null, queued: [], kernel: 'off', error: notice ? null : this.snapshot.error });
  }

  dispose(): void {
    this.disposed = true;
    this.worker?.terminate();
    this.worker = null;
    if (this.current) this.clearTimer(this.current.timer);
    if (this.stopTimer !== null) this.clearTimer(this.stopTimer);
    this.listeners.clear();
  }
}
