/**
 * Fake quantization for quantization-aware training (QAT): quantize and immediately dequantize in
 * the forward pass, and let the gradient through where the value was not clipped (the
 * straight-through estimator). Source: docs/numerics.md "Affine (integer) quantization"
 * (PyTorch `torch.fake_quantize_per_tensor_affine` / `fake_quantize.py`, and the aten kernel
 * `fake_quantize_tensor_cachemask_kernel`, which computes the output and the mask in one pass).
 */
import { roundHalfEven } from './affine';

export interface FakeQuantizeResult {
  /** y = (clamp(zp + roundHalfEven(x * (1/scale)), qmin, qmax) - zp) * scale, float32. */
  y: Float32Array;
  /** 1 where the straight-through estimator passes the gradient (dy/dx = 1), 0 where it is blocked. */
  mask: Uint8Array;
}

/**
 * y = (clamp(zp + roundHalfEven(x / scale), qmin, qmax) - zp) * scale (docs/numerics.md, fake quantization).
 *
 * Computed as PyTorch's fake_quantize does, and as `quantizeAffine`: x / scale is x * fround(1 / scale)
 * rounded to float32, and the output product is rounded to float32. So y equals
 * `dequantizeAffine(quantizeAffine(x, ...))` element for element.
 *
 * mask[i] = 1 when the unclamped code zp + roundHalfEven(x * (1/scale)) lies inside [qmin, qmax]
 * (the straight-through estimator passes the gradient there), else 0 (the value was clipped and the
 * gradient is zero) — PyTorch's `(quant_min <= qval) & (qval <= quant_max)`.
 *
 * Non-finite input: NaN gives y = NaN and mask 0 (PyTorch leaves NaN undefined; keeping it NaN makes
 * a bad value visible downstream instead of silently turning it into the zero point). +Inf / -Inf
 * clamp to qmax / qmin like any out-of-range value (y = (qmax - zp) * scale or (qmin - zp) * scale)
 * with mask 0.
 *
 * Throws a RangeError when scale is not a positive finite number, qmin/qmax are not integers with
 * qmin <= qmax, or zeroPoint is not an integer in [qmin, qmax] (PyTorch checks the same).
 */
export function fakeQuantize(x: Float32Array, scale: number, zeroPoint: number, qmin: number, qmax: number): FakeQuantizeResult {
  if (!Number.isFinite(scale) || scale <= 0) throw new RangeError(`scale must be a positive finite number, got ${scale}`);
  if (!Number.isInteger(qmin) || !Number.isInteger(qmax) || qmin > qmax) throw new RangeError(`qmin and qmax must be integers with qmin <= qmax, got [${qmin}, ${qmax}]`);
  if (!Number.isInteger(zeroPoint) || zeroPoint < qmin || zeroPoint > qmax) throw new RangeError(`zeroPoint must be an integer in [${qmin}, ${qmax}], got ${zeroPoint}`);
  const f = Math.fround;
  const inv = f(1 / scale);
  const n = x.length;
  const y = new Float32Array(n);
  const mask = new Uint8Array(n);
  for (let i = 0; i < n; i++) {
    const v = x[i];
    if (v !== v) { y[i] = Number.NaN; continue; } // NaN: y NaN, mask stays 0
    const code = zeroPoint + roundHalfEven(f(v * inv));
    let c = code;
    if (code < qmin) c = qmin;
    else if (code > qmax) c = qmax;
    else mask[i] = 1;
    y[i] = (c - zeroPoint) * scale; // exact in float64, rounded once to float32 on store
  }
  return { y, mask };
}
