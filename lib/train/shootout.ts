/**
 * The PTQ-against-QAT shoot-out (docs/design.md rule 6, an engine): for each chosen bit width, the
 * tiny model's Linear weights on one grid — affine (min/max including 0), one range per output row —
 * quantized three ways and scored on the same held-out windows:
 *
 * 1. PTQ round-to-nearest (lib/quant gptqRoundToNearest),
 * 2. PTQ GPTQ on the same grid, calibrated on text from the training split (Frantar et al. 2022),
 * 3. QAT: full fine-tuning from the pretrained weights with every Linear weight fake-quantized on
 *    that grid in the forward pass (./qat, the trainer's 'qat' mode), trained on the same
 *    training-split text in the page's training worker for a fixed step budget.
 *
 * Loss is the mean cross-entropy in nats per character (lib/model/eval crossEntropy), perplexity
 * exp(loss). At step 0 the QAT model's forward pass is exactly the round-to-nearest model, so its
 * step-0 held-out loss equals PTQ RTN's on the same windows (docs/numerics.md,
 * "Quantization-aware training"). The PTQ side is injected (ShootoutPtq; ./shootout-ptq scores it
 * in the page), the QAT side is a training channel (./worker-client TrainerChannel), so the
 * sequencing is testable with fakes.
 */
import { errorMessage } from '../errors';
import { createStore, type Store } from '../store';
import type { ComparisonChannel } from './comparison';
import type { TrainingTexts } from './datasets';
import type { QatOptions } from './qat';
import { COMPARISON_RECIPE, trainerOptions } from './recipes';
import type { LossPoint, TrainerOptions, TrainerSnapshot } from './trainer';

/** Bit widths a learner can compare, widest first. */
export const SHOOTOUT_BITS = [8, 4, 3, 2] as const;
/** QAT step budgets offered (each bit width trains this many steps). */
export const SHOOTOUT_STEPS = [4, 10, 20, 40, 100, 200, 400] as const;
/** QAT's learning rates offered (AdamW, constant), as written in the URL; 1e-4 by default: the comparison recipe's full fine-tuning rate 3e-4 (./recipes) moves every weight by about the rate at Adam's first steps, which on the shipped model at 4 bits costs more than it recovers in a few steps. */
export const SHOOTOUT_LRS = ['3e-5', '1e-4', '3e-4', '1e-3'] as const;
export const SHOOTOUT_DEFAULT_LR = '1e-4';
/** Bounds of the held-out windows (of the model's 128 characters) every method is scored on. */
export const SHOOTOUT_WINDOWS = { min: 4, max: 64, default: 16 } as const;
/** Calibration windows GPTQ's Hessians are captured over (lib/model/methods-engine CALIBRATION_WINDOWS). */
export const SHOOTOUT_CALIBRATION_WINDOWS = 16;

export type PtqMethod = 'rtn' | 'mse' | 'gptq';
export type ShootoutMethod = 'fp32' | PtqMethod | 'qat';

export const SHOOTOUT_METHOD_LABELS: Readonly<Record<ShootoutMethod, string>> = {
  fp32: 'FP32 (not quantized)',
  rtn: 'PTQ: round to nearest',
  mse: 'PTQ: MSE-clipped rows',
  gptq: 'PTQ: GPTQ',
  qat: 'QAT: trained on the grid',
};

/** The same, short, for the results table's narrow column. */
export const SHOOTOUT_METHOD_SHORT: Readonly<Record<ShootoutMethod, string>> = { fp32: 'FP32', rtn: 'PTQ RTN', mse: 'PTQ MSE', gptq: 'PTQ GPTQ', qat: 'QAT' };

export interface ShootoutSettings {
  /** Bit widths, any of SHOOTOUT_BITS. */
  bits: readonly number[];
  /** QAT steps per bit width. */
  steps: number;
  /** Held-out windows every method is scored on. */
  windows: number;
  /** QAT's learning rate. */
  lr: number;
  seed: number;
}

/** The page-side PTQ scorer (./shootout-ptq createShootoutPtq). */
export interface ShootoutPtq {
  /**
   * Loads the model and GPTQ's calibration and scores FP32 on `windows` held-out windows.
   * `bytes` is the float32 model's size, `hessianBytes` GPTQ's calibration Hessians, `calibrationMs` the capture's time.
   */
  prepare(windows: number): Promise<{ fp32Loss: number; bytes: number; hessianBytes: number; calibrationMs: number }>;
  /** Quantizes every Linear weight by `method` at `bits` (per-row affine grid) and scores it; `ms` is the quantization's wall time. */
  quantize(method: PtqMethod, bits: number): Promise<{ loss: number; ms: number }>;
}

export interface ShootoutDeps {
  channel: ComparisonChannel;
  ptq: ShootoutPtq;
  /** QAT's texts: train = the training split's calibration text, heldout = the held-out text. */
  texts: () => Promise<TrainingTexts>;
  /** Milliseconds (performance.now in the page). */
  now: () => number;
}

export interface PtqResult {
  bits: number;
  method: PtqMethod;
  loss: number;
  ms: number;
}

export interface QatRun {
  bits: number;
  /** The run's latest snapshot (null until the worker reports it). */
  snapshot: TrainerSnapshot | null;
  /** Wall time from start() to the last step's evaluation, ms; null while it runs. */
  wallMs: number | null;
}

export interface ShootoutSnapshot {
  stage: 'idle' | 'ptq' | 'qat' | 'done' | 'stopped';
  /** The bit width being worked on. */
  active: number | null;
  /** The settings of the latest run (null before the first). */
  settings: ShootoutSettings | null;
  fp32: { loss: number; bytes: number; hessianBytes: number; calibrationMs: number } | null;
  ptq: readonly PtqResult[];
  qat: readonly QatRun[];
  error: string | null;
}

export const INITIAL_SHOOTOUT: ShootoutSnapshot = { stage: 'idle', active: null, settings: null, fp32: null, ptq: [], qat: [], error: null };

/** The shared grid: `bits`, affine min/max including 0, one range per output row, weights only (symmetric false, no LSQ). */
export function shootoutGrid(bits: number): QatOptions {
  return { bits, groupSize: -1, symmetric: false, lsq: false, activations: 'none', activationBits: 8 };
}

/**
 * The QAT run's trainer options: the training recipe's loop (./recipes LOOP: batches of 8, clip 1,
 * no weight decay) at learning rate `lr`, windows of the model's own length (so its held-out windows are the page's, eval.ts
 * evalWindows), held-out loss at about 8 points of the run.
 */
export function shootoutTrainerOptions(bits: number, s: Pick<ShootoutSettings, 'steps' | 'windows' | 'seed' | 'lr'>): TrainerOptions {
  const base = trainerOptions({ mode: 'qat', ...COMPARISON_RECIPE, steps: s.steps, seed: s.seed });
  return { ...base, lr: s.lr, qat: shootoutGrid(bits), blockSize: undefined, evalEvery: Math.max(1, Math.ceil(s.steps / 8)), evalWindows: s.windows };
}

/** Throws a RangeError naming the first setting the shoot-out cannot run. */
export function checkShootoutSettings(s: ShootoutSettings): void {
  if (s.bits.length === 0) throw new RangeError('Choose at least one bit width to compare.');
  const bad = s.bits.find((b) => !(SHOOTOUT_BITS as readonly number[]).includes(b));
  if (bad !== undefined) throw new RangeError(`The bit widths offered are ${SHOOTOUT_BITS.join(', ')}, got ${bad}.`);
  if (!Number.isSafeInteger(s.steps) || s.steps < 1) throw new RangeError(`QAT needs a whole number of steps ≥ 1, got ${s.steps}.`);
  if (!(s.lr > 0 && s.lr <= 1e-2)) throw new RangeError(`QAT's learning rate must be above 0 and at most 0.01, got ${s.lr}.`);
  if (!Number.isSafeInteger(s.windows) || s.windows < SHOOTOUT_WINDOWS.min || s.windows > SHOOTOUT_WINDOWS.max) {
    throw new RangeError(`Held-out windows must be a whole number from ${SHOOTOUT_WINDOWS.min} to ${SHOOTOUT_WINDOWS.max}, got ${s.windows}.`);
  }
}

/** QAT's held-out loss at step 0 (before training: the RTN model), or null before it is measured. */
export function qatStartLoss(run: QatRun): number | null {
  return run.snapshot?.heldoutLoss.find((p) => p.step === 0)?.loss ?? null;
}

/** QAT's held-out loss after its last step, or null until the run is done. */
export function qatFinalLoss(run: QatRun): number | null {
  const s = run.snapshot;
  if (!s || s.state !== 'done') return null;
  return s.heldoutLoss.find((p) => p.step === s.maxSteps)?.loss ?? null;
}

export interface ShootoutRow {
  key: string;
  bits: number | null;
  method: ShootoutMethod;
  /** Held-out loss, nats per character, and its perplexity exp(loss). */
  loss: number;
  perplexity: number;
  /** What the method cost: wall time, ms (null for FP32), and what it held in memory, bytes. */
  ms: number | null;
  bytes: number;
}

/**
 * The results table: FP32, then per bit width (widest first) RTN, GPTQ and finished QAT runs.
 * Memory: the float32 model for RTN; plus the calibration Hessians for GPTQ; the trainer's ledger
 * (weights, gradients, AdamW's m and v: lib/train/trainer MemoryLedger.totalBytes) for QAT.
 */
export function shootoutRows(s: ShootoutSnapshot): ShootoutRow[] {
  if (!s.fp32) return [];
  const fp = s.fp32;
  const row = (bits: number | null, method: ShootoutMethod, loss: number, ms: number | null, bytes: number): ShootoutRow => ({ key: `${bits ?? 'fp32'}/${method}`, bits, method, loss, perplexity: Math.exp(loss), ms, bytes });
  const rows = [row(null, 'fp32', fp.loss, null, fp.bytes)];
  const bits = [...new Set([...s.ptq.map((r) => r.bits), ...s.qat.map((r) => r.bits)])].sort((a, b) => b - a);
  for (const b of bits) {
    for (const r of s.ptq.filter((p) => p.bits === b)) rows.push(row(b, r.method, r.loss, r.ms, r.method === 'gptq' ? fp.bytes + fp.hessianBytes : fp.bytes));
    for (const q of s.qat.filter((p) => p.bits === b)) {
      const loss = qatFinalLoss(q);
      if (loss !== null && q.snapshot) rows.push(row(b, 'qat', loss, q.wallMs, q.snapshot.memory.totalBytes));
    }
  }
  return rows;
}

/** Held-out loss against bits, one series per method (points {step: bits, loss}), for components/charts/LossChart. */
export function lossByBits(s: ShootoutSnapshot): Record<PtqMethod | 'qat', LossPoint[]> {
  const rows = shootoutRows(s);
  const pts = (m: ShootoutMethod) => rows.filter((r) => r.method === m && r.bits !== null).map((r) => ({ step: r.bits!, loss: r.loss })).sort((a, b) => a.step - b.step);
  return { rtn: pts('rtn'), mse: pts('mse'), gptq: pts('gptq'), qat: pts('qat') };
}

/** The PTQ level a QAT run at `bits` starts from / is measured against, or null before it is scored. */
export function ptqLevel(s: ShootoutSnapshot, bits: number, method: PtqMethod): number | null {
  return s.ptq.find((r) => r.bits === bits && r.method === method)?.loss ?? null;
}

export class ShootoutEngine {
  private readonly store: Store<ShootoutSnapshot> = createStore(INITIAL_SHOOTOUT);
  private readonly unsubscribe: () => void;
  /** Counts runs started: work of an earlier one (stopped meanwhile) is dropped. */
  private generation = 0;
  /** True once the current QAT run was started (its init resolved). */
  private launched = false;
  private startedAt = 0;
  private texts: TrainingTexts | null = null;

  constructor(private readonly deps: ShootoutDeps) {
    this.unsubscribe = deps.channel.subscribe(() => this.onChannel());
  }

  readonly subscribe = (listener: () => void) => this.store.subscribe(listener);
  readonly getSnapshot = () => this.store.getSnapshot();

  private patch(p: Partial<ShootoutSnapshot>) {
    this.store.set({ ...this.store.getSnapshot(), ...p });
  }

  /** Runs the shoot-out: FP32, then RTN and GPTQ at every bit width, then QAT at each in turn. Resolves once QAT's first run has started. */
  async start(settings: ShootoutSettings): Promise<void> {
    const gen = ++this.generation;
    this.launched = false;
    const bits = [...settings.bits].sort((a, b) => b - a);
    this.store.set({ ...INITIAL_SHOOTOUT, stage: 'ptq', settings: { ...settings, bits } });
    try {
      checkShootoutSettings(settings);
      const [fp32, texts] = await Promise.all([this.deps.ptq.prepare(settings.windows), this.deps.texts()]);
      if (gen !== this.generation) return;
      this.texts = texts;
      this.patch({ fp32: { loss: fp32.fp32Loss, bytes: fp32.bytes, hessianBytes: fp32.hessianBytes, calibrationMs: fp32.calibrationMs } });
      for (const b of bits) {
        for (const method of ['rtn', 'mse', 'gptq'] as const) {
          this.patch({ active: b });
          const r = await this.deps.ptq.quantize(method, b);
          if (gen !== this.generation) return;
          this.patch({ ptq: [...this.getSnapshot().ptq, { bits: b, method, loss: r.loss, ms: r.ms }] });
        }
      }
      this.patch({ stage: 'qat' });
      await this.launch(0, gen);
    } catch (e) {
      this.fail(gen, errorMessage(e));
    }
  }

  /** Stops the run in progress; what has finished stays. */
  stop(): void {
    if (this.getSnapshot().stage !== 'ptq' && this.getSnapshot().stage !== 'qat') return;
    this.generation++;
    this.launched = false;
    this.deps.channel.stop();
    this.patch({ stage: 'stopped', active: null });
  }

  /** Stops and forgets every result. */
  reset(): void {
    this.stop();
    this.generation++;
    this.store.set(INITIAL_SHOOTOUT);
  }

  private fail(gen: number, error: string) {
    if (gen !== this.generation) return;
    this.launched = false;
    this.deps.channel.stop();
    this.patch({ stage: 'stopped', active: null, error });
  }

  private async launch(index: number, gen: number): Promise<void> {
    const settings = this.getSnapshot().settings!;
    const bits = settings.bits[index];
    this.launched = false;
    this.patch({ active: bits, qat: [...this.getSnapshot().qat, { bits, snapshot: null, wallMs: null }] });
    await this.deps.channel.init(this.texts!, shootoutTrainerOptions(bits, settings));
    if (gen !== this.generation) return;
    this.launched = true;
    this.startedAt = this.deps.now();
    this.deps.channel.start();
    this.onChannel();
  }

  private setCurrent(run: QatRun) {
    const qat = [...this.getSnapshot().qat];
    qat[qat.length - 1] = run;
    this.patch({ qat });
  }

  /** Follows the current QAT run; when it is done, times it and starts the next bit width. */
  private onChannel(): void {
    const { stage, qat, settings } = this.getSnapshot();
    if (stage !== 'qat' || !this.launched || !settings) return;
    const { snapshot, error } = this.deps.channel.getSnapshot();
    if (error !== null) return this.fail(this.generation, error);
    if (!snapshot || snapshot.mode !== 'qat') return;
    const run = qat[qat.length - 1];
    if (snapshot.state === 'error') return this.fail(this.generation, snapshot.error ?? 'The QAT run failed.');
    if (snapshot.state !== 'done') {
      if (snapshot !== run.snapshot) this.setCurrent({ ...run, snapshot });
      return;
    }
    this.launched = false;
    this.setCurrent({ ...run, snapshot, wallMs: this.deps.now() - this.startedAt });
    const next = qat.length;
    if (next >= settings.bits.length) {
      this.patch({ stage: 'done', active: null });
      return;
    }
    const gen = this.generation;
    this.launch(next, gen).catch((e: unknown) => this.fail(gen, errorMessage(e)));
  }

  /** Stops following the channel (the channel itself belongs to the widget). */
  dispose(): void {
    this.generation++;
    this.unsubscribe();
  }
}

export interface StartCheck {
  bits: number;
  /** QAT's held-out loss at step 0 and PTQ RTN's, nats per character; gap = |qatStart − rtn|. */
  qatStart: number;
  rtn: number;
  gap: number;
}

/**
 * The cross-check at each bit width with both numbers: at step 0 QAT's forward pass is the
 * round-to-nearest model (same grid, same weights), scored on the same held-out windows, so the gap
 * should be float32 noise (the trainer scores on its worker's backend in chunks of 16 windows, the
 * page on its own in one pass).
 */
export function startChecks(s: ShootoutSnapshot): StartCheck[] {
  const out: StartCheck[] = [];
  for (const run of s.qat) {
    const qatStart = qatStartLoss(run);
    const rtn = ptqLevel(s, run.bits, 'rtn');
    if (qatStart !== null && rtn !== null) out.push({ bits: run.bits, qatStart, rtn, gap: Math.abs(qatStart - rtn) });
  }
  return out;
}

export interface CostLine {
  bits: number;
  /** QAT's wall time, ms, and its trainer's memory ledger total, bytes. */
  qatMs: number;
  qatBytes: number;
  /** What the QAT worker's backend held on the device at the end, as tfjs counts it (allocated, else in use; null on the CPU). */
  deviceBytes: number | null;
  /** GPTQ's quantization time plus the calibration capture it needs, ms. */
  gptqMs: number;
  rtnMs: number;
  /** qatMs / gptqMs: how many times longer QAT took than GPTQ (capture included). */
  timesGptq: number;
}

/** What each finished QAT run cost against PTQ at the same bit width (times measured by the engine and the scorer). */
export function costLines(s: ShootoutSnapshot): CostLine[] {
  const out: CostLine[] = [];
  for (const run of s.qat) {
    const rtn = s.ptq.find((r) => r.bits === run.bits && r.method === 'rtn');
    const gptq = s.ptq.find((r) => r.bits === run.bits && r.method === 'gptq');
    if (run.wallMs === null || !run.snapshot || !rtn || !gptq || !s.fp32) continue;
    const gptqMs = gptq.ms + s.fp32.calibrationMs;
    out.push({ bits: run.bits, qatMs: run.wallMs, qatBytes: run.snapshot.memory.totalBytes, deviceBytes: run.snapshot.device?.allocated ?? run.snapshot.device?.inUse ?? null, gptqMs, rtnMs: rtn.ms, timesGptq: run.wallMs / Math.max(gptqMs, 1e-9) });
  }
  return out;
}
