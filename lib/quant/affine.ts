/**
 * Affine (integer) quantization with PyTorch's semantics — the CPU reference that every GPU path is
 * tested against (docs/design.md rule 3). Source: docs/numerics.md "Affine (integer) quantization"
 * (aten AffineQuantizerBase.cpp `quantize_val`, torch/ao/quantization/observer.py
 * `_calculate_qparams`). Arithmetic that PyTorch does in float32 is rounded to float32 here with
 * Math.fround, so scales and codes agree bit for bit.
 */

export interface QuantOptions {
  bits: number;
  signed: boolean;
  symmetric: boolean;
}

export interface QParams {
  scale: number;
  zeroPoint: number;
  qmin: number;
  qmax: number;
}

/** float32 machine epsilon, 2^-23: the smallest scale an observer returns. */
export const QPARAM_EPS = 2 ** -23;

/** Integer range of a b-bit code: signed [-2^(b-1), 2^(b-1) - 1], unsigned [0, 2^b - 1]. */
export function integerRange(bits: number, signed: boolean): { qmin: number; qmax: number } {
  if (!Number.isInteger(bits) || bits < 2 || bits > 16) throw new RangeError(`bits must be a whole number from 2 to 16, got ${bits}`);
  return signed ? { qmin: -(2 ** (bits - 1)), qmax: 2 ** (bits - 1) - 1 } : { qmin: 0, qmax: 2 ** bits - 1 };
}

/** Rounds half to even (banker's rounding), as torch.round / std::nearbyint: 42.5 -> 42, 43.5 -> 44. */
export function roundHalfEven(x: number): number {
  const r = Math.round(x);
  return Math.abs(x % 1) === 0.5 && r % 2 !== 0 ? r - 1 : r;
}

/**
 * Min/max observer: widen [min, max] to hold 0, then
 * affine: scale = max(eps, (hi - lo) / (qmax - qmin)), zp = clamp(qmin - round(lo / scale), qmin, qmax);
 * symmetric: scale = max(eps, max(-lo, hi) / ((qmax - qmin) / 2)), zp = 0 signed, 2^(b-1) unsigned.
 */
export function computeQParams(min: number, max: number, o: QuantOptions): QParams {
  if (!Number.isFinite(min) || !Number.isFinite(max)) throw new RangeError('min and max must be finite');
  if (min > max) throw new RangeError(`min (${min}) is larger than max (${max})`);
  const { qmin, qmax } = integerRange(o.bits, o.signed);
  const f = Math.fround;
  const lo = f(Math.min(min, 0));
  const hi = f(Math.max(max, 0));
  if (o.symmetric) {
    const absMax = Math.max(-lo, hi);
    const scale = Math.max(QPARAM_EPS, f(absMax / f((qmax - qmin) / 2)));
    return { scale, zeroPoint: o.signed ? 0 : 2 ** (o.bits - 1), qmin, qmax };
  }
  const scale = Math.max(QPARAM_EPS, f(f(hi - lo) / (qmax - qmin)));
  const zp = qmin - roundHalfEven(f(lo / scale));
  return { scale, zeroPoint: Math.min(qmax, Math.max(qmin, zp)), qmin, qmax };
}

/**
 * q = clamp(zp + roundHalfEven(x * (1/scale)), qmin, qmax), with 1/scale and the product in float32.
 * A NaN input (undefined behaviour in PyTorch) gets the zero point here and in every GPU kernel, so
 * that paths agree; widgets count and report NaNs separately.
 */
export function quantizeAffine(x: Float32Array, scale: number, zeroPoint: number, qmin: number, qmax: number): Int32Array {
  const inv = Math.fround(1 / scale);
  const q = new Int32Array(x.length);
  for (let i = 0; i < x.length; i++) {
    if (Number.isNaN(x[i])) { q[i] = zeroPoint; continue; }
    const v = zeroPoint + roundHalfEven(Math.fround(x[i] * inv));
    q[i] = v < qmin ? qmin : v > qmax ? qmax : v;
  }
  return q;
}

/**
 * x · (1/scale) in float32, the value that quantizeAffine rounds (docs/numerics.md: "with 1/scale taken
 * in float32"): for the check value 0.5 at scale 3/255 it is exactly 42.5, a tie that rounds to 42.
 */
export function scaledByInverse(x: number, scale: number): number {
  return Math.fround(Math.fround(x) * Math.fround(1 / scale));
}

/** x' = scale * (q - zp), in float32. */
export function dequantizeAffine(q: Int32Array, scale: number, zeroPoint: number): Float32Array {
  const out = new Float32Array(q.length);
  for (let i = 0; i < q.length; i++) out[i] = scale * (q[i] - zeroPoint);
  return out;
}

/** Smallest and largest finite value of `x` (one pass); NaN/Inf entries are skipped and counted. */
export function finiteMinMax(x: Float32Array): { min: number; max: number; nonFinite: number } {
  let min = Infinity, max = -Infinity, nonFinite = 0;
  for (let i = 0; i < x.length; i++) {
    const v = x[i];
    if (!Number.isFinite(v)) { nonFinite++; continue; }
    if (v < min) min = v;
    if (v > max) max = v;
  }
  if (min > max) return { min: 0, max: 0, nonFinite };
  return { min, max, nonFinite };
}
