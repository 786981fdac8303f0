/**
 * Exact codecs for the floating-point formats the course teaches: fp32, fp16, bf16, fp8 E4M3,
 * fp8 E5M2 and fp4 E2M1. Source of truth: docs/numerics.md, section "Floats".
 *
 * One generic algorithm serves every format. A format is described by a {@link FloatSpec}
 * (exponent bits E, mantissa bits M, bias, which codes are special, overflow policy); from it
 *
 *   value(s, e, m) = (-1)^s * 2^(1 - bias) * (m / 2^M)          if e = 0          (subnormal, zero)
 *                  = (-1)^s * 2^(e - bias) * (1 + m / 2^M)      otherwise         (normal)
 *
 * except where the spec reserves a code for infinity or NaN.
 *
 * Encoding follows docs/numerics.md: the input is first rounded to float32 (Math.fround — "conversion
 * from fp32"), then rounded to nearest, ties to even, into the target format. All arithmetic is
 * exact: every float32 is a float64, its binary exponent is read from the float64 bit pattern
 * (a frexp), and scaling by a power of two is exact in float64 for every magnitude that occurs
 * here. No format-specific branch exists: the six formats differ only in their spec.
 */

/** The float formats of docs/numerics.md "Floats". */
export type FloatFormat = 'fp32' | 'fp16' | 'bf16' | 'fp8-e4m3' | 'fp8-e5m2' | 'fp4-e2m1';

/** Every {@link FloatFormat}, widest first (handy for a format picker). */
export const FLOAT_FORMATS: readonly FloatFormat[] = ['fp32', 'fp16', 'bf16', 'fp8-e4m3', 'fp8-e5m2', 'fp4-e2m1'];

/**
 * Which codes of the largest exponent field (e = 2^E - 1) are special:
 * - 'ieee': m = 0 is infinity, m != 0 is NaN (IEEE 754; fp32, fp16, bf16, OCP E5M2);
 * - 'nan-only': only m = all ones is NaN, every other code is finite, there is no infinity
 *   (OCP E4M3, PyTorch `float8_e4m3fn`: NaN = S.1111.111);
 * - 'none': every code is finite (OCP MX fp4 E2M1).
 */
export type SpecialValues = 'ieee' | 'nan-only' | 'none';

/**
 * What a finite value that rounds beyond the largest finite magnitude becomes:
 * 'inf' -> +-infinity (needs SpecialValues 'ieee'), 'saturate' -> +-maxFinite.
 */
export type OverflowPolicy = 'inf' | 'saturate';

/** The parameters of the generic codec. */
export interface FloatSpec {
  exponentBits: number;
  mantissaBits: number;
  bias: number;
  specials: SpecialValues;
  overflow: OverflowPolicy;
}

/** docs/numerics.md "Floats" table, one spec per format. */
const SPECS: Record<FloatFormat, FloatSpec> = {
  fp32: { exponentBits: 8, mantissaBits: 23, bias: 127, specials: 'ieee', overflow: 'inf' },
  fp16: { exponentBits: 5, mantissaBits: 10, bias: 15, specials: 'ieee', overflow: 'inf' },
  bf16: { exponentBits: 8, mantissaBits: 7, bias: 127, specials: 'ieee', overflow: 'inf' },
  'fp8-e4m3': { exponentBits: 4, mantissaBits: 3, bias: 7, specials: 'nan-only', overflow: 'saturate' },
  'fp8-e5m2': { exponentBits: 5, mantissaBits: 2, bias: 15, specials: 'ieee', overflow: 'inf' },
  'fp4-e2m1': { exponentBits: 2, mantissaBits: 1, bias: 1, specials: 'none', overflow: 'saturate' },
};

// ---------------------------------------------------------------------------------------------
// Exact float64 helpers
// ---------------------------------------------------------------------------------------------

const scratch = new DataView(new ArrayBuffer(8));

/**
 * 2^k as a float64, exact for every integer k in [-1074, 1023]: built from its bit pattern
 * (biased exponent k + 1023, zero fraction) rather than trusting Math.pow to be exact.
 */
function pow2(k: number): number {
  if (k < -1022) return pow2(k + 64) * pow2(-64); // float64 subnormal range: still exact
  if (k > 1023) return Infinity;
  scratch.setUint32(0, (k + 1023) * 0x100000);
  scratch.setUint32(4, 0);
  return scratch.getFloat64(0);
}

/**
 * floor(log2 a) for a finite a > 0, read exactly from the float64 exponent field (a frexp:
 * a = f * 2^e with 1 <= f < 2). Float64 subnormals are first scaled by 2^64.
 */
function floorLog2(a: number): number {
  scratch.setFloat64(0, a);
  const biased = (scratch.getUint32(0) >>> 20) & 0x7ff;
  if (biased === 0) return floorLog2(a * pow2(64)) - 64;
  return biased - 1023;
}

/** Round a non-negative float64 to the nearest integer, ties to even. Exact (q - floor(q) is exact). */
function roundHalfEvenNonNegative(q: number): number {
  const lo = Math.floor(q);
  const frac = q - lo;
  if (frac > 0.5) return lo + 1;
  if (frac < 0.5) return lo;
  return lo % 2 === 0 ? lo : lo + 1;
}

// ---------------------------------------------------------------------------------------------
// Derived constants of a spec
// ---------------------------------------------------------------------------------------------

interface Codec {
  spec: FloatSpec;
  /** total width 1 + E + M */
  bits: number;
  /** 2^(bits - 1): the sign bit as a number (fp32 codes do not fit a signed int32, so no bit ops) */
  signBit: number;
  /** 2^M */
  mantissaScale: number;
  /** smallest exponent of a normal, 1 - bias (subnormals share it) */
  emin: number;
  /** the largest finite magnitude code (sign bit clear) */
  maxFiniteMagnitude: number;
  /** magnitude code of infinity, or null */
  infMagnitude: number | null;
  /** canonical (positive, quiet) NaN code, or null when the format has no NaN */
  nanCode: number | null;
}

function makeCodec(spec: FloatSpec): Codec {
  const { exponentBits: E, mantissaBits: M, bias, specials, overflow } = spec;
  if (overflow === 'inf' && specials !== 'ieee') throw new RangeError('overflow to infinity needs a format with infinity');
  if (specials === 'ieee' && M < 1) throw new RangeError('IEEE specials need at least one mantissa bit');
  const bits = 1 + E + M;
  const mantissaScale = 2 ** M;
  const topExponent = 2 ** E - 1;
  const allOnes = 2 ** (E + M) - 1;
  let maxFiniteMagnitude: number;
  let infMagnitude: number | null = null;
  let nanCode: number | null = null;
  if (specials === 'ieee') {
    // exponent all ones is reserved: max finite = exponent 2^E - 2, mantissa all ones
    maxFiniteMagnitude = topExponent * mantissaScale - 1;
    infMagnitude = topExponent * mantissaScale;
    // canonical quiet NaN: exponent all ones, mantissa MSB set (fp32 0x7FC00000, fp16 0x7E00, bf16 0x7FC0, E5M2 0x7E)
    nanCode = topExponent * mantissaScale + mantissaScale / 2;
  } else if (specials === 'nan-only') {
    // S.1..1.1..1 is NaN, S.1..1.1..10 is the max finite (E4M3: 0x7E = 448, NaN 0x7F)
    maxFiniteMagnitude = allOnes - 1;
    nanCode = allOnes;
  } else {
    maxFiniteMagnitude = allOnes;
  }
  return {
    spec,
    bits,
    signBit: 2 ** (bits - 1),
    mantissaScale,
    emin: 1 - bias,
    maxFiniteMagnitude,
    infMagnitude,
    nanCode,
  };
}

const CODECS = Object.fromEntries(
  (Object.keys(SPECS) as FloatFormat[]).map((f) => [f, makeCodec(SPECS[f])]),
) as Record<FloatFormat, Codec>;

function codecOf(format: FloatFormat): Codec {
  const c = Object.prototype.hasOwnProperty.call(CODECS, format) ? CODECS[format] : undefined;
  if (!c) throw new RangeError(`unknown float format: ${String(format)}`);
  return c;
}

function checkCode(c: Codec, format: FloatFormat, bits: number): void {
  if (!Number.isInteger(bits) || bits < 0 || bits >= 2 ** c.bits) {
    throw new RangeError(`${format} codes are integers from 0 to ${2 ** c.bits - 1}, got ${bits}`);
  }
}

// ---------------------------------------------------------------------------------------------
// The generic codec
// ---------------------------------------------------------------------------------------------

/**
 * Magnitude code of a finite a > 0 (already float32), before any overflow handling.
 *
 * With e = max(floor(log2 a), 1 - bias) — the binade, clamped at the subnormal one — the spacing
 * of representable values there is 2^(e - M). Then
 *
 *   n    = roundHalfEven(a / 2^(e - M))          integer in [0, 2^(M+1)]
 *   code = (e + bias - 1) * 2^M + n
 *
 * For a normal binade n is in [2^M, 2^(M+1)] and the code is (e + bias) * 2^M + (n - 2^M), i.e.
 * exponent field e + bias and mantissa n - 2^M; n = 2^(M+1) (rounding up out of the binade) carries
 * into the exponent field by plain addition. In the subnormal binade e + bias - 1 = 0, so the code is
 * n itself (0.m * 2^(1-bias)), and n = 2^M carries to the smallest normal. n = 0 is underflow to zero
 * (2^-25 in fp16 is a tie between 0 and 2^-24 and goes to the even code 0).
 */
function roundMagnitude(c: Codec, a: number): number {
  const e = Math.max(floorLog2(a), c.emin);
  const M = c.spec.mantissaBits;
  const n = roundHalfEvenNonNegative(a * pow2(M - e)); // exact: a scaling by a power of two
  return (e + c.spec.bias - 1) * c.mantissaScale + n;
}

/**
 * The NaN code of a format, or a RangeError for formats without NaN (fp4 E2M1).
 * Decision (docs/numerics.md: fp4 E2M1 has no inf and no NaN): a NaN has no honest
 * fp4 encoding, so encodeFloat throws RangeError('FP4 E2M1 has no NaN'); use
 * {@link tryEncodeFloat} for a non-throwing variant that returns null.
 */
function nanCodeOrThrow(c: Codec, format: FloatFormat): number {
  if (c.nanCode === null) throw new RangeError(format === 'fp4-e2m1' ? 'FP4 E2M1 has no NaN' : `${format} has no NaN`);
  return c.nanCode;
}

function encodeWith(c: Codec, format: FloatFormat, value: number): number {
  const x = Math.fround(value); // docs/numerics.md: conversion is from float32
  if (Number.isNaN(x)) return nanCodeOrThrow(c, format);
  const negative = x < 0 || Object.is(x, -0);
  const a = Math.abs(x);
  let mag: number;
  if (a === 0) {
    mag = 0;
  } else if (a === Infinity) {
    // an infinite input stays infinite where the format has infinity; otherwise it saturates
    mag = c.infMagnitude ?? c.maxFiniteMagnitude;
  } else {
    mag = roundMagnitude(c, a);
    if (mag > c.maxFiniteMagnitude) {
      mag = c.spec.overflow === 'inf' && c.infMagnitude !== null ? c.infMagnitude : c.maxFiniteMagnitude;
    }
  }
  return negative ? c.signBit + mag : mag;
}

type Kind = 'zero' | 'subnormal' | 'normal' | 'infinity' | 'nan';

interface Fields {
  sign: 0 | 1;
  exponentField: number;
  mantissaField: number;
  kind: Kind;
}

function fieldsOf(c: Codec, bits: number): Fields {
  const sign: 0 | 1 = bits >= c.signBit ? 1 : 0;
  const mag = bits - sign * c.signBit;
  const exponentField = Math.floor(mag / c.mantissaScale);
  const mantissaField = mag - exponentField * c.mantissaScale;
  const topExponent = 2 ** c.spec.exponentBits - 1;
  let kind: Kind;
  if (c.spec.specials === 'ieee' && exponentField === topExponent) kind = mantissaField === 0 ? 'infinity' : 'nan';
  else if (c.spec.specials === 'nan-only' && exponentField === topExponent && mantissaField === c.mantissaScale - 1) kind = 'nan';
  else if (exponentField === 0) kind = mantissaField === 0 ? 'zero' : 'subnormal';
  else kind = 'normal';
  return { sign, exponentField, mantissaField, kind };
}

function valueOf(c: Codec, f: Fields): number {
  const M = c.spec.mantissaBits;
  let v: number;
  switch (f.kind) {
    case 'nan':
      return NaN;
    case 'infinity':
      v = Infinity;
      break;
    case 'zero':
      v = 0;
      break;
    case 'subnormal':
      v = f.mantissaField * pow2(c.emin - M); // 0.m * 2^(1 - bias), exact
      break;
    default:
      v = (c.mantissaScale + f.mantissaField) * pow2(f.exponentField - c.spec.bias - M); // 1.m * 2^(e - bias), exact
  }
  return f.sign ? -v : v;
}

// ---------------------------------------------------------------------------------------------
// Public API
// ---------------------------------------------------------------------------------------------

/**
 * Encode a number as a bit pattern of `format` (an unsigned integer, sign bit on top).
 *
 * Formula (docs/numerics.md "Floats"): x32 = fround(value); code = sign(x32) * 2^(bits-1) + magnitude,
 * magnitude = (e + bias - 1) * 2^M + roundHalfEven(|x32| / 2^(e - M)) with
 * e = max(floor(log2 |x32|), 1 - bias) — round to nearest, ties to even, subnormals included.
 * Signed zero keeps its sign. Overflow: fp32/fp16/bf16/E5M2 -> +-inf (65520 in fp16 and 61440 in
 * E5M2 are ties that round to inf); E4M3 saturates to +-448 (also for +-Infinity), fp4 E2M1 to +-6.
 * NaN -> the canonical quiet NaN (fp32 0x7FC00000, fp16 0x7E00, bf16 0x7FC0, E4M3 0x7F, E5M2 0x7E).
 * bf16 agrees bit for bit with PyTorch c10/util/BFloat16.h: (u + 0x7FFF + ((u >> 16) & 1)) >> 16.
 *
 * @throws RangeError('FP4 E2M1 has no NaN') when value is NaN and format is fp4-e2m1, or for an
 *   unknown format.
 */
export function encodeFloat(format: FloatFormat, value: number): number {
  return encodeWith(codecOf(format), format, value);
}

/**
 * As {@link encodeFloat}, but returns null instead of throwing when the value has no encoding
 * (NaN in fp4 E2M1). For widgets that accept arbitrary input.
 */
export function tryEncodeFloat(format: FloatFormat, value: number): number | null {
  const c = codecOf(format);
  if (Number.isNaN(value) && c.nanCode === null) return null;
  return encodeWith(c, format, value);
}

/**
 * The value of a bit pattern, as an exact JS number (every value of these formats is a float64):
 * (-1)^s * 2^(e - bias) * (1 + m/2^M) for e != 0, (-1)^s * 2^(1 - bias) * (m/2^M) for e = 0,
 * +-Infinity / NaN for the codes the format reserves (docs/numerics.md "Floats", column "inf / NaN").
 *
 * @throws RangeError unless bits is an integer in [0, 2^width - 1].
 */
export function decodeFloat(format: FloatFormat, bits: number): number {
  const c = codecOf(format);
  checkCode(c, format, bits);
  return valueOf(c, fieldsOf(c, bits));
}

/** The value after a round trip through `format`: decodeFloat(format, encodeFloat(format, value)). */
export function roundToFormat(format: FloatFormat, value: number): number {
  const c = codecOf(format);
  const bits = encodeWith(c, format, value);
  return valueOf(c, fieldsOf(c, bits));
}

/** Constants of a float format; see {@link floatFormatInfo}. */
export interface FloatFormatInfo {
  bits: number;
  exponentBits: number;
  mantissaBits: number;
  bias: number;
  maxFinite: number;
  minNormal: number;
  minSubnormal: number;
  epsilon: number;
  hasInfinity: boolean;
}

/**
 * The constants of docs/numerics.md's "Floats" table, derived from the format's spec (not typed in):
 * bits = 1 + E + M; minNormal = 2^(1 - bias); minSubnormal = 2^(1 - bias - M);
 * epsilon = 2^-M (the gap from 1 to the next value); maxFinite = value of the largest finite code
 * ((2 - 2^-M) * 2^(2^E - 2 - bias) with IEEE specials, (2 - 2^(1-M)) * 2^(2^E - 1 - bias) for E4M3,
 * (2 - 2^-M) * 2^(2^E - 1 - bias) for fp4).
 */
export function floatFormatInfo(format: FloatFormat): FloatFormatInfo {
  const c = codecOf(format);
  const { exponentBits, mantissaBits, bias } = c.spec;
  return {
    bits: c.bits,
    exponentBits,
    mantissaBits,
    bias,
    maxFinite: valueOf(c, fieldsOf(c, c.maxFiniteMagnitude)),
    minNormal: pow2(c.emin),
    minSubnormal: pow2(c.emin - mantissaBits),
    epsilon: pow2(-mantissaBits),
    hasInfinity: c.infMagnitude !== null,
  };
}

/** A bit pattern taken apart; see {@link describeFloat}. */
export interface FloatDescription {
  sign: 0 | 1;
  exponentField: number;
  mantissaField: number;
  kind: 'zero' | 'subnormal' | 'normal' | 'infinity' | 'nan';
  /** e - bias for normals (and for the infinity/NaN codes), 1 - bias for zero and subnormals */
  unbiasedExponent: number;
  /** 1 + m/2^M for normals, m/2^M for zero and subnormals, NaN for infinity and NaN codes */
  significand: number;
  /** decodeFloat(format, bits) */
  value: number;
}

/**
 * Split a code into its fields, for the bit-layout widget:
 * value = (-1)^sign * significand * 2^unbiasedExponent for finite codes, where
 * normal: unbiasedExponent = e - bias, significand = 1 + m/2^M;
 * zero/subnormal: unbiasedExponent = 1 - bias, significand = m/2^M (docs/numerics.md: 0.m x 2^(1-bias)).
 *
 * @throws RangeError unless bits is an integer in [0, 2^width - 1].
 */
export function describeFloat(format: FloatFormat, bits: number): FloatDescription {
  const c = codecOf(format);
  checkCode(c, format, bits);
  const f = fieldsOf(c, bits);
  const sub = f.kind === 'zero' || f.kind === 'subnormal';
  const special = f.kind === 'infinity' || f.kind === 'nan';
  return {
    ...f,
    unbiasedExponent: sub ? c.emin : f.exponentField - c.spec.bias,
    significand: special ? NaN : (sub ? 0 : 1) + f.mantissaField / c.mantissaScale,
    value: valueOf(c, f),
  };
}

/**
 * The code of the next larger representable value (IEEE 754 nextUp), or null when there is none:
 * +0 and -0 -> the smallest positive subnormal (code 1); a positive code -> code + 1; a negative
 * code -> one step towards zero (-minSubnormal -> -0); -inf -> -maxFinite; the largest finite
 * value -> +inf where the format has infinity (the gap is then Infinity), null where it saturates
 * (E4M3 448, fp4 6); +inf and NaN codes -> null. The gap to the next number is
 * decodeFloat(format, nextUp) - decodeFloat(format, bits).
 *
 * @throws RangeError unless bits is an integer in [0, 2^width - 1].
 */
export function nextUp(format: FloatFormat, bits: number): number | null {
  const c = codecOf(format);
  checkCode(c, format, bits);
  const f = fieldsOf(c, bits);
  if (f.kind === 'nan') return null;
  const mag = bits - f.sign * c.signBit;
  if (mag === 0) return 1;
  if (f.sign === 1) return f.kind === 'infinity' ? c.signBit + c.maxFiniteMagnitude : bits - 1;
  if (f.kind === 'infinity') return null;
  if (mag === c.maxFiniteMagnitude) return c.infMagnitude;
  return bits + 1;
}

/** What happened to a value stored in a format; see {@link roundingInfo}. */
export interface RoundingInfo {
  bits: number;
  stored: number;
  absError: number;
  relError: number;
  saturated: boolean;
  overflowToInf: boolean;
  underflowToZero: boolean;
}

/**
 * Store x in `format` and report the damage, measured against the input x itself (so fp32's own
 * rounding of x shows up too):
 * bits = encodeFloat(format, x); stored = decodeFloat(format, bits);
 * absError = |stored - x| (0 when stored === x, Infinity when one side is infinite and the other not);
 * relError = absError / |x| (0 when absError is 0; 1 for an infinite x stored as a finite value,
 * the limit of |x - s| / |x|); NaN for a NaN x.
 * saturated: the format saturates (E4M3, fp4) and |x| > maxFinite, finite or infinite, so the
 * result is +-maxFinite (E4M3: 1000 -> 448 saturated; 450 also reports saturated although plain
 * rounding would give 448 too).
 * overflowToInf: x is finite but stored is infinite (fp16 65520, E5M2 61440, 1e39 in any format
 * since fround(1e39) is already inf).
 * underflowToZero: x != 0 but stored is +-0 (fp16 2^-25).
 *
 * @throws RangeError('FP4 E2M1 has no NaN') for NaN in fp4-e2m1, as {@link encodeFloat}.
 */
export function roundingInfo(format: FloatFormat, x: number): RoundingInfo {
  const c = codecOf(format);
  const bits = encodeWith(c, format, x);
  const stored = valueOf(c, fieldsOf(c, bits));
  let absError: number;
  let relError: number;
  if (Number.isNaN(x)) {
    absError = NaN;
    relError = NaN;
  } else if (stored === x) {
    absError = 0;
    relError = 0;
  } else if (!Number.isFinite(x) || !Number.isFinite(stored)) {
    absError = Infinity;
    relError = Number.isFinite(x) ? Infinity : 1;
  } else {
    absError = Math.abs(stored - x);
    relError = absError / Math.abs(x);
  }
  const maxFinite = valueOf(c, fieldsOf(c, c.maxFiniteMagnitude));
  return {
    bits,
    stored,
    absError,
    relError,
    saturated: c.spec.overflow === 'saturate' && Math.abs(x) > maxFinite,
    overflowToInf: Number.isFinite(x) && !Number.isFinite(stored) && !Number.isNaN(stored),
    underflowToZero: x !== 0 && !Number.isNaN(x) && stored === 0,
  };
}

/** The codec parameters of a format (read-only copy), for lessons that explain the layout. */
export function floatFormatSpec(format: FloatFormat): Readonly<FloatSpec> {
  return { ...codecOf(format).spec };
}

/**
 * The smallest magnitude that no longer rounds to the largest finite value: halfway between
 * maxFinite and the next step above it, maxFinite + ulp/2 with ulp = maxFinite − (the value one
 * code below). Round to nearest, ties to even, sends that tie up (maxFinite's mantissa is odd, all
 * ones) — to infinity in fp16, bf16 and E5M2, to the saturated maximum in E4M3 and fp4.
 * docs/numerics.md "Floats": fp16 65519 → 0x7BFF, 65520 → inf; E5M2 61440 is a tie and rounds to inf.
 */
export function overflowThreshold(format: FloatFormat): number {
  const info = floatFormatInfo(format);
  const below = decodeFloat(format, encodeFloat(format, info.maxFinite) - 1);
  return info.maxFinite + (info.maxFinite - below) / 2;
}
