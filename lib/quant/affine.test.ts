import { describe, expect, it } from 'vitest';
import { computeQParams, dequantizeAffine, finiteMinMax, integerRange, quantizeAffine, roundHalfEven, scaledByInverse, QPARAM_EPS } from './affine';

const X = new Float32Array([-1, 0, 0.5, 2]);

describe('computeQParams / quantizeAffine (docs/numerics.md check values)', () => {
  it('unsigned 8-bit affine: scale 3/255, zp 85, q = [0, 85, 127, 255]', () => {
    const p = computeQParams(-1, 2, { bits: 8, signed: false, symmetric: false });
    expect(p.scale).toBe(Math.fround(3 / 255));
    expect(p.scale).toBeCloseTo(0.011764706, 9);
    expect(p.zeroPoint).toBe(85);
    const q = quantizeAffine(X, p.scale, p.zeroPoint, p.qmin, p.qmax);
    expect(Array.from(q)).toEqual([0, 85, 127, 255]); // 42.5 rounds to 42 (ties to even)
    const xr = dequantizeAffine(q, p.scale, p.zeroPoint);
    expect(xr[0]).toBeCloseTo(-1, 6);
    expect(xr[1]).toBe(0);
    expect(xr[2]).toBeCloseTo(0.49411765, 7);
    expect(xr[3]).toBeCloseTo(2, 6);
  });
  it('signed 8-bit symmetric: scale 2/127.5, zp 0, q = [-64, 0, 32, 127]', () => {
    const p = computeQParams(-1, 2, { bits: 8, signed: true, symmetric: true });
    expect(p.scale).toBe(Math.fround(2 / 127.5));
    expect(p.zeroPoint).toBe(0);
    expect(Array.from(quantizeAffine(X, p.scale, p.zeroPoint, p.qmin, p.qmax))).toEqual([-64, 0, 32, 127]);
  });
  it('unsigned symmetric puts the zero point at 2^(b-1)', () => {
    expect(computeQParams(-1, 2, { bits: 8, signed: false, symmetric: true }).zeroPoint).toBe(128);
    expect(computeQParams(-1, 2, { bits: 4, signed: false, symmetric: true }).zeroPoint).toBe(8);
  });
  it('an all-zero range falls back to eps instead of dividing by zero', () => {
    const p = computeQParams(0, 0, { bits: 8, signed: true, symmetric: false });
    expect(p.scale).toBe(QPARAM_EPS);
    expect(Array.from(quantizeAffine(new Float32Array([0, 0]), p.scale, p.zeroPoint, p.qmin, p.qmax))).toEqual([p.zeroPoint, p.zeroPoint]);
  });
  it('clamps to the integer range', () => {
    const q = quantizeAffine(new Float32Array([-1000, 1000]), 0.01, 0, -128, 127);
    expect(Array.from(q)).toEqual([-128, 127]);
  });
  it('maps NaN to the zero point and infinities to the ends of the range', () => {
    const q = quantizeAffine(new Float32Array([Number.NaN, Infinity, -Infinity]), 0.1, 3, -8, 7);
    expect(Array.from(q)).toEqual([3, 7, -8]);
  });
  it('rejects bad settings', () => {
    expect(() => computeQParams(2, -1, { bits: 8, signed: true, symmetric: true })).toThrow(/larger than max/);
    expect(() => computeQParams(Number.NaN, 1, { bits: 8, signed: true, symmetric: true })).toThrow(/finite/);
    expect(() => integerRange(1, true)).toThrow(/2 to 16/);
  });
});

describe('roundHalfEven', () => {
  it.each([[0.5, 0], [1.5, 2], [2.5, 2], [-0.5, -0], [-1.5, -2], [-2.5, -2], [42.5, 42], [2.4, 2], [-2.6, -3]])('%d -> %d', (x, r) => {
    expect(roundHalfEven(x) === r || (r === 0 && roundHalfEven(x) === 0)).toBe(true);
  });
});

describe('finiteMinMax', () => {
  it('skips and counts NaN and infinities', () => {
    expect(finiteMinMax(new Float32Array([3, Number.NaN, -2, Infinity, 5, -Infinity]))).toEqual({ min: -2, max: 5, nonFinite: 3 });
    expect(finiteMinMax(new Float32Array([]))).toEqual({ min: 0, max: 0, nonFinite: 0 });
  });
});

describe('scaledByInverse', () => {
  it('gives the float32 value that is rounded: 0.5 at scale 3/255 is the tie 42.5', () => {
    const p = computeQParams(-1, 2, { bits: 8, signed: false, symmetric: false });
    expect(scaledByInverse(0.5, p.scale)).toBe(42.5);
    expect(roundHalfEven(scaledByInverse(0.5, p.scale))).toBe(42);
    expect(scaledByInverse(2, p.scale)).toBe(170);
  });
});
