/**
 * GPTQ (Frantar, Ashkboos, Hoefler & Alistarh 2022, "GPTQ: Accurate Post-Training Quantization for
 * Generative Pre-trained Transformers", §4, Algorithm 1) as its reference code runs it: IST-DASLab
 * `gptq.py` `GPTQ.fasterquant` with `quant.py`'s per-channel `Quantizer` (mse = False,
 * static_groups = False). Rules and check values: docs/numerics.md "Beyond round-to-nearest".
 *
 * Everything is float64 (the reference runs in float32 on the GPU; its math has no float32-specific
 * step, so float64 is the exact-arithmetic limit it approximates). W is [rows, cols] = [out, in],
 * row-major; H is cols × cols.
 */
import { roundHalfEven } from './affine';
import { checkBits, checkGroupSize, checkMatrix } from './input-checks';
import { cholesky, choleskyInverse, choleskyUpper } from '../linalg/cholesky';

export interface GptqOptions {
  /** Bits per code, 2–8: codes 0 … 2^bits − 1. */
  bits: number;
  /** Columns per group along a row; −1 (default) = one grid per row. Must divide cols. */
  groupSize?: number;
  /** Columns per lazy block (default 128). */
  blockSize?: number;
  /** Dampening λ = dampPercent · mean(diag H) added to diag H (default 0.01). */
  dampPercent?: number;
  /** Quantize columns in descending order of diag(H) (default false); results come back in the original order. */
  actOrder?: boolean;
  /** Symmetric grid with zero point 2^(bits−1) (default false: min/max grid). */
  symmetric?: boolean;
}

export interface GptqGrid {
  /** Codes, rows × cols row-major, in the original column order. */
  q: Int32Array;
  /** Dequantized weights scale · (q − zero), rows × cols. */
  weight: Float32Array;
  /** Scales, rows × groups row-major (groups = 1 without groups). */
  scale: Float64Array;
  /** Zero points (whole numbers), rows × groups. */
  zero: Float64Array;
  /** For each original column, the group whose scale and zero it uses (with act-order, groups run over the permuted order). */
  groupIndex: Int32Array;
}

export interface GptqResult extends GptqGrid {
  /** The reference's printed "error": Σ (w − q)² / Hinv_ii² / 2 over every weight. */
  loss: number;
  /** The order in which columns were quantized (identity without act-order). */
  order: Int32Array;
}

/** What `gptqPrepare` hands the column loop: W and Hinv in quantization order. */
export interface GptqPrepared {
  rows: number;
  cols: number;
  bits: number;
  /** −1 = one grid per row. */
  groupSize: number;
  blockSize: number;
  symmetric: boolean;
  /** Columns per grid (cols without groups). */
  width: number;
  groups: number;
  /** W (float64, dead columns zeroed), rows × cols with columns in quantization order. */
  W: Float64Array;
  /** Upper Cholesky factor of the dampened H⁻¹ (float64), cols × cols in quantization order. */
  Hinv: Float64Array;
  /** order[c] = the original column quantized c-th. */
  order: Int32Array;
  /** Each row's grid over the whole original row (used without groups). */
  rowScale: Float64Array;
  rowZero: Float64Array;
}

/** Most columns per lazy block accepted. */
const MAX_BLOCK = 4096;

/**
 * One row's grid from its slice's min and max (quant.py `Quantizer.find_params`): xmin = min(min, 0),
 * xmax = max(max, 0); symmetric: xmax = max(|xmin|, xmax) and, only when xmin < 0, xmin = −xmax;
 * both 0 → [−1, 1]; scale = (xmax − xmin)/maxq; zero = 2^(bits−1) when symmetric, else
 * round(−xmin/scale). (A symmetric slice with no negative value keeps xmin = 0, so codes above
 * maxq − 2^(bits−1) clamp: the reference's behaviour.)
 */
export function gptqGridParams(min: number, max: number, bits: number, symmetric: boolean): { scale: number; zero: number } {
  checkBits(bits);
  if (!Number.isFinite(min) || !Number.isFinite(max) || min > max) throw new RangeError(`min and max must be finite with min ≤ max, got ${min} and ${max}`);
  const maxq = 2 ** bits - 1;
  let xmin = Math.min(min, 0);
  let xmax = Math.max(max, 0);
  if (symmetric) {
    xmax = Math.max(Math.abs(xmin), xmax);
    if (xmin < 0) xmin = -xmax;
  }
  if (xmin === 0 && xmax === 0) {
    xmin = -1;
    xmax = 1;
  }
  const scale = (xmax - xmin) / maxq;
  const zero = symmetric ? (maxq + 1) / 2 : roundHalfEven(-xmin / scale) + 0; // + 0: no −0
  return { scale, zero };
}

/** Sets each row's grid for columns [c0, c0 + width) of the row-major matrix w (cols wide). */
function findParams(w: Float64Array, rows: number, cols: number, c0: number, width: number, bits: number, symmetric: boolean, scale: Float64Array, zero: Float64Array): void {
  for (let r = 0; r < rows; r++) {
    let mn = Infinity, mx = -Infinity;
    for (let j = r * cols + c0, end = j + width; j < end; j++) {
      const v = w[j];
      if (v < mn) mn = v;
      if (v > mx) mx = v;
    }
    const p = gptqGridParams(mn, mx, bits, symmetric);
    scale[r] = p.scale;
    zero[r] = p.zero;
  }
}

/** quant.py `quantize`: q = clamp(round(w/scale) + zero, 0, maxq), round half to even. */
function code(w: number, scale: number, zero: number, maxq: number): number {
  const q = roundHalfEven(w / scale) + zero;
  return q < 0 ? 0 : q > maxq ? maxq : q;
}

function checkOptions(o: GptqOptions, cols: number): Required<GptqOptions> {
  checkBits(o.bits);
  const groupSize = o.groupSize ?? -1;
  checkGroupSize(groupSize, cols);
  const blockSize = o.blockSize ?? 128;
  if (!Number.isInteger(blockSize) || blockSize < 1 || blockSize > MAX_BLOCK) throw new RangeError(`blockSize must be a whole number from 1 to ${MAX_BLOCK}, got ${blockSize}`);
  const dampPercent = o.dampPercent ?? 0.01;
  if (!Number.isFinite(dampPercent) || dampPercent < 0) throw new RangeError(`dampPercent must be a finite number ≥ 0, got ${dampPercent}`);
  return { bits: o.bits, groupSize, blockSize, dampPercent, actOrder: o.actOrder ?? false, symmetric: o.symmetric ?? false };
}

function checkHessian(h: ArrayLike<number>, cols: number): void {
  if (h.length !== cols * cols) throw new RangeError(`the Hessian of a ${cols}-column weight is ${cols} × ${cols} = ${cols * cols} values, got ${h.length}`);
  let scale = 0;
  for (let i = 0; i < h.length; i++) {
    const v = h[i];
    if (v - v !== 0) throw new RangeError(`hessian[${i}] (row ${Math.floor(i / cols)}, column ${i % cols}) is ${v}; it needs finite values`);
    scale = Math.max(scale, Math.abs(v));
  }
  for (let i = 0; i < cols; i++) {
    if (h[i * cols + i] < 0) throw new RangeError(`hessian diagonal entry ${i} is ${h[i * cols + i]}; a Hessian 2/n·XᵀX has a diagonal ≥ 0`);
    for (let j = 0; j < i; j++) {
      // A loose tolerance: a float32 XᵀX summed in different orders for (i, j) and (j, i) still passes.
      if (Math.abs(h[i * cols + j] - h[j * cols + i]) > 1e-4 * scale) {
        throw new RangeError(`the Hessian is not symmetric: entry (${i}, ${j}) is ${h[i * cols + j]} but (${j}, ${i}) is ${h[j * cols + i]}`);
      }
    }
  }
}

/**
 * GPTQ's Hessian from calibration inputs: H = (2/n) XᵀX for X [n, cols] (gptq.py `add_batch`, which
 * reaches the same matrix batch by batch). float64, cols × cols row-major.
 */
export function gptqHessian(x: ArrayLike<number>, xShape: [number, number]): Float64Array {
  checkMatrix(x, xShape, 'x');
  const [n, cols] = xShape;
  const h = new Float64Array(cols * cols);
  // Σ_t x_t x_tᵀ, four tokens per pass over the lower triangle (a quarter of the memory traffic on H).
  const r0 = new Float64Array(cols), r1 = new Float64Array(cols), r2 = new Float64Array(cols), r3 = new Float64Array(cols);
  for (let t = 0; t < n; t += 4) {
    const rowsLeft = Math.min(4, n - t);
    for (let j = 0; j < cols; j++) {
      r0[j] = x[t * cols + j];
      r1[j] = rowsLeft > 1 ? x[(t + 1) * cols + j] : 0;
      r2[j] = rowsLeft > 2 ? x[(t + 2) * cols + j] : 0;
      r3[j] = rowsLeft > 3 ? x[(t + 3) * cols + j] : 0;
    }
    for (let i = 0; i < cols; i++) {
      const a0 = r0[i], a1 = r1[i], a2 = r2[i], a3 = r3[i];
      if (a0 === 0 && a1 === 0 && a2 === 0 && a3 === 0) continue;
      const ri = i * cols;
      for (let j = 0; j <= i; j++) h[ri + j] += a0 * r0[j] + a1 * r1[j] + a2 * r2[j] + a3 * r3[j];
    }
  }
  const f = 2 / n;
  for (let i = 0; i < cols; i++) {
    for (let j = 0; j <= i; j++) {
      const v = h[i * cols + j] * f;
      h[i * cols + j] = v;
      h[j * cols + i] = v;
    }
  }
  return h;
}

/**
 * GPTQ's proxy loss tr((W − Q) H (W − Q)ᵀ) = Σ_rows δ H δᵀ (the layer-wise objective ‖WX − QX‖² up
 * to the factor 2/n that H carries). float64.
 */
export function gptqProxyLoss(w: ArrayLike<number>, q: ArrayLike<number>, shape: [number, number], hessian: ArrayLike<number>): number {
  checkMatrix(w, shape, 'w');
  checkMatrix(q, shape, 'q');
  const [rows, cols] = shape;
  checkHessian(hessian, cols);
  const d = new Float64Array(cols);
  let total = 0;
  for (let r = 0; r < rows; r++) {
    for (let j = 0; j < cols; j++) d[j] = w[r * cols + j] - q[r * cols + j];
    for (let i = 0; i < cols; i++) {
      if (d[i] === 0) continue;
      let s = 0;
      for (let j = 0; j < cols; j++) s += hessian[i * cols + j] * d[j];
      total += d[i] * s;
    }
  }
  return total;
}

/**
 * Round-to-nearest on GPTQ's grid (quant.py `Quantizer` per row or per group, then `quantize`), with
 * no error feedback: what GPTQ reduces to when H is the identity. Columns are in their original order.
 */
export function gptqRoundToNearest(w: ArrayLike<number>, shape: [number, number], o: { bits: number; groupSize?: number; symmetric?: boolean }): GptqGrid {
  checkMatrix(w, shape, 'w');
  const [rows, cols] = shape;
  const { bits, groupSize, symmetric } = checkOptions(o, cols);
  const maxq = 2 ** bits - 1;
  const width = groupSize === -1 ? cols : groupSize;
  const groups = cols / width;
  const wd = Float64Array.from(w);
  const scale = new Float64Array(rows * groups);
  const zero = new Float64Array(rows * groups);
  const s = new Float64Array(rows), z = new Float64Array(rows);
  const q = new Int32Array(rows * cols);
  const weight = new Float32Array(rows * cols);
  for (let g = 0; g < groups; g++) {
    findParams(wd, rows, cols, g * width, width, bits, symmetric, s, z);
    for (let r = 0; r < rows; r++) {
      scale[r * groups + g] = s[r];
      zero[r * groups + g] = z[r];
      for (let j = r * cols + g * width, end = j + width; j < end; j++) {
        q[j] = code(wd[j], s[r], z[r], maxq);
        weight[j] = s[r] * (q[j] - z[r]);
      }
    }
  }
  const groupIndex = Int32Array.from({ length: cols }, (_, j) => Math.floor(j / width));
  return { q, weight, scale, zero, groupIndex };
}

/**
 * GPTQ's set-up before the column loop (`GPTQ.fasterquant` up to its block loop), shared by the CPU
 * reference below and the GPU path (lib/compute/gptq-gpu.ts):
 * 1. Without groups, each row's grid comes from the original W (the reference finds it before
 *    anything else).
 * 2. Dead columns (H_jj = 0): H_jj = 1 and W[:, j] = 0.
 * 3. act-order: columns sorted by descending diag(H) (ties keep their order).
 * 4. H += dampPercent · mean(diag H) · I; Hinv = upper Cholesky factor of H⁻¹.
 * Throws a RangeError for bad shapes or options, non-finite values, or an H that is not positive
 * definite even after dampening.
 */
export function gptqPrepare(w: ArrayLike<number>, shape: [number, number], hessian: ArrayLike<number>, o: GptqOptions): GptqPrepared {
  checkMatrix(w, shape, 'w');
  const [rows, cols] = shape;
  const { bits, groupSize, blockSize, dampPercent, actOrder, symmetric } = checkOptions(o, cols);
  checkHessian(hessian, cols);
  const width = groupSize === -1 ? cols : groupSize;

  const w0 = Float64Array.from(w);
  const h0 = Float64Array.from(hessian);
  // 1. Per-row grid from the original W (used when there are no groups).
  const rowScale = new Float64Array(rows), rowZero = new Float64Array(rows);
  findParams(w0, rows, cols, 0, cols, bits, symmetric, rowScale, rowZero);
  // 2. Dead columns.
  for (let j = 0; j < cols; j++) {
    if (h0[j * cols + j] === 0) {
      h0[j * cols + j] = 1;
      for (let r = 0; r < rows; r++) w0[r * cols + j] = 0;
    }
  }
  // 3. Column order.
  const order = Int32Array.from({ length: cols }, (_, j) => j);
  if (actOrder) {
    const sorted = Array.from(order).sort((a, b) => h0[b * cols + b] - h0[a * cols + a] || a - b);
    order.set(sorted);
  }
  const W = new Float64Array(rows * cols);
  const H = new Float64Array(cols * cols);
  for (let r = 0; r < rows; r++) for (let j = 0; j < cols; j++) W[r * cols + j] = w0[r * cols + order[j]];
  for (let i = 0; i < cols; i++) for (let j = 0; j < cols; j++) H[i * cols + j] = h0[order[i] * cols + order[j]];
  // 4. Dampening and the upper Cholesky factor of H⁻¹.
  let meanDiag = 0;
  for (let j = 0; j < cols; j++) meanDiag += H[j * cols + j];
  const damp = dampPercent * (meanDiag / cols);
  for (let j = 0; j < cols; j++) H[j * cols + j] += damp;
  let Hinv: Float64Array;
  try {
    Hinv = choleskyUpper(choleskyInverse(cholesky(H, cols), cols), cols);
  } catch (e) {
    throw new RangeError(`GPTQ: the dampened Hessian is not positive definite; raise dampPercent (${dampPercent}). ${(e as Error).message}`);
  }
  return { rows, cols, bits, groupSize, blockSize, symmetric, width, groups: cols / width, W, Hinv, order, rowScale, rowZero };
}

/**
 * GPTQ's result in the original column order from the column loop's output in quantization order:
 * `qPerm` codes (rows × cols, permuted columns), `scale`/`zero` (rows × groups), `loss`.
 * weight = scale · (q − zero) per the column's group.
 */
export function gptqAssemble(p: GptqPrepared, qPerm: ArrayLike<number>, scale: Float64Array, zero: Float64Array, loss: number): GptqResult {
  const { rows, cols, groups, width, order } = p;
  const q = new Int32Array(rows * cols);
  const weight = new Float32Array(rows * cols);
  const groupIndex = new Int32Array(cols);
  for (let c = 0; c < cols; c++) groupIndex[order[c]] = Math.floor(c / width);
  for (let r = 0; r < rows; r++) {
    for (let c = 0; c < cols; c++) {
      const j = order[c];
      const code = qPerm[r * cols + c];
      const g = r * groups + groupIndex[j];
      q[r * cols + j] = code;
      weight[r * cols + j] = scale[g] * (code - zero[g]);
    }
  }
  return { q, weight, scale, zero, groupIndex, loss, order };
}

/**
 * GPTQ on one weight, as `GPTQ.fasterquant` (see the file comment and docs/numerics.md): the set-up
 * of `gptqPrepare`, then
 * 5. Lazy blocks of blockSize columns: for column i, q = quant(w), err = (w − q)/Hinv_ii, the block's
 *    later columns −= err · Hinv[i, later]; after the block, W[:, end:] −= Err · Hinv[block, end:].
 * 6. With groups, a group's grid is found when its first column is reached, from W as it stands
 *    outside the block (the current block's pending updates not applied).
 * Throws as gptqPrepare does.
 */
export function gptq(w: ArrayLike<number>, shape: [number, number], hessian: ArrayLike<number>, o: GptqOptions): GptqResult {
  const p = gptqPrepare(w, shape, hessian, o);
  const { rows, cols, bits, groupSize, blockSize, symmetric, groups, W, Hinv } = p;
  const maxq = 2 ** bits - 1;
  const s = Float64Array.from(p.rowScale), z = Float64Array.from(p.rowZero);

  // 5–6. Lazy blocks.
  const qPerm = new Int32Array(rows * cols);
  const scale = new Float64Array(rows * groups);
  const zero = new Float64Array(rows * groups);
  if (groupSize === -1) {
    scale.set(s);
    zero.set(z);
  }
  let loss = 0;
  for (let i1 = 0; i1 < cols; i1 += blockSize) {
    const i2 = Math.min(i1 + blockSize, cols);
    const count = i2 - i1;
    const W1 = new Float64Array(rows * count);
    const Err1 = new Float64Array(rows * count);
    for (let r = 0; r < rows; r++) for (let k = 0; k < count; k++) W1[r * count + k] = W[r * cols + i1 + k];
    for (let i = 0; i < count; i++) {
      const col = i1 + i;
      if (groupSize !== -1 && col % groupSize === 0) {
        findParams(W, rows, cols, col, groupSize, bits, symmetric, s, z);
        const g = col / groupSize;
        for (let r = 0; r < rows; r++) {
          scale[r * groups + g] = s[r];
          zero[r * groups + g] = z[r];
        }
      }
      const d = Hinv[col * cols + col];
      const hrow = col * cols + i1; // Hinv[col, i1 + k] = Hinv[hrow + k]
      for (let r = 0; r < rows; r++) {
        const base = r * count;
        const wv = W1[base + i];
        const qc = code(wv, s[r], z[r], maxq);
        qPerm[r * cols + col] = qc;
        const err = (wv - s[r] * (qc - z[r])) / d;
        loss += (err * err) / 2;
        Err1[base + i] = err;
        if (err === 0) continue;
        for (let k = i + 1; k < count; k++) W1[base + k] -= err * Hinv[hrow + k];
      }
    }
    if (i2 < cols) {
      const tmp = new Float64Array(cols - i2);
      for (let r = 0; r < rows; r++) {
        tmp.fill(0);
        for (let k = 0; k < count; k++) {
          const e = Err1[r * count + k];
          if (e === 0) continue;
          const hr = (i1 + k) * cols + i2;
          for (let j = 0; j < tmp.length; j++) tmp[j] += e * Hinv[hr + j];
        }
        const wr = r * cols + i2;
        for (let j = 0; j < tmp.length; j++) W[wr + j] -= tmp[j];
      }
    }
  }

  return gptqAssemble(p, qPerm, scale, zero, loss);
}
