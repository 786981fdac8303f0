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
 * values the codes form runs, and inside a run of one code the error bins form runs too: the
 * ends of the runs give the error histogram, the largest |err| (at the ends of
 * a run) and the clipped count (u < qmin or u > qmax, a prefix and a suffix) — the same numbers,
 * bit for bit, as the per-element reference, in a few steps per run end (at most codes · bins ends:
 * about 8,000 at 8 bits, about a millisecond) instead of a pass over every element.
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

/** Buckets of the index over the values' range: about 16 values a bucket at 1M values. */
const INDEX_BUCKETS = 65536;

/** Sorted finite values with a bucket index that finds where a value falls in a few steps. */
export interface SortedValues {
  /** Ascending, finite (`sortedFinite`). */
  values: Float32Array;
  /** start[b] = first index whose value's bucket is ≥ b; start[buckets] = values.length. */
  start: Uint32Array;
  lo: number;
  /** Buckets per unit value: bucket(v) = clamp(floor((v - lo) · invWidth), 0, buckets - 1). */
  invWidth: number;
}

/** Sorts the finite values of x (`sortedFinite`) and indexes them by INDEX_BUCKETS equal buckets over [min, max]. */
export function sortValues(x: Float32Array): SortedValues {
  const values = sortedFinite(x);
  const n = values.length;
  const buckets = INDEX_BUCKETS;
  const lo = n > 0 ? values[0] : 0;
  const span = n > 0 ? values[n - 1] - lo : 0;
  const invWidth = span > 0 && Number.isFinite(buckets / span) ? buckets / span : 0;
  const start = new Uint32Array(buckets + 1);
  let i = 0;
  for (let b = 0; b < buckets; b++) {
    while (i < n && bucketOf(values[i], lo, invWidth, buckets) < b) i++;
    start[b] = i;
  }
  start[buckets] = n;
  return { values, start, lo, invWidth };
}

function bucketOf(v: number, lo: number, invWidth: number, buckets: number): number {
  const b = Math.floor((v - lo) * invWidth);
  return b > 0 ? (b < buckets - 1 ? b : buckets - 1) : 0;
}

/**
 * First index in [lo, hi) whose value is > t; hi if none. The bucket index narrows the search to
 * one bucket (bucket(v) < bucket(t) implies v < t, and bucket(v) > bucket(t) implies v > t),
 * then a binary search finishes it. Used as a guess that `firstTrueNear` settles exactly.
 */
function firstAbove(s: SortedValues, lo: number, hi: number, t: number): number {
  const buckets = s.start.length - 1;
  const b = bucketOf(t, s.lo, s.invWidth, buckets);
  let a = s.start[b];
  let z = s.start[b + 1];
  const v = s.values;
  while (a < z) {
    const mid = (a + z) >>> 1;
    if (v[mid] > t) z = mid;
    else a = mid + 1;
  }
  return a < lo ? lo : a > hi ? hi : a;
}

export interface SortedErrorStats {
  /** Counts in `bins` equal bins over [-errorRange, errorRange], as `analyzeReference`'s errorHistogram. */
  errorHistogram: Uint32Array;
  /** max |err| over the values. */
  maxAbsError: number;
  /** Values whose unclamped code u fell outside [qmin, qmax]. */
  clipped: number;
}

/** Steps a guess may be walked before `settle` switches to bisection. */
const WALK = 16;

/**
 * The quantities the runs are made of, for one (scale, zero-point): written as plain methods so that
 * the searches below call one monomorphic function each, which stays fast even before the JIT has
 * warmed up (the lab calls this once per slider step).
 */
class Grid {
  constructor(
    readonly v: Float32Array,
    readonly inv: number,
    readonly zp: number,
    readonly qmin: number,
    readonly qmax: number,
    readonly lo: number,
    readonly hInv: number,
    readonly bins: number,
  ) {}

  /** Unclamped code u = zp + roundHalfEven(fround(x · inv)) of value k. */
  u(k: number): number {
    return this.zp + roundHalfEven(f(this.v[k] * this.inv));
  }

  /** Clamped code q of value k. */
  q(k: number): number {
    const u = this.u(k);
    return u < this.qmin ? this.qmin : u > this.qmax ? this.qmax : u;
  }

  /** Error bin of value k for the run's x' = xr. */
  bin(k: number, xr: number): number {
    return histogramBin(f(xr - this.v[k]), this.lo, this.hInv, this.bins);
  }

  /**
   * The first k in [lo, hi) where the test holds, for a test false then true over the range:
   * walked from `guess` (usually right, or one off), bisected if the walk is long.
   * kind 0: u(k) ≥ limit; kind 1: q(k) > limit; kind 2: bin(k, xr) < limit.
   */
  settle(kind: 0 | 1 | 2, limit: number, xr: number, guess: number, lo: number, hi: number): number {
    let k = guess < lo ? lo : guess > hi ? hi : guess;
    let steps = 0;
    while (k > lo && this.holds(kind, limit, xr, k - 1) && steps++ < WALK) k--;
    while (k < hi && !this.holds(kind, limit, xr, k) && steps++ < WALK) k++;
    if (steps <= WALK) return k;
    let a = lo, z = hi; // bisection over the whole range: the guess was far off
    while (a < z) {
      const mid = (a + z) >>> 1;
      if (this.holds(kind, limit, xr, mid)) z = mid;
      else a = mid + 1;
    }
    return a;
  }

  private holds(kind: 0 | 1 | 2, limit: number, xr: number, k: number): boolean {
    return kind === 0 ? this.u(k) >= limit : kind === 1 ? this.q(k) > limit : this.bin(k, xr) < limit;
  }
}

/**
 * The error histogram, max |err| and clipped count of quantizing every value of `index`
 * (`sortValues`: the finite values, ascending) with one (scale, zeroPoint) and codes [qmin, qmax],
 * exactly as `analyzeReference` counts them (see the file comment for why runs suffice). The end
 * of each run is guessed from the real-number boundary (a code changes near x = (q + 1/2 - zp) / inv,
 * a bin near err = -range + k / invWidth) and then settled with the exact float32 formulas, so the
 * counts do not depend on the guess.
 * `errorRange` is the histogram's half-width (the largest slice scale; here the scale).
 */
export function sortedErrorStats(index: SortedValues, scale: number, zeroPoint: number, qmin: number, qmax: number, errorRange: number, bins: number): SortedErrorStats {
  const v = index.values;
  const n = v.length;
  const inv = f(1 / scale);
  const hInv = errorHistogramInvWidth(errorRange);
  const lo = -errorRange;
  const g = new Grid(v, inv, zeroPoint, qmin, qmax, lo, hInv, bins);
  const errorHistogram = new Uint32Array(bins);
  let maxAbsError = 0;
  const lowEnd = g.settle(0, qmin, 0, firstAbove(index, 0, n, (qmin - 0.5 - zeroPoint) / inv), 0, n);
  const highStart = g.settle(0, qmax + 1, 0, firstAbove(index, 0, n, (qmax + 0.5 - zeroPoint) / inv), 0, n);
  const clipped = lowEnd + (n - highStart);
  let a = 0;
  while (a < n) {
    const q = g.q(a);
    const b = q >= qmax ? n : g.settle(1, q, 0, firstAbove(index, a, n, (q + 0.5 - zeroPoint) / inv), a + 1, n);
    const xr = f(scale * (q - zeroPoint));
    // err falls from the first value of the run to the last, so |err| is largest at an end.
    const e0 = Math.abs(f(xr - v[a]));
    const e1 = Math.abs(f(xr - v[b - 1]));
    if (e0 > maxAbsError) maxAbsError = e0;
    if (e1 > maxAbsError) maxAbsError = e1;
    let i = a;
    while (i < b) {
      const bin = g.bin(i, xr);
      // Values above xr - (lo + bin / hInv) have err below the bin's lower edge (for hInv > 0).
      const j = bin > 0 ? g.settle(2, bin, xr, hInv > 0 ? firstAbove(index, i, b, xr - (lo + bin / hInv)) : b, i + 1, b) : b;
      errorHistogram[bin] += j - i;
      i = j;
    }
    a = b;
  }
  return { errorHistogram, maxAbsError, clipped };
}
