/**
 * Tests for lib/formats/number-line.ts. Counts are checked against the code ranges of docs/numerics.md
 * "Floats" (E4M3 positive finite codes 0x01..0x7E, E5M2 0x01..0x7B, fp16 0x0001..0x7BFF,
 * bf16 0x0001..0x7F7F, fp32 0x00000001..0x7F7FFFFF), binades against an independent binning of the
 * enumerated values, integer place values against two's complement (docs/numerics.md "Ranges").
 */
import { describe, expect, it } from 'vitest';
import { FLOAT_FORMATS, decodeFloat, floatFormatInfo, type FloatFormat } from './index';
import {
  binadeCounts,
  bytesPerValue,
  formatPowerOfTen,
  linearSpread,
  positiveFiniteCount,
  positiveFiniteValues,
  powerOfTenTicks,
  powerOfTwoExponent,
  valuesPerDoubling,
} from './number-line';

const SMALL: FloatFormat[] = ['fp16', 'bf16', 'fp8-e4m3', 'fp8-e5m2', 'fp4-e2m1'];

/** The exponent e with 2^e <= v < 2^(e+1), by exact doubling and halving (no log2). */
function binOf(v: number): number {
  let e = 0;
  let p = 1;
  while (p > v) {
    p /= 2;
    e--;
  }
  while (p * 2 <= v) {
    p *= 2;
    e++;
  }
  return e;
}

describe('positiveFiniteValues', () => {
  it('FP4 E2M1 positive values are exactly [0.5, 1, 1.5, 2, 3, 4, 6]', () => {
    expect(positiveFiniteValues('fp4-e2m1')).toEqual([0.5, 1, 1.5, 2, 3, 4, 6]);
  });
  it.each([
    ['fp8-e4m3', 0x7e], // 0x01..0x7E; 0x7F is NaN
    ['fp8-e5m2', 0x7b], // 0x01..0x7B; 0x7C is inf, 0x7D..0x7F NaN
    ['fp16', 0x7bff], // 0x0001..0x7BFF = 31743
    ['bf16', 0x7f7f], // 0x0001..0x7F7F = 32639
    ['fp4-e2m1', 7],
  ] as const)('%s has one value per positive finite code (%i)', (f, n) => {
    const v = positiveFiniteValues(f);
    expect(v.length).toBe(n);
    expect(v[0]).toBe(floatFormatInfo(f).minSubnormal);
    expect(v[v.length - 1]).toBe(floatFormatInfo(f).maxFinite);
    expect(v[v.length - 1]).toBe(decodeFloat(f, n));
  });
  it('counts quoted in words: E4M3 126, E5M2 123, FP16 31743', () => {
    expect(positiveFiniteValues('fp8-e4m3')).toHaveLength(126);
    expect(positiveFiniteValues('fp8-e5m2')).toHaveLength(123);
    expect(positiveFiniteValues('fp16')).toHaveLength(31743);
  });
  it.each(SMALL)('%s: strictly ascending, positive and finite', (f) => {
    const v = positiveFiniteValues(f);
    expect(v.every((x, i) => x > 0 && Number.isFinite(x) && (i === 0 || x > v[i - 1]))).toBe(true);
  });
  it('refuses fp32 (2^31 codes)', () => {
    expect(() => positiveFiniteValues('fp32')).toThrow(RangeError);
  });
});

describe('binadeCounts', () => {
  it.each(SMALL)('%s agrees with binning the enumerated values', (f) => {
    const values = positiveFiniteValues(f);
    const bins = new Map<number, number[]>();
    for (const v of values) {
      const e = binOf(v);
      bins.set(e, [...(bins.get(e) ?? []), v]);
    }
    const binades = binadeCounts(f);
    expect(binades.map((b) => b.exponent)).toEqual([...bins.keys()].sort((a, b) => a - b));
    const minNormal = floatFormatInfo(f).minNormal;
    for (const b of binades) {
      const inBin = bins.get(b.exponent) as number[];
      expect(b.count).toBe(inBin.length);
      expect(b.lo).toBe(2 ** b.exponent);
      expect(b.hi).toBe(2 ** (b.exponent + 1));
      expect(b.smallest).toBe(inBin[0]);
      expect(b.largest).toBe(inBin[inBin.length - 1]);
      expect(b.subnormal).toBe(b.hi <= minNormal);
      expect(b.log2Count).toBeCloseTo(Math.log2(inBin.length), 12);
      for (let i = 1; i < inBin.length; i++) expect(inBin[i] - inBin[i - 1]).toBe(b.spacing);
    }
    expect(binades.reduce((s, b) => s + b.count, 0)).toBe(values.length);
  });
  it('normal binades hold 2^M values; subnormal ones 1, 2, 4, ..., 2^(M-1)', () => {
    const fp16 = binadeCounts('fp16');
    expect(fp16.map((b) => b.exponent)).toEqual(Array.from({ length: 40 }, (_, i) => i - 24));
    expect(fp16.filter((b) => b.subnormal).map((b) => b.count)).toEqual([1, 2, 4, 8, 16, 32, 64, 128, 256, 512]);
    expect(fp16.filter((b) => !b.subnormal).every((b) => b.count === 1024)).toBe(true);
    expect(fp16[fp16.length - 1]).toMatchObject({ exponent: 15, count: 1024, spacing: 32, largest: 65504 });
  });
  it('E4M3 top binade [256, 512) holds only 256..448 (7 values, 32 apart): mantissa 111 is NaN', () => {
    const top = binadeCounts('fp8-e4m3').at(-1);
    expect(top).toEqual({ exponent: 8, lo: 256, hi: 512, count: 7, log2Count: Math.log2(7), subnormal: false, spacing: 32, smallest: 256, largest: 448 });
  });
  it('FP4: [0.5] subnormal, then {1, 1.5}, {2, 3}, {4, 6}', () => {
    expect(binadeCounts('fp4-e2m1').map((b) => [b.exponent, b.count, b.subnormal, b.spacing])).toEqual([
      [-1, 1, true, 0.5],
      [0, 2, false, 0.5],
      [1, 2, false, 1],
      [2, 2, false, 2],
    ]);
  });
  it('fp32 without enumeration: 23 subnormal + 254 normal binades, 0x7F7FFFFF positive finite values', () => {
    const b = binadeCounts('fp32');
    expect(b).toHaveLength(23 + 254);
    expect(b[0]).toMatchObject({ exponent: -149, lo: 2 ** -149, count: 1, subnormal: true, smallest: 2 ** -149, largest: 2 ** -149 });
    expect(b[22]).toMatchObject({ exponent: -127, count: 2 ** 22, subnormal: true, largest: 2 ** -126 - 2 ** -149 });
    expect(b[23]).toMatchObject({ exponent: -126, count: 2 ** 23, subnormal: false, spacing: 2 ** -149 });
    expect(b.at(-1)).toMatchObject({ exponent: 127, count: 2 ** 23, spacing: 2 ** 104, largest: floatFormatInfo('fp32').maxFinite });
    expect(positiveFiniteCount('fp32')).toBe(0x7f7fffff);
    expect(positiveFiniteCount('bf16')).toBe(0x7f7f);
    expect(positiveFiniteCount('fp16')).toBe(31743);
    expect(positiveFiniteCount('fp8-e4m3')).toBe(126);
    expect(positiveFiniteCount('fp8-e5m2')).toBe(123);
    expect(positiveFiniteCount('fp4-e2m1')).toBe(7);
  });
  it('values per doubling and bytes per value', () => {
    expect(FLOAT_FORMATS.map(valuesPerDoubling)).toEqual([2 ** 23, 1024, 128, 8, 4, 2]);
    expect(FLOAT_FORMATS.map(bytesPerValue)).toEqual([4, 2, 2, 1, 1, 0.5]);
  });
});

describe('linearSpread', () => {
  it('FP4: 0, 0.5 .. 6; gaps from 0.5 to 2; 1 of 7 values below 0.6', () => {
    expect(linearSpread('fp4-e2m1')).toEqual({
      values: [0, 0.5, 1, 1.5, 2, 3, 4, 6],
      max: 6,
      smallestGap: 0.5,
      largestGap: 2,
      tenth: 0.6,
      belowTenth: 1,
      positiveCount: 7,
    });
  });
  it('E4M3: gaps from 2^-9 to 32; 99 of 126 values below 44.8 (95 below 32, then 32, 36, 40, 44)', () => {
    const s = linearSpread('fp8-e4m3');
    expect(s).toMatchObject({ max: 448, smallestGap: 2 ** -9, largestGap: 32, tenth: 44.8, belowTenth: 99, positiveCount: 126 });
    expect(s.values).toHaveLength(127);
  });
  it('E5M2: the last gap is 57344 - 49152 = 8192', () => {
    expect(linearSpread('fp8-e5m2')).toMatchObject({ max: 57344, smallestGap: 2 ** -16, largestGap: 8192 });
  });
});

describe('log axis helpers', () => {
  it('powerOfTwoExponent', () => {
    expect(powerOfTwoExponent(2 ** -24)).toBe(-24);
    expect(powerOfTwoExponent(2 ** -149)).toBe(-149);
    expect(powerOfTwoExponent(1)).toBe(0);
    expect(powerOfTwoExponent(0.5)).toBe(-1);
    expect(powerOfTwoExponent(448)).toBeNull();
    expect(powerOfTwoExponent(65504)).toBeNull();
    expect(powerOfTwoExponent(0)).toBeNull();
    expect(powerOfTwoExponent(-2)).toBeNull();
    expect(powerOfTwoExponent(Infinity)).toBeNull();
    expect(powerOfTwoExponent(NaN)).toBeNull();
    for (const f of FLOAT_FORMATS) {
      const info = floatFormatInfo(f);
      expect(powerOfTwoExponent(info.minNormal)).toBe(1 - info.bias);
      expect(powerOfTwoExponent(info.minSubnormal)).toBe(1 - info.bias - info.mantissaBits);
      expect(powerOfTwoExponent(info.epsilon)).toBe(-info.mantissaBits);
    }
  });
  it('powerOfTenTicks picks a decade step giving at most maxTicks ticks, always through 1', () => {
    expect(powerOfTenTicks(2 ** -149, 3.4e38)).toEqual([1e-40, 1e-30, 1e-20, 1e-10, 1, 1e10, 1e20, 1e30]);
    expect(powerOfTenTicks(1e-3, 1e3)).toEqual([0.001, 0.01, 0.1, 1, 10, 100, 1000]);
    expect(powerOfTenTicks(1e-3, 1e3, 4)).toEqual([0.01, 1, 100]);
    expect(powerOfTenTicks(0.25, 12)).toEqual([1, 10]);
    expect(powerOfTenTicks(2 ** -18, 2 ** 17, 11)).toEqual([1e-5, 1e-4, 1e-3, 0.01, 0.1, 1, 10, 100, 1000, 1e4, 1e5]);
    expect(powerOfTenTicks(2 ** -18, 2 ** 17)).toEqual([1e-4, 0.01, 1, 100, 1e4]);
    expect(powerOfTenTicks(2, 3)).toEqual([]);
    expect(() => powerOfTenTicks(0, 1)).toThrow(RangeError);
    expect(() => powerOfTenTicks(2, 1)).toThrow(RangeError);
  });
  it('formatPowerOfTen', () => {
    expect([1e-45, 1e-8, 1e-4, 0.001, 0.01, 0.1, 1, 10, 100, 1000, 1e4, 1e38].map(formatPowerOfTen)).toEqual([
      '1e-45', '1e-8', '1e-4', '0.001', '0.01', '0.1', '1', '10', '100', '1000', '1e4', '1e38',
    ]);
    expect(formatPowerOfTen(0.5)).toBe('0.5');
    expect(formatPowerOfTen(448)).toBe('448');
  });
});

