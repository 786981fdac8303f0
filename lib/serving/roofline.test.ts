import { describe, expect, it } from 'vitest';
import { arithmeticIntensity, attainableFlops, boundBy, linearBytes, linearFlops, ridgeIntensity, rooflinePoints, rooflineSeconds } from './roofline';

// Williams, Waterman & Patterson 2009; docs/numerics.md, "Serving".
describe('roofline', () => {
  const fp16 = { in: 4096, out: 4096, weightBytes: 2, activationBytes: 2 };
  it('decode at batch 1 in FP16 does about 1 FLOP per byte', () => {
    const w = { ...fp16, tokens: 1 };
    expect(linearFlops(w)).toBe(2 * 4096 * 4096);
    expect(linearBytes(w)).toBe(2 * 4096 * 4096 + 2 * 8192);
    expect(arithmeticIntensity(w)).toBeCloseTo((2 * 4096 ** 2) / (2 * 4096 ** 2 + 2 * 8192), 12);
    expect(arithmeticIntensity(w)).toBeGreaterThan(0.999);
  });
  it('intensity grows with the rows per weight read, and with fewer bytes per weight', () => {
    const i1 = arithmeticIntensity({ ...fp16, tokens: 1 });
    const i64 = arithmeticIntensity({ ...fp16, tokens: 64 });
    expect(i64).toBeGreaterThan(60 * i1);
    expect(arithmeticIntensity({ ...fp16, tokens: 1, weightBytes: 0.5 })).toBeGreaterThan(3.9);
    // Many tokens: activations dominate, intensity tends to 2·in·out / (2·(in+out)) = 2048.
    expect(arithmeticIntensity({ ...fp16, tokens: 1e9 })).toBeCloseTo(2048, 0);
  });
  it('attainable = min(peak, bandwidth × intensity), with the ridge at peak / bandwidth', () => {
    expect(attainableFlops(100e12, 1e12, 1)).toBe(1e12);
    expect(attainableFlops(100e12, 1e12, 500)).toBe(100e12);
    expect(ridgeIntensity(100e12, 1e12)).toBe(100);
    expect(boundBy(100e12, 1e12, 99)).toBe('memory');
    expect(boundBy(100e12, 1e12, 100)).toBe('compute');
  });
  it('memory-bound work takes bytes / bandwidth: INT4 weights cut the decode time about 4×', () => {
    const t16 = rooflineSeconds({ ...fp16, tokens: 1 }, 100e12, 1e12);
    const t4 = rooflineSeconds({ ...fp16, tokens: 1, weightBytes: 0.5 }, 100e12, 1e12);
    expect(t16).toBe(linearBytes({ ...fp16, tokens: 1 }) / 1e12);
    expect(t16 / t4).toBeGreaterThan(3.9);
    // Compute-bound (a large prefill): the bytes saved save no time.
    const p16 = rooflineSeconds({ ...fp16, tokens: 4096 }, 100e12, 1e12);
    const p4 = rooflineSeconds({ ...fp16, tokens: 4096, weightBytes: 0.5 }, 100e12, 1e12);
    expect(p16).toBe(p4);
  });
  it('points: decode and batch for FP16, INT8 and INT4', () => {
    const pts = rooflinePoints({ in: 4096, out: 4096 }, 256, 100e12, 1e12);
    expect(pts).toHaveLength(6);
    expect(pts.filter((p) => p.phase === 'decode').every((p) => p.bound === 'memory')).toBe(true);
    expect(pts.find((p) => p.weight === 'int4' && p.phase === 'batch')!.bound).toBe('compute');
  });
  it('rejects bad shapes', () => {
    expect(() => linearFlops({ ...fp16, tokens: 0 })).toThrow(RangeError);
    expect(() => attainableFlops(NaN, 1, 1)).toThrow(RangeError);
  });
});
