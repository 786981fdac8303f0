/**
 * KV-cache quantization for the tiny model (the serving lesson): what attention reads back when
 * keys and values are stored as INT8, INT4 or FP8 E4M3 instead of float32. Each storage is a
 * quantize → dequantize round trip written as tf ops (a TinyLM `KvStorage`, lib/model/tiny-lm.ts),
 * with a float64 CPU twin for the tests. Rules: docs/numerics.md, "Serving".
 *
 * - INT8 / INT4: symmetric absmax, one scale per token per head (the head_dim values of one head
 *   at one position share a scale, as llama.cpp's q8_0 / q4_0 KV caches share one per 32 values;
 *   the tiny model's heads have 32 values): s = max|x| / qmax, q = clamp(round(x / s), −qmax, qmax),
 *   x̂ = q · s, qmax = 127 (INT8) or 7 (INT4); a head whose values are all 0 keeps s = 1 (x̂ = 0).
 * - FP8 E4M3: every value rounded to the nearest E4M3 value (3 mantissa bits, round half to even,
 *   subnormal step 2⁻⁹), saturating at ±448, no scale (vLLM's fp8 KV cache with its default scale 1).
 */
import type { Tensor2D } from '@tensorflow/tfjs-core';
import type { Tfjs } from '../compute';
import { roundToFormat } from '../formats';

/** The KV storages: float32 (no storage), FP8 E4M3, INT8 and INT4. */
export type KvStorageKind = 'fp32' | 'fp8' | 'int8' | 'int4';
export const KV_STORAGE_KINDS: readonly KvStorageKind[] = ['fp32', 'fp8', 'int8', 'int4'];
export const KV_STORAGE_LABELS: Readonly<Record<KvStorageKind, string>> = { fp32: 'FP32', fp8: 'FP8 E4M3', int8: 'INT8', int4: 'INT4' };
/** Bits per stored value, codes only (INT8/INT4 also keep one scale per head per token). */
export const KV_STORAGE_BITS: Readonly<Record<KvStorageKind, number>> = { fp32: 32, fp8: 8, int8: 8, int4: 4 };

/** The largest code magnitude of the integer storages: 2^(bits−1) − 1. */
export const KV_INT_QMAX = { int8: 127, int4: 7 } as const;

/** E4M3's largest finite value and smallest normal exponent (docs/numerics.md, "Floats"). */
const E4M3_MAX = 448;
const E4M3_MIN_EXP = -6;
const E4M3_MANTISSA = 3;

/** The interface TinyLM reads (structurally lib/model's KvStorage). */
export interface KvStorageOps {
  store(x: Tensor2D, which: 'k' | 'v', layer: number): Tensor2D;
}

function checkHeads(C: number, heads: number): number {
  if (!Number.isSafeInteger(heads) || heads < 1 || C % heads !== 0) throw new RangeError(`${C} channels do not split into ${heads} heads.`);
  return C / heads;
}

/**
 * The storage as tf ops on x [T, C] (C = heads × head_dim): returns x̂ with x's shape. 'fp32'
 * returns null (TinyLM then keeps keys and values as they are). Runs inside the caller's tf.tidy.
 */
export function createKvStorage(tf: Tfjs, kind: KvStorageKind, heads: number): KvStorageOps | null {
  if (kind === 'fp32') return null;
  if (kind === 'fp8') {
    return {
      store(x) {
        // step = 2^(max(floor(log2|x|), −6) − 3): E4M3's spacing at |x|; |x| = 0 takes the subnormal step.
        const a = tf.abs(x);
        const e = tf.maximum(tf.floor(tf.div(tf.log(tf.maximum(a, 2 ** -20)), Math.LN2)), E4M3_MIN_EXP);
        const step = tf.pow(2, tf.sub(e, E4M3_MANTISSA));
        return tf.clipByValue(tf.mul(tf.round(tf.div(x, step)), step), -E4M3_MAX, E4M3_MAX) as Tensor2D;
      },
    };
  }
  const qmax = KV_INT_QMAX[kind];
  return {
    store(x) {
      const [T, C] = x.shape;
      const hd = checkHeads(C, heads);
      const xh = tf.reshape(x, [T, heads, hd]);
      const absmax = tf.max(tf.abs(xh), 2, true);
      const scale = tf.where(tf.greater(absmax, 0), tf.div(absmax, qmax), tf.onesLike(absmax));
      const q = tf.clipByValue(tf.round(tf.div(xh, scale)), -qmax, qmax);
      return tf.reshape(tf.mul(q, scale), [T, C]) as Tensor2D;
    },
  };
}

/** Round half to even, as tf.round and torch.round. */
function roundHalfEven(v: number): number {
  const f = Math.floor(v);
  const d = v - f;
  if (d < 0.5) return f;
  if (d > 0.5) return f + 1;
  return f % 2 === 0 ? f : f + 1;
}

/**
 * The CPU twin in float64 of `createKvStorage` on x [T, C] row-major: the same rule, value by value.
 * FP8 uses lib/formats' E4M3 codec (roundToFormat, saturating); INT8/INT4 the per-token-per-head
 * absmax rule above. 'fp32' returns a copy.
 */
export function kvStorageReference(x: Float32Array, T: number, C: number, kind: KvStorageKind, heads: number): Float64Array {
  if (x.length !== T * C) throw new RangeError(`x holds ${x.length} values, not ${T} × ${C}.`);
  const out = Float64Array.from(x);
  if (kind === 'fp32') return out;
  if (kind === 'fp8') return out.map((v) => roundToFormat('fp8-e4m3', v));
  const hd = checkHeads(C, heads);
  const qmax = KV_INT_QMAX[kind];
  for (let t = 0; t < T; t++) {
    for (let h = 0; h < heads; h++) {
      const o = t * C + h * hd;
      let m = 0;
      for (let i = 0; i < hd; i++) m = Math.max(m, Math.abs(x[o + i]));
      const s = m > 0 ? m / qmax : 1;
      for (let i = 0; i < hd; i++) out[o + i] = Math.min(qmax, Math.max(-qmax, roundHalfEven(x[o + i] / s))) * s;
    }
  }
  return out;
}
