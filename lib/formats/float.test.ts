/**
 * Tests for lib/formats/float.ts against docs/numerics.md "Floats" (IEEE 754 binary32/binary16,
 * PyTorch c10/util/BFloat16.h, OCP OFP8 E4M3/E5M2, OCP MX fp4 E2M1). The oracles here are written
 * independently of the codec: typed-array views for fp32/bf16, the textbook formula for fp16,
 * explicit value lists for fp4, brute-force nearest-value search for rounding.
 */
import { describe, expect, it } from 'vitest';
import { mulberry32 } from '../random';
import {
  FLOAT_FORMATS,
  decodeFloat,
  describeFloat,
  encodeFloat,
  floatFormatInfo,
  nextUp,
  overflowThreshold,
  roundToFormat,
  roundingInfo,
  tryEncodeFloat,
  type FloatFormat,
} from './index';

// ---- independent helpers ------------------------------------------------------------------

const f32 = new Float32Array(1);
const u32 = new Uint32Array(f32.buffer);
/** float32 value of a 32-bit pattern, via the platform. */
function f32FromBits(b: number): number {
  u32[0] = b;
  return f32[0];
}
/** 32-bit pattern of fround(x), via the platform. */
function bitsFromF32(x: number): number {
  f32[0] = x;
  return u32[0];
}

/** fp16 decoder by the textbook formula (-1)^s 2^(e-15) (1 + m/1024), written without the codec. */
function fp16Formula(b: number): number {
  const s = b >> 15;
  const e = (b >> 10) & 0x1f;
  const m = b & 0x3ff;
  const sign = s ? -1 : 1;
  if (e === 31) return m === 0 ? sign * Infinity : NaN;
  if (e === 0) return sign * Math.pow(2, -14) * (m / 1024);
  return sign * Math.pow(2, e - 15) * (1 + m / 1024);
}

/** PyTorch c10/util/BFloat16.h round_to_nearest_even on the float32 bit pattern u (non-NaN). */
function torchBf16(u: number): number {
  return Math.floor((u + 0x7fff + (Math.floor(u / 65536) & 1)) / 65536);
}

/** A random uint32 from a seeded generator. */
function randomU32(rand: () => number): number {
  return Math.floor(rand() * 2 ** 32) >>> 0;
}

const width = (f: FloatFormat): number => floatFormatInfo(f).bits;
const allCodes = (f: FloatFormat): number[] => Array.from({ length: 2 ** width(f) }, (_, i) => i);
const SMALL: FloatFormat[] = ['fp16', 'bf16', 'fp8-e4m3', 'fp8-e5m2', 'fp4-e2m1'];

// ---- the table -------------------------------------------------------------------------------

describe('floatFormatInfo matches the docs/numerics.md "Floats" table', () => {
  const table: Record<FloatFormat, { bits: number; e: number; m: number; bias: number; max: number; minNormal: number; minSub: number; inf: boolean }> = {
    fp32: { bits: 32, e: 8, m: 23, bias: 127, max: Math.fround(3.4028235e38), minNormal: 2 ** -126, minSub: 2 ** -149, inf: true },
    fp16: { bits: 16, e: 5, m: 10, bias: 15, max: 65504, minNormal: 2 ** -14, minSub: 2 ** -24, inf: true },
    bf16: { bits: 16, e: 8, m: 7, bias: 127, max: 3.3895313892515355e38, minNormal: 2 ** -126, minSub: 2 ** -133, inf: true },
    'fp8-e4m3': { bits: 8, e: 4, m: 3, bias: 7, max: 448, minNormal: 2 ** -6, minSub: 2 ** -9, inf: false },
    'fp8-e5m2': { bits: 8, e: 5, m: 2, bias: 15, max: 57344, minNormal: 2 ** -14, minSub: 2 ** -16, inf: true },
    'fp4-e2m1': { bits: 4, e: 2, m: 1, bias: 1, max: 6, minNormal: 1, minSub: 0.5, inf: false },
  };
  it.each(FLOAT_FORMATS)('%s', (f) => {
    const t = table[f];
    expect(floatFormatInfo(f)).toEqual({
      bits: t.bits,
      exponentBits: t.e,
      mantissaBits: t.m,
      bias: t.bias,
      maxFinite: t.max,
      minNormal: t.minNormal,
      minSubnormal: t.minSub,
      epsilon: 2 ** -t.m,
      hasInfinity: t.inf,
    });
  });
  it('table max finite values as printed (fp32 3.4028235e38, bf16 3.3895314e38)', () => {
    expect(floatFormatInfo('fp32').maxFinite / 3.4028235e38).toBeCloseTo(1, 7);
    expect(floatFormatInfo('bf16').maxFinite / 3.3895314e38).toBeCloseTo(1, 7);
    expect(floatFormatInfo('fp32').maxFinite).toBe(f32FromBits(0x7f7fffff));
    expect(floatFormatInfo('bf16').maxFinite).toBe(f32FromBits(0x7f7f0000));
  });
  it('min normal, min subnormal and max finite are the codes the table names', () => {
    for (const f of FLOAT_FORMATS) {
      const info = floatFormatInfo(f);
      expect(decodeFloat(f, 1)).toBe(info.minSubnormal);
      expect(decodeFloat(f, 2 ** info.mantissaBits)).toBe(info.minNormal);
      expect(encodeFloat(f, info.minSubnormal)).toBe(1);
      expect(encodeFloat(f, info.minNormal)).toBe(2 ** info.mantissaBits);
      // epsilon: the gap from 1 to the next value
      const one = encodeFloat(f, 1);
      expect(decodeFloat(f, one + 1) - 1).toBe(info.epsilon);
    }
    expect(encodeFloat('fp16', 65504)).toBe(0x7bff);
    expect(encodeFloat('bf16', floatFormatInfo('bf16').maxFinite)).toBe(0x7f7f);
    expect(encodeFloat('fp8-e4m3', 448)).toBe(0x7e);
    expect(encodeFloat('fp8-e5m2', 57344)).toBe(0x7b);
    expect(encodeFloat('fp4-e2m1', 6)).toBe(0x7);
  });
});

// ---- check values ----------------------------------------------------------------------------

describe('docs/numerics.md check values', () => {
  it('fp16: 65519 -> 0x7BFF, 65520 -> inf, 0.1 -> 0x2E66, 2^-25 -> 0, 2^-24 -> 0x0001', () => {
    expect(encodeFloat('fp16', 65519)).toBe(0x7bff);
    expect(encodeFloat('fp16', 65520)).toBe(0x7c00);
    expect(decodeFloat('fp16', 0x7c00)).toBe(Infinity);
    expect(encodeFloat('fp16', -65520)).toBe(0xfc00);
    expect(encodeFloat('fp16', 0.1)).toBe(0x2e66);
    expect(encodeFloat('fp16', 2 ** -25)).toBe(0);
    expect(encodeFloat('fp16', -(2 ** -25))).toBe(0x8000);
    expect(encodeFloat('fp16', 1.5 * 2 ** -25)).toBe(1); // above the tie
    expect(encodeFloat('fp16', 2 ** -24)).toBe(0x0001);
    expect(encodeFloat('fp16', 1)).toBe(0x3c00);
    expect(encodeFloat('fp16', -2)).toBe(0xc000);
  });
  it('bf16: 0.1 -> 0x3DCD storing 0.10009765625; max 0x7F7F; overflow rounds to inf', () => {
    expect(encodeFloat('bf16', 0.1)).toBe(0x3dcd);
    expect(decodeFloat('bf16', 0x3dcd)).toBe(0.10009765625);
    expect(roundingInfo('bf16', 0.1).stored).toBe(0.10009765625);
    expect(encodeFloat('bf16', f32FromBits(0x7f7fffff))).toBe(0x7f80);
    expect(encodeFloat('bf16', f32FromBits(0x7f7f7fff))).toBe(0x7f7f);
    expect(encodeFloat('bf16', Infinity)).toBe(0x7f80);
    expect(encodeFloat('bf16', -Infinity)).toBe(0xff80);
  });
  it('E4M3: 448 = 0x7E, 1000 -> 448 saturated, +-inf saturate, NaN only S.1111.111', () => {
    expect(encodeFloat('fp8-e4m3', 448)).toBe(0x7e);
    expect(decodeFloat('fp8-e4m3', 0x7e)).toBe(448);
    expect(encodeFloat('fp8-e4m3', 1000)).toBe(0x7e);
    expect(encodeFloat('fp8-e4m3', -1000)).toBe(0xfe);
    expect(encodeFloat('fp8-e4m3', 464)).toBe(0x7e); // the tie above 448: mantissa 110 is even
    expect(encodeFloat('fp8-e4m3', 1e39)).toBe(0x7e); // fround(1e39) = inf, still saturates
    expect(encodeFloat('fp8-e4m3', Infinity)).toBe(0x7e);
    expect(encodeFloat('fp8-e4m3', -Infinity)).toBe(0xfe);
    expect(encodeFloat('fp8-e4m3', NaN)).toBe(0x7f);
    const nanCodes = allCodes('fp8-e4m3').filter((b) => Number.isNaN(decodeFloat('fp8-e4m3', b)));
    expect(nanCodes).toEqual([0x7f, 0xff]);
    expect(allCodes('fp8-e4m3').some((b) => !Number.isFinite(decodeFloat('fp8-e4m3', b)) && !nanCodes.includes(b))).toBe(false);
    const r = roundingInfo('fp8-e4m3', 1000);
    expect(r).toEqual({ bits: 0x7e, stored: 448, absError: 552, relError: 0.552, saturated: true, overflowToInf: false, underflowToZero: false });
  });
  it('E5M2: 57344 = 0x7B, 61440 is a tie and rounds to inf, inf S.11111.00, NaN S.11111.{01,10,11}', () => {
    expect(encodeFloat('fp8-e5m2', 57344)).toBe(0x7b);
    expect(encodeFloat('fp8-e5m2', 61440)).toBe(0x7c);
    expect(encodeFloat('fp8-e5m2', -61440)).toBe(0xfc);
    expect(encodeFloat('fp8-e5m2', f32FromBits(bitsFromF32(61440) - 1))).toBe(0x7b);
    expect(decodeFloat('fp8-e5m2', 0x7c)).toBe(Infinity);
    expect(decodeFloat('fp8-e5m2', 0xfc)).toBe(-Infinity);
    for (const b of [0x7d, 0x7e, 0x7f, 0xfd, 0xfe, 0xff]) expect(decodeFloat('fp8-e5m2', b)).toBeNaN();
    expect(encodeFloat('fp8-e5m2', NaN)).toBe(0x7e);
    expect(roundingInfo('fp8-e5m2', 61440).overflowToInf).toBe(true);
  });
  it('fp4 E2M1: codes 0..7 are {0, 0.5, 1, 1.5, 2, 3, 4, 6}, 8..15 their negatives; saturates to +-6', () => {
    const pos = [0, 0.5, 1, 1.5, 2, 3, 4, 6];
    const decoded = allCodes('fp4-e2m1').map((b) => decodeFloat('fp4-e2m1', b));
    expect(decoded).toEqual([...pos, ...pos.map((v) => -v)]);
    expect(Object.is(decoded[8], -0)).toBe(true);
    expect(encodeFloat('fp4-e2m1', 7)).toBe(0x7);
    expect(encodeFloat('fp4-e2m1', 100)).toBe(0x7);
    expect(encodeFloat('fp4-e2m1', Infinity)).toBe(0x7);
    expect(encodeFloat('fp4-e2m1', -Infinity)).toBe(0xf);
    expect(encodeFloat('fp4-e2m1', 0.25)).toBe(0x0); // tie between 0 and 0.5
    expect(encodeFloat('fp4-e2m1', 0.75)).toBe(0x2); // tie between 0.5 (odd) and 1 (even)
    expect(encodeFloat('fp4-e2m1', 2.5)).toBe(0x4); // tie between 2 and 3
    expect(encodeFloat('fp4-e2m1', 5)).toBe(0x6); // tie between 4 and 6
    expect(roundingInfo('fp4-e2m1', -9)).toMatchObject({ bits: 0xf, stored: -6, saturated: true });
  });
  it('fp4 E2M1 has no NaN: encode throws a RangeError, tryEncodeFloat returns null', () => {
    expect(() => encodeFloat('fp4-e2m1', NaN)).toThrow(RangeError);
    expect(() => encodeFloat('fp4-e2m1', NaN)).toThrow('FP4 E2M1 has no NaN');
    expect(() => roundingInfo('fp4-e2m1', NaN)).toThrow(RangeError);
    expect(tryEncodeFloat('fp4-e2m1', NaN)).toBeNull();
    expect(tryEncodeFloat('fp4-e2m1', 2.9)).toBe(0x5);
    expect(tryEncodeFloat('fp8-e4m3', NaN)).toBe(0x7f);
  });
  it('canonical quiet NaN per format', () => {
    expect(encodeFloat('fp32', NaN)).toBe(0x7fc00000);
    expect(encodeFloat('fp16', NaN)).toBe(0x7e00);
    expect(encodeFloat('bf16', NaN)).toBe(0x7fc0);
    expect(encodeFloat('fp8-e4m3', NaN)).toBe(0x7f);
    expect(encodeFloat('fp8-e5m2', NaN)).toBe(0x7e);
    for (const f of FLOAT_FORMATS) if (f !== 'fp4-e2m1') expect(decodeFloat(f, encodeFloat(f, NaN))).toBeNaN();
  });
  it('signed zero is kept in every format', () => {
    for (const f of FLOAT_FORMATS) {
      const signBit = 2 ** (width(f) - 1);
      expect(encodeFloat(f, 0)).toBe(0);
      expect(encodeFloat(f, -0)).toBe(signBit);
      expect(decodeFloat(f, signBit)).toBe(-0);
      expect(decodeFloat(f, 0)).toBe(0);
    }
  });
  it('the input is rounded to float32 first', () => {
    // 2^-25 * (1 + 2^-30) is above the fp16 tie as a float64, but fround makes it exactly 2^-25.
    expect(encodeFloat('fp16', 2 ** -25 * (1 + 2 ** -30))).toBe(0);
    expect(encodeFloat('fp16', 2 ** -25 * (1 + 2 ** -20))).toBe(1);
    expect(encodeFloat('fp32', 0.1)).toBe(bitsFromF32(0.1));
  });
});

// ---- exhaustive round trips -----------------------------------------------------------------

describe('every code decodes and round-trips', () => {
  it.each(['fp8-e4m3', 'fp8-e5m2', 'fp4-e2m1'] as FloatFormat[])('%s: encode(decode(b)) === b for every non-NaN code', (f) => {
    let checked = 0;
    for (const b of allCodes(f)) {
      const v = decodeFloat(f, b);
      if (Number.isNaN(v)) continue;
      expect(encodeFloat(f, v)).toBe(b);
      checked++;
    }
    expect(checked).toBe({ 'fp8-e4m3': 254, 'fp8-e5m2': 250, 'fp4-e2m1': 16 }[f as string]);
  });
  it('E4M3 and E5M2 decode to the formula values', () => {
    for (const b of allCodes('fp8-e4m3')) {
      const s = b >> 7, e = (b >> 3) & 15, m = b & 7;
      const mag = e === 15 && m === 7 ? NaN : e === 0 ? 2 ** -6 * (m / 8) : 2 ** (e - 7) * (1 + m / 8);
      expect(decodeFloat('fp8-e4m3', b)).toBe(s ? -mag : mag);
    }
    for (const b of allCodes('fp8-e5m2')) {
      expect(decodeFloat('fp8-e5m2', b)).toBe(fp16Formula(b << 8)); // E5M2 is the top byte of fp16
    }
  });
  it('fp16: all 65536 codes match the textbook formula and round-trip', () => {
    let nans = 0;
    const bad: unknown[] = [];
    for (let b = 0; b < 65536; b++) {
      const v = decodeFloat('fp16', b);
      if (!Object.is(v, fp16Formula(b))) bad.push({ b, v, want: fp16Formula(b) });
      if (Number.isNaN(v)) {
        nans++;
        continue;
      }
      if (encodeFloat('fp16', v) !== b) bad.push({ b, v, encoded: encodeFloat('fp16', v) });
    }
    expect(bad.slice(0, 5)).toEqual([]);
    expect(nans).toBe(2 * 1023);
  });
  it('bf16: all 65536 codes are the top half of the float32 pattern and round-trip', () => {
    const bad: unknown[] = [];
    for (let b = 0; b < 65536; b++) {
      const v = decodeFloat('bf16', b);
      if (!Object.is(v, f32FromBits(b * 65536))) bad.push({ b, v });
      if (!Number.isNaN(v) && encodeFloat('bf16', v) !== b) bad.push({ b, v, encoded: encodeFloat('bf16', v) });
    }
    expect(bad.slice(0, 5)).toEqual([]);
  });
  it('fp32: random bit patterns decode like a Float32Array and round-trip', () => {
    const rand = mulberry32(32);
    const specials = [0, 0x80000000, 1, 0x80000001, 0x007fffff, 0x00800000, 0x3f800000, 0x7f7fffff, 0xff7fffff, 0x7f800000, 0xff800000];
    const codes = [...specials, ...Array.from({ length: 20000 }, () => randomU32(rand))];
    const bad: unknown[] = [];
    for (const b of codes) {
      const v = decodeFloat('fp32', b);
      if (!Object.is(v, f32FromBits(b))) bad.push({ b, v });
      if (!Number.isNaN(v) && encodeFloat('fp32', v) !== b) bad.push({ b, v, encoded: encodeFloat('fp32', v) });
    }
    expect(bad.slice(0, 5)).toEqual([]);
  });
  it('fp32: encode of random float64 values equals the Float32Array rounding', () => {
    const rand = mulberry32(64);
    const bad: unknown[] = [];
    for (let i = 0; i < 20000; i++) {
      const x = (rand() - 0.5) * 2 ** Math.floor(rand() * 300 - 150);
      if (encodeFloat('fp32', x) !== bitsFromF32(x)) bad.push({ x, got: encodeFloat('fp32', x), want: bitsFromF32(x) });
    }
    expect(bad.slice(0, 5)).toEqual([]);
    expect(encodeFloat('fp32', 1e39)).toBe(0x7f800000);
    expect(encodeFloat('fp32', 1e-50)).toBe(0);
  });
});

// ---- ties to even ----------------------------------------------------------------------------

describe('round to nearest, ties to even', () => {
  it.each(SMALL)('%s: midpoints go to the even code, their float32 neighbours to the nearer code', (f) => {
    const info = floatFormatInfo(f);
    const signBit = 2 ** (info.bits - 1);
    const maxCode = encodeFloat(f, info.maxFinite);
    let ties = 0;
    const bad: unknown[] = [];
    for (let b = 0; b < maxCode; b++) {
      const lo = decodeFloat(f, b);
      const hi = decodeFloat(f, b + 1);
      const mid = (lo + hi) / 2;
      if (Math.fround(mid) !== mid) bad.push({ b, mid, note: 'midpoint not a float32' });
      const even = b % 2 === 0 ? b : b + 1;
      const below = f32FromBits(bitsFromF32(mid) - 1);
      const above = f32FromBits(bitsFromF32(mid) + 1);
      const got = [encodeFloat(f, mid), encodeFloat(f, -mid), encodeFloat(f, below), encodeFloat(f, above)];
      const want = [even, signBit + even, b, b + 1];
      if (got.some((g, k) => g !== want[k])) bad.push({ b, mid, got, want });
      ties++;
    }
    expect(bad.slice(0, 5)).toEqual([]);
    expect(ties).toBe(maxCode);
  });
  it('random float32 values round to the nearest value found by brute force (8- and 4-bit formats)', () => {
    const rand = mulberry32(8);
    for (const f of ['fp8-e4m3', 'fp8-e5m2', 'fp4-e2m1'] as FloatFormat[]) {
      const info = floatFormatInfo(f);
      const finite = allCodes(f).filter((b) => Number.isFinite(decodeFloat(f, b)));
      for (let i = 0; i < 3000; i++) {
        const x = Math.fround((rand() - 0.5) * 2 * info.maxFinite * 1.02);
        const b = encodeFloat(f, x);
        const got = decodeFloat(f, b);
        if (Math.abs(x) > info.maxFinite) {
          const maxCode = encodeFloat(f, info.maxFinite);
          const overflowTie = info.maxFinite + (info.maxFinite - decodeFloat(f, maxCode - 1)) / 2;
          expect(Math.abs(got)).toBe(info.hasInfinity && Math.abs(x) >= overflowTie ? Infinity : info.maxFinite);
          continue;
        }
        const best = Math.min(...finite.map((c) => Math.abs(decodeFloat(f, c) - x)));
        expect(Math.abs(got - x)).toBe(best);
      }
    }
  });
});

// ---- bf16 against PyTorch -------------------------------------------------------------------

describe('bf16 agrees with PyTorch c10/util/BFloat16.h', () => {
  it('on random float32 bit patterns (all exponents, subnormals, ties)', () => {
    const rand = mulberry32(16);
    const codes: number[] = [];
    for (let i = 0; i < 50000; i++) codes.push(randomU32(rand));
    // exact ties (low half 0x8000) with odd and even upper halves, and subnormals
    for (let i = 0; i < 5000; i++) codes.push(((randomU32(rand) & 0xffff0000) + 0x8000) >>> 0, (randomU32(rand) & 0x807fffff) >>> 0);
    let checked = 0;
    const bad: unknown[] = [];
    for (const u of codes) {
      const x = f32FromBits(u);
      if (Number.isNaN(x)) continue;
      if (encodeFloat('bf16', x) !== torchBf16(u)) bad.push({ u, got: encodeFloat('bf16', x), want: torchBf16(u) });
      checked++;
    }
    expect(bad.slice(0, 5)).toEqual([]);
    expect(checked).toBeGreaterThan(59000);
  });
});

// ---- E5M2 as the top byte of fp16 -----------------------------------------------------------

describe('E5M2 is the top byte of fp16', () => {
  it('for every fp16 value, encode e5m2 = round-to-nearest-even of the fp16 code to 8 bits', () => {
    const bad: unknown[] = [];
    for (let h = 0; h < 65536; h++) {
      const v = decodeFloat('fp16', h);
      if (Number.isNaN(v)) continue;
      const top = (h + 0x7f + ((h >> 8) & 1)) >> 8; // same trick as bf16, 16 -> 8 bits
      if (encodeFloat('fp8-e5m2', v) !== top) bad.push({ h, v, got: encodeFloat('fp8-e5m2', v), want: top });
    }
    expect(bad.slice(0, 5)).toEqual([]);
  });
  it('on random float32 inputs, differing only where fp16 lands exactly on an E5M2 midpoint', () => {
    const rand = mulberry32(58);
    for (let i = 0; i < 20000; i++) {
      const x = Math.fround((rand() - 0.5) * 2 ** Math.floor(rand() * 40 - 20));
      const h = encodeFloat('fp16', x);
      const direct = encodeFloat('fp8-e5m2', x);
      const viaFp16 = (h + 0x7f + ((h >> 8) & 1)) >> 8;
      if (direct !== viaFp16) {
        // only possible when fp16 rounding landed exactly on an E5M2 midpoint (double rounding)
        expect((h & 0xff) === 0x80).toBe(true);
      }
    }
  });
  it('double rounding through fp16 can differ from direct rounding', () => {
    const x = 1.125 + 2 ** -12; // just above the E5M2 midpoint between 1 and 1.25
    expect(encodeFloat('fp8-e5m2', x)).toBe(encodeFloat('fp8-e5m2', 1.25));
    expect(decodeFloat('fp16', encodeFloat('fp16', x))).toBe(1.125); // fp16 lands on the midpoint...
    expect(encodeFloat('fp8-e5m2', 1.125)).toBe(encodeFloat('fp8-e5m2', 1)); // ...which ties to even
  });
});

// ---- describeFloat, nextUp, roundingInfo ----------------------------------------------------

describe('describeFloat', () => {
  it('splits fields and classifies codes', () => {
    expect(describeFloat('fp16', 0x3c00)).toEqual({ sign: 0, exponentField: 15, mantissaField: 0, kind: 'normal', unbiasedExponent: 0, significand: 1, value: 1 });
    expect(describeFloat('fp16', 0x8001)).toEqual({ sign: 1, exponentField: 0, mantissaField: 1, kind: 'subnormal', unbiasedExponent: -14, significand: 2 ** -10, value: -(2 ** -24) });
    expect(describeFloat('fp16', 0x0000)).toMatchObject({ kind: 'zero', unbiasedExponent: -14, significand: 0, value: 0 });
    expect(describeFloat('fp16', 0xfc00)).toMatchObject({ sign: 1, kind: 'infinity', value: -Infinity });
    expect(describeFloat('fp16', 0x7e00)).toMatchObject({ kind: 'nan', exponentField: 31, mantissaField: 512 });
    expect(describeFloat('fp8-e4m3', 0x7e)).toEqual({ sign: 0, exponentField: 15, mantissaField: 6, kind: 'normal', unbiasedExponent: 8, significand: 1.75, value: 448 });
    expect(describeFloat('fp8-e4m3', 0xff)).toMatchObject({ sign: 1, kind: 'nan' });
    expect(describeFloat('fp4-e2m1', 0x1)).toEqual({ sign: 0, exponentField: 0, mantissaField: 1, kind: 'subnormal', unbiasedExponent: 0, significand: 0.5, value: 0.5 });
    expect(describeFloat('fp32', 0xbf800000)).toMatchObject({ sign: 1, exponentField: 127, mantissaField: 0, kind: 'normal', value: -1 });
  });
  it('value = (-1)^s * significand * 2^unbiasedExponent for every finite code of the small formats', () => {
    const bad: unknown[] = [];
    for (const f of SMALL) {
      for (const b of allCodes(f)) {
        const d = describeFloat(f, b);
        if (!Object.is(d.value, decodeFloat(f, b))) bad.push({ f, b, d });
        if (d.kind === 'nan' || d.kind === 'infinity') continue;
        if (!Object.is((d.sign ? -1 : 1) * d.significand * 2 ** d.unbiasedExponent, d.value)) bad.push({ f, b, d });
      }
    }
    expect(bad.slice(0, 5)).toEqual([]);
  });
});

describe('nextUp', () => {
  it.each(SMALL)('%s: the next code holds the next larger value, with nothing in between', (f) => {
    const codes = allCodes(f).filter((b) => !Number.isNaN(decodeFloat(f, b)));
    // distinct values in increasing order; -0 and +0 are one value (Set and Map use SameValueZero)
    const values = [...new Set(codes.map((b) => decodeFloat(f, b)))].sort((a, b) => a - b);
    const index = new Map(values.map((v, i) => [v, i]));
    const bad: unknown[] = [];
    for (const b of codes) {
      const v = decodeFloat(f, b);
      const n = nextUp(f, b);
      const i = index.get(v) as number;
      if (i === values.length - 1) {
        if (n !== null) bad.push({ b, n });
        continue;
      }
      // the next value up from a negative number towards zero is -0 (IEEE nextUp)
      const want = values[i + 1] === 0 && v < 0 ? -0 : values[i + 1];
      if (n === null || !Object.is(decodeFloat(f, n), want)) bad.push({ b, v, n, want });
    }
    expect(bad.slice(0, 5)).toEqual([]);
  });
  it('edge cases', () => {
    expect(nextUp('fp16', 0x0000)).toBe(0x0001);
    expect(nextUp('fp16', 0x8000)).toBe(0x0001);
    expect(nextUp('fp16', 0x8001)).toBe(0x8000); // -minSubnormal -> -0 (IEEE nextUp)
    expect(nextUp('fp16', 0x7bff)).toBe(0x7c00); // 65504 -> inf
    expect(nextUp('fp16', 0x7c00)).toBeNull();
    expect(nextUp('fp16', 0xfc00)).toBe(0xfbff);
    expect(nextUp('fp16', 0x7e00)).toBeNull();
    expect(nextUp('fp8-e4m3', 0x7e)).toBeNull(); // 448 is the top
    expect(nextUp('fp4-e2m1', 0x7)).toBeNull();
    expect(nextUp('fp4-e2m1', 0x6)).toBe(0x7);
    expect(nextUp('fp32', 0x3f800000)).toBe(0x3f800001);
    expect(decodeFloat('fp16', nextUp('fp16', 0x3c00) as number) - 1).toBe(2 ** -10);
  });
});

describe('roundingInfo', () => {
  it('reports stored value, errors and what happened', () => {
    expect(roundingInfo('fp16', 0.1)).toEqual({
      bits: 0x2e66,
      stored: decodeFloat('fp16', 0x2e66),
      absError: Math.abs(decodeFloat('fp16', 0x2e66) - 0.1),
      relError: Math.abs(decodeFloat('fp16', 0x2e66) - 0.1) / 0.1,
      saturated: false,
      overflowToInf: false,
      underflowToZero: false,
    });
    expect(roundingInfo('fp16', 65520)).toMatchObject({ bits: 0x7c00, stored: Infinity, absError: Infinity, relError: Infinity, overflowToInf: true, saturated: false });
    expect(roundingInfo('fp16', 2 ** -25)).toMatchObject({ bits: 0, stored: 0, absError: 2 ** -25, relError: 1, underflowToZero: true });
    expect(roundingInfo('fp16', -(2 ** -25))).toMatchObject({ bits: 0x8000, stored: -0, underflowToZero: true });
    expect(roundingInfo('fp16', Infinity)).toMatchObject({ bits: 0x7c00, absError: 0, relError: 0, overflowToInf: false });
    expect(roundingInfo('fp8-e4m3', -Infinity)).toMatchObject({ bits: 0xfe, stored: -448, absError: Infinity, relError: 1, saturated: true });
    expect(roundingInfo('fp8-e4m3', 440)).toMatchObject({ bits: 0x7e, saturated: false });
    expect(roundingInfo('fp8-e4m3', 0)).toMatchObject({ bits: 0, absError: 0, relError: 0, underflowToZero: false });
    expect(roundingInfo('fp32', 1e39)).toMatchObject({ bits: 0x7f800000, overflowToInf: true });
    expect(roundingInfo('fp32', 0.1).absError).toBe(Math.abs(Math.fround(0.1) - 0.1));
    const nan = roundingInfo('fp16', NaN);
    expect(nan.bits).toBe(0x7e00);
    expect(nan.absError).toBeNaN();
    expect(nan.overflowToInf || nan.underflowToZero || nan.saturated).toBe(false);
  });
  it('roundToFormat is decode(encode(x))', () => {
    expect(roundToFormat('bf16', 0.1)).toBe(0.10009765625);
    expect(roundToFormat('fp4-e2m1', 2.6)).toBe(3);
    expect(roundToFormat('fp8-e4m3', -1e6)).toBe(-448);
  });
});

describe('bad input', () => {
  it('decodeFloat rejects codes outside 0..2^bits-1 and non-integers', () => {
    for (const f of FLOAT_FORMATS) {
      expect(() => decodeFloat(f, -1)).toThrow(RangeError);
      expect(() => decodeFloat(f, 2 ** width(f))).toThrow(RangeError);
      expect(() => decodeFloat(f, 0.5)).toThrow(RangeError);
      expect(() => decodeFloat(f, NaN)).toThrow(RangeError);
      expect(() => describeFloat(f, 2 ** width(f))).toThrow(RangeError);
      expect(() => nextUp(f, -1)).toThrow(RangeError);
      expect(decodeFloat(f, 2 ** width(f) - 1)).not.toBeUndefined();
    }
  });
  it('unknown formats throw RangeError', () => {
    expect(() => encodeFloat('fp64' as FloatFormat, 1)).toThrow(RangeError);
    expect(() => decodeFloat('toString' as FloatFormat, 1)).toThrow(RangeError);
    expect(() => floatFormatInfo('' as FloatFormat)).toThrow(RangeError);
  });
});

describe('overflowThreshold (docs/numerics.md "Floats")', () => {
  it('is 65520 for fp16: 65519 stays 65504, 65520 becomes inf', () => {
    expect(overflowThreshold('fp16')).toBe(65520);
    expect(roundToFormat('fp16', 65519)).toBe(65504);
    expect(roundToFormat('fp16', 65520)).toBe(Infinity);
  });
  it('is 61440 for E5M2, a tie that rounds to inf', () => {
    expect(overflowThreshold('fp8-e5m2')).toBe(61440);
    expect(roundToFormat('fp8-e5m2', 61440)).toBe(Infinity);
    expect(roundToFormat('fp8-e5m2', 61439)).toBe(57344);
  });
  it('sits half a step above the largest value in every format', () => {
    for (const f of FLOAT_FORMATS) {
      const t = overflowThreshold(f);
      expect(t).toBeGreaterThan(floatFormatInfo(f).maxFinite);
      const info = floatFormatInfo(f);
      expect(roundToFormat(f, t - (t - info.maxFinite) / 4)).toBe(info.maxFinite);
    }
  });
});
