import { describe, expect, it } from 'vitest';
import { normalArray } from '../random';
import { quantizeWeight, WEIGHT_FORMATS, dequantizeWeight } from '../quant/weight-formats';
import { dequantMatMulGradReference, dequantMatMulReference, matVecReference } from './decode-reference';

describe('dequantMatMulReference', () => {
  const M = 3, N = 5, K = 64;
  it.each(WEIGHT_FORMATS)('%s: each row is the matvec of that row of X', (format) => {
    const w = quantizeWeight(format, normalArray(N * K, 1, 0, 0.1), [N, K]);
    const x = normalArray(M * K, 2);
    const bias = normalArray(N, 3);
    const y = dequantMatMulReference(w, x, M, bias);
    for (let m = 0; m < M; m++) expect(Array.from(y.subarray(m * N, (m + 1) * N))).toEqual(Array.from(matVecReference(w, x.subarray(m * K, (m + 1) * K), { bias })));
  });

  it('refuses an X of the wrong size', () => {
    const w = quantizeWeight('fp32', new Float32Array(N * K), [N, K]);
    expect(() => dequantMatMulReference(w, new Float32Array(M * K - 1), M)).toThrow(/need 192/);
  });
});

describe('dequantMatMulGradReference', () => {
  const M = 2, N = 4, K = 64;
  it.each(['fp32', 'nf4-dq'] as const)('%s: dX is the gradient of Σ dY ⊙ (X W\'ᵀ) for X, by central differences', (format) => {
    const w = quantizeWeight(format, normalArray(N * K, 4, 0, 0.1), [N, K]);
    const x = Float64Array.from(normalArray(M * K, 5));
    const dy = normalArray(M * N, 6);
    const dx = dequantMatMulGradReference(w, dy, M);
    const f = (v: Float64Array) => dequantMatMulReference(w, v, M).reduce((s, y, i) => s + y * dy[i], 0);
    for (const i of [0, 17, K + 5, M * K - 1]) {
      const h = 1e-4;
      const up = x.slice(), down = x.slice();
      up[i] += h;
      down[i] -= h;
      expect(dx[i]).toBeCloseTo((f(up) - f(down)) / (2 * h), 6);
    }
  });

  it('is dY · W\' for the dequantized weight', () => {
    const w = quantizeWeight('int4-group64', normalArray(N * K, 7, 0, 0.1), [N, K]);
    const dy = normalArray(M * N, 8);
    const deq = dequantizeWeight(w);
    const dx = dequantMatMulGradReference(w, dy, M);
    let want = 0;
    for (let n = 0; n < N; n++) want += dy[1 * N + n] * deq[n * K + 9];
    expect(dx[1 * K + 9]).toBeCloseTo(want, 12);
  });
});
