import { describe, expect, it } from 'vitest';
import { normalArray } from '../random';
import { channelAbsmax, smoothQuant, smoothQuantScales } from './smoothquant';
import { w8a8Matmul } from './activation-quant';
import { REF_COLS, REF_N, REF_ROWS, refW, refXInt8 } from './reference-case.test-data';

// Rules: docs/numerics.md "Beyond round-to-nearest" (SmoothQuant); smoothquant/smooth.py smooth_ln_fcs,
// calibration.py get_act_scales, fake_quant.py.

function matmul(x: ArrayLike<number>, w: ArrayLike<number>, n: number, m: number, k: number): Float64Array {
  const y = new Float64Array(n * m);
  for (let i = 0; i < n; i++) for (let c = 0; c < m; c++) { let s = 0; for (let j = 0; j < k; j++) s += x[i * k + j] * w[c * k + j]; y[i * m + c] = s; }
  return y;
}

describe('smoothQuantScales: s_j = max|X_j|^α / max|W_j|^(1−α)', () => {
  // act = [4, 1]; W = [[1, 0.25], [−0.5, −0.25]] → max|W_j| = [1, 0.25].
  const w = { w: [1, 0.25, -0.5, -0.25], shape: [2, 2] as [number, number] };
  it('α = 0.5: [√4/√1, √1/√0.25] = [2, 2]', () => {
    expect(Array.from(smoothQuantScales([4, 1], [w], 0.5))).toEqual([2, 2]);
  });
  it('α = 1: s = max|X_j| = [4, 1]; α = 0: s = 1/max|W_j| = [1, 4]', () => {
    expect(Array.from(smoothQuantScales([4, 1], [w], 1))).toEqual([4, 1]);
    expect(Array.from(smoothQuantScales([4, 1], [w], 0))).toEqual([1, 4]);
  });
  it('weights that share the input (q, k, v) take the max over all of them; silent channels clamp at 1e-5', () => {
    const w2 = { w: [4, 0], shape: [1, 2] as [number, number] };
    // max|W| = [4, 0.25]; act [4, 0] → [√4/√4, max(0/…, 1e-5)]
    expect(Array.from(smoothQuantScales([4, 0], [w, w2], 0.5))).toEqual([1, 1e-5]);
  });
  it('channelAbsmax is the max over tokens of |x_j|', () => {
    expect(Array.from(channelAbsmax([1, -3, -2, 0.5], [2, 2]))).toEqual([2, 3]);
  });
});

describe('smoothQuant: the migration', () => {
  it('leaves X Wᵀ unchanged before quantization (to float64 rounding)', () => {
    const n = 24, m = 10, k = 16;
    const x = normalArray(n * k, 81);
    for (let t = 0; t < n; t++) x[t * k + 3] *= 40; // an outlier channel
    const w = normalArray(m * k, 82, 0, 0.1);
    for (const alpha of [0, 0.5, 0.8, 1]) {
      const s = smoothQuant(x, [n, k], w, [m, k], alpha);
      const y = matmul(x, w, n, m, k), ys = matmul(s.x, s.w, n, m, k);
      for (let i = 0; i < y.length; i++) expect(Math.abs(ys[i] - y[i])).toBeLessThan(1e-12 * (1 + Math.abs(y[i])));
    }
  });
  it('moves the outlier channel’s range from X to W (α = 0.5 equalises max|X_j| and max|W_j|)', () => {
    const x = [10, 1, -20, 0.5];
    const w = [0.5, 2, -1, 1];
    const s = smoothQuant(x, [2, 2], w, [2, 2], 0.5);
    const ax = channelAbsmax(s.x, [2, 2]);
    const aw = channelAbsmax(s.w, [2, 2]);
    for (let j = 0; j < 2; j++) expect(ax[j]).toBeCloseTo(aw[j], 12); // both √(max|X_j| · max|W_j|)
    expect(ax[0]).toBeCloseTo(Math.sqrt(20 * 1), 12);
  });
});

describe('smoothQuant: reference check values', () => {
  // Produced by scripts/reference/gptq_awq_check.py (smooth.py's scale formula and fake_quant.py's
  // absmax quantizers in torch float64); rerun with `/usr/bin/python3 scripts/reference/gptq_awq_check.py`.
  const x = refXInt8(), w = refW();
  const shapeX: [number, number] = [REF_N, REF_COLS], shapeW: [number, number] = [REF_ROWS, REF_COLS];
  it('scales for α = 0.5', () => {
    const s = smoothQuant(x, shapeX, w, shapeW, 0.5).scales;
    [1.1655232851220039, 1.4328963106537367, 2.0227014980693037, 2.9195230084817916, 1.0025028659567443, 1.0000000000000001e-5, 1.9716613266419865, 8.7278277391488057]
      .forEach((v, j) => expect(Math.abs(s[j] / v - 1)).toBeLessThan(1e-14));
  });
  it('W8A8 output MSE, plain and smoothed, per token and per tensor', () => {
    const yf = matmul(x, w, REF_N, REF_ROWS, REF_COLS);
    const mse = (y: Float64Array): number => y.reduce((s, v, i) => s + (v - yf[i]) ** 2, 0) / y.length;
    const sm = smoothQuant(x, shapeX, w, shapeW, 0.5);
    const expected = {
      plain: { 'per-token': 0.0052110189328535145, 'per-tensor': 0.013863082298806128 },
      smoothed: { 'per-token': 0.00047859192973712783, 'per-tensor': 0.00090090663918266061 },
    } as const;
    for (const [name, xs, ws] of [['plain', x, w], ['smoothed', sm.x, sm.w]] as const) {
      for (const granularity of ['per-token', 'per-tensor'] as const) {
        const y = w8a8Matmul(xs, shapeX, ws, shapeW, { activations: { granularity } }).y;
        expect(Math.abs(mse(y) / expected[name][granularity] - 1), `${name} ${granularity}`).toBeLessThan(1e-9);
      }
    }
  });
  it('rejects bad input', () => {
    expect(() => smoothQuantScales([1], [], 0.5)).toThrow(/at least one weight/);
    expect(() => smoothQuantScales([1], [{ w: [1, 2], shape: [1, 2] }], 0.5)).toThrow(/2 input columns but there are 1/);
    expect(() => smoothQuantScales([1], [{ w: [1], shape: [1, 1] }], 1.5)).toThrow(/alpha/);
    expect(() => smoothQuantScales([NaN], [{ w: [1], shape: [1, 1] }], 0.5)).toThrow(/actAbsmax\[0\] is NaN/);
    expect(() => smoothQuant([1, 2], [1, 2], [1], [1, 1])).toThrow(/x has 2 columns but w has 1/);
  });
});
