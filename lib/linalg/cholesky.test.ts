import { describe, expect, it } from 'vitest';
import { mulberry32 } from '../random';
import { cholesky, choleskyInverse, choleskyUpper } from './cholesky';

/** A random symmetric positive-definite n × n matrix: B Bᵀ + n·I. */
function randomSpd(n: number, seed: number): Float64Array {
  const rand = mulberry32(seed);
  const b = Float64Array.from({ length: n * n }, () => 2 * rand() - 1);
  const a = new Float64Array(n * n);
  for (let i = 0; i < n; i++) {
    for (let j = 0; j < n; j++) {
      let s = i === j ? n : 0;
      for (let k = 0; k < n; k++) s += b[i * n + k] * b[j * n + k];
      a[i * n + j] = s;
    }
  }
  return a;
}

function matmul(a: Float64Array, b: Float64Array, n: number): Float64Array {
  const c = new Float64Array(n * n);
  for (let i = 0; i < n; i++) for (let j = 0; j < n; j++) for (let k = 0; k < n; k++) c[i * n + j] += a[i * n + k] * b[k * n + j];
  return c;
}

function transpose(a: Float64Array, n: number): Float64Array {
  const t = new Float64Array(n * n);
  for (let i = 0; i < n; i++) for (let j = 0; j < n; j++) t[j * n + i] = a[i * n + j];
  return t;
}

describe('cholesky', () => {
  it('factors [[4, 2], [2, 3]] as L = [[2, 0], [1, √2]] (by hand: 2 = √4, 1 = 2/2, √(3 − 1))', () => {
    const l = cholesky([4, 2, 2, 3], 2);
    expect(Array.from(l)).toEqual([2, 0, 1, Math.SQRT2]);
  });

  it('inverts it: A⁻¹ = (1/8) [[3, −2], [−2, 4]] (det 8)', () => {
    const inv = choleskyInverse(cholesky([4, 2, 2, 3], 2), 2);
    const expected = [3 / 8, -2 / 8, -2 / 8, 4 / 8];
    inv.forEach((v, i) => expect(v).toBeCloseTo(expected[i], 15));
  });

  it('the upper factor of A⁻¹ is [[√(3/8), −(1/4)/√(3/8)], [0, √(1/3)]] (by hand: 1/2 − (1/16)/(3/8) = 1/3)', () => {
    const u = choleskyUpper([3 / 8, -1 / 4, -1 / 4, 1 / 2], 2);
    const u01 = -0.25 / Math.sqrt(3 / 8);
    [Math.sqrt(3 / 8), u01, 0, Math.sqrt(1 / 3)].forEach((v, i) => expect(u[i]).toBeCloseTo(v, 15));
  });

  it('reconstructs random SPD matrices: L Lᵀ = A, Uᵀ U = A, A · A⁻¹ = I', () => {
    for (const [n, seed] of [[1, 1], [5, 2], [40, 3]]) {
      const a = randomSpd(n, seed);
      const l = cholesky(a, n);
      const llt = matmul(l, transpose(l, n), n);
      const u = choleskyUpper(a, n);
      const utu = matmul(transpose(u, n), u, n);
      const eye = matmul(a, choleskyInverse(l, n), n);
      for (let i = 0; i < n * n; i++) {
        expect(Math.abs(llt[i] - a[i])).toBeLessThan(1e-10 * n);
        expect(Math.abs(utu[i] - a[i])).toBeLessThan(1e-10 * n);
        expect(Math.abs(eye[i] - (i % (n + 1) === 0 ? 1 : 0))).toBeLessThan(1e-12 * n);
        if (Math.floor(i / n) < i % n) expect(l[i]).toBe(0); // lower triangular
        if (Math.floor(i / n) > i % n) expect(u[i]).toBe(0); // upper triangular
      }
    }
  });

  it('rejects matrices that are not positive definite, bad sizes and non-finite entries', () => {
    expect(() => cholesky([1, 2, 2, 1], 2)).toThrow(/not positive definite \(pivot 1/);
    expect(() => cholesky([0], 1)).toThrow(/pivot 0/);
    expect(() => cholesky([1, 2, 3], 2)).toThrow(/has 4 entries, got 3/);
    expect(() => cholesky([], 0)).toThrow(RangeError);
    expect(() => cholesky([1, NaN, NaN, 1], 2)).toThrow(/entry 1 \(row 0, column 1\) is NaN/);
    expect(() => choleskyInverse([1, 0, 0, 0], 2)).toThrow(/diagonal entry 1/);
  });
});
