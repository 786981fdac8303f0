/**
 * The fine-tuning comparison (docs/design.md rule 6, an engine): full fine-tuning, LoRA on an FP32
 * base and QLoRA on an NF4 + DQ base, one after the other on the same data, seed and step budget
 * (./recipes COMPARISON_RECIPE) — a miniature of the QLoRA paper's comparison (Dettmers et al.
 * 2023). Each run is a Trainer in the page's training worker, driven through a channel
 * (./worker-client); when the current run is done its final snapshot is kept and the next one is
 * started. The channel pauses the runs while the widget is off screen.
 */
import { errorMessage } from '../errors';
import { createStore, type Store } from '../store';
import type { ShippedDataset, TrainingTexts } from './datasets';
import { COMPARED_MODES, type TrainMode } from './modes';
import { COMPARISON_RECIPE, trainerOptions } from './recipes';
import type { TrainerOptions, TrainerSnapshot } from './trainer';

/** What the comparison needs of a training channel (TrainerChannel has it). */
export interface ComparisonChannel {
  subscribe(listener: () => void): () => void;
  getSnapshot(): { snapshot: TrainerSnapshot | null; error: string | null };
  init(texts: TrainingTexts, options: TrainerOptions): Promise<void>;
  start(): void;
  stop(): void;
}

/** A type, not an interface, so that it can be kept in the URL (lib/url/widget-state). */
export type ComparisonSettings = {
  dataset: ShippedDataset;
  /** Steps of each run. */
  steps: number;
  seed: number;
};

export interface ComparisonSnapshot {
  /** The mode being trained (an index into COMPARED_MODES), or null when no comparison runs. */
  phase: number | null;
  /** The finished runs' final snapshots, in COMPARED_MODES order. */
  results: readonly TrainerSnapshot[];
  /** The current run's latest snapshot, once the channel reports one for its mode. */
  current: TrainerSnapshot | null;
  error: string | null;
}

export const INITIAL_COMPARISON: ComparisonSnapshot = { phase: null, results: [], current: null, error: null };

/** The runs to show: the finished ones and the current one while it runs. */
export function shownRuns(s: ComparisonSnapshot): TrainerSnapshot[] {
  return [...s.results, ...(s.current && s.current.state !== 'done' ? [s.current] : [])];
}

/** 'idle', the mode being trained, or 'done' once all three have finished. */
export function comparisonPhase(s: ComparisonSnapshot): TrainMode | 'done' | 'idle' {
  if (s.phase !== null) return COMPARED_MODES[s.phase];
  return s.results.length === COMPARED_MODES.length ? 'done' : 'idle';
}

/** The trainer options of one run of the comparison. */
export function comparisonOptions(mode: TrainMode, s: Pick<ComparisonSettings, 'steps' | 'seed'>): TrainerOptions {
  return trainerOptions({ mode, ...COMPARISON_RECIPE, steps: s.steps, seed: s.seed });
}

export class FineTuneComparisonEngine {
  private readonly store: Store<ComparisonSnapshot> = createStore(INITIAL_COMPARISON);
  private readonly unsubscribe: () => void;
  /** Counts comparisons started: work of an earlier one (stopped meanwhile) is dropped. */
  private generation = 0;
  /** True once the current phase's run was started (its init resolved). */
  private launched = false;
  private settings: ComparisonSettings | null = null;
  private texts: TrainingTexts | null = null;

  /** `loadTexts` fetches a shipped set (./datasets fetchDataset). */
  constructor(private readonly channel: ComparisonChannel, private readonly loadTexts: (dataset: ShippedDataset) => Promise<TrainingTexts>) {
    this.unsubscribe = channel.subscribe(() => this.onChannel());
  }

  readonly subscribe = (listener: () => void) => this.store.subscribe(listener);
  readonly getSnapshot = () => this.store.getSnapshot();

  private patch(p: Partial<ComparisonSnapshot>) {
    this.store.set({ ...this.store.getSnapshot(), ...p });
  }

  /** Runs the three in turn (full, LoRA, QLoRA); resolves once the first has started. */
  async run(settings: ComparisonSettings): Promise<void> {
    const gen = ++this.generation;
    this.settings = settings;
    this.launched = false;
    this.patch({ error: null, results: [], current: null, phase: null });
    try {
      const texts = await this.loadTexts(settings.dataset);
      if (gen !== this.generation) return;
      this.texts = texts;
      this.patch({ phase: 0 });
      await this.launch(0, gen);
    } catch (e) {
      this.fail(gen, errorMessage(e));
    }
  }

  /** Stops the current run; the finished runs stay. */
  stop(): void {
    this.generation++;
    this.launched = false;
    this.channel.stop();
    this.patch({ phase: null });
  }

  private fail(gen: number, error: string | null) {
    if (gen !== this.generation) return;
    this.launched = false;
    this.patch({ phase: null, error });
  }

  private async launch(phase: number, gen: number): Promise<void> {
    this.launched = false;
    await this.channel.init(this.texts!, comparisonOptions(COMPARED_MODES[phase], this.settings!));
    if (gen !== this.generation) return;
    this.launched = true;
    this.channel.start();
    this.onChannel();
  }

  /** Follows the current run: keeps its snapshot, and when it is done starts the next mode. */
  private onChannel(): void {
    const { phase } = this.getSnapshot();
    if (phase === null) return;
    const { snapshot, error } = this.channel.getSnapshot();
    const current = snapshot && snapshot.mode === COMPARED_MODES[phase] ? snapshot : null;
    if (current !== this.getSnapshot().current) this.patch({ current });
    if (!this.launched) return;
    if (error !== null) return this.fail(this.generation, error); // the worker failed (a lost device)
    if (!current) return;
    if (current.state === 'error') return this.fail(this.generation, current.error);
    if (current.state !== 'done') return;
    const results = [...this.getSnapshot().results, current];
    const next = phase + 1;
    const gen = this.generation;
    this.launched = false;
    if (next >= COMPARED_MODES.length) {
      this.patch({ results, current: null, phase: null });
      return;
    }
    this.patch({ results, current: null, phase: next });
    this.launch(next, gen).catch((e: unknown) => this.fail(gen, errorMessage(e)));
  }

  /** Stops following the channel (the channel itself belongs to the widget). */
  dispose(): void {
    this.generation++;
    this.unsubscribe();
  }
}
