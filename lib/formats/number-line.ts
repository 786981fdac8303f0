/**
 * Where a format's numbers are: pure helpers behind the "Where the numbers are" number line
 * (components/widgets/number-formats/NumberLine). Every value is derived from the
 * codecs in float.ts and int.ts (decoding codes, or the format constants of floatFormatInfo),
 * never typed in.
 */
import { shortNumber } from './display';
import { decodeFloat, describeFloat, encodeFloat, floatFormatInfo, type FloatFormat } from './float';
import { pow2 } from './pow2';

// ---- floats: the values themselves ---------------------------------------------------------

/** The widest format whose codes {@link positiveFiniteValues} will enumerate (2^15 positive codes). */
export const MAX_ENUMERABLE_BITS = 16;

/** 2^k exactly, for any integer k a float64 can hold (JS `**` may round in the subnormal range). */
/**
 * Every positive finite value of a format of at most {@link MAX_ENUMERABLE_BITS} bits, ascending,
 * found by decoding each code with the sign bit clear (1 .. 2^(bits-1) - 1) and dropping the
 * infinity and NaN codes. Positive codes increase with their value, so the list is sorted.
 * FP4 E2M1 -> [0.5, 1, 1.5, 2, 3, 4, 6]; E4M3 has 126 values (0x01..0x7E), E5M2 123 (0x01..0x7B),
 * FP16 31743 (0x0001..0x7BFF), BF16 32639 (0x0001..0x7F7F).
 *
 * @throws RangeError for wider formats (fp32 has 2^31 positive codes): use {@link binadeCounts}.
 */
export function positiveFiniteValues(format: FloatFormat): number[] {
  const { bits } = floatFormatInfo(format);
  if (bits > MAX_ENUMERABLE_BITS) {
    throw new RangeError(`${format} has 2^${bits - 1} positive codes, too many to list: use binadeCounts`);
  }
  const out: number[] = [];
  const signBit = 2 ** (bits - 1);
  for (let code = 1; code < signBit; code++) {
    const v = decodeFloat(format, code);
    if (Number.isFinite(v)) out.push(v);
  }
  return out;
}

/** The values of one power-of-two interval [2^exponent, 2^(exponent+1)) of a format. */
export interface Binade {
  /** The interval is [2^exponent, 2^(exponent + 1)). */
  exponent: number;
  /** 2^exponent */
  lo: number;
  /** 2^(exponent + 1) */
  hi: number;
  /** How many representable values lie in [lo, hi). */
  count: number;
  /** log2(count): the bits of precision this interval has (fractional for a partial top binade). */
  log2Count: number;
  /** True for the intervals below the smallest normal, holding subnormals only. */
  subnormal: boolean;
  /** The gap between neighbouring values inside the interval. */
  spacing: number;
  /** The smallest representable value in the interval. */
  smallest: number;
  /** The largest representable value in the interval (maxFinite in the top binade). */
  largest: number;
}

/**
 * For each power-of-two interval [2^e, 2^(e+1)) holding positive values of the format, how many
 * there are and how far apart, smallest interval first. Normal binades (e from 1 - bias to the
 * exponent of maxFinite) hold 2^M values spaced 2^(e - M); the top one holds fewer where the
 * format reserves codes (E4M3: 256..448, 7 values, its mantissa 111 being NaN). Subnormals
 * m x 2^(1 - bias - M), m = 1 .. 2^M - 1, fall in the M intervals below the smallest normal:
 * m in [2^k, 2^(k+1)) gives the interval e = 1 - bias - M + k holding 2^k values spaced
 * minSubnormal apart. Computed from the format's constants (no enumeration), so it works for fp32:
 * the counts add up to the number of positive finite codes (fp32 0x7F7FFFFF).
 */
export function binadeCounts(format: FloatFormat): Binade[] {
  const info = floatFormatInfo(format);
  const m = info.mantissaBits;
  const emin = 1 - info.bias;
  const top = describeFloat(format, encodeFloat(format, info.maxFinite));
  const emax = top.unbiasedExponent;
  const out: Binade[] = [];
  for (let k = 0; k < m; k++) {
    const e = emin - m + k;
    const count = pow2(k);
    out.push({
      exponent: e,
      lo: pow2(e),
      hi: pow2(e + 1),
      count,
      log2Count: k,
      subnormal: true,
      spacing: info.minSubnormal,
      smallest: count * info.minSubnormal,
      largest: (2 * count - 1) * info.minSubnormal,
    });
  }
  for (let e = emin; e <= emax; e++) {
    const count = e === emax ? top.mantissaField + 1 : pow2(m);
    const spacing = pow2(e - m);
    out.push({
      exponent: e,
      lo: pow2(e),
      hi: pow2(e + 1),
      count,
      log2Count: Math.log2(count),
      subnormal: false,
      spacing,
      smallest: pow2(e),
      largest: pow2(e) + (count - 1) * spacing,
    });
  }
  return out;
}

/** The number of positive finite values of a format (the sum of its binade counts); fp32 2139095039. */
export function positiveFiniteCount(format: FloatFormat): number {
  return binadeCounts(format).reduce((s, b) => s + b.count, 0);
}

/** Values in each normal doubling interval: 2^M (FP16 1024, BF16 128, E4M3 8, FP4 2). */
export function valuesPerDoubling(format: FloatFormat): number {
  return pow2(floatFormatInfo(format).mantissaBits);
}

/** Bytes one value takes: bits / 8 (FP4 0.5). */
export function bytesPerValue(format: FloatFormat): number {
  return floatFormatInfo(format).bits / 8;
}

/** k when x is exactly 2^k (a positive finite power of two), else null. 2^-24 -> -24, 448 -> null. */
export function powerOfTwoExponent(x: number): number | null {
  if (!(x > 0) || !Number.isFinite(x)) return null;
  const k = Math.round(Math.log2(x));
  return pow2(k) === x ? k : null;
}

/** How a small format's values spread over [0, max] on a linear axis; see {@link linearSpread}. */
export interface LinearSpread {
  /** 0 followed by every positive finite value, ascending. */
  values: number[];
  /** The largest finite value: the right end of the axis. */
  max: number;
  /** The smallest gap between neighbours (0 to the smallest subnormal, and between subnormals). */
  smallestGap: number;
  /** The largest gap between neighbours (the two largest values). */
  largestGap: number;
  /** max / 10 */
  tenth: number;
  /** How many positive values are below max / 10. */
  belowTenth: number;
  /** How many positive finite values there are. */
  positiveCount: number;
}

/**
 * The values of a format of at most 16 bits on a linear axis from 0 to its max, with the facts the
 * linear view states: the smallest and largest gap between neighbours and how many values crowd
 * into the first tenth of the axis. FP4: gaps 0.5 .. 2, 1 of 7 values below 0.6;
 * E4M3: gaps 2^-9 .. 32, 99 of 126 below 44.8.
 */
export function linearSpread(format: FloatFormat): LinearSpread {
  const positive = positiveFiniteValues(format);
  const values = [0, ...positive];
  let smallestGap = Infinity;
  let largestGap = 0;
  for (let i = 1; i < values.length; i++) {
    const gap = values[i] - values[i - 1];
    smallestGap = Math.min(smallestGap, gap);
    largestGap = Math.max(largestGap, gap);
  }
  const max = positive[positive.length - 1];
  const tenth = max / 10;
  return {
    values,
    max,
    smallestGap,
    largestGap,
    tenth,
    belowTenth: positive.filter((v) => v < tenth).length,
    positiveCount: positive.length,
  };
}

// ---- floats: the logarithmic axis ---------------------------------------------------------

/** 10^k as the float64 nearest to it (parsed, so 10^-8 is exactly the literal 1e-8). */
function pow10(k: number): number {
  return Number(`1e${k}`);
}

/** The exponent k of the largest power of ten <= x (x > 0 finite), exact at the powers themselves. */
function floorLog10(x: number): number {
  let k = Math.floor(Math.log10(x));
  while (pow10(k) > x) k--;
  while (pow10(k + 1) <= x) k++;
  return k;
}

/**
 * Powers of ten for a logarithmic axis over [lo, hi]: 10^k for every k that is a multiple of a
 * step of 1, 2, 5, 10, 20, 50 or 100 decades, the smallest step giving at most `maxTicks` ticks
 * (so 1 = 10^0 is a tick whenever it is in range). [1e-45, 3.4e38] -> 1e-40, 1e-30, ..., 1e30.
 *
 * @throws RangeError unless 0 < lo < hi are finite and maxTicks >= 1.
 */
export function powerOfTenTicks(lo: number, hi: number, maxTicks = 10): number[] {
  if (!(lo > 0) || !(hi > lo) || !Number.isFinite(hi) || !(maxTicks >= 1)) {
    throw new RangeError(`powerOfTenTicks needs 0 < lo < hi finite and maxTicks >= 1, got ${lo}, ${hi}, ${maxTicks}`);
  }
  const kLo = pow10(floorLog10(lo)) === lo ? floorLog10(lo) : floorLog10(lo) + 1;
  const kHi = floorLog10(hi);
  let ks: number[] = [];
  for (const step of [1, 2, 5, 10, 20, 50, 100]) {
    ks = [];
    for (let k = Math.ceil(kLo / step) * step; k <= kHi; k += step) ks.push(k);
    if (ks.length <= maxTicks) break;
  }
  return ks.map(pow10);
}

/**
 * A power of ten written for an axis: 10^k as a plain decimal for -3 <= k <= 3 ("0.001", "1",
 * "1000"), else "1e-8", "1e38". Any other number is written with {@link shortNumber}.
 */
export function formatPowerOfTen(v: number): string {
  if (!(v > 0) || !Number.isFinite(v)) return shortNumber(v);
  const k = floorLog10(v);
  if (pow10(k) !== v) return shortNumber(v);
  return k >= -3 && k <= 3 ? String(v) : `1e${k}`;
}
