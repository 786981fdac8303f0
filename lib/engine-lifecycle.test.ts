import { describe, expect, it } from 'vitest';
import { followScreen, isPausable, PauseGate, startEngine, type EngineState } from './engine-lifecycle';

class FakeEngine {
  disposed = 0;
  constructor(readonly n: number) {}
  dispose() {
    this.disposed++;
  }
}

/** A promise with its resolve and reject in hand. */
function deferred<T>() {
  let resolve!: (v: T) => void, reject!: (e: unknown) => void;
  const promise = new Promise<T>((res, rej) => { resolve = res; reject = rej; });
  return { promise, resolve, reject };
}

const flush = () => new Promise((r) => setTimeout(r, 0));

describe('startEngine', () => {
  it('survives StrictMode’s mount → cleanup → mount: the first engine is disposed, the second stays live', () => {
    const made: FakeEngine[] = [];
    const states: EngineState<FakeEngine>[] = [];
    const factory = () => { const e = new FakeEngine(made.length); made.push(e); return e; };
    const cleanup1 = startEngine(factory, (s) => states.push(s));
    cleanup1();
    const cleanup2 = startEngine(factory, (s) => states.push(s));
    expect(made.map((e) => e.disposed)).toEqual([1, 0]);
    expect(states.at(-1)).toEqual({ status: 'ready', engine: made[1], error: null });
    cleanup2();
    expect(made[1].disposed).toBe(1);
  });

  it('disposes and ignores an engine whose start finishes after the cleanup; aborts the factory’s signal', async () => {
    const slow = deferred<FakeEngine>();
    const fast = deferred<FakeEngine>();
    const signals: AbortSignal[] = [];
    const states: EngineState<FakeEngine>[] = [];
    const cleanup1 = startEngine((signal) => { signals.push(signal); return slow.promise; }, (s) => states.push(s));
    expect(states).toEqual([{ status: 'starting', engine: null, error: null }]);
    cleanup1();
    expect(signals[0].aborted).toBe(true);
    startEngine((signal) => { signals.push(signal); return fast.promise; }, (s) => states.push(s));
    const second = new FakeEngine(2);
    fast.resolve(second);
    await flush();
    const first = new FakeEngine(1);
    slow.resolve(first); // late: its run was cleaned up
    await flush();
    expect(first.disposed).toBe(1);
    expect(second.disposed).toBe(0);
    expect(signals[1].aborted).toBe(false);
    expect(states.map((s) => s.status)).toEqual(['starting', 'starting', 'ready']);
    expect(states.at(-1)?.engine).toBe(second);
  });

  it('reports a failed start, but not one that fails after the cleanup', async () => {
    const states: EngineState<FakeEngine>[] = [];
    startEngine(() => { throw new Error('no adapter'); }, (s) => states.push(s));
    expect(states.at(-1)).toEqual({ status: 'failed', engine: null, error: 'no adapter' });
    const late = deferred<FakeEngine>();
    const cleanup = startEngine(() => late.promise, (s) => states.push(s));
    cleanup();
    late.reject(new Error('too late'));
    await flush();
    expect(states.at(-1)?.status).toBe('starting');
  });

  it('is idle when the factory returns null, and leaves values without dispose alone', () => {
    const states: EngineState<{ x: number }>[] = [];
    startEngine<{ x: number }>(() => null, (s) => states.push(s))();
    const cleanup = startEngine(() => ({ x: 1 }), (s) => states.push(s));
    cleanup();
    expect(states.map((s) => s.status)).toEqual(['idle', 'ready']);
  });
});

describe('pausing off screen', () => {
  it('a shut gate holds the run until it opens; an open gate lets it through at once', async () => {
    const gate = new PauseGate();
    const steps: string[] = [];
    const run = (async () => {
      steps.push('a');
      await gate.wait();
      steps.push('b');
      await gate.wait();
      steps.push('c');
    })();
    await flush();
    expect(steps).toEqual(['a', 'b', 'c']);
    await run;

    steps.length = 0;
    gate.pause();
    gate.pause(); // twice changes nothing
    expect(gate.paused).toBe(true);
    const held = (async () => {
      steps.push('a');
      await gate.wait();
      steps.push('b');
    })();
    await flush();
    expect(steps).toEqual(['a']);
    gate.resume();
    await held;
    expect(steps).toEqual(['a', 'b']);
    expect(gate.paused).toBe(false);
  });
  it('followScreen pauses a pausable engine off screen and resumes it on screen; others are left alone', () => {
    const calls: string[] = [];
    const engine = { pause: () => calls.push('pause'), resume: () => calls.push('resume') };
    expect(isPausable(engine)).toBe(true);
    followScreen(engine, false);
    followScreen(engine, true);
    expect(calls).toEqual(['pause', 'resume']);
    expect(isPausable(new FakeEngine(0))).toBe(false);
    expect(isPausable(null)).toBe(false);
    expect(() => followScreen(new FakeEngine(0), false)).not.toThrow();
  });
});
