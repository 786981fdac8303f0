import { describe, expect, it } from 'vitest';
import { createStore } from '../store';
import type { ComparisonChannel } from './comparison';
import type { TrainingTexts } from './datasets';
import { checkShootoutSettings, costLines, lossByBits, qatFinalLoss, qatStartLoss, shootoutRows, shootoutTrainerOptions, ShootoutEngine, startChecks, type PtqMethod, type ShootoutPtq } from './shootout';
import type { TrainerOptions, TrainerSnapshot } from './trainer';

/** A channel whose worker the test plays: it records inits and starts, and the test reports snapshots. */
class FakeChannel implements ComparisonChannel {
  private readonly store = createStore<{ snapshot: TrainerSnapshot | null; error: string | null }>({ snapshot: null, error: null });
  inits: { texts: TrainingTexts; options: TrainerOptions; resolve: () => void }[] = [];
  log: string[] = [];
  subscribe = (l: () => void) => this.store.subscribe(l);
  getSnapshot = () => this.store.getSnapshot();
  init(texts: TrainingTexts, options: TrainerOptions) {
    this.log.push(`init ${options.qat?.bits}`);
    return new Promise<void>((resolve) => this.inits.push({ texts, options, resolve }));
  }
  start() {
    this.log.push('start');
  }
  stop() {
    this.log.push('stop');
  }
  report(state: TrainerSnapshot['state'], step: number, maxSteps: number, start: number, end: number, error: string | null = null) {
    const heldoutLoss = step === 0 ? [{ step: 0, loss: start }] : [{ step: 0, loss: start }, { step, loss: end }];
    this.store.set({ ...this.store.getSnapshot(), snapshot: { mode: 'qat', state, step, maxSteps, error, heldoutLoss, memory: { totalBytes: 1600 }, device: { inUse: 4000, allocated: 5000 } } as TrainerSnapshot });
  }
}

/** PTQ scores made up so that each method and bit width differs: loss = 2 + (8 − bits)/10 (+ 0.05 for RTN, + 0.02 for MSE-clipped RTN). */
class FakePtq implements ShootoutPtq {
  calls: string[] = [];
  async prepare(windows: number) {
    this.calls.push(`prepare ${windows}`);
    return { fp32Loss: 2, bytes: 400, hessianBytes: 100, calibrationMs: 7 };
  }
  async quantize(method: PtqMethod, bits: number) {
    this.calls.push(`${method} ${bits}`);
    return { loss: 2 + (8 - bits) / 10 + (method === 'rtn' ? 0.05 : method === 'mse' ? 0.02 : 0), ms: bits };
  }
}

const texts = { train: 'calibration text', heldout: 'held out' };
const flush = async () => {
  for (let i = 0; i < 5; i++) await new Promise((r) => setTimeout(r, 0));
};

function setup() {
  const ch = new FakeChannel();
  const ptq = new FakePtq();
  let t = 0;
  const e = new ShootoutEngine({ channel: ch, ptq, texts: async () => texts, now: () => (t += 1000) });
  return { ch, ptq, e };
}

describe('ShootoutEngine', () => {
  it('scores FP32, RTN, MSE-clipped RTN and GPTQ at every bit width (widest first), then trains QAT at each in turn', async () => {
    const { ch, ptq, e } = setup();
    const running = e.start({ bits: [2, 4], steps: 5, windows: 8, lr: 1e-4, seed: 1 });
    await flush();
    expect(ptq.calls).toEqual(['prepare 8', 'rtn 4', 'mse 4', 'gptq 4', 'rtn 2', 'mse 2', 'gptq 2']);
    expect(e.getSnapshot().stage).toBe('qat');
    for (const [i, bits] of [4, 2].entries()) {
      expect(ch.inits[i].options).toEqual(shootoutTrainerOptions(bits, { steps: 5, windows: 8, lr: 1e-4, seed: 1 }));
      expect(ch.inits[i].options.qat).toEqual({ bits, groupSize: -1, symmetric: false, lsq: false, activations: 'none', activationBits: 8 });
      expect(ch.inits[i].texts).toBe(texts);
      ch.report('idle', 0, 5, 3, 3); // the new trainer's step-0 evaluation arrives before init resolves
      ch.inits[i].resolve();
      await flush();
      expect(e.getSnapshot().active).toBe(bits);
      ch.report('running', 3, 5, 3, 2.6);
      expect(qatFinalLoss(e.getSnapshot().qat[i])).toBeNull();
      expect(qatStartLoss(e.getSnapshot().qat[i])).toBe(3);
      ch.report('done', 5, 5, 3, 2.5 - i / 10);
    }
    await running;
    expect(ch.log).toEqual(['init 4', 'start', 'init 2', 'start']);
    const s = e.getSnapshot();
    expect(s.stage).toBe('done');
    expect(s.qat.map((r) => r.wallMs)).toEqual([1000, 1000]);
    const rows = shootoutRows(s);
    expect(rows.map((r) => r.key)).toEqual(['fp32/fp32', '4/rtn', '4/mse', '4/gptq', '4/qat', '2/rtn', '2/mse', '2/gptq', '2/qat']);
    expect(rows.map((r) => r.bytes)).toEqual([400, 400, 400, 500, 1600, 400, 400, 500, 1600]);
    expect(rows[5].loss).toBeCloseTo(2.65, 12);
    expect(rows[5].perplexity).toBeCloseTo(Math.exp(2.65), 12);
    expect(rows[6].loss).toBeCloseTo(2.62, 12);
    expect(rows[8].loss).toBeCloseTo(2.4, 12);
    expect(lossByBits(s).gptq).toEqual([{ step: 2, loss: 2.6 }, { step: 4, loss: 2.4 }]);
  });

  it('does not take the previous bit width’s finished run for the next one', async () => {
    const { ch, e } = setup();
    void e.start({ bits: [4, 3], steps: 5, windows: 8, lr: 1e-4, seed: 1 });
    await flush();
    ch.report('idle', 0, 5, 3, 3);
    ch.inits[0].resolve();
    await flush();
    ch.report('done', 5, 5, 3, 2.5);
    await flush();
    expect(ch.inits).toHaveLength(2);
    ch.report('done', 5, 5, 3, 2.5); // still the 4-bit run's: init of the 3-bit one has not resolved
    await flush();
    expect(ch.inits).toHaveLength(2);
    expect(e.getSnapshot().qat[1].snapshot).toBeNull();
    expect(e.getSnapshot().stage).toBe('qat');
  });

  it('stops: the channel is stopped, finished results stay, later results are dropped', async () => {
    const { ch, ptq, e } = setup();
    void e.start({ bits: [3], steps: 5, windows: 8, lr: 1e-4, seed: 1 });
    await flush();
    ch.inits[0].resolve();
    await flush();
    e.stop();
    expect(ch.log.at(-1)).toBe('stop');
    ch.report('done', 5, 5, 3, 2.5);
    expect(e.getSnapshot().stage).toBe('stopped');
    expect(e.getSnapshot().qat[0].wallMs).toBeNull();
    expect(shootoutRows(e.getSnapshot()).map((r) => r.key)).toEqual(['fp32/fp32', '3/rtn', '3/mse', '3/gptq']);
    expect(ptq.calls).toHaveLength(4);
    e.reset();
    expect(e.getSnapshot().fp32).toBeNull();
  });

  it('reports a failed run and a bad setting as an error', async () => {
    const { ch, e } = setup();
    await e.start({ bits: [], steps: 5, windows: 8, lr: 1e-4, seed: 1 });
    expect(e.getSnapshot().error).toMatch(/at least one bit width/);
    void e.start({ bits: [2], steps: 5, windows: 8, lr: 1e-4, seed: 1 });
    await flush();
    ch.inits[0].resolve();
    await flush();
    ch.report('error', 1, 5, 3, 3, 'The training loss became NaN at step 1.');
    expect(e.getSnapshot()).toMatchObject({ stage: 'stopped', error: 'The training loss became NaN at step 1.' });
  });
});

describe('shoot-out settings', () => {
  it('bounds the bit widths and windows', () => {
    expect(() => checkShootoutSettings({ bits: [5], steps: 5, windows: 8, lr: 1e-4, seed: 1 })).toThrow(/8, 4, 3, 2/);
    expect(() => checkShootoutSettings({ bits: [4], steps: 0, windows: 8, lr: 1e-4, seed: 1 })).toThrow(/steps/);
    expect(() => checkShootoutSettings({ bits: [4], steps: 5, windows: 65, lr: 1e-4, seed: 1 })).toThrow(/4 to 64/);
  });

  it('trains QAT on windows of the model’s length, so its held-out windows are the PTQ scorer’s', () => {
    const o = shootoutTrainerOptions(3, { steps: 40, windows: 16, lr: 1e-4, seed: 1 });
    expect(o.blockSize).toBeUndefined();
    expect(o.mode).toBe('qat');
    expect(o.evalWindows).toBe(16);
    expect(o.evalEvery).toBe(5);
    expect(o.maxSteps).toBe(40);
    expect(o.lr).toBe(1e-4);
    expect(() => checkShootoutSettings({ bits: [4], steps: 5, windows: 8, lr: 0, seed: 1 })).toThrow(/learning rate/);
  });
});

describe('the cross-check and the cost', () => {
  it('pairs QAT’s step-0 loss with RTN’s and QAT’s time with GPTQ’s (capture included)', async () => {
    const { ch, e } = setup();
    void e.start({ bits: [3], steps: 5, windows: 8, lr: 1e-4, seed: 1 });
    await flush();
    ch.report('idle', 0, 5, 2.55, 2.55);
    ch.inits[0].resolve();
    await flush();
    expect(startChecks(e.getSnapshot())).toEqual([{ bits: 3, qatStart: 2.55, rtn: 2.55, gap: 0 }]);
    expect(costLines(e.getSnapshot())).toEqual([]);
    ch.report('done', 5, 5, 2.55, 2.4);
    // The fake clock advances 1000 ms a reading; GPTQ's fake time is 3 ms (its bits) plus 7 ms of capture.
    expect(costLines(e.getSnapshot())).toEqual([{ bits: 3, qatMs: 1000, qatBytes: 1600, deviceBytes: 5000, gptqMs: 10, rtnMs: 3, timesGptq: 100 }]);
  });
});
