import { describe, expect, it } from 'vitest';
import { computeQParams, dequantizeAffine, quantizeAffine } from './affine';
import { fakeQuantize } from './fake-quantize';

// docs/numerics.md "Affine (integer) quantization", check values.
const X = new Float32Array([-1, 0, 0.5, 2]);
const SCALE = Math.fround(3 / 255);

describe('fakeQuantize (docs/numerics.md, PyTorch fake_quantize_per_tensor_affine)', () => {
  it('unsigned 8-bit affine check: y = [-1, 0, 0.49411765, 2], mask all 1', () => {
    const { y, mask } = fakeQuantize(X, SCALE, 85, 0, 255);
    expect(y[0]).toBe(Math.fround(-85 * SCALE));
    expect(y[0]).toBeCloseTo(-1, 6);
    expect(y[1]).toBe(0);
    expect(y[2]).toBe(Math.fround(42 * SCALE)); // 42.5 rounds to 42 (ties to even)
    expect(y[2]).toBeCloseTo(0.49411765, 7);
    expect(y[3]).toBe(Math.fround(170 * SCALE));
    expect(y[3]).toBeCloseTo(2, 6);
    expect(Array.from(mask)).toEqual([1, 1, 1, 1]);
  });

  it('clips values outside the range and blocks their gradient (mask 0)', () => {
    const { y, mask } = fakeQuantize(new Float32Array([-1.5, -1, 2, 2.5, 3]), SCALE, 85, 0, 255);
    expect(Array.from(mask)).toEqual([0, 1, 1, 0, 0]);
    expect(y[0]).toBe(y[1]); // clipped to qmin: same value as -1
    expect(y[3]).toBe(y[2]); // clipped to qmax: same value as 2
    expect(y[4]).toBe(y[2]);
  });

  it('the mask is about the unclamped code: a value rounding onto qmax still passes', () => {
    // 2 + 0.4 * scale rounds to code 255 (= qmax): inside, mask 1; 2 + 0.6 * scale rounds to 256: clipped.
    const { mask } = fakeQuantize(new Float32Array([2 + 0.4 * SCALE, 2 + 0.6 * SCALE]), SCALE, 85, 0, 255);
    expect(Array.from(mask)).toEqual([1, 0]);
  });

  it('agrees with dequantizeAffine(quantizeAffine(x)) bit for bit', () => {
    const x = new Float32Array(1000);
    for (let i = 0; i < x.length; i++) x[i] = Math.sin(i * 12.9898) * 3;
    for (const o of [{ bits: 8, signed: false, symmetric: false }, { bits: 4, signed: true, symmetric: true }]) {
      const p = computeQParams(-1, 2, o);
      const ref = dequantizeAffine(quantizeAffine(x, p.scale, p.zeroPoint, p.qmin, p.qmax), p.scale, p.zeroPoint);
      expect(fakeQuantize(x, p.scale, p.zeroPoint, p.qmin, p.qmax).y).toEqual(ref);
    }
  });

  it('signed symmetric check: scale 2/127.5, zp 0 -> codes [-64, 0, 32, 127]', () => {
    const s = Math.fround(2 / 127.5);
    const { y, mask } = fakeQuantize(X, s, 0, -128, 127);
    expect(Array.from(y)).toEqual([-64, 0, 32, 127].map((c) => Math.fround(c * s)));
    expect(Array.from(mask)).toEqual([1, 1, 1, 1]);
  });

  it('NaN gives y NaN and mask 0; infinities clamp with mask 0', () => {
    const { y, mask } = fakeQuantize(new Float32Array([Number.NaN, Infinity, -Infinity, 0]), 0.1, 3, -8, 7);
    expect(Number.isNaN(y[0])).toBe(true);
    expect(y[1]).toBe(Math.fround(4 * 0.1));
    expect(y[2]).toBe(Math.fround(-11 * 0.1));
    expect(y[3]).toBe(0);
    expect(Array.from(mask)).toEqual([0, 0, 0, 1]);
  });

  it('handles an empty input', () => {
    const { y, mask } = fakeQuantize(new Float32Array(0), 1, 0, -8, 7);
    expect(y.length).toBe(0);
    expect(mask.length).toBe(0);
  });

  it('rejects bad parameters with a clear message', () => {
    expect(() => fakeQuantize(X, 0, 0, -8, 7)).toThrow(/positive finite/);
    expect(() => fakeQuantize(X, Number.NaN, 0, -8, 7)).toThrow(/positive finite/);
    expect(() => fakeQuantize(X, 1, 0, 7, -8)).toThrow(/qmin <= qmax/);
    expect(() => fakeQuantize(X, 1, 9, -8, 7)).toThrow(/zeroPoint/);
    expect(() => fakeQuantize(X, 1, 0.5, -8, 7)).toThrow(/zeroPoint/);
  });
});
