/**
 * CPU twins of the fused decode kernels (lib/compute/kernels/matvec.ts and decode.ts), in float64:
 * the oracles of their `/gpu/` self-test cases. The sampler's twin is sampling.ts `sampleToken`.
 * Formulas: docs/numerics.md, "Decoding with a KV cache".
 */
import { dequantizeWeight, type StoredWeight } from '../quant/weight-formats';
import type { GeluForm } from '../compute/kernels/decode-wgsl';
import { gelu, geluTanh, layerNorm, linear } from './reference-forward';

export interface MatVecReferenceOptions {
  bias?: Float32Array;
  layerNorm?: { weight: Float32Array; bias: Float32Array; eps: number };
  /** GELU after the bias: the exact form ('erf', reference-forward.ts `gelu`) or GPT-2's tanh form ('tanh', `geluTanh`). */
  gelu?: GeluForm;
  residual?: Float32Array;
}

/**
 * y = epilogue(W' · prologue(x) + b) for a stored Linear weight W [rows, cols] in any storage format:
 * W' = dequantizeWeight(W) (the format's own CPU reference); prologue LayerNorm; epilogue GELU (exact
 * or tanh, as asked), then + residual. What kernels/matvec.ts computes from the packed words.
 */
export function matVecReference(w: StoredWeight, x: ArrayLike<number>, o: MatVecReferenceOptions = {}): Float64Array {
  const [rows, cols] = w.shape;
  if (x.length !== cols) throw new RangeError(`x has ${x.length} values; the weight has ${cols} columns.`);
  let v: Float64Array = Float64Array.from(x);
  if (o.layerNorm) v = layerNorm(v, o.layerNorm.weight, o.layerNorm.bias, o.layerNorm.eps);
  const y = linear(v, dequantizeWeight(w), o.bias ?? null, rows);
  const act = o.gelu === 'tanh' ? geluTanh : o.gelu === 'erf' ? gelu : null;
  for (let r = 0; r < rows; r++) {
    if (act) y[r] = act(y[r]);
    if (o.residual) y[r] += o.residual[r];
  }
  return y;
}

/**
 * Attention of one query over `n` cached positions, per head h of hd = C / heads:
 *   y_h = Σ_t softmax_t(q_h · k_{t,h} / √hd) v_{t,h}
 * q [C]; keys and values [n, C] row-major (heads side by side, as c_attn writes them).
 */
export function attendOneQueryReference(q: ArrayLike<number>, keys: ArrayLike<number>, values: ArrayLike<number>, n: number, heads: number): Float64Array {
  const C = q.length, hd = C / heads;
  if (!Number.isInteger(hd)) throw new RangeError(`${C} channels do not split into ${heads} heads.`);
  if (keys.length < n * C || values.length < n * C) throw new RangeError(`The cache holds fewer than ${n} positions of ${C} values.`);
  const y = new Float64Array(C);
  const s = new Float64Array(n);
  for (let h = 0; h < heads; h++) {
    const off = h * hd;
    let m = -Infinity;
    for (let t = 0; t < n; t++) {
      let dot = 0;
      for (let d = 0; d < hd; d++) dot += q[off + d] * keys[t * C + off + d];
      s[t] = dot / Math.sqrt(hd);
      m = Math.max(m, s[t]);
    }
    let total = 0;
    for (let t = 0; t < n; t++) total += s[t] = Math.exp(s[t] - m);
    for (let d = 0; d < hd; d++) {
      let acc = 0;
      for (let t = 0; t < n; t++) acc += s[t] * values[t * C + off + d];
      y[off + d] = acc / total;
    }
  }
  return y;
}

/**
 * Y [M, N] = X [M, K] · W'ᵀ (+ b) for a stored Linear weight W [N, K], W' = dequantizeWeight(W), in
 * float64: the twin of kernels/dequant-matmul.ts's forward (prefill and training over many rows).
 */
export function dequantMatMulReference(w: StoredWeight, x: ArrayLike<number>, M: number, bias?: Float32Array): Float64Array {
  const [N, K] = w.shape;
  if (x.length !== M * K) throw new RangeError(`x has ${x.length} values; ${M} rows of ${K} need ${M * K}.`);
  const deq = dequantizeWeight(w);
  const y = new Float64Array(M * N);
  for (let m = 0; m < M; m++) y.set(linear(Float64Array.from({ length: K }, (_, k) => x[m * K + k]), deq, bias ?? null, N), m * N);
  return y;
}

/** dX [M, K] = dY [M, N] · W' in float64: the twin of kernels/dequant-matmul.ts's backward (the input's gradient). */
export function dequantMatMulGradReference(w: StoredWeight, dy: ArrayLike<number>, M: number): Float64Array {
  const [N, K] = w.shape;
  if (dy.length !== M * N) throw new RangeError(`dy has ${dy.length} values; ${M} rows of ${N} need ${M * N}.`);
  const deq = dequantizeWeight(w);
  const dx = new Float64Array(M * K);
  for (let m = 0; m < M; m++) {
    for (let n = 0; n < N; n++) {
      const d = dy[m * N + n];
      for (let k = 0; k < K; k++) dx[m * K + k] += d * deq[n * K + k];
    }
  }
  return dx;
}
