import { describe, expect, it } from 'vitest';
import type { TrainerSnapshot } from './trainer';
import { openPageTrainerChannel, TrainerWorkerClient, type TrainerWorkerEnv } from './worker-client';
import type { FromWorker, ToWorker } from './worker-protocol';

/** A stand-in for the Worker: records what it is sent and lets the test answer. */
class FakeWorker {
  sent: ToWorker[] = [];
  terminated = false;
  onmessage: ((e: MessageEvent<FromWorker>) => void) | null = null;
  onerror: ((e: ErrorEvent) => void) | null = null;
  postMessage(m: ToWorker) {
    this.sent.push(m);
  }
  terminate() {
    this.terminated = true;
  }
  reply(m: FromWorker) {
    this.onmessage?.({ data: m } as MessageEvent<FromWorker>);
  }
}

const env: TrainerWorkerEnv = { backend: async () => ({ backend: 'webgl', software: false }), modelUrl: () => 'http://localhost/models/tiny/' };

function setup() {
  const workers: FakeWorker[] = [];
  const spawn = () => {
    const w = new FakeWorker();
    workers.push(w);
    return w as unknown as Worker;
  };
  return { c: new TrainerWorkerClient(spawn, env), workers, spawn };
}

const snap = (state: TrainerSnapshot['state'], step = 0) => ({ state, step, mode: 'qlora' }) as TrainerSnapshot;
const idOf = (m: ToWorker) => (m as { id: number }).id;
const flush = () => new Promise((r) => setTimeout(r, 0));

describe('TrainerWorkerClient', () => {
  it('starts the worker on first use, answers requests by id and publishes what the worker reports', async () => {
    const { c, workers } = setup();
    const ch = c.openChannel();
    expect(workers).toHaveLength(0);
    const answer = ch.request({ kind: 'export' });
    const w = workers[0];
    const sent = w.sent[0];
    expect(sent).toMatchObject({ type: 'request', slot: ch.slot });
    w.reply({ type: 'ready', backend: 'webgpu', software: true, notes: [] });
    w.reply({ type: 'reply', id: idOf(sent), ok: false, error: 'The trainer has not started yet.' });
    await expect(answer).rejects.toThrow('The trainer has not started yet.');
    expect(ch.getSnapshot().backend).toEqual({ backend: 'webgpu', software: true, notes: [] });
    ch.start();
    expect(workers).toHaveLength(1);
    expect(w.sent.at(-1)).toEqual({ type: 'start', slot: ch.slot });
  });

  it('init sends the texts, options, backend and model URL, and resolves on the reply', async () => {
    const { c, workers } = setup();
    const ch = c.openChannel();
    const done = ch.init({ train: 'abc', heldout: 'de' }, { maxSteps: 3 } as never);
    await flush();
    const m = workers[0].sent[0];
    expect(m).toMatchObject({ type: 'init', slot: ch.slot, backend: 'webgl', software: false, modelUrl: 'http://localhost/models/tiny/', train: 'abc', heldout: 'de', options: { maxSteps: 3 } });
    workers[0].reply({ type: 'reply', id: idOf(m), ok: true, reply: { kind: 'init' } });
    await expect(done).resolves.toBeUndefined();
  });

  it('serves several channels from one worker, routing snapshots and slot errors to their channel and worker errors to all', () => {
    const { c, workers } = setup();
    const a = c.openChannel();
    const b = c.openChannel();
    a.start();
    b.start();
    expect(workers).toHaveLength(1);
    workers[0].reply({ type: 'snapshot', slot: b.slot, snapshot: snap('running', 2) });
    expect(a.getSnapshot().snapshot).toBeNull();
    expect(b.getSnapshot().snapshot?.step).toBe(2);
    workers[0].reply({ type: 'error', slot: a.slot, error: 'a failed' });
    expect(a.getSnapshot().error).toBe('a failed');
    expect(b.getSnapshot().error).toBeNull();
    workers[0].reply({ type: 'error', error: 'The device was lost.' });
    expect(b.getSnapshot().error).toBe('The device was lost.');
    // A widget that goes frees its slot; the last one ends the worker.
    a.dispose();
    expect(workers[0].sent.at(-1)).toEqual({ type: 'dispose', slot: a.slot });
    expect(workers[0].terminated).toBe(false);
    b.dispose();
    expect(workers[0].terminated).toBe(true);
    expect(c.isDisposed).toBe(true);
  });

  it('pauses a running run while its widget is off screen and resumes it when the widget is back', () => {
    const { c, workers } = setup();
    const ch = c.openChannel();
    ch.start();
    const w = workers[0];
    w.reply({ type: 'snapshot', slot: ch.slot, snapshot: snap('running', 1) });
    ch.setVisible(false);
    expect(w.sent.at(-1)).toEqual({ type: 'stop', slot: ch.slot });
    expect(ch.getSnapshot().autoPaused).toBe(true);
    w.reply({ type: 'snapshot', slot: ch.slot, snapshot: snap('stopped', 2) });
    expect(w.sent.filter((m) => m.type === 'stop')).toHaveLength(1);
    ch.setVisible(true);
    expect(w.sent.at(-1)).toEqual({ type: 'start', slot: ch.slot });
    expect(ch.getSnapshot().autoPaused).toBe(false);
    // A start asked for off screen waits until the widget is back.
    ch.setVisible(false);
    const before = w.sent.length;
    ch.start();
    expect(w.sent).toHaveLength(before);
    expect(ch.getSnapshot().autoPaused).toBe(true);
    ch.setVisible(true);
    expect(w.sent.at(-1)).toEqual({ type: 'start', slot: ch.slot });
    // A pause by hand is not undone by coming back on screen.
    ch.setVisible(false);
    ch.start();
    ch.stop();
    ch.setVisible(true);
    expect(w.sent.at(-1)).toEqual({ type: 'stop', slot: ch.slot });
  });

  it('restart ends the worker, rejects waiting requests and starts every channel over on a new worker', async () => {
    const { c, workers } = setup();
    const ch = c.openChannel();
    const answer = ch.request({ kind: 'merge-check' });
    workers[0].reply({ type: 'snapshot', slot: ch.slot, snapshot: snap('error') });
    ch.restart();
    expect(workers[0].terminated).toBe(true);
    await expect(answer).rejects.toThrow('The training worker was closed.');
    expect(ch.getSnapshot().snapshot).toBeNull();
    workers[0].reply({ type: 'error', error: 'late' });
    expect(ch.getSnapshot().error).toBeNull();
    ch.start();
    expect(workers).toHaveLength(2);
  });

  it('dispose terminates the worker, rejects waiting requests and ignores late messages', async () => {
    const { c, workers } = setup();
    const ch = c.openChannel();
    const answer = ch.request({ kind: 'merge-check' });
    const w = workers[0];
    c.dispose();
    expect(w.terminated).toBe(true);
    await expect(answer).rejects.toThrow('The training worker was closed.');
    w.reply({ type: 'error', error: 'late' });
    expect(ch.getSnapshot().error).toBeNull();
    await expect(ch.request({ kind: 'export' })).rejects.toThrow('The training worker was closed.');
    ch.start();
    expect(workers).toHaveLength(1);
  });
});

describe('openPageTrainerChannel', () => {
  it('gives a page one worker for all its widgets, and the next page a new one', () => {
    const { spawn, workers } = setup();
    const a = openPageTrainerChannel(spawn, env);
    const b = openPageTrainerChannel(spawn, env);
    a.start();
    b.start();
    expect(workers).toHaveLength(1);
    a.dispose();
    b.dispose();
    expect(workers[0].terminated).toBe(true);
    const next = openPageTrainerChannel(spawn, env);
    next.start();
    expect(workers).toHaveLength(2);
    next.dispose();
  });
});
