/**
 * GPTQ column by column, for watching it work: the same arithmetic as gptq.ts's `gptq` with one
 * lazy block spanning every column (blockSize = cols), paused after each column. Each step reports
 * the column's codes, the scaled error err = (w − q)/U_ii it pushed onto the columns not yet
 * quantized (U = upper Cholesky factor of H⁻¹), and the proxy loss committed so far.
 *
 * Why the running sum of err² is the proxy loss (docs/numerics.md "Beyond round-to-nearest", GPTQ):
 * with H⁻¹ = UᵀU the updates make a row's final error δ = w − q equal err · U, so
 * δ H δᵀ = ‖δ U⁻¹‖² = ‖err‖² — the loss of the first k columns is Σ_{i<k} err_i², and after the last
 * column it is tr((W − Q) H (W − Q)ᵀ) with the dampened H. Round-to-nearest on the same grids has
 * e = δ_rtn U⁻¹ (a forward substitution, U being triangular), and its first-k prefix of ‖e‖² is the
 * same kind of running total, so the two curves compare column for column.
 *
 * With groups, every group's grid is found from W as `gptq` holds it outside the current block —
 * with a single block, the original W (after act-order's permutation and dead-column zeroing).
 */
import { cholesky, choleskyInverse, choleskyUpper } from '../linalg/cholesky';
import { roundHalfEven } from './affine';
import { gptqGridParams, type GptqOptions } from './gptq';

export interface GptqTraceStep {
  /** Position in the quantization order, 0 … cols − 1. */
  step: number;
  /** The original index of the column quantized at this step. */
  column: number;
  /** This column's codes, one per row. */
  codes: Int32Array;
  /** err = (w − q)/U_ii per row: what is pushed onto the later columns (times U[i, later]). */
  error: Float64Array;
  /** GPTQ's proxy loss committed after this step: Σ err² over the columns done, all rows. */
  loss: number;
  /** Round-to-nearest's running proxy loss after as many columns, on the same grids. */
  rtnLoss: number;
}

export interface GptqTrace {
  rows: number;
  cols: number;
  /** Quantization order (original column indices); identity without act-order. */
  order: Int32Array;
  /** H + λI in the original column order (dead columns' diagonal set to 1 first), the H the losses use. */
  dampedHessian: Float64Array;
  /** Round-to-nearest's running loss after each step (length cols); its last entry is RTN's proxy loss. */
  rtnLoss: Float64Array;
  /** RTN's dequantized weights on GPTQ's grids, rows × cols, original order. */
  rtnWeight: Float32Array;
  /**
   * The weights as they stand, rows × cols in the original order: dequantized values for the columns
   * done, the updated (error-fed) weights for the rest. Updated in place by each step.
   */
  current: Float64Array;
  /** Codes of the columns done (0 elsewhere), original order; complete after the last step. */
  q: Int32Array;
  /** Steps one column at a time. */
  steps: Generator<GptqTraceStep, void, void>;
}

/** Starts GPTQ's column-by-column trace; options as `gptq` (blockSize is ignored: one block). */
export function gptqTrace(w: ArrayLike<number>, shape: [number, number], hessian: ArrayLike<number>, o: Omit<GptqOptions, 'blockSize'>): GptqTrace {
  const [rows, cols] = shape;
  if (!Number.isInteger(rows) || !Number.isInteger(cols) || rows < 1 || cols < 1 || w.length !== rows * cols) {
    throw new RangeError(`w must hold rows × cols = ${rows} × ${cols} values, got ${w.length}`);
  }
  if (hessian.length !== cols * cols) throw new RangeError(`the Hessian must be ${cols} × ${cols}, got ${hessian.length} values`);
  const bits = o.bits;
  const groupSize = o.groupSize ?? -1;
  if (groupSize !== -1 && (!Number.isInteger(groupSize) || groupSize < 1 || cols % groupSize !== 0)) throw new RangeError(`groupSize must divide ${cols} (or be −1), got ${groupSize}`);
  const dampPercent = o.dampPercent ?? 0.01;
  const symmetric = o.symmetric ?? false;
  const maxq = 2 ** bits - 1;
  gptqGridParams(0, 0, bits, symmetric); // checks bits

  const w0 = Float64Array.from(w);
  const h0 = Float64Array.from(hessian);
  for (let j = 0; j < cols; j++) {
    if (h0[j * cols + j] === 0) {
      h0[j * cols + j] = 1;
      for (let r = 0; r < rows; r++) w0[r * cols + j] = 0;
    }
  }
  const order = Int32Array.from({ length: cols }, (_, j) => j);
  if (o.actOrder) order.set(Array.from(order).sort((a, b) => h0[b * cols + b] - h0[a * cols + a] || a - b));
  let meanDiag = 0;
  for (let j = 0; j < cols; j++) meanDiag += h0[j * cols + j];
  const damp = dampPercent * (meanDiag / cols);
  const dampedHessian = Float64Array.from(h0);
  for (let j = 0; j < cols; j++) dampedHessian[j * cols + j] += damp;

  // Permuted copies, as gptq.ts.
  const W0 = new Float64Array(rows * cols); // outside-the-block W: the grids' source
  const H = new Float64Array(cols * cols);
  for (let r = 0; r < rows; r++) for (let j = 0; j < cols; j++) W0[r * cols + j] = w0[r * cols + order[j]];
  for (let i = 0; i < cols; i++) for (let j = 0; j < cols; j++) H[i * cols + j] = h0[order[i] * cols + order[j]];
  for (let j = 0; j < cols; j++) H[j * cols + j] += damp;
  const U = choleskyUpper(choleskyInverse(cholesky(H, cols), cols), cols);

  // Grids: per row from the whole row, or per group from W0 (see the file comment).
  const width = groupSize === -1 ? cols : groupSize;
  const groups = cols / width;
  const scale = new Float64Array(rows * groups), zero = new Float64Array(rows * groups);
  for (let g = 0; g < groups; g++) {
    for (let r = 0; r < rows; r++) {
      let mn = Infinity, mx = -Infinity;
      for (let j = r * cols + g * width, end = j + width; j < end; j++) {
        mn = Math.min(mn, W0[j]);
        mx = Math.max(mx, W0[j]);
      }
      const p = gptqGridParams(mn, mx, bits, symmetric);
      scale[r * groups + g] = p.scale;
      zero[r * groups + g] = p.zero;
    }
  }
  const quantize = (v: number, s: number, z: number) => {
    const c = roundHalfEven(v / s) + z;
    return c < 0 ? 0 : c > maxq ? maxq : c;
  };

  // Round-to-nearest on the same grids, and its running loss e = δ U⁻¹ (forward substitution).
  const rtnWeight = new Float32Array(rows * cols);
  const rtnLoss = new Float64Array(cols);
  const e = new Float64Array(cols);
  for (let r = 0; r < rows; r++) {
    for (let p = 0; p < cols; p++) {
      const g = r * groups + Math.floor(p / width);
      const deq = scale[g] * (quantize(W0[r * cols + p], scale[g], zero[g]) - zero[g]);
      rtnWeight[r * cols + order[p]] = deq;
      let d = W0[r * cols + p] - deq;
      for (let i = 0; i < p; i++) d -= e[i] * U[i * cols + p];
      e[p] = d / U[p * cols + p];
      rtnLoss[p] += e[p] * e[p];
    }
  }
  for (let p = 1; p < cols; p++) rtnLoss[p] += rtnLoss[p - 1];

  const current = Float64Array.from(w0);
  const q = new Int32Array(rows * cols);
  const W1 = Float64Array.from(W0);

  function* steps(): Generator<GptqTraceStep, void, void> {
    let loss = 0;
    for (let col = 0; col < cols; col++) {
      const d = U[col * cols + col];
      const hrow = col * cols;
      const codes = new Int32Array(rows);
      const error = new Float64Array(rows);
      const g = Math.floor(col / width);
      for (let r = 0; r < rows; r++) {
        const base = r * cols;
        const s = scale[r * groups + g], z = zero[r * groups + g];
        const wv = W1[base + col];
        const qc = quantize(wv, s, z);
        codes[r] = qc;
        q[base + order[col]] = qc;
        const deq = s * (qc - z);
        const err = (wv - deq) / d;
        error[r] = err;
        loss += err * err;
        current[base + order[col]] = deq;
        if (err !== 0) for (let k = col + 1; k < cols; k++) W1[base + k] -= err * U[hrow + k];
        for (let k = col + 1; k < cols; k++) current[base + order[k]] = W1[base + k];
      }
      yield { step: col, column: order[col], codes, error, loss, rtnLoss: rtnLoss[col] };
    }
  }

  return { rows, cols, order, dampedHessian, rtnLoss, rtnWeight, current, q, steps: steps() };
}
