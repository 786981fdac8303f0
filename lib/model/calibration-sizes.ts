/**
 * How much calibration text GPTQ needs: the tiny model quantized by GPTQ with Hessians from
 * calibration sets of increasing size (1, 2, 4, … windows of block_size characters from the training
 * split), each scored on held-out text against FP32, beside round-to-nearest (which reads no
 * calibration). docs/numerics.md, "Beyond round-to-nearest".
 *
 * One capture serves every size: the windows are spread through the text in a nested order (the
 * first k of the largest set are themselves spread through it, nestedCalibrationWindows), and the
 * capture hands over its statistics after each size (activations.ts `snapshotsAt`), so the set of k
 * windows is the first k windows of the largest and its Hessian (2/n_k) Σ xxᵀ is what a separate
 * capture over those k windows gives.
 */
import type { Compute, Tfjs } from '../compute';
import { errorMessage } from '../errors';
import { createStore, type Store } from '../store';
import { calibrationWindows, captureLinearInputs, type CaptureOptions, type LinearInputStats, type ModelCalibration } from './activations';
import { encodeText } from './config';
import { createFloat32Store } from './float32-store';
import type { TinyLMWeights } from './load';
import { heldoutWindows, scoreFp32, scoreReplaced } from './methods-engine';
import { TinyLM } from './tiny-lm';
import { quantizeLinears, type MethodSetting, type WeightMethod } from './weight-methods';

/**
 * The order 0, n/2, n/4, 3n/4, … (van der Corput: index i's base-2 digits reversed, as a fraction of
 * n) over 0..n−1, each index once: every prefix is spread through the range.
 */
export function nestedOrder(n: number): number[] {
  if (!Number.isInteger(n) || n < 1) throw new RangeError(`The number of windows must be a whole number ≥ 1, got ${n}.`);
  const seen = new Set<number>();
  const out: number[] = [];
  for (let i = 0; out.length < n; i++) {
    let f = 0;
    for (let b = 0.5, k = i; k > 0; k >>= 1, b /= 2) if (k & 1) f += b;
    const j = Math.floor(f * n);
    if (!seen.has(j)) {
      seen.add(j);
      out.push(j);
    }
  }
  return out;
}

/** calibrationWindows (evenly spread) put in nestedOrder: the first k are spread through the text too. */
export function nestedCalibrationWindows(ids: readonly number[], length: number, count: number): number[][] {
  const w = calibrationWindows(ids, length, count);
  return nestedOrder(count).map((i) => w[i]);
}

/**
 * The FP32 model's Linear inputs over the first k of `max(sizes)` nested windows of block_size
 * tokens from `calibrationText`, for every k in `sizes` — one pass (activations.ts captureLinearInputs
 * with snapshotsAt), with GPTQ's Hessian. Returned in the order of `sizes` sorted ascending.
 */
export async function calibrateSizes(tf: Tfjs, weights: TinyLMWeights, calibrationText: string, sizes: readonly number[], o: Pick<CaptureOptions, 'batch' | 'onProgress'> = {}): Promise<ModelCalibration[]> {
  const { config, values, shapes } = weights;
  const sorted = [...new Set(sizes)].sort((a, b) => a - b);
  if (sorted.length === 0) throw new RangeError('Give at least one calibration size.');
  const windows = nestedCalibrationWindows(encodeText(config, calibrationText).ids, config.block_size, sorted[sorted.length - 1]);
  const model = new TinyLM(tf, config, createFloat32Store(tf, values, shapes));
  const t0 = performance.now();
  const out: ModelCalibration[] = [];
  try {
    await captureLinearInputs(tf, model, windows, {
      ...o,
      hessian: true,
      snapshotsAt: sorted,
      onSnapshot: (k, stats) => out.push({ config, values, shapes, stats, windows: k, captureMs: performance.now() - t0 }),
    });
  } finally {
    model.dispose();
  }
  return out;
}

/** A type, not an interface, so it can be kept in the URL (lib/url/widget-state). */
export type CalibrationSizeSettings = {
  bits: number;
  /** Columns per group, or −1 for one scale per row. */
  groupSize: number;
  /** The largest calibration set, in windows; the sizes are 1, 2, 4, … up to it. */
  maxWindows: number;
  /** Held-out windows scored. */
  heldout: number;
};

/** Characters per calibration window: the shipped model's block_size (a test checks it against config.json), for labels before a run. */
export const WINDOW_CHARS = 128;

export const CALIBRATION_SIZE_BOUNDS = { bits: [3, 4], groupSize: [-1, 128, 64], maxWindows: [4, 8, 16, 32], heldout: { min: 2, max: 32 } } as const;

/** The calibration sizes for a largest set of `max` windows: 1, 2, 4, … , max (max a power of two). */
export function calibrationSizes(max: number): number[] {
  if (!Number.isInteger(max) || max < 1 || (max & (max - 1)) !== 0) throw new RangeError(`The largest calibration set must be a power of two windows, got ${max}.`);
  const out: number[] = [];
  for (let k = 1; k <= max; k *= 2) out.push(k);
  return out;
}

export interface SizeRow {
  windows: number;
  characters: number;
  perplexity: number;
  kl: number;
  top1: number;
}

export interface CalibrationSizeSnapshot {
  state: 'idle' | 'running' | 'done' | 'error';
  status: string;
  fp32: { perplexity: number } | null;
  /** Round-to-nearest at the same setting: no calibration, one score. */
  rtn: { perplexity: number; kl: number; top1: number } | null;
  rows: readonly SizeRow[];
  /** Held-out windows scored, and the capture's wall time (ms) over the largest set. */
  heldoutWindows: number;
  captureMs: number | null;
  error: string | null;
}

export const INITIAL_CALIBRATION_SIZE: CalibrationSizeSnapshot = { state: 'idle', status: '', fp32: null, rtn: null, rows: [], heldoutWindows: 0, captureMs: null, error: null };

/** Quantizes the Linear weights (e.g. quantizeLinears in a worker); resolves to name.weight → dequantized values. */
export type QuantizeFn = (c: ModelCalibration, stats: readonly LinearInputStats[], method: WeightMethod, setting: MethodSetting) => Promise<ReadonlyMap<string, Float32Array>>;

export interface CalibrationSizeDeps {
  compute: () => Promise<Compute>;
  weights: () => Promise<TinyLMWeights>;
  calibrationText: () => Promise<string>;
  heldoutText: () => Promise<string>;
  /** Default: quantizeLinears on this thread. */
  quantize?: QuantizeFn;
}

/** quantizeLinears in the calling thread, as a QuantizeFn (the default where no worker is given). */
export const quantizeHere: QuantizeFn = async (c, stats, method, setting) => quantizeLinears(c.values, c.shapes, stats, method, setting).values;

/**
 * The widget's run (docs/design.md rule 6, an engine): one capture over the nested calibration
 * windows with a snapshot per size, FP32 and round-to-nearest scored once, then GPTQ per size
 * (quantize, rebuild, score on the held-out windows), rows appearing as they finish. stop() drops
 * the rest of the run.
 */
export class CalibrationSizeEngine {
  private readonly store: Store<CalibrationSizeSnapshot> = createStore(INITIAL_CALIBRATION_SIZE);
  private generation = 0;

  constructor(private readonly deps: CalibrationSizeDeps) {}

  readonly subscribe = (listener: () => void) => this.store.subscribe(listener);
  readonly getSnapshot = () => this.store.getSnapshot();

  private patch(gen: number, p: Partial<CalibrationSizeSnapshot>): boolean {
    if (gen !== this.generation) return false;
    this.store.set({ ...this.store.getSnapshot(), ...p });
    return true;
  }

  async run(s: CalibrationSizeSettings): Promise<void> {
    const gen = ++this.generation;
    const live = (p: Partial<CalibrationSizeSnapshot>) => this.patch(gen, p);
    live({ ...INITIAL_CALIBRATION_SIZE, state: 'running', status: 'Loading the model and the texts…' });
    try {
      const sizes = calibrationSizes(s.maxWindows);
      const setting: MethodSetting = { bits: s.bits, groupSize: s.groupSize };
      const quantize = this.deps.quantize ?? quantizeHere;
      const [compute, weights, calib, held] = await Promise.all([this.deps.compute(), this.deps.weights(), this.deps.calibrationText(), this.deps.heldoutText()]);
      const T = weights.config.block_size;
      const cals = await calibrateSizes(compute.tf, weights, calib, sizes, {
        batch: 4,
        onProgress: (done, total) => {
          if (!live({ status: `Capturing the Linear layers’ inputs: ${done} of ${total} windows (${(done * T).toLocaleString('en-US')} characters)…` })) throw new Error('stopped');
        },
      });
      const largest = cals[cals.length - 1];
      const windows = heldoutWindows(weights.config, held, s.heldout);
      if (!live({ status: `Scoring FP32 and round-to-nearest on ${windows.length} held-out windows…`, captureMs: largest.captureMs, heldoutWindows: windows.length })) return;
      const fp32 = await scoreFp32(compute, largest, windows);
      const rtnValues = await quantize(largest, largest.stats, 'rtn', setting);
      const rtn = await scoreReplaced(compute, largest, rtnValues, windows, fp32.logits);
      if (!live({ fp32: { perplexity: fp32.perplexity }, rtn: { perplexity: rtn.perplexity, kl: rtn.klFromFp32, top1: rtn.top1Agreement } })) return;
      const rows: SizeRow[] = [];
      for (const c of cals) {
        if (!live({ status: `GPTQ with ${c.windows} calibration window${c.windows === 1 ? '' : 's'} (${(c.windows * T).toLocaleString('en-US')} characters): quantizing…` })) return;
        const q = await quantize(c, c.stats, 'gptq', setting);
        if (!live({ status: `GPTQ with ${(c.windows * T).toLocaleString('en-US')} calibration characters: scoring…` })) return;
        const r = await scoreReplaced(compute, c, q, windows, fp32.logits);
        rows.push({ windows: c.windows, characters: c.windows * T, perplexity: r.perplexity, kl: r.klFromFp32, top1: r.top1Agreement });
        if (!live({ rows: [...rows] })) return;
      }
      live({ state: 'done', status: `Done: GPTQ at ${sizes.length} calibration sizes and round-to-nearest, scored on ${windows.length} held-out windows (${(windows.length * T).toLocaleString('en-US')} characters).` });
    } catch (e) {
      if (gen === this.generation) live({ state: 'error', status: '', error: errorMessage(e) });
    }
  }

  /** Drops the rest of the current run (rows so far stay). */
  stop(): void {
    const gen = ++this.generation;
    this.patch(gen, { state: this.getSnapshot().rows.length ? 'done' : 'idle', status: 'Stopped.' });
  }

  dispose(): void {
    this.generation++;
  }
}
