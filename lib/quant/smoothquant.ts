/**
 * SmoothQuant's migration (Xiao, Lin, Seznec, Wu, Demouth & Han 2023, "SmoothQuant: Accurate and
 * Efficient Post-Training Quantization for Large Language Models", §4, eq. 4), as mit-han-lab
 * `smoothquant/smooth.py` `smooth_ln_fcs` computes it, with the activation statistic of
 * `smoothquant/calibration.py` `get_act_scales`. Rules: docs/numerics.md "Beyond round-to-nearest".
 *
 * X is [n, in], W is [out, in] (nn.Linear), y = X Wᵀ. float64 throughout.
 */
import { checkMatrix } from './input-checks';

/** Per input channel j: max over tokens of |x_tj| (calibration's act_scales). */
export function channelAbsmax(x: ArrayLike<number>, shape: [number, number]): Float64Array {
  checkMatrix(x, shape, 'x');
  const [n, cols] = shape;
  const m = new Float64Array(cols);
  for (let t = 0; t < n; t++) {
    for (let j = 0; j < cols; j++) {
      const v = Math.abs(x[t * cols + j]);
      if (v > m[j]) m[j] = v;
    }
  }
  return m;
}

/**
 * SmoothQuant's scales: s_j = max(actAbsmax_j^α / max(wAbsmax_j, 1e-5)^(1−α), 1e-5), where
 * wAbsmax_j = max over the rows of every weight that reads this input (q, k and v share one) of
 * |W_rj|. α (default 0.5) moves quantization difficulty from X (α → 1) to W.
 */
export function smoothQuantScales(actAbsmax: ArrayLike<number>, weights: { w: ArrayLike<number>; shape: [number, number] }[], alpha = 0.5): Float64Array {
  if (!Number.isFinite(alpha) || alpha < 0 || alpha > 1) throw new RangeError(`alpha must be a number from 0 to 1, got ${alpha}`);
  const cols = actAbsmax.length;
  if (weights.length === 0) throw new RangeError('SmoothQuant needs at least one weight that reads these activations');
  for (let j = 0; j < cols; j++) {
    const a = actAbsmax[j];
    if (!(a >= 0) || !Number.isFinite(a)) throw new RangeError(`actAbsmax[${j}] is ${a}; it must be a finite number ≥ 0`);
  }
  const wmax = new Float64Array(cols);
  weights.forEach(({ w, shape }, i) => {
    checkMatrix(w, shape, `weights[${i}]`);
    if (shape[1] !== cols) throw new RangeError(`weights[${i}] has ${shape[1]} input columns but there are ${cols} activation channels`);
    for (let r = 0; r < shape[0]; r++) {
      for (let j = 0; j < cols; j++) {
        const v = Math.abs(w[r * cols + j]);
        if (v > wmax[j]) wmax[j] = v;
      }
    }
  });
  const s = new Float64Array(cols);
  for (let j = 0; j < cols; j++) s[j] = Math.max(actAbsmax[j] ** alpha / Math.max(wmax[j], 1e-5) ** (1 - alpha), 1e-5);
  return s;
}

/**
 * The migration itself: X' = X diag(s)⁻¹ and W' = W diag(s) (W scaled along its input axis), so
 * X' W'ᵀ = X Wᵀ before any quantization. (The reference folds diag(s)⁻¹ into the preceding
 * LayerNorm instead of dividing X at run time.) Scales from `smoothQuantScales` over X's channel
 * absmax and this one weight.
 */
export function smoothQuant(x: ArrayLike<number>, xShape: [number, number], w: ArrayLike<number>, wShape: [number, number], alpha = 0.5): { scales: Float64Array; x: Float64Array; w: Float64Array } {
  if (xShape[1] !== wShape[1]) throw new RangeError(`x has ${xShape[1]} columns but w has ${wShape[1]}: W is [out, in] and X is [tokens, in]`);
  const scales = smoothQuantScales(channelAbsmax(x, xShape), [{ w, shape: wShape }], alpha);
  const cols = xShape[1];
  const xs = new Float64Array(x.length);
  for (let i = 0; i < x.length; i++) xs[i] = x[i] / scales[i % cols];
  const ws = new Float64Array(w.length);
  for (let i = 0; i < w.length; i++) ws[i] = w[i] * scales[i % cols];
  return { scales, x: xs, w: ws };
}
