/**
 * One Linear layer of the tiny model under activation quantization: its sampled calibration inputs X
 * [n, in] (activations.ts) and its weight W [out, in], optionally with synthetic outlier channels,
 * then LLM.int8()'s decomposition and SmoothQuant's migration measured on them against the float
 * product X Wᵀ. The quantizers are lib/quant's references (llm-int8.ts, smoothquant.ts,
 * activation-quant.ts); docs/numerics.md, "Beyond round-to-nearest".
 */
import { median as medianOf } from '../bench/stats';
import type { Tfjs } from '../compute';
import { w8a8Matmul, type ActivationGranularity } from '../quant/activation-quant';
import { llmInt8Matmul } from '../quant/llm-int8';
import { channelAbsmax, smoothQuant } from '../quant/smoothquant';
import { calibrateModel, type LinearInputStats, type ModelCalibration } from './activations';
import type { TinyLMWeights } from './load';

/** A layer's operands: X [n, in] row-major, W [out, in] row-major. */
export interface LayerOperands {
  name: string;
  x: Float32Array;
  xShape: [number, number];
  w: Float32Array;
  wShape: [number, number];
  /** Channels scaled up as synthetic outliers (empty for the model's own activations). */
  synthetic: number[];
}

/** The calibration capture and the model's weights, as the lesson's widgets share them. */
export type ActivationStudy = ModelCalibration;

/** Calibration windows and sampled rows the lesson captures by default. */
export const STUDY_WINDOWS = 8;
export const STUDY_SAMPLE_ROWS = 128;

/**
 * Captures every Linear input of the model over `windowCount` windows of block_size characters
 * spread evenly through `calibrationText` (calibrationWindows), keeping the first `sampleRows`
 * rows of each X. The forward passes run on `tf`'s active backend.
 */
export function loadActivationStudy(tf: Tfjs, weights: TinyLMWeights, calibrationText: string, windowCount = STUDY_WINDOWS, sampleRows = STUDY_SAMPLE_ROWS): Promise<ActivationStudy> {
  return calibrateModel(tf, weights, calibrationText, windowCount, { sampleRows, batch: 4 });
}

/**
 * The operands of layer `name`: its sampled X (the first `rows` rows) and its weight. With
 * `outliers` = { count, factor }, `count` channels (spread evenly: j = floor((i + 0.5) · in / count))
 * are multiplied by `factor` in X and W's matching columns divided by it, so X Wᵀ is unchanged
 * (up to float32 rounding) while X gains the outlier features large models show.
 */
export function layerOperands(study: ActivationStudy, name: string, rows: number, outliers: { count: number; factor: number } | null = null): LayerOperands {
  const s = study.stats.find((t) => t.name === name);
  const w0 = study.values.get(`${name}.weight`);
  const shape = study.shapes.get(`${name}.weight`);
  if (!s || !w0 || !shape) throw new RangeError(`No calibrated Linear layer "${name}".`);
  const n = Math.max(1, Math.min(rows, s.sampleRows));
  const k = s.features;
  const x = s.sample.slice(0, n * k);
  const w = w0.slice();
  const synthetic: number[] = [];
  if (outliers && outliers.count > 0) {
    if (!(outliers.factor > 0) || !Number.isFinite(outliers.factor)) throw new RangeError(`The outlier factor must be a positive number, got ${outliers.factor}.`);
    const count = Math.min(outliers.count, k);
    for (let i = 0; i < count; i++) synthetic.push(Math.floor(((i + 0.5) * k) / count));
    for (const j of synthetic) {
      for (let r = 0; r < n; r++) x[r * k + j] *= outliers.factor;
      for (let o = 0; o < shape[0]; o++) w[o * k + j] /= outliers.factor;
    }
  }
  return { name, x, xShape: [n, k], w, wShape: [shape[0], shape[1]], synthetic };
}

/** Y = X Wᵀ in float64, [n, out]. */
export function floatProduct(op: LayerOperands): Float64Array {
  const [n, k] = op.xShape;
  const m = op.wShape[0];
  const y = new Float64Array(n * m);
  for (let i = 0; i < n; i++) {
    for (let c = 0; c < m; c++) {
      let a = 0;
      for (let j = 0; j < k; j++) a += op.x[i * k + j] * op.w[c * k + j];
      y[i * m + c] = a;
    }
  }
  return y;
}

/** Relative error ‖Ŷ − Y‖_F / ‖Y‖_F (0 when both are zero). */
export function relativeError(y: ArrayLike<number>, approx: ArrayLike<number>): number {
  let num = 0, den = 0;
  for (let i = 0; i < y.length; i++) {
    const d = approx[i] - y[i];
    num += d * d;
    den += y[i] * y[i];
  }
  return den === 0 ? (num === 0 ? 0 : Infinity) : Math.sqrt(num / den);
}

export interface DecompositionResult {
  /** Input columns kept in float (some |x_ij| ≥ threshold). */
  outlierColumns: number[];
  /** Relative error of LLM.int8()'s decomposition against X Wᵀ. */
  decompositionError: number;
  /** Relative error of the pure int8 product (no column kept in float). */
  int8Error: number;
  /** The decomposition's output, [n, out]. */
  y: Float32Array;
}

/** LLM.int8() at `threshold` against all-int8 (threshold ∞), both against the float product. */
export function decompositionErrors(op: LayerOperands, threshold: number, reference: Float64Array = floatProduct(op)): DecompositionResult {
  const mixed = llmInt8Matmul(op.x, op.xShape, op.w, op.wShape, { threshold });
  const pure = llmInt8Matmul(op.x, op.xShape, op.w, op.wShape, { threshold: Infinity });
  return { outlierColumns: mixed.outlierColumns, decompositionError: relativeError(reference, mixed.y), int8Error: relativeError(reference, pure.y), y: mixed.y };
}

export interface SmoothingResult {
  /** Per input channel: max_t |x_tj| and max_o |w_oj|, before and after the migration. */
  xMaxBefore: Float64Array;
  wMaxBefore: Float64Array;
  xMaxAfter: Float64Array;
  wMaxAfter: Float64Array;
  scales: Float64Array;
  /** Relative W8A8 error (int8 per-channel weights; activations as `granularity`) against X Wᵀ. */
  errorBefore: number;
  errorAfter: number;
}

function weightColumnAbsmax(w: ArrayLike<number>, [rows, cols]: [number, number]): Float64Array {
  const m = new Float64Array(cols);
  for (let r = 0; r < rows; r++) for (let j = 0; j < cols; j++) m[j] = Math.max(m[j], Math.abs(w[r * cols + j]));
  return m;
}

/**
 * SmoothQuant's migration at `alpha` on the layer (scales from this X and W: smoothquant.ts
 * `smoothQuant`), and the W8A8 error of the output before and after it, with dynamic activation
 * ranges per tensor (the case smoothing is for) or per token.
 */
export function smoothingErrors(op: LayerOperands, alpha: number, granularity: ActivationGranularity, reference: Float64Array = floatProduct(op)): SmoothingResult {
  const sm = smoothQuant(op.x, op.xShape, op.w, op.wShape, alpha);
  const o = { activations: { granularity } };
  const before = w8a8Matmul(op.x, op.xShape, op.w, op.wShape, o).y;
  const after = w8a8Matmul(sm.x, op.xShape, sm.w, op.wShape, o).y;
  return {
    xMaxBefore: channelAbsmax(op.x, op.xShape),
    wMaxBefore: weightColumnAbsmax(op.w, op.wShape),
    xMaxAfter: channelAbsmax(sm.x, op.xShape),
    wMaxAfter: weightColumnAbsmax(sm.w, op.wShape),
    scales: sm.scales,
    errorBefore: relativeError(reference, before),
    errorAfter: relativeError(reference, after),
  };
}

/** The median of `values` (the mean of the two middle ones for an even count; lib/bench/stats's); NaN for none. */
export function median(values: ArrayLike<number>): number {
  return values.length === 0 ? NaN : medianOf(Array.from(values));
}

/** Largest over median of a layer's per-channel max|x|: how far its biggest channel stands out. */
export function outlierRatio(absMax: ArrayLike<number>): number {
  if (absMax.length === 0) return 0;
  const mid = median(absMax);
  let top = -Infinity;
  for (let j = 0; j < absMax.length; j++) top = Math.max(top, absMax[j]);
  return mid === 0 ? Infinity : top / mid;
}

/** One channel of a layer's input and how far it stands out. */
export interface ChannelMagnitude {
  channel: number;
  /** max_t |x_tj| over the captured tokens. */
  absMax: number;
  /** absMax / the median over all channels of max_t |x_tj'| (Infinity when that median is 0). */
  timesMedian: number;
}

/**
 * The `k` channels of largest m_j = max_t |x_tj|, largest first (ties: the lower index first), each
 * with r_j = m_j / median_j' m_j' — the first one's r is outlierRatio. Sun et al. 2024 ("Massive
 * Activations in Large Language Models") report very few activations far larger than the rest in
 * LLMs' hidden states; r measures how far a channel of a capture stands out, without naming any
 * channel in advance.
 */
export function topChannels(absMax: ArrayLike<number>, k: number): ChannelMagnitude[] {
  if (!Number.isInteger(k) || k < 0) throw new RangeError(`k must be a whole number ≥ 0, got ${k}.`);
  const mid = median(absMax);
  const order = Array.from({ length: absMax.length }, (_, j) => j).sort((a, b) => absMax[b] - absMax[a] || a - b);
  return order.slice(0, k).map((j) => ({ channel: j, absMax: absMax[j], timesMedian: mid === 0 ? Infinity : absMax[j] / mid }));
}

/** A Linear layer's input and its largest channels (topChannels of its per-channel max|x|). */
export interface LayerChannels {
  name: string;
  features: number;
  tokens: number;
  top: ChannelMagnitude[];
}

/** topChannels(absMax, k) for every captured layer whose name ends with `suffix` (e.g. '.mlp.c_fc'; '' for all), in the model's order. */
export function layerTopChannels(stats: readonly LinearInputStats[], k: number, suffix = ''): LayerChannels[] {
  return stats.filter((s) => s.name.endsWith(suffix)).map((s) => ({ name: s.name, features: s.features, tokens: s.tokens, top: topChannels(s.absMax, k) }));
}

/**
 * The channel that is the largest (top[0]) in the most of `layers`, how many, and of how many
 * (ties: the lower channel index). Sun et al. 2024 find massive activations in the same few
 * feature dimensions layer after layer; this counts whether the captured inputs do too.
 */
export function recurringLargest(layers: readonly LayerChannels[]): { channel: number; layers: number; of: number } | null {
  const count = new Map<number, number>();
  for (const l of layers) if (l.top.length > 0) count.set(l.top[0].channel, (count.get(l.top[0].channel) ?? 0) + 1);
  let best: { channel: number; layers: number } | null = null;
  for (const [channel, n] of count) if (!best || n > best.layers || (n === best.layers && channel < best.channel)) best = { channel, layers: n };
  return best ? { ...best, of: layers.length } : null;
}

/**
 * How much of a learner's checkpoint a capture reads: GPT-2 small (124M parameters) runs one
 * forward pass per window, several seconds each on a software GPU, so a few short windows.
 */
export const OWN_STUDY = { windows: 4, windowTokens: 64, sampleRows: 64 } as const;

/** A capture on a loaded checkpoint, with the window length it used. */
export interface OwnActivationStudy extends ActivationStudy {
  windowTokens: number;
}

/**
 * Captures every Linear input of a loaded checkpoint (readOwnWeights's TinyLMWeights, e.g. GPT-2
 * with 'gelu_new') over OWN_STUDY.windows windows of min(OWN_STUDY.windowTokens, n_positions)
 * tokens spread evenly through `text`, tokenized with the checkpoint's own tokenizer
 * (weights.config.tokenizer, GPT-2's byte-level BPE: encodeText), keeping the first
 * OWN_STUDY.sampleRows rows of each X. One window per forward pass on `tf`'s backend:
 * `onProgress(done, total)` after each, and `signal` stops the capture between windows (its reason
 * is thrown; the model is disposed either way).
 */
export async function loadOwnActivationStudy(tf: Tfjs, weights: TinyLMWeights, text: string, o: { signal?: AbortSignal; onProgress?: (done: number, total: number) => void } = {}): Promise<OwnActivationStudy> {
  o.signal?.throwIfAborted();
  const windowTokens = Math.min(OWN_STUDY.windowTokens, weights.config.block_size);
  const study = await calibrateModel(tf, weights, text, OWN_STUDY.windows, {
    windowTokens,
    sampleRows: OWN_STUDY.sampleRows,
    batch: 1,
    onProgress: (done, total) => {
      o.signal?.throwIfAborted();
      o.onProgress?.(done, total);
    },
  });
  return { ...study, windowTokens };
}
