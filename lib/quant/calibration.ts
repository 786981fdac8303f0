/**
 * Per-tensor calibration for the quantization lab: choosing the range [lo, hi] that a tensor is
 * quantized to, from its finite min/max and a value histogram over [min, max].
 *
 * Percentile and MSE calibration act PER TENSOR, on the histogram, as PyTorch's HistogramObserver
 * does (torch/ao/quantization/observer.py: a 2048-bin histogram of the whole tensor, then a search
 * for the range that minimises the estimated L2 quantization error). Per-channel and group-wise
 * ranges always use each slice's min–max (PyTorch's PerChannelMinMaxObserver), and
 * `validateLabInput` (lib/quant/lab.ts) rejects the other combinations. The qparams of the chosen
 * range come from `computeQParams`, i.e. ../shared/NUMERICS.md "Affine (integer) quantization".
 *
 * These functions run on the CPU in every path: the GPU only builds the histogram, which is
 * read back and passed here, so the chosen range is the same whichever backend made it.
 */
import { computeQParams, dequantizeAffine, quantizeAffine } from './affine';
import type { LabSettings } from './lab-types';

/** Bins of the calibration histogram, as PyTorch's HistogramObserver (`bins=2048`). */
export const CALIBRATION_HISTOGRAM_BINS = 2048;

/** Number of MSE candidates: clip ratios c_k = 1 - k/40 for k = 0..28, i.e. 1.0 down to 0.3. */
export const MSE_CANDIDATES = 29;

/** The k-th MSE clip ratio, c_k = 1 - k / 40 (k = 0 .. MSE_CANDIDATES - 1). */
export function mseClipRatio(k: number): number {
  return 1 - k / 40;
}

export interface CalibratedRange {
  lo: number;
  hi: number;
  /** For 'mse': the chosen clip ratio c, so that [lo, hi] = [c·min, c·max]. */
  clipRatio?: number;
}

function checkInputs(min: number, max: number, histogram: Uint32Array): void {
  if (!Number.isFinite(min) || !Number.isFinite(max)) throw new RangeError('min and max must be finite');
  if (min > max) throw new RangeError(`min (${min}) is larger than max (${max})`);
  if (histogram.length < 1) throw new RangeError('the histogram needs at least one bin');
}

function histogramTotal(h: Uint32Array): number {
  let t = 0;
  for (let i = 0; i < h.length; i++) t += h[i];
  return t;
}

/**
 * Value v below which `target` of the histogram's counts lie, reading bin i as covering
 * [min + i·w, min + (i+1)·w] (w = (max - min) / bins) with its counts spread evenly (linear
 * interpolation inside the bin): v = min + (i + (target - C_i) / n_i) · w, where C_i is the count
 * in bins before i and i is the first bin with C_i + n_i >= target. target <= 0 gives min.
 */
function lowerCut(h: Uint32Array, min: number, w: number, target: number): number {
  if (target <= 0) return min;
  let cum = 0;
  for (let i = 0; i < h.length; i++) {
    const n = h[i];
    if (n > 0 && cum + n >= target) return min + (i + (target - cum) / n) * w;
    cum += n;
  }
  return min + h.length * w;
}

/** Mirror of `lowerCut`: the value v above which `target` counts lie, scanning from the top bin. */
function upperCut(h: Uint32Array, min: number, w: number, target: number, max: number): number {
  if (target <= 0) return max;
  let cum = 0;
  for (let i = h.length - 1; i >= 0; i--) {
    const n = h[i];
    if (n > 0 && cum + n >= target) return min + (i + 1 - (target - cum) / n) * w;
    cum += n;
  }
  return min;
}

/**
 * Percentile range from a value histogram over [min, max] (`valueHistogram` in lab.ts): keep p %
 * of the values by cutting (100 - p) / 2 % of the counts from each tail,
 *   lo = value with N·(100 - p)/200 counts below it, hi = value with as many counts above it,
 * interpolating linearly inside a bin (see `lowerCut`); clamped to [min, max], and lo <= hi.
 * p = 100 gives exactly [min, max]; an empty histogram gives [min, max].
 */
export function percentileRange(min: number, max: number, histogram: Uint32Array, percentile: number): { lo: number; hi: number } {
  checkInputs(min, max, histogram);
  if (!(percentile > 50 && percentile <= 100)) throw new RangeError(`percentile must be in (50, 100], got ${percentile}`);
  const total = histogramTotal(histogram);
  if (total === 0 || percentile === 100) return { lo: min, hi: max };
  const w = (max - min) / histogram.length;
  const tail = (total * (100 - percentile)) / 200;
  let lo = Math.min(max, Math.max(min, lowerCut(histogram, min, w, tail)));
  let hi = Math.min(max, Math.max(min, upperCut(histogram, min, w, tail, max)));
  if (lo > hi) lo = hi = (lo + hi) / 2;
  return { lo, hi };
}

/**
 * Estimated squared error of quantizing the histogram with range [lo, hi]:
 *   E = Σ_i n_i · (x'_i - m_i)²,   x'_i = scale · (clamp(zp + roundHalfEven(m_i · (1/scale)), qmin, qmax) - zp)
 * with (scale, zp) = computeQParams(lo, hi) (NUMERICS.md observer), m_i = float32 bin centre
 * min + (i + 0.5)·w, and quantize/dequantize exactly as `quantizeAffine`/`dequantizeAffine`
 * (float32). The sum is in float64.
 */
export function histogramQuantError(settings: LabSettings, lo: number, hi: number, centres: Float32Array, histogram: Uint32Array): number {
  const p = computeQParams(lo, hi, settings);
  const xr = dequantizeAffine(quantizeAffine(centres, p.scale, p.zeroPoint, p.qmin, p.qmax), p.scale, p.zeroPoint);
  let e = 0;
  for (let i = 0; i < centres.length; i++) {
    if (histogram[i] === 0) continue;
    const d = xr[i] - centres[i];
    e += histogram[i] * d * d;
  }
  return e;
}

/** Float32 bin centres of a `bins`-bin histogram over [min, max]: m_i = fround(min + (i + 0.5)·(max - min)/bins). */
export function binCentres(min: number, max: number, bins: number): Float32Array {
  const w = (max - min) / bins;
  const c = new Float32Array(bins);
  for (let i = 0; i < bins; i++) c[i] = min + (i + 0.5) * w;
  return c;
}

/**
 * MSE range: for each clip ratio c_k = 1 - k/40 (k = 0..28: 1.0 down to 0.3) the range is
 * [c·min, c·max] and its error `histogramQuantError`; the smallest error wins, ties going to the
 * larger c (so an error-free tensor keeps its full range). A simplified, deterministic version of
 * HistogramObserver's L2 search: both ends shrink by the same ratio.
 */
export function mseRange(settings: LabSettings, min: number, max: number, histogram: Uint32Array): { lo: number; hi: number; clipRatio: number } {
  checkInputs(min, max, histogram);
  const centres = binCentres(min, max, histogram.length);
  let best = Infinity;
  let bestC = 1;
  for (let k = 0; k < MSE_CANDIDATES; k++) {
    const c = mseClipRatio(k);
    const e = histogramQuantError(settings, c * min, c * max, centres, histogram);
    if (e < best) { best = e; bestC = c; }
  }
  return { lo: bestC * min, hi: bestC * max, clipRatio: bestC };
}

/**
 * The per-tensor range for `settings.calibration`, given the tensor's finite [min, max] and
 * `histogram` = valueHistogram(x, min, max, bins) (lab.ts; CALIBRATION_HISTOGRAM_BINS in the lab):
 *   'minmax'     → [min, max] (the observer of NUMERICS.md);
 *   'percentile' → `percentileRange` with settings.percentile;
 *   'mse'        → `mseRange`, with clipRatio.
 * Per tensor only (see the module comment).
 */
export function calibrateTensorRange(settings: LabSettings, min: number, max: number, histogram: Uint32Array): CalibratedRange {
  checkInputs(min, max, histogram);
  switch (settings.calibration) {
    case 'minmax':
      return { lo: min, hi: max };
    case 'percentile':
      return percentileRange(min, max, histogram, settings.percentile);
    case 'mse':
      return mseRange(settings, min, max, histogram);
    default:
      throw new RangeError(`unknown calibration ${String(settings.calibration)}`);
  }
}
