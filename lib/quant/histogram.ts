/**
 * The value histogram that percentile and MSE calibration read (lib/quant/calibration.ts), in the
 * float32 arithmetic the GPU histogram kernel (lib/compute/kernels/cells.ts) uses, so both put every
 * value in the same bin. The error histograms of the quantization lab use the same binning.
 */
const f = Math.fround;

/**
 * The float32 reciprocal bin width of a `bins`-bin histogram over [lo, hi]:
 * fround(bins / (hi - lo)) when hi > lo and that is finite, else 0 (everything then falls in bin 0).
 * The GPU histogram kernel receives this value as a uniform.
 */
export function histogramInvWidth(lo: number, hi: number, bins: number): number {
  if (!(hi > lo)) return 0;
  const inv = f(bins / (hi - lo));
  return Number.isFinite(inv) ? inv : 0;
}

/**
 * Bin of v in a histogram starting at lo: floor(fround(fround(v - lo) · invWidth)), clamped to
 * [0, bins - 1]; a NaN product (∞ · 0) goes to bin 0.
 */
export function histogramBin(v: number, lo: number, invWidth: number, bins: number): number {
  const b = Math.floor(f(f(v - lo) * invWidth));
  return b > 0 ? (b < bins - 1 ? b : bins - 1) : 0;
}

/**
 * Histogram of the finite values of x in `bins` equal bins over [lo, hi]:
 * invWidth = fround(bins / (hi - lo)) (`histogramInvWidth`; hi <= lo puts everything in bin 0),
 * bin = floor(fround(fround(x - lo) · invWidth)) clamped to [0, bins - 1] (`histogramBin`).
 * NaN and ±Inf are skipped. Used over the tensor's [min, max] for percentile/MSE calibration.
 */
export function valueHistogram(x: Float32Array, lo: number, hi: number, bins: number): Uint32Array {
  if (!(Number.isInteger(bins) && bins > 0)) throw new RangeError(`bins must be a positive whole number, got ${bins}`);
  const h = new Uint32Array(bins);
  const inv = histogramInvWidth(lo, hi, bins);
  for (let i = 0; i < x.length; i++) {
    const v = x[i];
    if (Number.isFinite(v)) h[histogramBin(v, lo, inv, bins)]++;
  }
  return h;
}
