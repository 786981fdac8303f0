/**
 * Per-tensor error statistics from the tensor's values in ascending order, without a pass over
 * every element. With one (scale, zero-point) for the whole tensor, every quantity that
 * `analyzeReference` (lib/lab/lab.ts) computes per element is a monotone function of x:
 *   u(x) = zp + roundHalfEven(fround(x · fround(1/scale)))   non-decreasing in x;
 *   q(x) = clamp(u(x), qmin, qmax)                           non-decreasing in x;
 *   for a fixed code q, x' = fround(scale · (q - zp)) is fixed and
 *   err(x) = fround(x' - x)                                  non-increasing in x;
 *   bin(err) = floor(fround(fround(err + range) · invWidth)), clamped   non-decreasing in err
 * (fround, roundHalfEven, floor and clamping are monotone, and invWidth ≥ 0). So over the sorted
 * values the codes form runs, and inside a run of one code the error bins form runs too: binary
 * searches for the ends of the runs give the error histogram, the largest |err| (at the ends of
 * a run) and the clipped count (u < qmin or u > qmax, a prefix and a suffix) — the same numbers,
 * bit for bit, as the per-element reference, in O((codes + codes · bins) · log n) steps.
 * Formulas: docs/numerics.md "Affine (integer) quantization"; lib/lab/lab.ts `analyzeReference`.
 *
 * The lab's WebGPU session uses it for per-tensor runs: the sorted values are made once per
 * tensor, and each setting's fused pass then only sums err² per heatmap cell (lib/lab/gpu.ts).
 */
import { roundHalfEven } from '../quant/affine';
import { histogramBin } from '../quant/histogram';
import { errorHistogramInvWidth } from './lab';

const f = Math.fround;

/** Maps a float32's bits to a uint32 whose unsigned order is the float order (-0 before +0). */
function orderKey(bits: number): number {
  return (bits & 0x80000000 ? ~bits : bits | 0x80000000) >>> 0;
}

/** Inverse of `orderKey`. */
function keyBits(key: number): number {
  return (key & 0x80000000 ? key & 0x7fffffff : ~key) >>> 0;
}

/**
 * The finite values of x in ascending order (NaN and ±Inf dropped; -0 before +0), by a
 * least-significant-digit radix sort on order-preserving 32-bit keys: three passes of 11 bits.
 */
export function sortedFinite(x: Float32Array): Float32Array {
  const bits = new Uint32Array(x.buffer, x.byteOffset, x.length);
  let n = 0;
  let keys = new Uint32Array(x.length);
  for (let i = 0; i < x.length; i++) {
    if ((bits[i] & 0x7f800000) !== 0x7f800000) keys[n++] = orderKey(bits[i]);
  }
  keys = keys.subarray(0, n);
  let tmp = new Uint32Array(n);
  const RADIX = 2048;
  const counts = new Uint32Array(RADIX);
  for (let shift = 0; shift < 32; shift += 11) {
    counts.fill(0);
    for (let i = 0; i < n; i++) counts[(keys[i] >>> shift) & (RADIX - 1)]++;
    let sum = 0;
    for (let d = 0; d < RADIX; d++) {
      const c = counts[d];
      counts[d] = sum;
      sum += c;
    }
    for (let i = 0; i < n; i++) {
      const k = keys[i];
      tmp[counts[(k >>> shift) & (RADIX - 1)]++] = k;
    }
    const t = keys;
    keys = tmp;
    tmp = t;
  }
  const out = new Float32Array(n);
  const outBits = new Uint32Array(out.buffer);
  for (let i = 0; i < n; i++) outBits[i] = keyBits(keys[i]);
  return out;
}

/** First index i in [lo, hi) with pred(i) true, for a predicate false then true over the range; hi if none. */
function firstTrue(lo: number, hi: number, pred: (i: number) => boolean): number {
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (pred(mid)) hi = mid;
    else lo = mid + 1;
  }
  return lo;
}

/**
 * The same answer as firstTrue(lo, hi, pred), found by galloping out from a guess `e`: a few
 * evaluations of pred when the guess is close, never more than about 2 log2(hi - lo).
 */
function firstTrueNear(e: number, lo: number, hi: number, pred: (i: number) => boolean): number {
  e = Math.min(Math.max(e, lo), hi);
  if (e < hi && !pred(e)) {
    let lastFalse = e;
    let step = 1;
    let r = e + 1;
    while (r < hi && !pred(r)) {
      lastFalse = r;
      step *= 2;
      r = lastFalse + step;
    }
    return firstTrue(lastFalse + 1, Math.min(r, hi), pred);
  }
  let firstKnownTrue = e; // pred(e) is true, or e = hi
  let step = 1;
  let l = e - 1;
  while (l >= lo && pred(l)) {
    firstKnownTrue = l;
    step *= 2;
    l = firstKnownTrue - step;
  }
  return firstTrue(Math.max(l + 1, lo), firstKnownTrue, pred);
}

/** First index in [lo, hi) whose value is > t (ascending `sorted`); hi if none. A plain search on values, used as a guess. */
function firstAbove(sorted: Float32Array, lo: number, hi: number, t: number): number {
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (sorted[mid] > t) hi = mid;
    else lo = mid + 1;
  }
  return lo;
}

export interface SortedErrorStats {
  /** Counts in `bins` equal bins over [-errorRange, errorRange], as `analyzeReference`'s errorHistogram. */
  errorHistogram: Uint32Array;
  /** max |err| over the values. */
  maxAbsError: number;
  /** Values whose unclamped code u fell outside [qmin, qmax]. */
  clipped: number;
}

/**
 * The error histogram, max |err| and clipped count of quantizing every value of `sorted`
 * (ascending, finite: `sortedFinite`) with one (scale, zeroPoint) and codes [qmin, qmax], exactly
 * as `analyzeReference` counts them (see the file comment for why runs suffice). The end of each
 * run is guessed from the real-number boundary (a code changes near x = (q + 1/2 - zp) / inv, a bin
 * near err = -range + k / invWidth) and then settled with the exact float32 formulas, so the
 * counts do not depend on the guess.
 * `errorRange` is the histogram's half-width (the largest slice scale; here the scale).
 */
export function sortedErrorStats(sorted: Float32Array, scale: number, zeroPoint: number, qmin: number, qmax: number, errorRange: number, bins: number): SortedErrorStats {
  const n = sorted.length;
  const inv = f(1 / scale);
  const hInv = errorHistogramInvWidth(errorRange);
  const lo = -errorRange;
  const unclamped = (v: number) => zeroPoint + roundHalfEven(f(v * inv));
  const codeOf = (v: number) => {
    const u = unclamped(v);
    return u < qmin ? qmin : u > qmax ? qmax : u;
  };
  const errorHistogram = new Uint32Array(bins);
  let maxAbsError = 0;
  const lowEnd = firstTrueNear(firstAbove(sorted, 0, n, (qmin - 0.5 - zeroPoint) / inv), 0, n, (i) => unclamped(sorted[i]) >= qmin);
  const highStart = firstTrueNear(firstAbove(sorted, 0, n, (qmax + 0.5 - zeroPoint) / inv), 0, n, (i) => unclamped(sorted[i]) > qmax);
  const clipped = lowEnd + (n - highStart);
  let a = 0;
  while (a < n) {
    const q = codeOf(sorted[a]);
    const b = q >= qmax ? n : firstTrueNear(firstAbove(sorted, a, n, (q + 0.5 - zeroPoint) / inv), a + 1, n, (i) => codeOf(sorted[i]) > q);
    const xr = f(scale * (q - zeroPoint));
    const binOf = (i: number) => histogramBin(f(xr - sorted[i]), lo, hInv, bins);
    // err falls from the first value of the run to the last, so |err| is largest at an end.
    const e0 = Math.abs(f(xr - sorted[a]));
    const e1 = Math.abs(f(xr - sorted[b - 1]));
    if (e0 > maxAbsError) maxAbsError = e0;
    if (e1 > maxAbsError) maxAbsError = e1;
    let i = a;
    while (i < b) {
      const bin = binOf(i);
      // Values above xr - (lo + bin / hInv) have err below the bin's lower edge (for hInv > 0).
      const guess = bin > 0 && hInv > 0 ? firstAbove(sorted, i, b, xr - (lo + bin / hInv)) : b;
      const j = bin > 0 ? firstTrueNear(guess, i + 1, b, (k) => binOf(k) < bin) : b;
      errorHistogram[bin] += j - i;
      i = j;
    }
    a = b;
  }
  return { errorHistogram, maxAbsError, clipped };
}
