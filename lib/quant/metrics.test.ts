import { describe, expect, it } from 'vitest';
import { clippedFraction, histogram, maxAbsError, mse, sqnrDb } from './metrics';
import { computeQParams, dequantizeAffine, quantizeAffine } from './affine';
import { fakeQuantize } from './fake-quantize';
import { normalArray } from '../random';

const NaN_ = Number.NaN;

describe('mse / maxAbsError', () => {
  it('hand-computed values, accumulated in float64', () => {
    const a = new Float32Array([1, 2, 3, 4]);
    const b = new Float32Array([1, 2.5, 2, 4]);
    expect(mse(a, b)).toBe((0.25 + 1) / 4);
    expect(maxAbsError(a, b)).toBe(1);
    expect(mse([0.1, 0.2], [0.1, 0.2])).toBe(0);
  });
  it('skips pairs where either side is NaN or ±Inf', () => {
    const a = [1, NaN_, 3, Infinity, 5, -Infinity];
    const b = [2, 0, NaN_, Infinity, 5, 0];
    expect(mse(a, b)).toBe(1 / 2);
    expect(maxAbsError(a, b)).toBe(1);
  });
  it('no finite pair gives 0; mismatched lengths throw', () => {
    expect(mse([], [])).toBe(0);
    expect(mse([NaN_], [1])).toBe(0);
    expect(maxAbsError([Infinity], [1])).toBe(0);
    expect(() => mse([1, 2], [1])).toThrow(/same length, got 2 and 1/);
    expect(() => maxAbsError([1], [])).toThrow(RangeError);
  });
});

describe('sqnrDb', () => {
  it('10 log10(Σx² / Σ(x−x′)²)', () => {
    expect(sqnrDb([3, 4], [3, 3])).toBeCloseTo(10 * Math.log10(25), 12);
    expect(sqnrDb([1, 1, 1, 1], [1.1, 0.9, 1.1, 0.9])).toBeCloseTo(20, 10); // noise power 1% of signal
  });
  it('Infinity when identical, -Infinity for an all-zero signal with noise', () => {
    expect(sqnrDb([1, -2, 0.5], [1, -2, 0.5])).toBe(Infinity);
    expect(sqnrDb([], [])).toBe(Infinity);
    expect(sqnrDb([0, 0], [0, 1])).toBe(-Infinity);
  });
  it('skips non-finite pairs', () => {
    expect(sqnrDb([3, NaN_, 4, 1], [3, 1, 3, Infinity])).toBeCloseTo(10 * Math.log10(25), 12);
  });
  it('is about 6 dB per bit for a uniform quantizer on uniform data', () => {
    const x = new Float32Array(100_000);
    for (let i = 0; i < x.length; i++) x[i] = ((i * 0.6180339887) % 1) * 2 - 1;
    const db = (bits: number) => {
      const p = computeQParams(-1, 1, { bits, signed: true, symmetric: false });
      return sqnrDb(x, dequantizeAffine(quantizeAffine(x, p.scale, p.zeroPoint, p.qmin, p.qmax), p.scale, p.zeroPoint));
    };
    expect(db(8) - db(7)).toBeCloseTo(6.02, 0);
    expect(db(8)).toBeCloseTo(6.02 * 8, 0);
  });
});

describe('clippedFraction', () => {
  it('counts unclamped codes outside [qmin, qmax] among finite values', () => {
    const s = Math.fround(3 / 255);
    // docs/numerics.md check: nothing clipped for x in [-1, 2].
    expect(clippedFraction(new Float32Array([-1, 0, 0.5, 2]), s, 85, 0, 255)).toBe(0);
    expect(clippedFraction(new Float32Array([-1.5, -1, 2, 2.5, NaN_, Infinity]), s, 85, 0, 255)).toBe(2 / 4);
    expect(clippedFraction([NaN_], s, 85, 0, 255)).toBe(0);
    expect(() => clippedFraction([1], 0, 0, -8, 7)).toThrow(/positive finite/);
  });
  it('agrees with fakeQuantize’s straight-through mask', () => {
    const x = normalArray(10_000, 4);
    const p = computeQParams(-1.5, 1.5, { bits: 4, signed: true, symmetric: true });
    const { mask } = fakeQuantize(x, p.scale, p.zeroPoint, p.qmin, p.qmax);
    let blocked = 0;
    for (const m of mask) blocked += 1 - m;
    expect(clippedFraction(x, p.scale, p.zeroPoint, p.qmin, p.qmax)).toBe(blocked / x.length);
    expect(blocked).toBeGreaterThan(0);
  });
});

describe('histogram', () => {
  it('bin = floor((x − lo) · bins / (hi − lo)), clamped to the end bins', () => {
    const h = histogram([0, 0.24, 0.25, 0.5, 0.99, 1, -3, 7], 0, 1, 4);
    expect(Array.from(h)).toEqual([2 + 1, 1, 1, 1 + 1 + 1]);
  });
  it('skips NaN/Inf and sums to the number of finite values', () => {
    const x = normalArray(5000, 2);
    x[0] = NaN_; x[1] = Infinity; x[2] = -Infinity;
    const h = histogram(x, -3, 3, 64);
    expect(h.length).toBe(64);
    expect(h.reduce((s, c) => s + c, 0)).toBe(4997);
    // Roughly symmetric around 0 for a standard normal.
    const left = h.subarray(0, 32).reduce((s, c) => s + c, 0);
    expect(Math.abs(left / 4997 - 0.5)).toBeLessThan(0.03);
  });
  it('hi <= lo puts every finite value in bin 0', () => {
    expect(Array.from(histogram([1, 2, NaN_, 3], 5, 5, 3))).toEqual([3, 0, 0]);
    expect(Array.from(histogram([1, 2], 1, 0, 2))).toEqual([2, 0]);
  });
  it('rejects bad settings', () => {
    expect(() => histogram([1], 0, 1, 0)).toThrow(/bins/);
    expect(() => histogram([1], 0, 1, 2.5)).toThrow(/bins/);
    expect(() => histogram([1], NaN_, 1, 2)).toThrow(/finite/);
  });
});
