/**
 * LoftQ: an initialisation of QLoRA's base weight and adapter that starts the adapter by absorbing
 * the quantization error (Li et al. 2023, "LoftQ: LoRA-Fine-Tuning-Aware Quantization for Large
 * Language Models", ICLR 2024, Algorithm 1 and equation (2); Hugging Face PEFT
 * `peft/utils/loftq_utils.py`, `loftq_init` and `_low_rank_decomposition`). Formulas and the
 * conventions chosen: docs/numerics.md, "LoRA and QLoRA", "LoftQ initialisation".
 *
 * The quantizer is the course's QLoRA base format, NF4 with double quantization
 * (lib/quant/qlora-weight.ts); the SVD is lib/linalg/svd.ts in float64.
 */
import { DEFAULT_BLOCK_SIZE, DEFAULT_DQ_BLOCK_SIZE } from '../quant/four-bit';
import { dequantizeNF4Weight, quantizeNF4Weight, type NF4Weight } from '../quant/qlora-weight';
import { svd } from '../linalg/svd';

/** Most alternating steps loftqInit runs. The LoftQ authors' example command uses 5; PEFT's default is 1. */
export const LOFTQ_MAX_ITERATIONS = 16;

/** PEFT's `LoftQConfig(loftq_iter=1)` default: one alternating step. */
export const LOFTQ_DEFAULT_ITERATIONS = 1;

export interface LoftQOptions {
  /** Adapter rank r, 1 ≤ r ≤ min(out, in). */
  rank: number;
  /** Alternating steps T, 1 … LOFTQ_MAX_ITERATIONS (default 1, as PEFT). */
  iterations?: number;
  /** The adapter's multiplier: the adapted weight is W_Q + scale · B A (LoRA's α / r). Finite, > 0. */
  scale: number;
  /** NF4 absmax block (default 64, as QLoRA). */
  blockSize?: number;
  /** Double-quantization block of the absmax constants (default 256, as QLoRA). */
  dqBlockSize?: number;
}

export interface LoftQResult {
  /** The final quantized base Q_T, NF4 with double quantization. */
  q: NF4Weight;
  /** dequant(Q_T), row-major [out, in]. */
  dequantized: Float32Array;
  /**
   * What Q_T was quantized from, W − scale · B_{T−1} A_{T−1} in float32 (W itself when T = 1):
   * quantizeNF4Weight(quantizerInput, blockSize, dqBlockSize) gives Q_T again, so a store that
   * quantizes its own float32 input rebuilds LoftQ's base from it.
   */
  quantizerInput: Float32Array;
  /** A_T, row-major [r, in]. */
  A: Float32Array;
  /** B_T, row-major [out, r]. */
  B: Float32Array;
  /** ‖W − dequant(Q_t) − scale · B_t A_t‖_F after each step t = 1 … T (float64, with A and B as returned). */
  residualNorms: number[];
  /**
   * ‖W − dequant(Q_t)‖_F after each step's quantization: the error the adapter has to absorb. The
   * first is the residual of plain QLoRA (B = 0): ‖W − dequant(NF4(W))‖_F.
   */
  quantizationErrorNorms: number[];
}

function checkInputs(w: Float32Array, shape: readonly [number, number], o: LoftQOptions): { out: number; inn: number; iterations: number } {
  if (!Array.isArray(shape) || shape.length !== 2) throw new RangeError(`LoftQ needs a 2-D shape [out, in], got ${JSON.stringify(shape)}`);
  const [out, inn] = shape;
  if (!Number.isSafeInteger(out) || !Number.isSafeInteger(inn) || out < 1 || inn < 1) {
    throw new RangeError(`The shape [out, in] must be two whole numbers ≥ 1, got [${out}, ${inn}]`);
  }
  if (w.length !== out * inn) throw new RangeError(`A [${out}, ${inn}] weight has ${out * inn} entries, got ${w.length}`);
  for (let i = 0; i < w.length; i++) {
    if (!Number.isFinite(w[i])) {
      throw new RangeError(`W[${i}] (row ${Math.floor(i / inn)}, column ${i % inn}) is ${w[i]}: LoftQ needs finite weights`);
    }
  }
  const maxRank = Math.min(out, inn);
  if (!Number.isSafeInteger(o.rank) || o.rank < 1 || o.rank > maxRank) {
    throw new RangeError(`The LoftQ rank must be a whole number from 1 to min(out, in) = ${maxRank}, got ${o.rank}`);
  }
  const iterations = o.iterations ?? LOFTQ_DEFAULT_ITERATIONS;
  if (!Number.isSafeInteger(iterations) || iterations < 1 || iterations > LOFTQ_MAX_ITERATIONS) {
    throw new RangeError(`LoftQ's alternating steps must be a whole number from 1 to ${LOFTQ_MAX_ITERATIONS}, got ${iterations}`);
  }
  if (!Number.isFinite(o.scale) || o.scale <= 0) throw new RangeError(`The LoRA scale (α / r) must be a finite number > 0, got ${o.scale}`);
  const bs = o.blockSize ?? DEFAULT_BLOCK_SIZE;
  if (!Number.isSafeInteger(bs) || bs < 1) throw new RangeError(`blockSize must be a whole number ≥ 1, got ${bs}`);
  const dq = o.dqBlockSize ?? DEFAULT_DQ_BLOCK_SIZE;
  if (!Number.isSafeInteger(dq) || dq < 1) throw new RangeError(`dqBlockSize must be a whole number ≥ 1, got ${dq}`);
  return { out, inn, iterations };
}

/**
 * ‖R − scale · B A‖_F in float64, R row-major [out, in], B [out, r], A [r, in].
 */
export function lowRankResidualNorm(R: ArrayLike<number>, B: ArrayLike<number>, A: ArrayLike<number>, out: number, inn: number, rank: number, scale: number): number {
  let sum = 0;
  for (let i = 0; i < out; i++) {
    for (let j = 0; j < inn; j++) {
      let ba = 0;
      for (let k = 0; k < rank; k++) ba += B[i * rank + k] * A[k * inn + j];
      const d = R[i * inn + j] - scale * ba;
      sum += d * d;
    }
  }
  return Math.sqrt(sum);
}

/**
 * LoftQ's alternating initialisation (Li et al. 2023, Algorithm 1), for a weight W [out, in]
 * stored row-major and an adapter that adds scale · B A:
 *
 *   A_0 = 0, B_0 = 0
 *   for t = 1 … T:
 *     Q_t = NF4(W − scale · B_{t−1} A_{t−1})               (NF4 with double quantization)
 *     W − dequant(Q_t) = U Σ Vᵀ                             (SVD, σ descending)
 *     B_t = U_r · diag(√(σ_i / scale)),  A_t = diag(√(σ_i / scale)) · V_rᵀ    (i = 1 … r)
 *   return Q_T, A_T, B_T
 *
 * so scale · B_t A_t = U_r Σ_r V_rᵀ, the best rank-r approximation of the residual W − dequant(Q_t)
 * in the Frobenius norm (Eckart & Young 1936), and ‖W − dequant(Q_t) − scale · B_t A_t‖_F =
 * √(Σ_{i>r} σ_i²). The paper writes W ≈ Q + A Bᵀ with no scale and splits √σ_i evenly between
 * its two factors (equation (2)); PEFT's `_low_rank_decomposition` does the same (lora_B = U √S,
 * lora_A = √S Vᵀ) and does not divide by the LoRA scaling, so its adapter adds scale · U_r Σ_r V_rᵀ,
 * which is the paper's correction only when scale = 1. Here both factors are
 * divided by √scale so that the adapter adds exactly the paper's correction for any α / r.
 *
 * Differences from PEFT's 4-bit path, which calls bitsandbytes with `compress_statistics=False`:
 * this quantizes with double quantization (compress_statistics=True), the base format of the
 * course's QLoRA trainer, and computes W − dequant(Q_t) and the SVD in float64 (A and B are
 * rounded to float32 once). The quantization step rounds to nearest with absmax scales; it is not
 * the minimiser of ‖W − scale · B A − Q‖ over all NF4 weights, so the paper's alternating steps do
 * not guarantee that residualNorms decrease. What holds at every step is that the SVD step is the
 * best rank-r correction of its own Q_t: residualNorms[t] ≤ ‖W − dequant(Q_t) − scale · B_{t−1} A_{t−1}‖_F.
 *
 * Throws a RangeError for a bad shape, a W of the wrong length or with NaN/±Infinity, a rank
 * outside 1 … min(out, in), iterations outside 1 … LOFTQ_MAX_ITERATIONS, a scale that is not a
 * finite number > 0, or a bad block size.
 */
export function loftqInit(w: Float32Array, shape: readonly [number, number], o: LoftQOptions): LoftQResult {
  const { out, inn, iterations } = checkInputs(w, shape, o);
  const step = { out, inn, rank: o.rank, scale: o.scale, blockSize: o.blockSize ?? DEFAULT_BLOCK_SIZE, dqBlockSize: o.dqBlockSize ?? DEFAULT_DQ_BLOCK_SIZE };
  const residualNorms: number[] = [];
  const quantizationErrorNorms: number[] = [];
  // Step 1 starts from A_0 = B_0 = 0: Q_1 = NF4(W), plain QLoRA's base.
  let input = w;
  let s = loftqStep(w, input, step);
  for (let t = 1; ; t++) {
    residualNorms.push(s.residualNorm);
    quantizationErrorNorms.push(s.quantizationErrorNorm);
    if (t === iterations) break;
    input = subtractLowRank(w, s.B, s.A, step);
    s = loftqStep(w, input, step);
  }
  return { q: s.q, dequantized: s.dequantized, quantizerInput: input === w ? w.slice() : input, A: s.A, B: s.B, residualNorms, quantizationErrorNorms };
}

interface StepShape {
  out: number;
  inn: number;
  rank: number;
  scale: number;
  blockSize: number;
  dqBlockSize: number;
}

/** W − scale · B A, rounded to float32 (the quantizer's input). */
function subtractLowRank(w: Float32Array, B: Float32Array, A: Float32Array, { out, inn, rank, scale }: StepShape): Float32Array {
  const target = new Float32Array(out * inn);
  for (let i = 0; i < out; i++) {
    for (let j = 0; j < inn; j++) {
      let ba = 0;
      for (let k = 0; k < rank; k++) ba += B[i * rank + k] * A[k * inn + j];
      target[i * inn + j] = w[i * inn + j] - scale * ba;
    }
  }
  return target;
}

/** One alternating step: Q = NF4(target), then A, B from the rank-r SVD of W − dequant(Q). */
function loftqStep(w: Float32Array, target: Float32Array, o: StepShape) {
  const { out, inn, rank, scale } = o;
  const q = quantizeNF4Weight(target, o.blockSize, o.dqBlockSize);
  const dequantized = dequantizeNF4Weight(q);
  const residual = new Float64Array(out * inn);
  let q2 = 0;
  for (let i = 0; i < residual.length; i++) {
    residual[i] = w[i] - dequantized[i];
    q2 += residual[i] * residual[i];
  }
  const { s, u, v } = svd(residual, out, inn, { vectors: true });
  if (!u || !v) throw new Error('svd returned no singular vectors');
  const k = s.length;
  const A = new Float32Array(rank * inn);
  const B = new Float32Array(out * rank);
  for (let c = 0; c < rank; c++) {
    const root = Math.sqrt(s[c] / scale);
    for (let i = 0; i < out; i++) B[i * rank + c] = u[i * k + c] * root;
    for (let j = 0; j < inn; j++) A[c * inn + j] = root * v[j * k + c];
  }
  return {
    q,
    dequantized,
    A,
    B,
    quantizationErrorNorm: Math.sqrt(q2),
    residualNorm: lowRankResidualNorm(residual, B, A, out, inn, rank, scale),
  };
}
