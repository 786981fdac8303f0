/**
 * Error metrics for a quantize -> dequantize round trip, as reported by the quantization widgets
 * (the fields of `LabStats` in lib/lab/types.ts). All sums are accumulated in float64.
 *
 * Non-finite values: every function skips NaN and ±Inf. Pairwise metrics (mse, sqnrDb, maxAbsError)
 * skip index i when either a[i] or b[i] is not finite; widgets count and report non-finite values
 * separately (docs/design.md "Quality bar": NaN or Inf in a tensor gets a clear message, never a silent
 * wrong number). Pairwise inputs of different lengths throw a RangeError.
 */
import { roundHalfEven } from './affine';

type Values = ArrayLike<number>;

function checkSameLength(a: Values, b: Values): void {
  if (a.length !== b.length) throw new RangeError(`the two arrays must have the same length, got ${a.length} and ${b.length}`);
}

/** MSE = (1/n) Σ (a_i - b_i)^2 over the n indices where both are finite; 0 when there are none. */
export function mse(a: Values, b: Values): number {
  checkSameLength(a, b);
  let s = 0, n = 0;
  for (let i = 0; i < a.length; i++) {
    const d = a[i] - b[i];
    if (d - d !== 0) continue; // NaN or ±Inf on either side (Inf - Inf is NaN too)
    s += d * d;
    n++;
  }
  return n === 0 ? 0 : s / n;
}

/**
 * Signal-to-quantization-noise ratio in decibels: SQNR = 10 log10(Σ x_i^2 / Σ (x_i - x'_i)^2), over
 * indices where both x_i and x'_i are finite. Infinity when the reconstruction is identical (zero
 * noise, including empty input); -Infinity when the signal is all zero but the noise is not.
 * Each bit of a uniform quantizer adds about 6.02 dB.
 */
export function sqnrDb(signal: Values, reconstructed: Values): number {
  checkSameLength(signal, reconstructed);
  let sig = 0, noise = 0;
  for (let i = 0; i < signal.length; i++) {
    const x = signal[i], d = x - reconstructed[i];
    if (d - d !== 0) continue;
    sig += x * x;
    noise += d * d;
  }
  if (noise === 0) return Infinity;
  return 10 * Math.log10(sig / noise);
}

/** max_i |a_i - b_i| over indices where both are finite; 0 when there are none. */
export function maxAbsError(a: Values, b: Values): number {
  checkSameLength(a, b);
  let m = 0;
  for (let i = 0; i < a.length; i++) {
    const d = Math.abs(a[i] - b[i]);
    if (d > m && d !== Infinity) m = d; // NaN compares false
  }
  return m;
}

/**
 * Share of finite x whose unclamped code zp + roundHalfEven(x * (1/scale)) falls outside
 * [qmin, qmax] (docs/numerics.md, affine quantization) — the elements that clamping moves, and where
 * fake quantization's straight-through estimator blocks the gradient. The code is computed as
 * `quantizeAffine` does (1/scale and the product in float32), so it agrees with `fakeQuantize`'s
 * mask. NaN/Inf are skipped (neither counted nor in the denominator); 0 when no value is finite.
 */
export function clippedFraction(x: Values, scale: number, zeroPoint: number, qmin: number, qmax: number): number {
  if (!Number.isFinite(scale) || scale <= 0) throw new RangeError(`scale must be a positive finite number, got ${scale}`);
  const f = Math.fround;
  const inv = f(1 / scale);
  let clipped = 0, n = 0;
  for (let i = 0; i < x.length; i++) {
    const v = x[i];
    if (v - v !== 0) continue;
    n++;
    const code = zeroPoint + roundHalfEven(f(v * inv));
    if (code < qmin || code > qmax) clipped++;
  }
  return n === 0 ? 0 : clipped / n;
}

/**
 * Counts of the finite values of x in `bins` equal bins over [lo, hi]:
 * bin = floor((x - lo) * bins / (hi - lo)), clamped to [0, bins - 1] — so values below lo land in the
 * first bin, values at or above hi in the last. When hi <= lo (or hi - lo overflows float64) every
 * finite value lands in bin 0.
 * NaN/Inf are skipped. Throws a RangeError unless bins is a positive whole number and lo, hi finite.
 */
export function histogram(x: Values, lo: number, hi: number, bins: number): Uint32Array {
  if (!Number.isInteger(bins) || bins <= 0) throw new RangeError(`bins must be a positive whole number, got ${bins}`);
  if (!Number.isFinite(lo) || !Number.isFinite(hi)) throw new RangeError(`lo and hi must be finite, got ${lo} and ${hi}`);
  const out = new Uint32Array(bins);
  const k = bins / (hi - lo);
  const last = bins - 1;
  if (!(hi > lo) || !Number.isFinite(k) || k === 0) { // degenerate range, or a span that overflows float64
    for (let i = 0; i < x.length; i++) if (x[i] - x[i] === 0) out[0]++;
    return out;
  }
  for (let i = 0; i < x.length; i++) {
    const v = x[i];
    if (v - v !== 0) continue;
    const b = Math.floor((v - lo) * k); // ±Infinity for huge spans clamps below; never NaN (k > 0)
    out[b < 0 ? 0 : b > last ? last : b]++;
  }
  return out;
}
