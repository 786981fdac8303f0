/**
 * AWQ's scale search with its heavy part on the active tfjs backend: for every α of the grid at
 * once, W · diag s, llm-awq's group-wise pseudo-quantization, the division by s and the error
 * mean((X Wᵀ − X W'ᵀ)²) = mean((X (W − W')ᵀ)²) as one batched matmul. The statistic mean_t |x_tj|
 * and the scales s(α) (a vector per α) come from lib/quant/awq.ts on the CPU, and the first α with
 * the lowest error wins, as there. Rules: lib/quant/awq.ts; docs/numerics.md "Beyond round-to-nearest".
 *
 * tfjs computes in float32 (rounding half to even on every backend, as the reference), where the
 * CPU reference runs float64: a code can differ where a value falls within float32 rounding of a
 * half step, and two α whose errors are nearly equal can swap ranks. The "Check your GPU" page
 * measures both (lib/compute/methods-selftest.ts).
 */
import type { Tensor, Tensor1D, Tensor2D, Tensor3D } from '@tensorflow/tfjs-core';
import { awqActivationMean, awqScales, checkAwqInputs, type AwqOptions, type AwqResult } from '../quant/awq';
import type { MethodPath } from './gptq-gpu';
import type { Compute, Tfjs } from './index';

/** Most float32 values of W · diag s held per pass (α values are batched up to this). */
export const AWQ_GPU_BATCH_VALUES = 1 << 22;

export interface AwqDeviceResult extends AwqResult {
  /** The tfjs backend the search ran on. */
  path: MethodPath;
}

/**
 * W' = Q(W · diag s)/s for each row of `s` ([m, cols]): [m, rows, cols]. llm-awq's
 * pseudo_quantize_tensor per group of `width` along rows: scale = max(max − min, 1e-5)/maxq,
 * zero = clamp(−round(min/scale), 0, maxq), q = clamp(round(w/scale) + zero, 0, maxq).
 */
function effectiveWeights(tf: Tfjs, w: Tensor2D, s: Tensor2D, width: number, maxq: number): Tensor3D {
  return tf.tidy(() => {
    const [rows, cols] = w.shape;
    const m = s.shape[0];
    const sRows = tf.reshape(s, [m, 1, cols]);
    const g = tf.reshape(tf.mul(tf.reshape(w, [1, rows, cols]), sRows), [m, (rows * cols) / width, width]);
    const hi = tf.max(g, -1, true);
    const lo = tf.min(g, -1, true);
    const scale = tf.div(tf.maximum(tf.sub(hi, lo), 1e-5), maxq);
    const zero = tf.clipByValue(tf.neg(tf.round(tf.div(lo, scale))), 0, maxq);
    const q = tf.clipByValue(tf.add(tf.round(tf.div(g, scale)), zero), 0, maxq);
    return tf.div(tf.reshape(tf.mul(tf.sub(q, zero), scale), [m, rows, cols]), sRows) as Tensor3D;
  });
}

/**
 * AWQ's search for one Linear (see lib/quant/awq.ts `awq` for the rules and options) with the
 * per-α quantize-and-matmul on the active backend. Throws what `awq` throws.
 */
export async function awqOnDevice(compute: Compute, w: ArrayLike<number>, shape: [number, number], x: ArrayLike<number>, xShape: [number, number], o: AwqOptions): Promise<AwqDeviceResult> {
  const grid = checkAwqInputs(w, shape, x, xShape, o);
  const { tf } = compute;
  const [rows, cols] = shape;
  const n = xShape[0];
  const width = o.groupSize === -1 ? cols : o.groupSize;
  const maxq = 2 ** o.bits - 1;
  const activationMean = awqActivationMean(x, xShape);
  const scales = Array.from({ length: grid }, (_, k) => awqScales(activationMean, k / grid));
  const perPass = Math.max(1, Math.floor(AWQ_GPU_BATCH_VALUES / (rows * cols)));
  const W = tf.tensor2d(Float32Array.from(w), [rows, cols]);
  const X = tf.tensor2d(Float32Array.from(x), [n, cols]);
  const losses = new Float64Array(grid);
  const passes: Tensor[] = [];
  try {
    for (let k0 = 0; k0 < grid; k0 += perPass) {
      const m = Math.min(perPass, grid - k0);
      const s = new Float32Array(m * cols);
      for (let i = 0; i < m; i++) s.set(scales[k0 + i], i * cols);
      const loss = tf.tidy(() => {
        const wq = effectiveWeights(tf, W, tf.tensor2d(s, [m, cols]), width, maxq);
        const d = tf.reshape(tf.sub(tf.reshape(W, [1, rows, cols]), wq), [m * rows, cols]);
        const y = tf.matMul(X, d, false, true); // [n, m · rows]
        return tf.div(tf.sum(tf.reshape(tf.square(y), [n, m, rows]), [0, 2]), n * rows) as Tensor1D;
      });
      passes.push(loss);
      losses.set(await loss.data(), k0);
    }
    let best = Infinity, bestK = -1;
    for (let k = 0; k < grid; k++) {
      if (losses[k] < best) {
        best = losses[k];
        bestK = k;
      }
    }
    if (bestK < 0) throw new RangeError('AWQ: no α gave a finite error');
    const chosen = Float32Array.from(scales[bestK]);
    const wq = tf.tidy(() => effectiveWeights(tf, W, tf.tensor2d(chosen, [1, cols]), width, maxq));
    passes.push(wq);
    const weight = (await wq.data()) as Float32Array;
    return {
      alpha: bestK / grid,
      scales: chosen,
      weight,
      error: best,
      losses,
      activationMean,
      path: compute.backend,
    };
  } finally {
    W.dispose();
    X.dispose();
    for (const t of passes) t.dispose();
  }
}
