/**
 * Singular value decomposition of a real m × n matrix in float64, and the error of the best
 * rank-r approximation it implies.
 *
 * Method: a Householder QR first (A = Q R, R n × n for m ≥ n; a wide matrix is transposed), then
 * one-sided Jacobi (Hestenes 1958) on R: plane rotations of pairs of columns until every pair is
 * orthogonal to working precision, accumulating V. The column norms are then the singular values,
 * the normalised columns U_R, and U = Q U_R. QR preconditioning shrinks the columns the rotations
 * sweep from m to n entries and speeds convergence (Drmač & Veselić, "New fast and accurate Jacobi
 * SVD algorithm", SIAM J. Matrix Anal. Appl. 29, 2008). One-sided Jacobi computes small singular
 * values to high relative accuracy (Demmel & Veselić 1992).
 */

export interface SVDResult {
  /** Rows and columns of the input. */
  rows: number;
  cols: number;
  /** k = min(rows, cols) singular values, descending, ≥ 0. */
  s: Float64Array;
  /** Left singular vectors, rows × k, row-major (with `vectors`). */
  u?: Float64Array;
  /** Right singular vectors, cols × k, row-major (with `vectors`): A = U diag(s) Vᵀ. */
  v?: Float64Array;
  /** Jacobi sweeps used. */
  sweeps: number;
}

export interface SVDOptions {
  /** Compute U and V as well as the singular values (default false). */
  vectors?: boolean;
  /** Give up after this many sweeps (default 60; a 128 × 512 matrix needs about 8). */
  maxSweeps?: number;
}

const EPS = 2.220446049250313e-16;

/**
 * The SVD of `a`, an m × n matrix stored row-major (a[i·n + j] = A_ij): A = U Σ Vᵀ with U (m × k)
 * and V (n × k) orthonormal columns and Σ = diag(s) descending, k = min(m, n). Throws a RangeError
 * for a bad shape and for NaN or ±Infinity entries.
 */
export function svd(a: ArrayLike<number>, rows: number, cols: number, o: SVDOptions = {}): SVDResult {
  if (!Number.isInteger(rows) || !Number.isInteger(cols) || rows < 1 || cols < 1) {
    throw new RangeError(`A matrix needs at least one row and one column, got ${rows} × ${cols}`);
  }
  if (a.length !== rows * cols) throw new RangeError(`A ${rows} × ${cols} matrix has ${rows * cols} entries, got ${a.length}`);
  for (let i = 0; i < a.length; i++) {
    if (!Number.isFinite(a[i])) throw new RangeError(`Entry ${i} (row ${Math.floor(i / cols)}, column ${i % cols}) is ${a[i]}: the SVD needs finite numbers`);
  }
  const vectors = o.vectors ?? false;
  const maxSweeps = o.maxSweeps ?? 60;
  // Work on B = A (m ≥ n) or B = Aᵀ (m < n), stored column by column: col j of B at [j·m, (j+1)·m).
  const tall = rows >= cols;
  const m = tall ? rows : cols;
  const n = tall ? cols : rows;
  const b = new Float64Array(m * n);
  for (let i = 0; i < rows; i++) {
    for (let j = 0; j < cols; j++) {
      const x = a[i * cols + j];
      if (tall) b[j * m + i] = x;
      else b[i * m + j] = x;
    }
  }

  // Householder QR: column j's reflector v_j (length m, zero above j) kept for forming Q.
  const reflectors = vectors ? new Float64Array(m * n) : null;
  for (let j = 0; j < n; j++) {
    const cj = j * m;
    let norm2 = 0;
    for (let i = j; i < m; i++) norm2 += b[cj + i] * b[cj + i];
    const norm = Math.sqrt(norm2);
    if (norm === 0) continue;
    const alpha = b[cj + j] >= 0 ? -norm : norm;
    // v = x − alpha·e_j, normalised; H = I − 2 v vᵀ maps x to alpha·e_j.
    const v = new Float64Array(m - j);
    for (let i = j; i < m; i++) v[i - j] = b[cj + i];
    v[0] -= alpha;
    let vn = 0;
    for (let i = 0; i < v.length; i++) vn += v[i] * v[i];
    vn = Math.sqrt(vn);
    if (vn === 0) continue;
    for (let i = 0; i < v.length; i++) v[i] /= vn;
    for (let k = j; k < n; k++) {
      const ck = k * m;
      let dot = 0;
      for (let i = j; i < m; i++) dot += v[i - j] * b[ck + i];
      dot *= 2;
      for (let i = j; i < m; i++) b[ck + i] -= dot * v[i - j];
    }
    if (reflectors) for (let i = j; i < m; i++) reflectors[cj + i] = v[i - j];
  }

  // R (n × n, upper triangular), column-major: the matrix the rotations work on.
  const g = new Float64Array(n * n);
  for (let j = 0; j < n; j++) for (let i = 0; i <= j; i++) g[j * n + i] = b[j * m + i];
  const vm = vectors ? new Float64Array(n * n) : null;
  if (vm) for (let j = 0; j < n; j++) vm[j * n + j] = 1;

  // One-sided Jacobi: rotate columns p, q until |g_p · g_q| ≤ tol · |g_p| |g_q| for every pair.
  const tol = EPS * n;
  let sweeps = 0;
  for (; sweeps < maxSweeps; sweeps++) {
    let rotated = false;
    for (let p = 0; p < n - 1; p++) {
      const cp = p * n;
      for (let q = p + 1; q < n; q++) {
        const cq = q * n;
        let alpha = 0, beta = 0, gamma = 0;
        for (let i = 0; i < n; i++) {
          const x = g[cp + i], y = g[cq + i];
          alpha += x * x;
          beta += y * y;
          gamma += x * y;
        }
        if (gamma === 0 || Math.abs(gamma) <= tol * Math.sqrt(alpha * beta)) continue;
        rotated = true;
        const zeta = (beta - alpha) / (2 * gamma);
        const t = (zeta >= 0 ? 1 : -1) / (Math.abs(zeta) + Math.sqrt(1 + zeta * zeta));
        const c = 1 / Math.sqrt(1 + t * t);
        const s = c * t;
        for (let i = 0; i < n; i++) {
          const x = g[cp + i], y = g[cq + i];
          g[cp + i] = c * x - s * y;
          g[cq + i] = s * x + c * y;
        }
        if (vm) {
          for (let i = 0; i < n; i++) {
            const x = vm[cp + i], y = vm[cq + i];
            vm[cp + i] = c * x - s * y;
            vm[cq + i] = s * x + c * y;
          }
        }
      }
    }
    if (!rotated) break;
  }

  const sigma = new Float64Array(n);
  for (let j = 0; j < n; j++) {
    let s2 = 0;
    for (let i = 0; i < n; i++) s2 += g[j * n + i] * g[j * n + i];
    sigma[j] = Math.sqrt(s2);
  }
  const order = Array.from({ length: n }, (_, j) => j).sort((x, y) => sigma[y] - sigma[x]);
  const s = Float64Array.from(order, (j) => sigma[j]);
  if (!vectors || !vm || !reflectors) return { rows, cols, s, sweeps };

  // U_R: the normalised columns, in singular-value order; zero columns completed to an orthonormal set.
  const ur = new Float64Array(n * n);
  const done: number[] = [];
  const missing: number[] = [];
  order.forEach((j, k) => {
    if (sigma[j] > 0 && sigma[j] >= s[0] * 1e-300) {
      for (let i = 0; i < n; i++) ur[k * n + i] = g[j * n + i] / sigma[j];
      done.push(k);
    } else missing.push(k);
  });
  completeOrthonormal(ur, n, done, missing);

  // U_B = Q [U_R; 0]: apply the reflectors H_{n−1} … H_0 in reverse order to each column.
  const ub = new Float64Array(m * n);
  for (let k = 0; k < n; k++) for (let i = 0; i < n; i++) ub[k * m + i] = ur[k * n + i];
  for (let j = n - 1; j >= 0; j--) {
    const cj = j * m;
    for (let k = 0; k < n; k++) {
      const ck = k * m;
      let dot = 0;
      for (let i = j; i < m; i++) dot += reflectors[cj + i] * ub[ck + i];
      if (dot === 0) continue;
      dot *= 2;
      for (let i = j; i < m; i++) ub[ck + i] -= dot * reflectors[cj + i];
    }
  }
  // V_B in singular-value order. B = U_B Σ V_Bᵀ; for a wide A = Bᵀ, U = V_B and V = U_B.
  const leftCols = tall ? ub : permuteColumns(vm, n, order);
  const rightCols = tall ? permuteColumns(vm, n, order) : ub;
  return { rows, cols, s, sweeps, u: toRowMajor(leftCols, rows, n), v: toRowMajor(rightCols, cols, n) };
}

function permuteColumns(colMajor: Float64Array, len: number, order: number[]): Float64Array {
  const out = new Float64Array(colMajor.length);
  order.forEach((j, k) => out.set(colMajor.subarray(j * len, (j + 1) * len), k * len));
  return out;
}

function toRowMajor(colMajor: Float64Array, len: number, k: number): Float64Array {
  const out = new Float64Array(len * k);
  for (let j = 0; j < k; j++) for (let i = 0; i < len; i++) out[i * k + j] = colMajor[j * len + i];
  return out;
}

/** Fills the `missing` columns of an n × n column-major matrix with unit vectors orthogonal to all others (Gram–Schmidt on e_1, e_2, …). */
function completeOrthonormal(q: Float64Array, n: number, done: number[], missing: number[]): void {
  let e = 0;
  for (const k of missing) {
    while (e < n) {
      const w = new Float64Array(n);
      w[e++] = 1;
      for (let pass = 0; pass < 2; pass++) {
        for (const d of done) {
          let dot = 0;
          for (let i = 0; i < n; i++) dot += q[d * n + i] * w[i];
          for (let i = 0; i < n; i++) w[i] -= dot * q[d * n + i];
        }
      }
      let norm = 0;
      for (let i = 0; i < n; i++) norm += w[i] * w[i];
      norm = Math.sqrt(norm);
      if (norm > 1e-8) {
        for (let i = 0; i < n; i++) q[k * n + i] = w[i] / norm;
        done.push(k);
        break;
      }
    }
  }
}

/** The singular values of a row-major m × n matrix, descending (svd without vectors). */
export function singularValues(a: ArrayLike<number>, rows: number, cols: number): Float64Array {
  return svd(a, rows, cols).s;
}

function checkR(sigma: ArrayLike<number>, r: number): void {
  if (!Number.isInteger(r) || r < 0) throw new RangeError(`The rank r must be a whole number ≥ 0, got ${r}`);
  for (let i = 0; i < sigma.length; i++) {
    if (!(sigma[i] >= 0) || !Number.isFinite(sigma[i])) throw new RangeError(`Singular value ${i} is ${sigma[i]}; singular values are finite and ≥ 0`);
  }
}

/**
 * The relative Frobenius error of the best rank-r approximation A_r:
 * ‖A − A_r‖_F / ‖A‖_F = sqrt(Σ_{i>r} σ_i²) / sqrt(Σ_i σ_i²), σ descending (Eckart & Young 1936,
 * "The approximation of one matrix by another of lower rank", Psychometrika 1: the truncated SVD is
 * the best rank-r approximation in the Frobenius norm). 0 for r ≥ the number of σ and for a zero
 * matrix (nothing to approximate).
 */
export function lowRankError(sigma: ArrayLike<number>, r: number): number {
  checkR(sigma, r);
  let total = 0, tail = 0;
  for (let i = 0; i < sigma.length; i++) {
    const s2 = sigma[i] * sigma[i];
    total += s2;
    if (i >= r) tail += s2;
  }
  return total === 0 ? 0 : Math.sqrt(tail / total);
}

/**
 * The share of ‖A‖_F² (the "energy") the best rank-r approximation keeps: Σ_{i≤r} σ_i² / Σ σ_i²
 * = 1 − lowRankError(σ, r)². 1 for a zero matrix.
 */
export function capturedEnergy(sigma: ArrayLike<number>, r: number): number {
  const e = lowRankError(sigma, r);
  return 1 - e * e;
}

/** lowRankError for every r from 0 to sigma.length: one pass from the tail. */
export function lowRankErrorCurve(sigma: ArrayLike<number>): Float64Array {
  checkR(sigma, 0);
  const k = sigma.length;
  const out = new Float64Array(k + 1);
  let total = 0;
  for (let i = 0; i < k; i++) total += sigma[i] * sigma[i];
  if (total === 0) return out;
  let tail = 0;
  for (let r = k; r >= 0; r--) {
    out[r] = Math.sqrt(tail / total);
    if (r > 0) tail += sigma[r - 1] * sigma[r - 1];
  }
  return out;
}
