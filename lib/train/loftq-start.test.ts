import { describe, expect, it } from 'vitest';
import { createStore } from '../store';
import type { TrainingTexts } from './datasets';
import { INITIAL_LOFTQ, loftqExtraMs, loftqRunOptions, LoftqStartEngine, splitModelText, type LoftqChannel } from './loftq-start';
import { COMPARISON_RECIPE } from './recipes';
import type { TrainerOptions, TrainerSnapshot } from './trainer';

/** A channel whose runs finish at once: step-0 loss by start (fp32 1.0, zero-B 1.2, LoftQ 1.1), minus 0.01 per step. */
class FakeChannel implements LoftqChannel {
  private readonly store = createStore<{ snapshot: TrainerSnapshot | null; error: string | null }>({ snapshot: null, error: null });
  readonly inits: TrainerOptions[] = [];
  clock = 0;
  failOn: string | null = null;
  hold = false;
  stops = 0;
  subscribe = (l: () => void) => this.store.subscribe(l);
  getSnapshot = () => this.store.getSnapshot();
  private snap(o: TrainerOptions, state: TrainerSnapshot['state'], steps: number): TrainerSnapshot {
    const start = o.mode === 'lora' ? 1.0 : o.loraInit === 'loftq' ? 1.1 : 1.2;
    const heldoutLoss = Array.from({ length: steps + 1 }, (_, step) => ({ step, loss: start - 0.01 * step }));
    return { state, mode: o.mode, step: steps, maxSteps: o.maxSteps, trainLoss: [], heldoutLoss, error: state === 'error' ? 'boom' : null } as unknown as TrainerSnapshot;
  }
  async init(_texts: TrainingTexts, o: TrainerOptions) {
    this.inits.push(o);
    this.clock += o.loraInit === 'loftq' ? 900 : 100;
    this.store.set({ snapshot: this.snap(o, 'idle', 0), error: null });
  }
  start() {
    const o = this.inits[this.inits.length - 1];
    queueMicrotask(() => {
      if (this.hold) return this.store.set({ snapshot: this.snap(o, 'running', 0), error: null });
      const fail = this.failOn === (o.loraInit ?? o.mode);
      this.store.set({ snapshot: this.snap(o, fail ? 'error' : 'done', o.maxSteps), error: null });
    });
  }
  stop() {
    this.stops++;
  }
}

const texts = { train: 'train', heldout: 'held' };
const settings = { text: 'model' as const, steps: 10, seed: 1 };

describe('LoftqStartEngine', () => {
  it('runs the float32 reference (0 steps), zero-B and LoftQ in turn, and reads their step-0 losses and start-up times', async () => {
    const ch = new FakeChannel();
    const e = new LoftqStartEngine(ch, async () => texts, () => ch.clock);
    await e.run(settings);
    const s = e.getSnapshot();
    expect(s.error).toBeNull();
    expect(s.phase).toBeNull();
    expect(ch.inits.map((o) => [o.mode, o.loraInit ?? 'zero', o.maxSteps])).toEqual([['lora', 'zero', 0], ['qlora', 'zero', 10], ['qlora', 'loftq', 10]]);
    expect(s.runs.map((r) => [r.key, r.startLoss, r.initMs])).toEqual([['fp32', 1.0, 100], ['zero', 1.2, 100], ['loftq', 1.1, 900]]);
    expect(loftqExtraMs(s.runs)).toBe(800);
    expect(s.runs[2].snapshot.heldoutLoss.at(-1)!.loss).toBeCloseTo(1.0);
  });

  it('every run has the same recipe, seed and data; only the start differs', () => {
    const [fp32, zero, loftq] = (['fp32', 'zero', 'loftq'] as const).map((k) => loftqRunOptions(k, { steps: 20, seed: 3 }));
    expect({ ...loftq, loraInit: undefined }).toEqual({ ...zero, loraInit: undefined });
    expect(zero.loraInit).toBeUndefined();
    expect(loftq.loraInit).toBe('loftq');
    expect(zero.lora.r).toBe(COMPARISON_RECIPE.r);
    expect(fp32.maxSteps).toBe(0);
    expect(zero.evalEvery).toBe(4);
    expect(zero.evalWindows).toBe(32);
    expect(loftqExtraMs([])).toBeNull();
  });

  it('names a failed run, and stop() ends the comparison with the finished runs kept', async () => {
    const ch = new FakeChannel();
    ch.failOn = 'loftq';
    const e = new LoftqStartEngine(ch, async () => texts, () => ch.clock);
    await e.run(settings);
    expect(e.getSnapshot().error).toBe('boom');
    expect(e.getSnapshot().runs.map((r) => r.key)).toEqual(['fp32', 'zero']);

    const held = new FakeChannel();
    held.hold = true;
    const e2 = new LoftqStartEngine(held, async () => texts, () => held.clock);
    const run = e2.run(settings);
    await new Promise((r) => setTimeout(r, 0));
    expect(e2.getSnapshot().phase).toBe('fp32');
    e2.stop();
    await run;
    expect(held.stops).toBe(1);
    expect(e2.getSnapshot()).toEqual(INITIAL_LOFTQ);
  });

  it('a failure to load the texts is shown', async () => {
    const e = new LoftqStartEngine(new FakeChannel(), async () => {
      throw new Error('Could not load /datasets/x/train.txt');
    });
    await e.run(settings);
    expect(e.getSnapshot().error).toMatch(/Could not load/);
  });

  it('splitModelText keeps the last quarter held out', () => {
    expect(splitModelText('abcdefgh')).toEqual({ train: 'abcdef', heldout: 'gh' });
  });
});
