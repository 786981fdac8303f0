import { describe, expect, it } from 'vitest';
import { normalArray } from '../random';
import { quantizeActivations, quantizeWeightsAbsmax, w8a8Matmul } from './activation-quant';

// Rules: docs/numerics.md "Beyond round-to-nearest" (W8A8); smoothquant/fake_quant.py absmax quantizers.

describe('quantizeActivations', () => {
  const x = [1, -2, 0.5, 100, 3, -50];
  it('dynamic per token: row 0 scale 2/127 → codes [round(63.5) = 64, −127, round(31.75) = 32]; row 1 scale 100/127', () => {
    const r = quantizeActivations(x, [2, 3], { granularity: 'per-token' });
    expect(Array.from(r.scale)).toEqual([2 / 127, 100 / 127]);
    // 3·1.27 = 3.81 → 4; −50 is half a step from −63.5 in exact arithmetic, but v / scale divides by the
    // rounded 100/127 and gives −63.49999999999999 → −63 (as torch.round(x / scale) in float64 does).
    expect(Array.from(r.q)).toEqual([64, -127, 32, 127, 4, -63]);
    expect(r.clipped).toBe(0);
    expect(r.values[0]).toBe(64 * (2 / 127));
  });
  it('dynamic per tensor: one scale 100/127 → row 0 codes [1.27 → 1, −2.54 → −3, 0.635 → 1]', () => {
    const r = quantizeActivations(x, [2, 3], { granularity: 'per-tensor' });
    expect(Array.from(r.scale)).toEqual([100 / 127]);
    expect(Array.from(r.q)).toEqual([1, -3, 1, 127, 4, -63]);
  });
  it('static per tensor with a calibrated absmax of 50: 100 → 254 clips to 127', () => {
    const r = quantizeActivations(x, [2, 3], { granularity: 'per-tensor', staticAbsmax: 50 });
    expect(Array.from(r.q)).toEqual([3, -5, 1, 127, 8, -127]); // 2.54 → 3, −5.08 → −5, 1.27 → 1, 7.62 → 8
    expect(r.clipped).toBe(1);
  });
  it('4 bits: codes in ±7; an all-zero tensor takes scale 1e-5/qmax', () => {
    expect(Array.from(quantizeActivations([1, -0.5, 0.25], [1, 3], { granularity: 'per-tensor', bits: 4 }).q)).toEqual([7, -4, 2]); // −3.5 → −4, 1.75 → 2
    const z = quantizeActivations([0, 0], [1, 2], { granularity: 'per-token' });
    expect(z.scale[0]).toBe(1e-5 / 127);
    expect(Array.from(z.q)).toEqual([0, 0]);
  });
  it('rejects a static per-token range and bad settings', () => {
    expect(() => quantizeActivations(x, [2, 3], { granularity: 'per-token', staticAbsmax: 5 })).toThrow(/static range is per tensor/);
    expect(() => quantizeActivations(x, [2, 3], { granularity: 'per-tensor', staticAbsmax: -1 })).toThrow(/staticAbsmax/);
    expect(() => quantizeActivations(x, [2, 3], { granularity: 'per-row' as 'per-token' })).toThrow(/granularity/);
    expect(() => quantizeActivations(x, [2, 3], { granularity: 'per-token', bits: 1 })).toThrow(/bits/);
    expect(() => quantizeWeightsAbsmax([1, NaN], [1, 2], { granularity: 'per-channel' })).toThrow(/w\[1\]/);
  });
});

describe('quantizeWeightsAbsmax', () => {
  it('per channel: one scale per output row; per tensor: one', () => {
    const w = [0.5, -1, 4, 2];
    expect(Array.from(quantizeWeightsAbsmax(w, [2, 2], { granularity: 'per-channel' }).q)).toEqual([64, -127, 127, 64]); // 63.5 → 64
    expect(Array.from(quantizeWeightsAbsmax(w, [2, 2], { granularity: 'per-tensor' }).q)).toEqual([16, -32, 127, 64]); // 15.875, −31.75, 63.5
  });
});

describe('w8a8Matmul', () => {
  it('y = (Σ qx qw) · sx · sw: a 1 × 2 by 1 × 2 case', () => {
    // x = [1, −2]: scale 2/127, codes [64, −127]; w = [0.5, 1]: scale 1/127, codes [64, 127] (63.5 → 64).
    const r = w8a8Matmul([1, -2], [1, 2], [0.5, 1], [1, 2], { activations: { granularity: 'per-token' } });
    expect(r.y[0]).toBeCloseTo((64 * 64 - 127 * 127) * (2 / 127) * (1 / 127), 14);
  });
  it('per-token error is at or below per-tensor error when one token is large', () => {
    const n = 16, m = 8, k = 32;
    const x = normalArray(n * k, 91);
    for (let j = 0; j < k; j++) x[5 * k + j] *= 50; // token 5 is 50× larger than the rest
    const w = normalArray(m * k, 92, 0, 0.1);
    const yf = new Float64Array(n * m);
    for (let i = 0; i < n; i++) for (let c = 0; c < m; c++) for (let j = 0; j < k; j++) yf[i * m + c] += x[i * k + j] * w[c * k + j];
    const err = (granularity: 'per-token' | 'per-tensor'): number =>
      w8a8Matmul(x, [n, k], w, [m, k], { activations: { granularity } }).y.reduce((s, v, i) => s + (v - yf[i]) ** 2, 0);
    expect(err('per-token')).toBeLessThanOrEqual(err('per-tensor'));
    expect(err('per-token') * 10).toBeLessThan(err('per-tensor')); // and by a wide margin here
  });
  it('rejects mismatched shapes', () => {
    expect(() => w8a8Matmul([1, 2], [1, 2], [1], [1, 1], { activations: { granularity: 'per-token' } })).toThrow(/x has 2 columns but w has 1/);
  });
});
