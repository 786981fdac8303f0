import { describe, expect, it } from 'vitest';
import { normalArray } from '../random';
import { quantizeWeight, WEIGHT_FORMATS, dequantizeWeight } from '../quant/weight-formats';
import { dequantMatMulGradReference, dequantMatMulReference, matVecReference } from './decode-reference';
import { gelu, geluTanh } from './reference-forward';

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

describe('matVecReference', () => {
  const N = 6, K = 64;
  it('applies the GELU it is asked for: the exact form, or GPT-2\'s tanh form, before the residual', () => {
    const w = quantizeWeight('int8-channel', normalArray(N * K, 11, 0, 0.1), [N, K]);
    const x = normalArray(K, 12);
    const bias = normalArray(N, 13);
    const residual = normalArray(N, 14);
    const plain = matVecReference(w, x, { bias });
    const tanh = matVecReference(w, x, { bias, gelu: 'tanh', residual });
    const erf = matVecReference(w, x, { bias, gelu: 'erf' });
    for (let r = 0; r < N; r++) {
      expect(tanh[r]).toBe(geluTanh(plain[r]) + residual[r]);
      expect(erf[r]).toBe(gelu(plain[r]));
    }
    expect(Array.from(tanh, (v, r) => v - residual[r])).not.toEqual(Array.from(erf));
  });

  it('gives x or −0 for large pre-activations in the tanh form, never NaN', () => {
    const w = quantizeWeight('fp32', Float32Array.from({ length: 4 * 4 }, (_, i) => (i % 5 === 0 ? 1 : 0)), [4, 4]);
    const y = matVecReference(w, [1, 1, 1, 1], { bias: Float32Array.from([1e4, -1e4, 3e30, -3e30]), gelu: 'tanh' });
    const big = Math.fround(3e30); // the bias is float32
    expect(Array.from(y)).toEqual([1e4 + 1, -0, big + 1, -0]);
  });
});
