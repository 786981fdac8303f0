import { describe, expect, it } from 'vitest';
import type { FromKernel, ToKernel } from './protocol';
import { NotebookSession, STOP_GRACE_MS, type KernelWorker } from './session';

/** A fake kernel worker: defines/reads come from the source text "def a,b; read c" ; "hang" never answers. */
class FakeWorker implements KernelWorker {
  onmessage: ((e: MessageEvent<FromKernel>) => void) | null = null;
  onerror: ((e: ErrorEvent) => void) | null = null;
  terminated = false;
  interrupted = 0;
  constructor(private readonly log: ToKernel[]) {}
  private send(m: FromKernel) {
    queueMicrotask(() => this.onmessage?.({ data: m } as MessageEvent<FromKernel>));
  }
  postMessage(m: ToKernel) {
    this.log.push(m);
    if (m.type === 'init') this.send({ type: 'ready', backend: 'cpu', software: false, notes: [] });
    if (m.type === 'interrupt') this.interrupted++;
    if (m.type === 'run') {
      if (m.source === 'hang') return;
      const def = /def ([\w,]+)/.exec(m.source)?.[1].split(',') ?? [];
      const read = /read ([\w,]+)/.exec(m.source)?.[1].split(',') ?? [];
      this.send({ type: 'output', runId: m.runId, cellId: m.cellId, output: { kind: 'text', stream: 'out', text: `ran ${m.cellId}\n` } });
      this.send({ type: 'done', runId: m.runId, cellId: m.cellId, result: { ok: true, defines: def, reads: read, ms: 1 } });
    }
  }
  terminate() {
    this.terminated = true;
  }
}

function setup() {
  const log: ToKernel[] = [];
  const workers: FakeWorker[] = [];
  const timers: { fn: () => void; ms: number; done: boolean }[] = [];
  const s = new NotebookSession({
    spawn: () => {
      const w = new FakeWorker(log);
      workers.push(w);
      return w;
    },
    backend: async () => ({ backend: 'cpu', software: false }),
    modelUrl: '/m',
    setTimer: (fn, ms) => {
      const t = { fn, ms, done: false };
      timers.push(t);
      return t;
    },
    clearTimer: (t) => {
      (t as { done: boolean }).done = true;
    },
  });
  const fire = (ms: number) => timers.filter((t) => !t.done && t.ms === ms).forEach((t) => { t.done = true; t.fn(); });
  const settle = () => new Promise((r) => setTimeout(r, 5));
  return { s, log, workers, fire, settle };
}

const labels = {};

describe('NotebookSession', () => {
  it('starts the kernel on the first run only, runs in order and streams outputs', async () => {
    const { s, log, settle } = setup();
    expect(log).toEqual([]);
    s.run([{ cellId: 'a', source: 'def x', labels }, { cellId: 'b', source: 'read x', labels }]);
    await settle();
    expect(log.map((m) => m.type)).toEqual(['init', 'run', 'run']);
    expect(s.getSnapshot().cells.a).toMatchObject({ status: 'ok', outputs: [{ kind: 'text', text: 'ran a\n' }], defines: ['x'] });
    expect(s.getSnapshot().kernel).toBe('ready');
  });
  it('marks the readers of redefined names stale, and clears the mark when they run', async () => {
    const { s, settle } = setup();
    s.run([{ cellId: 'a', source: 'def x', labels }, { cellId: 'b', source: 'read x', labels }, { cellId: 'c', source: 'read y', labels }]);
    await settle();
    s.run([{ cellId: 'a', source: 'def x', labels }]);
    await settle();
    expect(s.getSnapshot().cells.b.stale).toBe(true);
    expect(s.getSnapshot().cells.c.stale).toBe(false);
    s.run([{ cellId: 'b', source: 'read x', labels }]);
    await settle();
    expect(s.getSnapshot().cells.b.stale).toBe(false);
  });
  it('Stop asks first, then after the grace restarts the kernel and marks every cell stale', async () => {
    const { s, workers, fire, settle } = setup();
    s.run([{ cellId: 'a', source: 'def x', labels }, { cellId: 'b', source: 'hang', labels }, { cellId: 'c', source: 'def z', labels }]);
    await settle();
    expect(s.getSnapshot().running).toBe('b');
    s.stop();
    expect(workers[0].interrupted).toBe(1);
    expect(workers[0].terminated).toBe(false);
    fire(STOP_GRACE_MS);
    expect(workers[0].terminated).toBe(true);
    const snap = s.getSnapshot();
    expect(snap.running).toBeNull();
    expect(snap.kernel).toBe('off');
    expect(snap.cells.a).toMatchObject({ status: 'ok', stale: true });
    expect(snap.cells.b.status).toBe('stopped');
    expect(snap.cells.b.outputs.at(-1)).toMatchObject({ kind: 'notice', text: expect.stringMatching(/kernel was restarted/) });
    expect(snap.cells.c.status).toBe('idle');
    // The next run starts a fresh worker.
    s.run([{ cellId: 'a', source: 'def x', labels }]);
    await settle();
    expect(workers).toHaveLength(2);
    expect(s.getSnapshot().cells.a).toMatchObject({ status: 'ok', stale: false });
  });
  it('stops a cell that runs past the time limit, saying which limit', async () => {
    const { s, workers, fire, settle } = setup();
    s.setTimeLimit(5000);
    s.run([{ cellId: 'a', source: 'hang', labels }]);
    await settle();
    fire(5000);
    expect(workers[0].terminated).toBe(true);
    expect(s.getSnapshot().cells.a.outputs.at(-1)).toMatchObject({ kind: 'notice', text: expect.stringMatching(/after 5 s, the time limit/) });
  });
});
