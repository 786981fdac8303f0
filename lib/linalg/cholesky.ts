/**
 * Cholesky factorisation of a symmetric positive-definite matrix in float64, and the inverse it
 * gives — the three LAPACK-style steps GPTQ's reference code runs on its Hessian
 * (`torch.linalg.cholesky`, `torch.cholesky_inverse`, `torch.linalg.cholesky(upper=True)`;
 * docs/numerics.md "Beyond round-to-nearest").
 *
 * Method: the Cholesky–Banachiewicz recurrence, row by row (Golub & Van Loan, "Matrix
 * Computations", 4th ed., Algorithm 4.2.1): L_ij = (A_ij − Σ_{k<j} L_ik L_jk) / L_jj and
 * L_jj = √(A_jj − Σ_{k<j} L_jk²). Only the lower triangle of A is read. Matrices are n × n,
 * row-major (a[i·n + j] = A_ij).
 */

/** Largest n accepted (an n × n float64 matrix of 4096² entries is 128 MiB). */
export const CHOLESKY_MAX_N = 4096;

function checkSquare(a: ArrayLike<number>, n: number, what: string): void {
  if (!Number.isInteger(n) || n < 1 || n > CHOLESKY_MAX_N) {
    throw new RangeError(`${what} needs a size n between 1 and ${CHOLESKY_MAX_N}, got ${n}`);
  }
  if (a.length !== n * n) throw new RangeError(`${what}: an ${n} × ${n} matrix has ${n * n} entries, got ${a.length}`);
  for (let i = 0; i < a.length; i++) {
    if (!Number.isFinite(a[i])) {
      throw new RangeError(`${what}: entry ${i} (row ${Math.floor(i / n)}, column ${i % n}) is ${a[i]}; it needs finite numbers`);
    }
  }
}

/**
 * The lower-triangular L with A = L Lᵀ and a positive diagonal, for a symmetric positive-definite
 * A (n × n, row-major; only its lower triangle is read). The upper triangle of the result is 0.
 * Throws a RangeError naming the pivot when A is not positive definite (a pivot ≤ 0 or NaN).
 */
export function cholesky(a: ArrayLike<number>, n: number): Float64Array {
  checkSquare(a, n, 'cholesky');
  const l = new Float64Array(n * n);
  for (let i = 0; i < n; i++) {
    const ri = i * n;
    for (let j = 0; j <= i; j++) {
      const rj = j * n;
      let s = a[ri + j];
      for (let k = 0; k < j; k++) s -= l[ri + k] * l[rj + k];
      if (i === j) {
        if (!(s > 0)) {
          throw new RangeError(`cholesky: the matrix is not positive definite (pivot ${i} is ${s}); add more to the diagonal`);
        }
        l[ri + i] = Math.sqrt(s);
      } else {
        l[ri + j] = s / l[rj + j];
      }
    }
  }
  return l;
}

/**
 * A⁻¹ from the lower Cholesky factor L of A (A = L Lᵀ): A⁻¹ = L⁻ᵀ L⁻¹, as `torch.cholesky_inverse`.
 * L⁻¹ comes from forward substitution, then the product is formed (and is exactly symmetric).
 */
export function choleskyInverse(l: ArrayLike<number>, n: number): Float64Array {
  checkSquare(l, n, 'choleskyInverse');
  // M = L⁻¹ (lower triangular), row by row: row i = (e_i − Σ_{k<i} L_ik · row k) / L_ii
  // (contiguous row operations rather than column-strided substitution).
  const m = new Float64Array(n * n);
  for (let i = 0; i < n; i++) {
    const ri = i * n;
    const d = l[ri + i];
    if (!(d > 0)) throw new RangeError(`choleskyInverse: diagonal entry ${i} of L is ${d}; a Cholesky factor has a positive diagonal`);
    m[ri + i] = 1;
    for (let k = 0; k < i; k++) {
      const f = l[ri + k];
      if (f === 0) continue;
      const rk = k * n;
      for (let c = 0; c <= k; c++) m[ri + c] -= f * m[rk + c];
    }
    for (let c = 0; c <= i; c++) m[ri + c] /= d;
  }
  // A⁻¹ = Mᵀ M = Σ_k (row k of M)ᵀ (row k of M): rank-one updates of the lower triangle, then mirrored.
  const inv = new Float64Array(n * n);
  for (let k = 0; k < n; k++) {
    const rk = k * n;
    for (let i = 0; i <= k; i++) {
      const f = m[rk + i];
      if (f === 0) continue;
      const ri = i * n;
      for (let j = 0; j <= i; j++) inv[ri + j] += f * m[rk + j];
    }
  }
  for (let i = 0; i < n; i++) for (let j = 0; j < i; j++) inv[j * n + i] = inv[i * n + j];
  return inv;
}

/**
 * The upper-triangular U with A = Uᵀ U and a positive diagonal (`torch.linalg.cholesky(A,
 * upper=True)`): U = Lᵀ for the lower factor L. Throws as `cholesky` does.
 */
export function choleskyUpper(a: ArrayLike<number>, n: number): Float64Array {
  const l = cholesky(a, n);
  const u = new Float64Array(n * n);
  for (let i = 0; i < n; i++) for (let j = 0; j <= i; j++) u[j * n + i] = l[i * n + j];
  return u;
}
