/**
 * QLoRA's starting point, zero-B against LoftQ (docs/numerics.md, "LoftQ initialisation"; Li et al.
 * 2023): three runs in the page's training worker, one after the other on the same texts, seed and
 * steps — the float32 model itself (LoRA with B = 0, no steps: the reference the two QLoRA starts
 * approximate), QLoRA with PEFT's zero-B start (NF4 base, A Kaiming, B = 0), and QLoRA with LoftQ's
 * start (the NF4 base and A, B fitted to the quantization error, TrainerOptions.loraInit 'loftq').
 * Each run's start-up time is the channel's init (building the Trainer, LoftQ's SVDs included, and
 * its step-0 held-out evaluation), so LoftQ's extra start-up is the difference from zero-B's.
 */
import { errorMessage } from '../errors';
import { createStore, type Store } from '../store';
import type { ShippedDataset, TrainingTexts } from './datasets';
import { COMPARISON_RECIPE, trainerOptions } from './recipes';
import type { TrainerOptions, TrainerSnapshot } from './trainer';

/** What the engine needs of a training channel (TrainerChannel has it). */
export interface LoftqChannel {
  subscribe(listener: () => void): () => void;
  getSnapshot(): { snapshot: TrainerSnapshot | null; error: string | null };
  init(texts: TrainingTexts, options: TrainerOptions): Promise<void>;
  start(): void;
  stop(): void;
}

/** 'model': the tiny model's own held-out text (what both starts approximate); or a fine-tuning set. */
export type LoftqText = 'model' | ShippedDataset;

/** A type, not an interface, so it can be kept in the URL (lib/url/widget-state). */
export type LoftqSettings = { text: LoftqText; steps: number; seed: number };

export const LOFTQ_RUNS = ['fp32', 'zero', 'loftq'] as const;
export type LoftqRunKey = (typeof LOFTQ_RUNS)[number];
export const LOFTQ_RUN_LABELS: Readonly<Record<LoftqRunKey, string>> = { fp32: 'Float32 model (reference)', zero: 'QLoRA, zero-B start', loftq: 'QLoRA, LoftQ start' };
/** Held-out windows each evaluation reads (more than the trainer widget's 8: the two starts differ by little). */
export const LOFTQ_EVAL_WINDOWS = 32;
/** Held-out evaluations over a run (besides step 0). */
export const LOFTQ_EVALS = 5;

/** The trainer options of one run: QLoRA's recipe (COMPARISON_RECIPE), `steps` steps (0 for the float32 reference). */
export function loftqRunOptions(key: LoftqRunKey, s: Pick<LoftqSettings, 'steps' | 'seed'>): TrainerOptions {
  const steps = key === 'fp32' ? 0 : s.steps;
  const o = trainerOptions({ mode: key === 'fp32' ? 'lora' : 'qlora', ...COMPARISON_RECIPE, steps, seed: s.seed });
  return { ...o, evalEvery: Math.max(1, Math.round(s.steps / LOFTQ_EVALS)), evalWindows: LOFTQ_EVAL_WINDOWS, ...(key === 'loftq' ? { loraInit: 'loftq' as const } : {}) };
}

/** The model's held-out text split for training: the first three quarters to train on, the last quarter held out. */
export function splitModelText(text: string): TrainingTexts {
  const cut = Math.floor(text.length * 0.75);
  return { train: text.slice(0, cut), heldout: text.slice(cut) };
}

export interface LoftqRun {
  key: LoftqRunKey;
  /** Wall time of the channel's init: building the Trainer and its step-0 evaluation, ms. */
  initMs: number;
  /** Held-out loss at step 0, nats per character. */
  startLoss: number;
  snapshot: TrainerSnapshot;
}

export interface LoftqSnapshot {
  /** The run in progress, or null. */
  phase: LoftqRunKey | null;
  /** 'starting' while the current run's Trainer is built. */
  stage: 'idle' | 'starting' | 'training';
  runs: readonly LoftqRun[];
  current: TrainerSnapshot | null;
  error: string | null;
}

export const INITIAL_LOFTQ: LoftqSnapshot = { phase: null, stage: 'idle', runs: [], current: null, error: null };

/** LoftQ's start-up time beyond zero-B's (ms), once both have run. */
export function loftqExtraMs(runs: readonly LoftqRun[]): number | null {
  const z = runs.find((r) => r.key === 'zero');
  const l = runs.find((r) => r.key === 'loftq');
  return z && l ? l.initMs - z.initMs : null;
}

export class LoftqStartEngine {
  private readonly store: Store<LoftqSnapshot> = createStore(INITIAL_LOFTQ);
  private generation = 0;
  private cancelWait: (() => void) | null = null;

  constructor(
    private readonly channel: LoftqChannel,
    private readonly loadTexts: (text: LoftqText) => Promise<TrainingTexts>,
    private readonly now: () => number = () => performance.now(),
  ) {}

  readonly subscribe = (listener: () => void) => this.store.subscribe(listener);
  readonly getSnapshot = () => this.store.getSnapshot();

  private patch(gen: number, p: Partial<LoftqSnapshot>): boolean {
    if (gen !== this.generation) return false;
    this.store.set({ ...this.store.getSnapshot(), ...p });
    return true;
  }

  /** Runs the three in turn (float32 reference, zero-B, LoftQ); resolves when all are done, stopped or failed. */
  async run(s: LoftqSettings): Promise<void> {
    this.cancelWait?.();
    const gen = ++this.generation;
    this.patch(gen, { ...INITIAL_LOFTQ, phase: LOFTQ_RUNS[0], stage: 'starting' });
    try {
      const texts = await this.loadTexts(s.text);
      const runs: LoftqRun[] = [];
      for (const key of LOFTQ_RUNS) {
        if (!this.patch(gen, { phase: key, stage: 'starting', current: null })) return;
        const t0 = this.now();
        await this.channel.init(texts, loftqRunOptions(key, s));
        const initMs = this.now() - t0;
        if (!this.patch(gen, { stage: 'training' })) return;
        this.channel.start();
        const snapshot = await this.finished(gen);
        if (!snapshot) return;
        const start = snapshot.heldoutLoss.find((p) => p.step === 0);
        if (!start) throw new Error('The run reported no held-out loss at step 0.');
        runs.push({ key, initMs, startLoss: start.loss, snapshot });
        this.patch(gen, { runs: [...runs], current: null });
      }
      this.patch(gen, { phase: null, stage: 'idle' });
    } catch (e) {
      this.patch(gen, { phase: null, stage: 'idle', error: errorMessage(e) });
    }
  }

  /** The current run's final snapshot once it is done; null if the comparison was stopped meanwhile. */
  private finished(gen: number): Promise<TrainerSnapshot | null> {
    return new Promise((resolve, reject) => {
      let off = () => {};
      const end = (f: () => void) => {
        off();
        this.cancelWait = null;
        f();
      };
      const check = () => {
        if (gen !== this.generation) return end(() => resolve(null));
        const { snapshot, error } = this.channel.getSnapshot();
        if (error !== null) return end(() => reject(new Error(error)));
        if (!snapshot) return;
        if (snapshot !== this.getSnapshot().current) this.patch(gen, { current: snapshot });
        if (snapshot.state === 'error') end(() => reject(new Error(snapshot.error ?? 'The run failed.')));
        else if (snapshot.state === 'done') end(() => resolve(snapshot));
      };
      this.cancelWait = () => end(() => resolve(null));
      off = this.channel.subscribe(check);
      check();
    });
  }

  /** Stops the current run; the finished runs stay. */
  stop(): void {
    const gen = ++this.generation;
    this.cancelWait?.();
    this.channel.stop();
    this.patch(gen, { phase: null, stage: 'idle', current: null });
  }

  /** Stops following the channel (the channel itself belongs to the widget). */
  dispose(): void {
    this.generation++;
    this.cancelWait?.();
  }
}
