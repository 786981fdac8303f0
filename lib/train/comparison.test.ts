import { describe, expect, it } from 'vitest';
import { createStore } from '../store';
import { comparisonOptions, comparisonPhase, FineTuneComparisonEngine, shownRuns, type ComparisonChannel } from './comparison';
import type { TrainingTexts } from './datasets';
import type { TrainMode } from './modes';
import type { TrainerOptions, TrainerSnapshot } from './trainer';

/** A channel whose worker the test plays: it records inits and starts, and the test reports snapshots. */
class FakeChannel implements ComparisonChannel {
  private readonly store = createStore<{ snapshot: TrainerSnapshot | null; error: string | null }>({ snapshot: null, error: null });
  inits: { texts: TrainingTexts; options: TrainerOptions; resolve: () => void; reject: (e: Error) => void }[] = [];
  log: string[] = [];
  subscribe = (l: () => void) => this.store.subscribe(l);
  getSnapshot = () => this.store.getSnapshot();
  init(texts: TrainingTexts, options: TrainerOptions) {
    this.log.push(`init ${options.mode}`);
    return new Promise<void>((resolve, reject) => this.inits.push({ texts, options, resolve, reject }));
  }
  start() {
    this.log.push('start');
  }
  stop() {
    this.log.push('stop');
  }
  report(mode: TrainMode, state: TrainerSnapshot['state'], step: number, error: string | null = null) {
    this.store.set({ ...this.store.getSnapshot(), snapshot: { mode, state, step, error, heldoutLoss: [{ step: 0, loss: 3 }, { step, loss: 2 }] } as TrainerSnapshot });
  }
  fail(error: string) {
    this.store.set({ ...this.store.getSnapshot(), error });
  }
}

const texts = { train: 'train text', heldout: 'held out' };
const flush = () => new Promise((r) => setTimeout(r, 0));

async function started() {
  const ch = new FakeChannel();
  const loaded: string[] = [];
  const e = new FineTuneComparisonEngine(ch, async (d) => {
    loaded.push(d);
    return texts;
  });
  const running = e.run({ dataset: 'kjv-lines', steps: 5, seed: 2 });
  await flush();
  return { ch, e, running, loaded };
}

describe('FineTuneComparisonEngine', () => {
  it('runs full, LoRA and QLoRA in turn with the same data, seed and budget, keeping each final snapshot', async () => {
    const { ch, e, running, loaded } = await started();
    expect(loaded).toEqual(['kjv-lines']);
    expect(comparisonPhase(e.getSnapshot())).toBe('full');
    for (const [i, mode] of (['full', 'lora', 'qlora'] as const).entries()) {
      expect(ch.inits[i].options).toEqual(comparisonOptions(mode, { steps: 5, seed: 2 }));
      expect(ch.inits[i].texts).toBe(texts);
      ch.report(mode, 'idle', 0); // the new trainer's first snapshot arrives before init resolves
      ch.inits[i].resolve();
      await flush();
      expect(comparisonPhase(e.getSnapshot())).toBe(mode);
      ch.report(mode, 'running', 3);
      expect(e.getSnapshot().current?.step).toBe(3);
      expect(shownRuns(e.getSnapshot()).map((s) => s.mode)).toEqual([...['full', 'lora', 'qlora'].slice(0, i), mode]);
      ch.report(mode, 'done', 5);
    }
    await running;
    expect(ch.log).toEqual(['init full', 'start', 'init lora', 'start', 'init qlora', 'start']);
    expect(comparisonPhase(e.getSnapshot())).toBe('done');
    expect(e.getSnapshot().results.map((s) => [s.mode, s.step])).toEqual([['full', 5], ['lora', 5], ['qlora', 5]]);
    expect(shownRuns(e.getSnapshot())).toHaveLength(3);
  });

  it('does not take an earlier run of the same mode for the new one', async () => {
    const { ch, e } = await started();
    ch.report('full', 'done', 5); // left from before: init has not resolved
    expect(ch.inits).toHaveLength(1);
    expect(e.getSnapshot().results).toHaveLength(0);
    ch.report('full', 'idle', 0);
    ch.inits[0].resolve();
    await flush();
    expect(ch.inits).toHaveLength(1);
    expect(comparisonPhase(e.getSnapshot())).toBe('full');
  });

  it('ends with the error of a run that fails, of the worker, or of loading the data', async () => {
    const a = await started();
    a.ch.inits[0].resolve();
    await flush();
    a.ch.report('full', 'error', 1, 'out of memory');
    expect(a.e.getSnapshot()).toMatchObject({ phase: null, error: 'out of memory' });

    const b = await started();
    b.ch.inits[0].resolve();
    await flush();
    b.ch.fail('The device was lost.');
    expect(b.e.getSnapshot()).toMatchObject({ phase: null, error: 'The device was lost.' });

    const c = await started();
    c.ch.inits[0].reject(new Error('Could not load the model'));
    await flush();
    expect(c.e.getSnapshot()).toMatchObject({ phase: null, error: 'Could not load the model' });

    const ch = new FakeChannel();
    const e = new FineTuneComparisonEngine(ch, () => Promise.reject(new Error('Could not load /datasets/kjv-lines/train.txt')));
    await e.run({ dataset: 'kjv-lines', steps: 5, seed: 1 });
    expect(e.getSnapshot()).toMatchObject({ phase: null, error: 'Could not load /datasets/kjv-lines/train.txt' });
    expect(ch.inits).toHaveLength(0);
  });

  it('stop ends the comparison, keeps the finished runs, and a run started before it never starts', async () => {
    const { ch, e } = await started();
    ch.inits[0].resolve();
    await flush();
    ch.report('full', 'done', 5);
    expect(comparisonPhase(e.getSnapshot())).toBe('lora');
    e.stop();
    ch.inits[1].resolve(); // the LoRA init answers after the stop
    await flush();
    expect(ch.log).toEqual(['init full', 'start', 'init lora', 'stop']);
    expect(comparisonPhase(e.getSnapshot())).toBe('idle');
    expect(e.getSnapshot().results.map((s) => s.mode)).toEqual(['full']);
  });
});
