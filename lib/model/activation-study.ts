/**
 * One Linear layer of the tiny model under activation quantization: its sampled calibration inputs X
 * [n, in] (activations.ts) and its weight W [out, in], optionally with synthetic outlier channels,
 * then LLM.int8()'s decomposition and SmoothQuant's migration measured on them against the float
 * product X Wᵀ. The quantizers are lib/quant's references (llm-int8.ts, smoothquant.ts,
 * activation-quant.ts); docs/numerics.md, "Beyond round-to-nearest".
 */
import type { Tfjs } from '../compute';
import { w8a8Matmul, type ActivationGranularity } from '../quant/activation-quant';
import { llmInt8Matmul } from '../quant/llm-int8';
import { channelAbsmax, smoothQuant } from '../quant/smoothquant';
import { calibrateModel, type ModelCalibration } from './activations';
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

/** Largest over median of a layer's per-channel max|x|: how far its biggest channel stands out. */
export function outlierRatio(absMax: ArrayLike<number>): number {
  const v = Array.from(absMax).sort((a, b) => a - b);
  if (v.length === 0) return 0;
  const mid = v.length % 2 ? v[(v.length - 1) / 2] : (v[v.length / 2 - 1] + v[v.length / 2]) / 2;
  return mid === 0 ? Infinity : v[v.length - 1] / mid;
}
