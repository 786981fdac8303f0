/**
 * Symmetric absmax quantization of activations and weights for W8A8 (SmoothQuant's fake
 * quantizers, mit-han-lab `smoothquant/fake_quant.py`: `quantize_activation_per_token_absmax`,
 * `quantize_activation_per_tensor_absmax`, `quantize_weight_per_channel_absmax`,
 * `quantize_weight_per_tensor_absmax`, and `W8A8Linear`). Rules: docs/numerics.md "Beyond
 * round-to-nearest".
 *
 * scale = max(absmax, 1e-5) / (2^(bits−1) − 1); q = round(v / scale) (half to even), clamped to
 * ±(2^(bits−1) − 1); v' = q · scale. Dynamic ranges take absmax from the tensor being quantized
 * (per tensor, or per token = per row of X); a static range is calibrated beforehand (per tensor),
 * so values beyond it clip. float64 throughout.
 */
import { roundHalfEven } from './affine';
import { checkMatrix } from './input-checks';

export type ActivationGranularity = 'per-tensor' | 'per-token';
export type WeightGranularity = 'per-tensor' | 'per-channel';

export interface AbsmaxQuantized {
  /** Codes in ±(2^(bits−1) − 1), same layout as the input. */
  q: Int32Array;
  /** One scale for the tensor, or one per row (token or output channel). */
  scale: Float64Array;
  /** Dequantized values q · scale. */
  values: Float64Array;
  /** How many values lay beyond the range and were clamped (only a static range clamps). */
  clipped: number;
}

export interface ActivationQuantOptions {
  /** 'per-token': one scale per row of X; 'per-tensor': one for all of X. */
  granularity: ActivationGranularity;
  /** A calibrated absmax for a static per-tensor range; omitted = dynamic (from X itself). */
  staticAbsmax?: number;
  /** Bits, 2–8 (default 8). */
  bits?: number;
}

function checkAbsmaxBits(bits: number): number {
  if (!Number.isInteger(bits) || bits < 2 || bits > 8) throw new RangeError(`bits must be a whole number from 2 to 8, got ${bits}`);
  return 2 ** (bits - 1) - 1;
}

/** Absmax quantization with one scale per row (perRow) or for the whole matrix. */
function absmaxQuantize(a: ArrayLike<number>, shape: [number, number], perRow: boolean, qmax: number, fixedAbsmax?: number): AbsmaxQuantized {
  const [rows, cols] = shape;
  const slices = perRow ? rows : 1;
  const scale = new Float64Array(slices);
  for (let s = 0; s < slices; s++) {
    let m = 0;
    if (fixedAbsmax !== undefined) m = fixedAbsmax;
    else {
      const start = perRow ? s * cols : 0, end = perRow ? start + cols : rows * cols;
      for (let i = start; i < end; i++) m = Math.max(m, Math.abs(a[i]));
    }
    scale[s] = Math.max(m, 1e-5) / qmax;
  }
  const q = new Int32Array(rows * cols);
  const values = new Float64Array(rows * cols);
  let clipped = 0;
  for (let i = 0; i < q.length; i++) {
    const s = scale[perRow ? Math.floor(i / cols) : 0];
    let c = roundHalfEven(a[i] / s);
    if (c > qmax || c < -qmax) {
      clipped++;
      c = c > qmax ? qmax : -qmax;
    }
    q[i] = c;
    values[i] = c * s;
  }
  return { q, scale, values, clipped };
}

/**
 * Quantizes activations X [n, cols]: dynamic per token (SmoothQuant's default W8A8), dynamic per
 * tensor, or static per tensor with a calibrated absmax. A static per-token range does not exist
 * (a token's range is unknown before it arrives) and is rejected.
 */
export function quantizeActivations(x: ArrayLike<number>, shape: [number, number], o: ActivationQuantOptions): AbsmaxQuantized {
  checkMatrix(x, shape, 'x');
  const qmax = checkAbsmaxBits(o.bits ?? 8);
  if (o.granularity !== 'per-token' && o.granularity !== 'per-tensor') throw new RangeError(`granularity must be 'per-token' or 'per-tensor', got ${String(o.granularity)}`);
  if (o.staticAbsmax !== undefined) {
    if (o.granularity === 'per-token') throw new RangeError('a static range is per tensor: a token’s range is not known before it arrives');
    if (!Number.isFinite(o.staticAbsmax) || o.staticAbsmax < 0) throw new RangeError(`staticAbsmax must be a finite number ≥ 0, got ${o.staticAbsmax}`);
  }
  return absmaxQuantize(x, shape, o.granularity === 'per-token', qmax, o.staticAbsmax);
}

/** Quantizes a weight W [out, in] by absmax, per output channel (row) or per tensor. */
export function quantizeWeightsAbsmax(w: ArrayLike<number>, shape: [number, number], o: { granularity: WeightGranularity; bits?: number }): AbsmaxQuantized {
  checkMatrix(w, shape, 'w');
  const qmax = checkAbsmaxBits(o.bits ?? 8);
  if (o.granularity !== 'per-channel' && o.granularity !== 'per-tensor') throw new RangeError(`granularity must be 'per-channel' or 'per-tensor', got ${String(o.granularity)}`);
  return absmaxQuantize(w, shape, o.granularity === 'per-channel', qmax);
}

export interface W8A8Options {
  activations: ActivationQuantOptions;
  /** Weight granularity (default 'per-channel'). */
  weights?: WeightGranularity;
  /** Weight bits (default 8). */
  weightBits?: number;
}

/**
 * W8A8 (SmoothQuant's `W8A8Linear` without bias or output quantization): y = Q(X) Q(W)ᵀ, computed
 * as the integer dot product of the codes times the two scales. Returns y [n, out] and both
 * quantized operands.
 */
export function w8a8Matmul(x: ArrayLike<number>, xShape: [number, number], w: ArrayLike<number>, wShape: [number, number], o: W8A8Options): { y: Float64Array; x: AbsmaxQuantized; w: AbsmaxQuantized } {
  if (xShape[1] !== wShape[1]) throw new RangeError(`x has ${xShape[1]} columns but w has ${wShape[1]}: W is [out, in] and X is [tokens, in]`);
  const xq = quantizeActivations(x, xShape, o.activations);
  const wq = quantizeWeightsAbsmax(w, wShape, { granularity: o.weights ?? 'per-channel', bits: o.weightBits });
  const [n, k] = xShape;
  const m = wShape[0];
  if (n * m > 2 ** 24) throw new RangeError(`the product is [${n}, ${m}]: at most ${2 ** 24} outputs are accepted`);
  const y = new Float64Array(n * m);
  for (let i = 0; i < n; i++) {
    const sx = xq.scale[xq.scale.length === 1 ? 0 : i];
    for (let c = 0; c < m; c++) {
      let acc = 0;
      for (let j = 0; j < k; j++) acc += xq.q[i * k + j] * wq.q[c * k + j];
      y[i * m + c] = acc * sx * wq.scale[wq.scale.length === 1 ? 0 : c];
    }
  }
  return { y, x: xq, w: wq };
}
