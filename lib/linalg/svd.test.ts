import { describe, expect, it } from 'vitest';
import { mulberry32 } from '../random';
import { capturedEnergy, lowRankError, lowRankErrorCurve, singularValues, svd, type SVDResult } from './svd';

function randomMatrix(rows: number, cols: number, seed: number): Float64Array {
  const rand = mulberry32(seed);
  return Float64Array.from({ length: rows * cols }, () => 2 * rand() - 1);
}

/** max |U diag(s) Vᵀ − A|. */
function reconstructionError(a: ArrayLike<number>, r: SVDResult): number {
  const k = r.s.length;
  let worst = 0;
  for (let i = 0; i < r.rows; i++) {
    for (let j = 0; j < r.cols; j++) {
      let x = 0;
      for (let t = 0; t < k; t++) x += r.u![i * k + t] * r.s[t] * r.v![j * k + t];
      worst = Math.max(worst, Math.abs(x - a[i * r.cols + j]));
    }
  }
  return worst;
}

/** max |QᵀQ − I| for a len × k row-major matrix with orthonormal columns. */
function orthonormalityError(q: Float64Array, len: number, k: number): number {
  let worst = 0;
  for (let p = 0; p < k; p++) {
    for (let t = 0; t < k; t++) {
      let dot = 0;
      for (let i = 0; i < len; i++) dot += q[i * k + p] * q[i * k + t];
      worst = Math.max(worst, Math.abs(dot - (p === t ? 1 : 0)));
    }
  }
  return worst;
}

function expectDescending(s: Float64Array): void {
  for (let i = 1; i < s.length; i++) expect(s[i]).toBeLessThanOrEqual(s[i - 1]);
}

describe('svd (one-sided Jacobi after QR)', () => {
  it('a diagonal matrix: the singular values are |d| sorted', () => {
    const a = [3, 0, 0, 0, -5, 0, 0, 0, 1, 0, 0, 0]; // 4 × 3
    const r = svd(a, 4, 3, { vectors: true });
    expect(Array.from(r.s)).toEqual([5, 3, 1]);
    expect(reconstructionError(a, r)).toBeLessThan(1e-14);
  });

  it('a rank-1 outer product x yᵀ: σ1 = |x| |y|, the rest 0, U and V still orthonormal', () => {
    const x = [1, 2, 3, 4, 5], y = [2, -1, 0.5];
    const a = x.flatMap((xi) => y.map((yj) => xi * yj));
    const r = svd(a, 5, 3, { vectors: true });
    const nx = Math.hypot(...x), ny = Math.hypot(...y);
    expect(r.s[0]).toBeCloseTo(nx * ny, 12);
    expect(r.s[1]).toBeLessThan(1e-13);
    expect(r.s[2]).toBeLessThan(1e-13);
    // u1 = ±x/|x|, v1 = ±y/|y|, with the same sign.
    const sign = Math.sign(r.u![0] * r.v![0]);
    for (let i = 0; i < 5; i++) for (let j = 0; j < 3; j++) expect(sign * r.u![i * 3] * r.v![j * 3]).toBeCloseTo((x[i] / nx) * (y[j] / ny), 12);
    expect(orthonormalityError(r.u!, 5, 3)).toBeLessThan(1e-12);
    expect(orthonormalityError(r.v!, 3, 3)).toBeLessThan(1e-12);
    expect(reconstructionError(a, r)).toBeLessThan(1e-12);
  });

  it('a sum of two orthogonal outer products has exactly those two singular values', () => {
    // 6·e1 f1ᵀ + 2·e2 f2ᵀ with orthonormal e (4-vectors) and f (3-vectors).
    const e1 = [0.5, 0.5, 0.5, 0.5], e2 = [0.5, -0.5, 0.5, -0.5];
    const f1 = [1 / Math.SQRT2, 1 / Math.SQRT2, 0], f2 = [0, 0, 1];
    const a = e1.flatMap((_, i) => f1.map((__, j) => 6 * e1[i] * f1[j] + 2 * e2[i] * f2[j]));
    const s = singularValues(a, 4, 3);
    expect(s[0]).toBeCloseTo(6, 13);
    expect(s[1]).toBeCloseTo(2, 13);
    expect(s[2]).toBeLessThan(1e-14);
  });

  it('a random 20 × 7: U Σ Vᵀ reconstructs to 1e-10, U and V orthonormal, Σ descending', () => {
    const a = randomMatrix(20, 7, 42);
    const r = svd(a, 20, 7, { vectors: true });
    expect(r.s).toHaveLength(7);
    expectDescending(r.s);
    expect(reconstructionError(a, r)).toBeLessThan(1e-10);
    expect(orthonormalityError(r.u!, 20, 7)).toBeLessThan(1e-10);
    expect(orthonormalityError(r.v!, 7, 7)).toBeLessThan(1e-10);
    // The Frobenius norm is the root of the sum of σ².
    const fro2 = a.reduce((t, x) => t + x * x, 0);
    expect(r.s.reduce((t, x) => t + x * x, 0)).toBeCloseTo(fro2, 10);
  });

  it('a wide 7 × 20 (the transpose) has the same σ, and its own U and V', () => {
    const a = randomMatrix(20, 7, 42);
    const at = new Float64Array(140);
    for (let i = 0; i < 20; i++) for (let j = 0; j < 7; j++) at[j * 20 + i] = a[i * 7 + j];
    const r = svd(at, 7, 20, { vectors: true });
    const s = singularValues(a, 20, 7);
    for (let i = 0; i < 7; i++) expect(r.s[i]).toBeCloseTo(s[i], 12);
    expect(reconstructionError(at, r)).toBeLessThan(1e-10);
    expect(orthonormalityError(r.u!, 7, 7)).toBeLessThan(1e-10);
    expect(orthonormalityError(r.v!, 20, 7)).toBeLessThan(1e-10);
  });

  it('matches the eigenvalues of AᵀA for a matrix with known σ: Q1 diag(σ) Q2ᵀ', () => {
    // Build A = H1 diag(σ) H2 from Householder reflections, so its singular values are σ exactly.
    const sigma = [10, 1, 1e-3, 1e-6];
    const h = (w: number[]) => {
      const n2 = w.reduce((t, x) => t + x * x, 0);
      return w.map((wi, i) => w.map((wj, j) => (i === j ? 1 : 0) - (2 * wi * wj) / n2));
    };
    const h1 = h([1, 2, -1, 0.5, 3]), h2 = h([0.3, -1, 2, 1]);
    const a = new Float64Array(20);
    for (let i = 0; i < 5; i++) for (let j = 0; j < 4; j++) for (let t = 0; t < 4; t++) a[i * 4 + j] += h1[i][t] * sigma[t] * h2[t][j];
    const s = singularValues(a, 5, 4);
    sigma.forEach((x, i) => expect(Math.abs(s[i] - x) / x).toBeLessThan(1e-9));
  });

  it('a zero matrix has zero singular values and orthonormal U, V', () => {
    const r = svd(new Float64Array(12), 4, 3, { vectors: true });
    expect(Array.from(r.s)).toEqual([0, 0, 0]);
    expect(orthonormalityError(r.u!, 4, 3)).toBeLessThan(1e-12);
    expect(orthonormalityError(r.v!, 3, 3)).toBeLessThan(1e-12);
  });

  it('rejects bad shapes and non-finite entries', () => {
    expect(() => svd([1, 2, 3], 2, 2)).toThrow(RangeError);
    expect(() => svd([], 0, 3)).toThrow(RangeError);
    expect(() => svd([1, NaN, 3, 4], 2, 2)).toThrow(/NaN/);
    expect(() => svd([1, Infinity, 3, 4], 2, 2)).toThrow(/Infinity/);
  });

  it('handles 128 × 512 (the tiny model’s MLP) in well under a second', () => {
    const a = randomMatrix(128, 512, 7);
    const t0 = performance.now();
    const s = singularValues(a, 128, 512);
    const ms = performance.now() - t0;
    expect(s).toHaveLength(128);
    expectDescending(s);
    const fro2 = a.reduce((t, x) => t + x * x, 0);
    expect(s.reduce((t, x) => t + x * x, 0) / fro2).toBeCloseTo(1, 12);
    expect(ms).toBeLessThan(1000);
  });
});

describe('lowRankError (Eckart–Young)', () => {
  it('is sqrt(Σ_{i>r} σ²) / sqrt(Σ σ²)', () => {
    const s = [4, 3, 0];
    expect(lowRankError(s, 0)).toBe(1);
    expect(lowRankError(s, 1)).toBeCloseTo(3 / 5, 15);
    expect(lowRankError(s, 2)).toBe(0);
    expect(lowRankError(s, 10)).toBe(0);
    expect(capturedEnergy(s, 1)).toBeCloseTo(16 / 25, 15);
  });

  it('equals the actual Frobenius error of the truncated SVD', () => {
    const a = randomMatrix(12, 9, 3);
    const r = svd(a, 12, 9, { vectors: true });
    const k = 9, rank = 4;
    let err2 = 0, fro2 = 0;
    for (let i = 0; i < 12; i++) {
      for (let j = 0; j < 9; j++) {
        let x = 0;
        for (let t = 0; t < rank; t++) x += r.u![i * k + t] * r.s[t] * r.v![j * k + t];
        err2 += (a[i * 9 + j] - x) ** 2;
        fro2 += a[i * 9 + j] ** 2;
      }
    }
    expect(lowRankError(r.s, rank)).toBeCloseTo(Math.sqrt(err2 / fro2), 12);
  });

  it('the curve agrees with lowRankError at every r, and a zero matrix has no error', () => {
    const s = singularValues(randomMatrix(10, 6, 5), 10, 6);
    const curve = lowRankErrorCurve(s);
    expect(curve).toHaveLength(7);
    for (let r = 0; r <= 6; r++) expect(curve[r]).toBeCloseTo(lowRankError(s, r), 14);
    expect(lowRankError([0, 0], 1)).toBe(0);
    expect(Array.from(lowRankErrorCurve([0, 0]))).toEqual([0, 0, 0]);
  });

  it('rejects a negative or fractional r and negative σ', () => {
    expect(() => lowRankError([1], -1)).toThrow(RangeError);
    expect(() => lowRankError([1], 0.5)).toThrow(RangeError);
    expect(() => lowRankError([-1], 0)).toThrow(RangeError);
  });
});
