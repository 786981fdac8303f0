/**
 * LLM.int8() (Dettmers, Lewis, Belkada & Zettlemoyer 2022, "LLM.int8(): 8-bit Matrix Multiplication
 * for Transformers at Scale", §3.1 vector-wise quantization, §3.2 mixed-precision decomposition),
 * following bitsandbytes' reference path (`backends/default/ops.py`: `int8_vectorwise_quant`,
 * `int8_mixed_scaled_mm`, `int8_mm_dequant`; CUDA `kInt8VectorQuant`). Rules and check values:
 * docs/numerics.md "Beyond round-to-nearest".
 *
 * X is [n, k] (tokens × input features), W is [m, k] ([out, in], as nn.Linear), y = X Wᵀ is [n, m].
 * Arithmetic is float64; the int8 part accumulates exact integers.
 */
import { roundHalfEven } from './affine';
import { checkMatrix } from './input-checks';

export interface LlmInt8Options {
  /** An input feature j is an outlier if any |x_ij| ≥ threshold (default 6, the paper's α). Infinity: none; 0: all. */
  threshold?: number;
}

export interface LlmInt8Result {
  /** y = X Wᵀ through the decomposition, [n, m]. */
  y: Float32Array;
  /** Input features kept in float, ascending. */
  outlierColumns: number[];
  /** Per token: the absmax of its values below the threshold (cx_i); 0 for a row with none. */
  xAbsmax: Float64Array;
  /** Per output channel: the absmax of W's row (cw_k). */
  wAbsmax: Float64Array;
  /** X's int8 codes, [n, k], 0 in outlier columns. */
  xCodes: Int8Array;
  /** W's int8 codes, [m, k]. */
  wCodes: Int8Array;
}

/**
 * Vector-wise int8 quantization of each row of a [rows, cols] matrix (bitsandbytes
 * `int8_vectorwise_quant`): absmax over the row's values with |v| < threshold (all values when
 * threshold is Infinity), q = round(v · (127/absmax)), half to even, and 0 for values at or above
 * the threshold and for a row whose absmax is 0.
 */
export function int8Vectorwise(a: ArrayLike<number>, shape: [number, number], threshold = Infinity): { codes: Int8Array; absmax: Float64Array } {
  checkMatrix(a, shape, 'a');
  checkThreshold(threshold);
  return vectorwise(a, shape, threshold);
}

function checkThreshold(threshold: number): void {
  if (!(threshold >= 0)) throw new RangeError(`threshold must be a number ≥ 0 (Infinity for none), got ${threshold}`);
}

function vectorwise(a: ArrayLike<number>, shape: [number, number], threshold: number): { codes: Int8Array; absmax: Float64Array } {
  const [rows, cols] = shape;
  const codes = new Int8Array(rows * cols);
  const absmax = new Float64Array(rows);
  for (let r = 0; r < rows; r++) {
    const base = r * cols;
    let m = 0;
    for (let j = 0; j < cols; j++) {
      const v = Math.abs(a[base + j]);
      if (v < threshold && v > m) m = v;
    }
    absmax[r] = m;
    if (m === 0) continue;
    const f = 127 / m;
    for (let j = 0; j < cols; j++) {
      const v = a[base + j];
      if (Math.abs(v) >= threshold) continue;
      const c = roundHalfEven(v * f);
      codes[base + j] = c > 127 ? 127 : c < -127 ? -127 : c;
    }
  }
  return { codes, absmax };
}

/**
 * LLM.int8()'s matrix multiplication y = X Wᵀ:
 * - outlier columns O = { j : some |x_ij| ≥ threshold } stay in float: (X_O W_Oᵀ)_ik;
 * - X is quantized per token over the values below the threshold (outlier columns' codes set to 0),
 *   W per output channel over its whole row (bitsandbytes quantizes the weight once, without a threshold);
 * - y_ik = acc_ik · cx_i · cw_k / 127² + (X_O W_Oᵀ)_ik, acc the integer dot product of the codes.
 * threshold = Infinity gives the pure int8 product; threshold = 0 makes every column an outlier,
 * so y is the float product. (bitsandbytes' inference path, which stores only the int8 weight,
 * multiplies the outlier columns by the dequantized int8 weight; the paper and this function use
 * the float weight.)
 */
export function llmInt8Matmul(x: ArrayLike<number>, xShape: [number, number], w: ArrayLike<number>, wShape: [number, number], o: LlmInt8Options = {}): LlmInt8Result {
  checkMatrix(x, xShape, 'x');
  checkMatrix(w, wShape, 'w');
  const [n, k] = xShape;
  const [m, wk] = wShape;
  if (wk !== k) throw new RangeError(`x has ${k} columns but w has ${wk}: W is [out, in] and X is [tokens, in]`);
  if (n * m > 2 ** 24) throw new RangeError(`the product is [${n}, ${m}]: at most ${2 ** 24} outputs are accepted`);
  const threshold = o.threshold ?? 6;
  checkThreshold(threshold);

  const outlier = new Uint8Array(k);
  for (let i = 0; i < n * k; i++) if (Math.abs(x[i]) >= threshold) outlier[i % k] = 1;
  const outlierColumns: number[] = [];
  for (let j = 0; j < k; j++) if (outlier[j]) outlierColumns.push(j);

  const xq = vectorwise(x, xShape, threshold);
  for (let r = 0; r < n; r++) for (const j of outlierColumns) xq.codes[r * k + j] = 0;
  const wq = vectorwise(w, wShape, Infinity);

  const y = new Float32Array(n * m);
  for (let i = 0; i < n; i++) {
    const xi = i * k;
    for (let c = 0; c < m; c++) {
      const wc = c * k;
      let acc = 0;
      for (let j = 0; j < k; j++) acc += xq.codes[xi + j] * wq.codes[wc + j];
      let out = 0;
      for (const j of outlierColumns) out += x[xi + j] * w[wc + j];
      y[i * m + c] = (acc * xq.absmax[i] * wq.absmax[c]) / (127 * 127) + out;
    }
  }
  return { y, outlierColumns, xAbsmax: xq.absmax, wAbsmax: wq.absmax, xCodes: xq.codes, wCodes: wq.codes };
}
