/**
 * AWQ (Lin, Tang, Tang, Yang, Chen, Wang, Xiao, Dang, Gan & Han 2023, "AWQ: Activation-aware Weight
 * Quantization for LLM Compression and Acceleration", §3.2) for one Linear, as its reference code
 * runs it: mit-han-lab llm-awq `awq/quantize/auto_scale.py` `_search_module_scale` (the Linear as
 * the inspected block) with `awq/quantize/quantizer.py` `pseudo_quantize_tensor` (zero_point =
 * True). Rules and check values: docs/numerics.md "Beyond round-to-nearest".
 *
 * float64 throughout (the reference's math has no float32-specific step). W is [rows, cols] =
 * [out, in] row-major, X is [n, cols].
 */
import { roundHalfEven } from './affine';
import { checkBits, checkGroupSize, checkMatrix } from './input-checks';

export interface AwqPseudoQuantized {
  /** Codes 0 … 2^bits − 1, rows × cols. */
  q: Int32Array;
  /** Dequantized weights (q − zero) · scale, rows × cols, float64. */
  weight: Float64Array;
  /** One scale per group, rows × groups row-major. */
  scale: Float64Array;
  /** One zero point per group (a whole number in [0, 2^bits − 1]). */
  zero: Float64Array;
}

export interface AwqOptions {
  /** Bits per code, 2–8. */
  bits: number;
  /** Columns per group along a row, or −1 for one group per row. Must divide cols. */
  groupSize: number;
  /** Number of α values searched, α = k/grid for k = 0 … grid − 1 (default 20). */
  grid?: number;
}

export interface AwqResult {
  /** The chosen α (the first with the lowest error). */
  alpha: number;
  /** The per-input-channel scales s for that α (W' = Q(W · diag s) / s). */
  scales: Float32Array;
  /** The effective weight W' = Q(W · diag s) / s, rows × cols. */
  weight: Float32Array;
  /** The chosen α's error mean((X Wᵀ − X W'ᵀ)²). */
  error: number;
  /** The error for every α in the grid, k = 0 … grid − 1 (the α curve). */
  losses: Float64Array;
  /** mean over tokens of |x_j| per input channel: the activation statistic AWQ scales by. */
  activationMean: Float64Array;
}

const MAX_GRID = 1000;

/**
 * llm-awq's `pseudo_quantize_tensor` (zero_point = True), group-wise along rows: per group,
 * scale = max(max − min, 1e-5)/(2^bits − 1), zero = clamp(−round(min/scale), 0, 2^bits − 1),
 * q = clamp(round(w/scale) + zero, 0, 2^bits − 1), w' = (q − zero) · scale. Round half to even.
 * Unlike PyTorch's observers, the range is not widened to contain 0.
 */
export function awqPseudoQuantize(w: ArrayLike<number>, shape: [number, number], o: { bits: number; groupSize: number }): AwqPseudoQuantized {
  checkMatrix(w, shape, 'w');
  checkBits(o.bits);
  checkGroupSize(o.groupSize, shape[1]);
  return pseudoQuantize(w, shape, o.bits, o.groupSize);
}

function pseudoQuantize(w: ArrayLike<number>, shape: [number, number], bits: number, groupSize: number): AwqPseudoQuantized {
  const [rows, cols] = shape;
  const width = groupSize === -1 ? cols : groupSize;
  const groups = (rows * cols) / width;
  const maxInt = 2 ** bits - 1;
  const q = new Int32Array(rows * cols);
  const weight = new Float64Array(rows * cols);
  const scale = new Float64Array(groups);
  const zero = new Float64Array(groups);
  for (let g = 0; g < groups; g++) {
    const start = g * width, end = start + width;
    let mn = Infinity, mx = -Infinity;
    for (let i = start; i < end; i++) {
      const v = w[i];
      if (v < mn) mn = v;
      if (v > mx) mx = v;
    }
    const s = Math.max(mx - mn, 1e-5) / maxInt;
    const z = Math.min(Math.max(-roundHalfEven(mn / s), 0), maxInt);
    scale[g] = s;
    zero[g] = z;
    for (let i = start; i < end; i++) {
      let c = roundHalfEven(w[i] / s) + z;
      c = c < 0 ? 0 : c > maxInt ? maxInt : c;
      q[i] = c;
      weight[i] = (c - z) * s;
    }
  }
  return { q, weight, scale, zero };
}

/** AWQ's scales for one α: s = max(activationMean^α, 1e-4), divided by √(max s · min s). */
export function awqScales(activationMean: ArrayLike<number>, alpha: number): Float64Array {
  if (!Number.isFinite(alpha) || alpha < 0 || alpha > 1) throw new RangeError(`alpha must be a number from 0 to 1, got ${alpha}`);
  const s = new Float64Array(activationMean.length);
  let mx = -Infinity, mn = Infinity;
  for (let j = 0; j < s.length; j++) {
    const a = activationMean[j];
    if (!(a >= 0) || !Number.isFinite(a)) throw new RangeError(`activationMean[${j}] is ${a}; it must be a finite number ≥ 0`);
    const v = Math.max(a ** alpha, 1e-4);
    s[j] = v;
    if (v > mx) mx = v;
    if (v < mn) mn = v;
  }
  const norm = Math.sqrt(mx * mn);
  for (let j = 0; j < s.length; j++) s[j] /= norm;
  return s;
}

/**
 * Sum over rows of (W − W')_r G (W − W')_rᵀ with G = XᵀX: equals Σ (X Wᵀ − X W'ᵀ)², computed in
 * whichever form costs less (G once and a quadratic form per row, or X Dᵀ directly).
 */
function squaredOutputError(d: Float64Array, rows: number, cols: number, x: ArrayLike<number>, n: number, gram: Float64Array | null): number {
  let total = 0;
  if (gram) {
    // d G dᵀ = Σ_i G_ii d_i² + 2 Σ_{j<i} G_ij d_i d_j: the lower triangle only.
    for (let r = 0; r < rows; r++) {
      const base = r * cols;
      for (let i = 0; i < cols; i++) {
        const di = d[base + i];
        if (di === 0) continue;
        let s = 0;
        const gi = i * cols;
        for (let j = 0; j < i; j++) s += gram[gi + j] * d[base + j];
        total += di * (2 * s + gram[gi + i] * di);
      }
    }
    return total;
  }
  for (let t = 0; t < n; t++) {
    const xt = t * cols;
    for (let r = 0; r < rows; r++) {
      let s = 0;
      const base = r * cols;
      for (let j = 0; j < cols; j++) s += x[xt + j] * d[base + j];
      total += s * s;
    }
  }
  return total;
}

/**
 * Checks AWQ's inputs (shapes, bits, group size, grid) and returns the grid size (default 20).
 * Throws a RangeError naming what is wrong.
 */
export function checkAwqInputs(w: ArrayLike<number>, shape: [number, number], x: ArrayLike<number>, xShape: [number, number], o: AwqOptions): number {
  checkMatrix(w, shape, 'w');
  checkMatrix(x, xShape, 'x');
  const cols = shape[1];
  const xCols = xShape[1];
  if (xCols !== cols) throw new RangeError(`x has ${xCols} columns but w has ${cols}: each token needs one value per input channel`);
  checkBits(o.bits);
  checkGroupSize(o.groupSize, cols);
  const grid = o.grid ?? 20;
  if (!Number.isInteger(grid) || grid < 1 || grid > MAX_GRID) throw new RangeError(`grid must be a whole number from 1 to ${MAX_GRID}, got ${grid}`);
  return grid;
}

/** AWQ's activation statistic: mean over tokens of |x_tj| per input channel j (float64), X [n, cols]. */
export function awqActivationMean(x: ArrayLike<number>, xShape: [number, number]): Float64Array {
  const [n, cols] = xShape;
  const activationMean = new Float64Array(cols);
  for (let t = 0; t < n; t++) for (let j = 0; j < cols; j++) activationMean[j] += Math.abs(x[t * cols + j]);
  for (let j = 0; j < cols; j++) activationMean[j] /= n;
  return activationMean;
}

/**
 * AWQ's scale search for one Linear: activationMean_j = mean_t |x_tj|; for α = k/grid,
 * k = 0 … grid − 1: s = awqScales(activationMean, α), W' = Q(W · diag s) / s with
 * `awqPseudoQuantize`, error = mean((X Wᵀ − X W'ᵀ)²); the first α with the strictly lowest error
 * wins. (The reference compares the block's outputs; X (W − W')ᵀ is the same quantity.) With
 * grid = 1 only α = 0 (s = 1) is tried: plain pseudo-quantization.
 */
export function awq(w: ArrayLike<number>, shape: [number, number], x: ArrayLike<number>, xShape: [number, number], o: AwqOptions): AwqResult {
  const grid = checkAwqInputs(w, shape, x, xShape, o);
  const [rows, cols] = shape;
  const n = xShape[0];
  const activationMean = awqActivationMean(x, xShape);

  // G = XᵀX when a quadratic form per row is cheaper than X Dᵀ per α.
  let gram: Float64Array | null = null;
  if (n * cols * cols / 2 + grid * rows * cols * cols < grid * n * rows * cols) {
    gram = new Float64Array(cols * cols);
    for (let t = 0; t < n; t++) {
      const xt = t * cols;
      for (let i = 0; i < cols; i++) {
        const xi = x[xt + i];
        if (xi === 0) continue;
        for (let j = 0; j <= i; j++) gram[i * cols + j] += xi * x[xt + j];
      }
    }
    for (let i = 0; i < cols; i++) for (let j = 0; j < i; j++) gram[j * cols + i] = gram[i * cols + j];
  }

  const losses = new Float64Array(grid);
  const scaled = new Float64Array(rows * cols);
  const d = new Float64Array(rows * cols);
  let best = Infinity, bestK = -1;
  let bestScales: Float64Array = new Float64Array(cols);
  let bestWeight: Float64Array = new Float64Array(rows * cols);
  for (let k = 0; k < grid; k++) {
    const alpha = k / grid;
    const s = awqScales(activationMean, alpha);
    for (let r = 0; r < rows; r++) for (let j = 0; j < cols; j++) scaled[r * cols + j] = w[r * cols + j] * s[j];
    const wq = pseudoQuantize(scaled, shape, o.bits, o.groupSize).weight;
    for (let r = 0; r < rows; r++) {
      for (let j = 0; j < cols; j++) {
        const i = r * cols + j;
        wq[i] /= s[j];
        d[i] = w[i] - wq[i];
      }
    }
    const loss = squaredOutputError(d, rows, cols, x, n, gram) / (n * rows);
    losses[k] = loss;
    if (loss < best) {
      best = loss;
      bestK = k;
      bestScales = s;
      bestWeight = wq;
    }
  }
  if (bestK < 0) throw new RangeError('AWQ: no α gave a finite error');
  return {
    alpha: bestK / grid,
    scales: Float32Array.from(bestScales),
    weight: Float32Array.from(bestWeight),
    error: best,
    losses,
    activationMean,
  };
}
