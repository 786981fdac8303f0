import { describe, expect, it } from 'vitest';
import { TrainerWorkerClient } from './worker-client';
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

function client() {
  const workers: FakeWorker[] = [];
  const c = new TrainerWorkerClient(() => {
    const w = new FakeWorker();
    workers.push(w);
    return w as unknown as Worker;
  });
  return { c, workers };
}

describe('TrainerWorkerClient', () => {
  it('starts the worker on first use, answers requests by id and publishes what the worker reports', async () => {
    const { c, workers } = client();
    expect(workers).toHaveLength(0);
    const answer = c.request({ kind: 'export' });
    const w = workers[0];
    const sent = w.sent[0];
    expect(sent.type).toBe('request');
    w.reply({ type: 'ready', backend: 'webgpu', software: true, notes: [] });
    w.reply({ type: 'reply', id: (sent as Extract<ToWorker, { type: 'request' }>).id, ok: false, error: 'The trainer has not started yet.' });
    await expect(answer).rejects.toThrow('The trainer has not started yet.');
    expect(c.getSnapshot().backend).toEqual({ backend: 'webgpu', software: true, notes: [] });
    c.start();
    expect(workers).toHaveLength(1);
    expect(w.sent.at(-1)).toEqual({ type: 'start' });
  });

  it('dispose terminates the worker, rejects waiting requests and ignores late messages', async () => {
    const { c, workers } = client();
    const answer = c.request({ kind: 'merge-check' });
    const w = workers[0];
    c.dispose();
    expect(w.terminated).toBe(true);
    await expect(answer).rejects.toThrow('The training worker was closed.');
    w.reply({ type: 'error', error: 'late' });
    expect(c.getSnapshot().error).toBeNull();
    await expect(c.request({ kind: 'export' })).rejects.toThrow('The training worker was closed.');
    c.start();
    expect(workers).toHaveLength(1);
  });
});
