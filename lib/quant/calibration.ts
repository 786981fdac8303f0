/**
 * Per-tensor calibration for the quantization lab: choosing the range [lo, hi] that a tensor is
 * quantized to, from its finite min/max and a value histogram over [min, max].
 *
 * Percentile and MSE calibration act PER TENSOR, on the histogram, as PyTorch's HistogramObserver
 * does (torch/ao/quantization/observer.py: a 2048-bin histogram of the whole tensor, then a search
 * for the range that minimises the estimated L2 quantization error). Per-channel and group-wise
 * ranges always use each slice's min–max (PyTorch's PerChannelMinMaxObserver), and
 * `validateLabInput` (lib/lab/lab.ts) rejects the other combinations. The qparams of the chosen
 * range come from `computeQParams`, i.e. docs/numerics.md "Affine (integer) quantization".
 *
 * These functions run on the CPU in every path: the GPU only builds the histogram, which is
 * read back and passed here, so the chosen range is the same whichever backend made it.
 */
import { computeQParams } from './affine';
import type { QuantOptions } from './affine';

/** How a per-tensor range is chosen: the observed min/max, a percentile of |x|, or the MSE search. */
export type Calibration = 'minmax' | 'percentile' | 'mse';

/** What calibration reads from a quantizer's settings (the lab's LabSettings is one). */
export interface CalibrationSettings extends QuantOptions {
  calibration: Calibration;
  /** For 'percentile': the share of values kept inside the range, e.g. 99.9. */
  percentile: number;
}

/** Bins of the calibration histogram, as PyTorch's HistogramObserver (`bins=2048`). */
export const CALIBRATION_HISTOGRAM_BINS = 2048;

/**
 * MSE clip-ratio grid: c_k = 2^(-k / MSE_GRID_PER_HALVING), eight ratios per halving, so that
 * neighbouring candidates differ by the factor 2^(-1/8) ≈ 0.917 at every scale.
 */
export const MSE_GRID_PER_HALVING = 8;

/**
 * Smallest clip ratio the MSE search tries on a `bins`-bin histogram: 1 / bins, a range one
 * histogram bin wide. A smaller range falls inside one bin, where the histogram (which knows only
 * each bin's count, at its centre) cannot tell candidates apart: this is the whole range of
 * ratios the data can ask for.
 */
export function mseMinClipRatio(bins: number = CALIBRATION_HISTOGRAM_BINS): number {
  return 1 / bins;
}

/**
 * Number of grid ratios on a `bins`-bin histogram: k = 0 .. K with K = ceil(8 · log2(bins)), i.e.
 * 89 for 2048 bins (1 down to 2^-11 = 1/2048).
 */
export function mseGridSize(bins: number = CALIBRATION_HISTOGRAM_BINS): number {
  return Math.ceil(MSE_GRID_PER_HALVING * Math.log2(bins)) + 1;
}

/** Number of MSE grid candidates on the lab's 2048-bin histogram (89). */
export const MSE_CANDIDATES = mseGridSize(CALIBRATION_HISTOGRAM_BINS);

/** The k-th MSE grid clip ratio, c_k = 2^(-k / 8) (k = 0 .. MSE_CANDIDATES - 1). */
export function mseClipRatio(k: number): number {
  return 2 ** (-k / MSE_GRID_PER_HALVING);
}

/**
 * Golden-section steps that refine the best grid ratio inside the bracket of its two neighbours;
 * 24 steps shrink the bracket by 0.618^24 ≈ 1e-5 (about 2e-6 of the ratio).
 */
export const MSE_REFINE_STEPS = 24;

/**
 * The percentile ranges the MSE search also tries, the "Keep (%)" choices of the lab: MSE then
 * keeps whichever range is best, so its estimated error is never above min–max's or these
 * percentiles' on the same histogram.
 */
export const MSE_PERCENTILE_CANDIDATES: readonly number[] = [99, 99.9, 99.99, 99.999];

export interface CalibratedRange {
  lo: number;
  hi: number;
  /** For 'mse': the share of [min, max] the range keeps, (hi - lo) / (max - min) (see `mseRange`). */
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
 * with (scale, zp) = computeQParams(lo, hi) (docs/numerics.md observer), m_i = float32 bin centre
 * min + (i + 0.5)·w, and quantize/dequantize exactly as `quantizeAffine`/`dequantizeAffine`
 * (1/scale, m_i · (1/scale) and x'_i in float32). The sum is in float64. Empty bins are skipped.
 */
export function histogramQuantError(settings: CalibrationSettings, lo: number, hi: number, centres: Float32Array, histogram: Uint32Array): number {
  return binsQuantError(settings, lo, hi, centres, histogram);
}

/** `histogramQuantError` over bin centres and counts given as parallel arrays (no allocation). */
function binsQuantError(settings: CalibrationSettings, lo: number, hi: number, centres: Float32Array, counts: ArrayLike<number>): number {
  const p = computeQParams(lo, hi, settings);
  const f = Math.fround;
  const inv = f(1 / p.scale);
  const { scale, zeroPoint: zp, qmin, qmax } = p;
  let e = 0;
  for (let i = 0; i < centres.length; i++) {
    const n = counts[i];
    if (n === 0) continue;
    const m = centres[i];
    const t = f(m * inv);
    let r = Math.round(t); // rounds halves up; a tie (r - t = 0.5) goes to the even neighbour, as roundHalfEven
    if (r - t === 0.5 && r % 2 !== 0) r -= 1;
    const v = zp + r;
    const q = v < qmin ? qmin : v > qmax ? qmax : v;
    const d = f(scale * (q - zp)) - m;
    e += n * d * d;
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
 * Minimises `error(c)` over clip ratios: first the grid c_k = `mseClipRatio(k)`, k = 0 .. grid - 1
 * (the first of equal errors wins, so ties go to the larger c), then `MSE_REFINE_STEPS` steps of
 * golden-section search between the best grid ratio's neighbours c_{k+1} and c_{k-1}. `error`
 * records every range it is given, so the caller keeps the best of all of them.
 */
function searchClipRatio(error: (c: number) => number, grid: number): void {
  let bestK = 0;
  let bestE = Infinity;
  for (let k = 0; k < grid; k++) {
    const e = error(mseClipRatio(k));
    if (e < bestE) { bestE = e; bestK = k; }
  }
  let a = mseClipRatio(Math.min(grid - 1, bestK + 1));
  let b = mseClipRatio(Math.max(0, bestK - 1));
  const g = (Math.sqrt(5) - 1) / 2;
  let x1 = b - g * (b - a);
  let x2 = a + g * (b - a);
  let f1 = error(x1);
  let f2 = error(x2);
  for (let i = 2; i < MSE_REFINE_STEPS; i++) {
    if (f1 <= f2) {
      b = x2; x2 = x1; f2 = f1;
      x1 = b - g * (b - a); f1 = error(x1);
    } else {
      a = x1; x1 = x2; f1 = f2;
      x2 = a + g * (b - a); f2 = error(x2);
    }
  }
}

/** Result of `mseRange`. */
export interface MseRange {
  lo: number;
  hi: number;
  /** Share of the full width the range keeps, (hi - lo) / (max - min): c when both ends shrink by c; 1 if max = min. */
  clipRatio: number;
}

/**
 * MSE range: the candidate range with the smallest `histogramQuantError`, a deterministic
 * simplification of HistogramObserver's L2 search. Candidates, in order (a range replaces the
 * best so far only if its error is strictly smaller, so min–max wins ties and an error-free
 * tensor keeps its full range):
 *   1. [min, max], then both ends shrunk by the same ratio, [c·min, c·max]: every grid ratio
 *      c_k = 2^(-k/8) from 1 down to 1/bins (`mseClipRatio`, `mseMinClipRatio`), then a
 *      golden-section refinement of the best one (`MSE_REFINE_STEPS`);
 *   2. the percentile ranges of `MSE_PERCENTILE_CANDIDATES` (`percentileRange`);
 *   3. asymmetric (affine) grids only, where the two ends matter separately: the lower end alone,
 *      [a·min, hi*], then the upper end alone, [lo*, b·max], each over the same grid plus
 *      refinement, starting from the best range (lo*, hi*) so far. (A symmetric grid depends only
 *      on max(-lo, hi), which step 1 already searches in full.)
 * So its estimated error is never above min–max's or those percentiles' on the same histogram.
 * Cost: about 120 error evaluations (symmetric) or 350 (affine), each one pass over the
 * non-empty bins.
 */
export function mseRange(settings: CalibrationSettings, min: number, max: number, histogram: Uint32Array): MseRange {
  checkInputs(min, max, histogram);
  const bins = histogram.length;
  const all = binCentres(min, max, bins);
  let used = 0;
  for (let i = 0; i < bins; i++) if (histogram[i] > 0) used++;
  const centres = new Float32Array(used);
  const counts = new Float64Array(used);
  for (let i = 0, j = 0; i < bins; i++) {
    if (histogram[i] > 0) { centres[j] = all[i]; counts[j] = histogram[i]; j++; }
  }
  let bestLo = min;
  let bestHi = max;
  let best = binsQuantError(settings, min, max, centres, counts);
  const tryRange = (lo: number, hi: number): number => {
    if (lo > hi) return Infinity; // one end moved past the other (a one-signed tensor): not a range
    const e = binsQuantError(settings, lo, hi, centres, counts);
    if (e < best) { best = e; bestLo = lo; bestHi = hi; }
    return e;
  };
  const grid = mseGridSize(bins);
  searchClipRatio((c) => tryRange(c * min, c * max), grid);
  for (const p of MSE_PERCENTILE_CANDIDATES) {
    const r = percentileRange(min, max, histogram, p);
    tryRange(r.lo, r.hi);
  }
  if (!settings.symmetric) {
    if (min < 0) {
      const hi = bestHi;
      searchClipRatio((a) => tryRange(a * min, hi), grid);
    }
    if (max > 0) {
      const lo = bestLo;
      searchClipRatio((b) => tryRange(lo, b * max), grid);
    }
  }
  return { lo: bestLo, hi: bestHi, clipRatio: max > min ? (bestHi - bestLo) / (max - min) : 1 };
}

/**
 * The per-tensor range for `settings.calibration`, given the tensor's finite [min, max] and
 * `histogram` = valueHistogram(x, min, max, bins) (lab.ts; CALIBRATION_HISTOGRAM_BINS in the lab):
 *   'minmax'     → [min, max] (the observer of docs/numerics.md);
 *   'percentile' → `percentileRange` with settings.percentile;
 *   'mse'        → `mseRange`, with clipRatio.
 * Per tensor only (see the module comment).
 */
export function calibrateTensorRange(settings: CalibrationSettings, min: number, max: number, histogram: Uint32Array): CalibratedRange {
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
