/**
 * Comparisons of 4-bit formats for the lesson widgets: level sets, blockwise absmax error, block-size
 * sweeps, the cost of double quantization, and a shoot-out of every 4-bit (and one 8-bit) format the
 * course teaches. Pure functions over small CPU tensors (up to ~64K elements). Every error figure is
 * measured on a real quantize -> dequantize round trip through the format's own functions
 * (four-bit.ts, gguf.ts, microscaling.ts, per-channel.ts); formulas per docs/numerics.md.
 *
 * Bad input: every function throws a RangeError whose message a widget can show as it is — for an
 * empty tensor and for NaN or ±Infinity (naming the position). An all-zero tensor is fine: every
 * format reproduces it exactly (mse 0, and sqnrDb = Infinity, as lib/quant/metrics' sqnrDb for zero
 * noise).
 */
import { roundToFormat } from '../formats';
import { computeQParams, dequantizeAffine, quantizeAffine, roundHalfEven, type QuantOptions } from './affine';
import {
  DEFAULT_BLOCK_SIZE,
  DEFAULT_DQ_BLOCK_SIZE,
  NF4_CODE,
  dequantize4bit,
  dequantizeAbsmax,
  doubleQuantizeAbsmax,
  fourBitBitsPerParameter,
  quantize4bit,
  type FourBitType,
} from './four-bit';
import { GGUF_BLOCK_VALUES, dequantizeGGUF, quantizeGGUF, type GGUFType } from './gguf';
import { sqnrDb } from './metrics';
import {
  E2M1_MAX,
  E2M1_VALUES,
  dequantizeMXFP4,
  dequantizeNVFP4,
  e2m1Code,
  packE2M1,
  quantizeMXFP4,
  quantizeNVFP4,
} from './microscaling';
import { dequantizeGroupwise, quantizeGroupwise } from './per-channel';

const f = Math.fround;

/** The three 4-bit level sets of the "which 16 levels?" comparison. */
export type LevelKind = 'nf4' | 'int4' | 'e2m1';

/**
 * Throws a RangeError a learner can read when x cannot be quantized: empty, or holding NaN or
 * ±Infinity (the first offender is named, counting from 0).
 */
export function checkCompareInput(x: Float32Array): void {
  if (x.length === 0) throw new RangeError('The tensor is empty: there is nothing to quantize. Add at least one number.');
  for (let i = 0; i < x.length; i++) {
    const v = x[i];
    if (v - v !== 0) {
      throw new RangeError(`Value number ${i} (counting from 0) is ${v}. Quantization needs ordinary finite numbers: replace NaN and Infinity values and try again.`);
    }
  }
}

function checkBlockSize(blockSize: number, name = 'blockSize'): void {
  if (!Number.isInteger(blockSize) || blockSize < 1) throw new RangeError(`The ${name} must be a positive whole number, got ${blockSize}.`);
}

/** Error of a reconstruction y of x; see {@link formatShootout} for the overflow rule. */
interface ErrorStats {
  mse: number;
  maxAbsErr: number;
  sqnrDb: number;
  overflowed: boolean;
}

/**
 * mse = (1/n) Σ (x_i - y_i)^2 and maxAbsErr = max |x_i - y_i| (float64 sums), sqnrDb from
 * lib/quant/metrics. If any y_i is not finite (a stored fp16 constant overflowed), the error is
 * reported as infinite (mse = maxAbsErr = Infinity, sqnrDb = -Infinity, overflowed = true) rather
 * than skipped.
 */
function errorStats(x: Float32Array, y: Float32Array): ErrorStats {
  let s = 0, m = 0;
  for (let i = 0; i < x.length; i++) {
    const d = x[i] - y[i];
    if (d - d !== 0) return { mse: Infinity, maxAbsErr: Infinity, sqnrDb: -Infinity, overflowed: true };
    s += d * d;
    const a = Math.abs(d);
    if (a > m) m = a;
  }
  return { mse: s / x.length, maxAbsErr: m, sqnrDb: sqnrDb(x, y), overflowed: false };
}

// ---------------------------------------------------------------------------------------------
// Level sets
// ---------------------------------------------------------------------------------------------

export interface LevelSets {
  /** NF4_CODE (docs/numerics.md): 16 levels, float32 values. */
  nf4: number[];
  /** INT4 symmetric with absmax scaling: k/7 for k = -7..7 (15 levels). */
  int4: number[];
  /** OCP E2M1 values / 6: ±{0, 0.5, 1, 1.5, 2, 3, 4, 6}/6 (15 distinct levels, ±0 merged). */
  e2m1: number[];
}

/**
 * The levels each 4-bit format can hit once a block is scaled to absmax 1, all in [-1, 1],
 * ascending and deduplicated: NF4 = NF4_CODE; INT4 = k/7, k = -7..7 (absmax scaling: a code
 * q = roundHalfEven(x * 7 / absmax) clamped to [-7, 7]; the 16th code, -8, is unused); E2M1 = the
 * OCP E2M1 values divided by 6 (E2M1_VALUES / 6, -0 and +0 merged). Fresh arrays on every call.
 */
export function levelSets(): LevelSets {
  const uniqueSorted = (v: number[]) => [...new Set(v.map((a) => (a === 0 ? 0 : a)))].sort((a, b) => a - b);
  return {
    nf4: uniqueSorted(Array.from(NF4_CODE)),
    int4: uniqueSorted(Array.from({ length: 15 }, (_, i) => (i - 7) / 7)),
    e2m1: uniqueSorted(Array.from(E2M1_VALUES, (v) => v / E2M1_MAX)),
  };
}

export interface LevelMseResult {
  mse: number;
  maxAbsErr: number;
  dequantized: Float32Array;
}

/**
 * Blockwise absmax quantization of x to one level set, nearest level, then back (blocks of
 * `blockSize`, default 64, the last may be partial; absmax = max |x| of the block, float32):
 * - 'nf4': exactly bitsandbytes' NF4 (quantize4bit / dequantize4bit, docs/numerics.md).
 * - 'int4': q = clamp(roundHalfEven(x * fround(7 / absmax)), -7, 7) with the product in float32,
 *   x' = q * fround(absmax / 7) in float32.
 * - 'e2m1': code = E2M1 round-to-nearest-even (ties to the even mantissa, saturating at ±6) of
 *   fround(x * fround(6 / absmax)), x' = e2m1 value * fround(absmax / 6) in float32.
 * A block with absmax 0 reconstructs as 0. Returns mse = mean (x - x')^2 (float64 sum), the largest
 * |x - x'|, and x'.
 *
 * @throws RangeError for empty or non-finite x, a bad blockSize, or an unknown kind.
 */
export function levelMse(x: Float32Array, kind: LevelKind, blockSize = DEFAULT_BLOCK_SIZE): LevelMseResult {
  checkCompareInput(x);
  checkBlockSize(blockSize);
  let y: Float32Array;
  if (kind === 'nf4') {
    const q = quantize4bit(x, { type: 'nf4', blockSize });
    y = dequantize4bit(q.packed, q.absmax, { type: 'nf4', blockSize, length: x.length });
  } else if (kind === 'int4' || kind === 'e2m1') {
    const top = kind === 'int4' ? 7 : E2M1_MAX;
    y = new Float32Array(x.length);
    for (let start = 0; start < x.length; start += blockSize) {
      const end = Math.min(x.length, start + blockSize);
      let amax = 0;
      for (let i = start; i < end; i++) amax = Math.max(amax, Math.abs(x[i]));
      if (amax === 0) continue; // y stays 0
      const inv = f(top / amax), step = f(amax / top);
      for (let i = start; i < end; i++) {
        const s = f(x[i] * inv);
        const level = kind === 'int4' ? Math.max(-7, Math.min(7, roundHalfEven(s))) : E2M1_VALUES[e2m1Code(s)];
        y[i] = level * step;
      }
    }
  } else {
    throw new RangeError(`kind must be 'nf4', 'int4' or 'e2m1', got ${String(kind)}`);
  }
  const e = errorStats(x, y);
  return { mse: e.mse, maxAbsErr: e.maxAbsErr, dequantized: y };
}

// ---------------------------------------------------------------------------------------------
// Blockwise reports
// ---------------------------------------------------------------------------------------------

export interface BlockAbsmaxReport {
  blockSize: number;
  /** max |x| per block (float32), as quantize4bit stores it. */
  absmax: Float32Array;
  /** Mean squared error of each block after the 4-bit round trip (float64). */
  blockMse: Float64Array;
  /** Mean squared error over the whole tensor. */
  mse: number;
}

function fourBitRoundTrip(x: Float32Array, type: FourBitType, blockSize: number, doubleQuant: boolean): { absmax: Float32Array; y: Float32Array; absmaxUsed: Float32Array } {
  const q = quantize4bit(x, { type, blockSize });
  // bitsandbytes computes the codes with the exact absmax and only then compresses the constants.
  const absmaxUsed = doubleQuant ? dequantizeAbsmax(doubleQuantizeAbsmax(q.absmax)) : q.absmax;
  const y = dequantize4bit(q.packed, absmaxUsed, { type, blockSize, length: x.length });
  return { absmax: q.absmax, y, absmaxUsed };
}

/**
 * Per-block view of 4-bit blockwise quantization (bitsandbytes semantics, docs/numerics.md): each block's
 * absmax, each block's MSE after quantize4bit -> dequantize4bit (no double quantization), and the
 * overall MSE. Shows how one large value inflates its block's absmax and error.
 *
 * @throws RangeError for empty or non-finite x, or a bad blockSize / type.
 */
export function blockAbsmaxReport(x: Float32Array, blockSize: number, type: FourBitType = 'nf4'): BlockAbsmaxReport {
  checkCompareInput(x);
  checkBlockSize(blockSize);
  const { absmax, y } = fourBitRoundTrip(x, type, blockSize, false);
  const blockMse = new Float64Array(absmax.length);
  let total = 0;
  for (let b = 0; b < absmax.length; b++) {
    const start = b * blockSize, end = Math.min(x.length, start + blockSize);
    let s = 0;
    for (let i = start; i < end; i++) {
      const d = x[i] - y[i];
      s += d * d;
    }
    blockMse[b] = s / (end - start);
    total += s;
  }
  return { blockSize, absmax, blockMse, mse: total / x.length };
}

export interface BlockSizeSweepRow {
  blockSize: number;
  /** MSE with float32 absmax constants. */
  mse: number;
  /** 4 + 32 / blockSize: one float32 absmax per block (fourBitBitsPerParameter(blockSize, false)). */
  bitsPerParameter: number;
  /** fourBitBitsPerParameter(blockSize, true): 4 + 8/B + 32/(256 B). */
  bitsPerParameterDQ: number;
  /** MSE when the absmax constants are double-quantized (dequantized absmax used to decode). */
  mseDQ: number;
}

/** The block sizes of the sweep: 32 to 4096, doubling. */
export const SWEEP_BLOCK_SIZES: readonly number[] = [32, 64, 128, 256, 512, 1024, 2048, 4096];

/**
 * For each block size B: the 4-bit round-trip MSE without and with double quantization, and the
 * matching bits per parameter (docs/numerics.md: 4 + 32/B, or 4 + 8/B + 32/(256 B) with DQ). Block sizes
 * larger than the tensor give one (partial) block.
 *
 * @throws RangeError for empty or non-finite x, an empty list, or a size that is not a positive
 *   whole number.
 */
export function blockSizeSweep(x: Float32Array, sizes: readonly number[] = SWEEP_BLOCK_SIZES, type: FourBitType = 'nf4'): BlockSizeSweepRow[] {
  checkCompareInput(x);
  if (sizes.length === 0) throw new RangeError('Pick at least one block size.');
  for (const b of sizes) checkBlockSize(b, 'block size');
  return sizes.map((blockSize) => ({
    blockSize,
    mse: errorStats(x, fourBitRoundTrip(x, type, blockSize, false).y).mse,
    bitsPerParameter: fourBitBitsPerParameter(blockSize, false),
    bitsPerParameterDQ: fourBitBitsPerParameter(blockSize, true),
    mseDQ: errorStats(x, fourBitRoundTrip(x, type, blockSize, true).y).mse,
  }));
}

export interface DoubleQuantReport {
  blockSize: number;
  /** Number of absmax constants (4-bit blocks): ceil(n / blockSize). */
  blocks: number;
  /** Bytes of the constants without DQ: 4 per block (float32). */
  constantsBytes: number;
  /** Bytes with DQ: 1 per block + 4 per 256 blocks (float32 absmax2) + 4 for the offset. */
  constantsBytesDQ: number;
  /** Bits per parameter spent on constants without DQ: 32 / blockSize (0.5 at 64). */
  bitsOverhead: number;
  /** With DQ: 8/blockSize + 32/(256 blockSize) (0.126953125 at 64; the per-tensor offset is not spread). */
  bitsOverheadDQ: number;
  /** NF4 round-trip MSE with float32 absmax. */
  mse: number;
  /** NF4 round-trip MSE decoding with the double-quantized-then-dequantized absmax. */
  mseDQ: number;
  /** max over blocks with absmax > 0 of |absmax' - absmax| / absmax (0 when there is none). */
  absmaxMaxRelErr: number;
}

/**
 * What QLoRA's double quantization buys and costs (docs/numerics.md: 0.5 vs 0.127 bits per parameter at
 * block 64): NF4 blocks of `blockSize`, then the absmax constants double-quantized with blocks of 256
 * (doubleQuantizeAbsmax) and decoded back (dequantizeAbsmax). Overheads come from
 * fourBitBitsPerParameter; byte counts from the real arrays the quantizers return.
 *
 * @throws RangeError for empty or non-finite x or a bad blockSize.
 */
export function doubleQuantReport(x: Float32Array, blockSize = DEFAULT_BLOCK_SIZE): DoubleQuantReport {
  checkCompareInput(x);
  checkBlockSize(blockSize);
  const q = quantize4bit(x, { type: 'nf4', blockSize });
  const dq = doubleQuantizeAbsmax(q.absmax, DEFAULT_DQ_BLOCK_SIZE);
  const absmaxDQ = dequantizeAbsmax(dq, DEFAULT_DQ_BLOCK_SIZE);
  const y = dequantize4bit(q.packed, q.absmax, { type: 'nf4', blockSize, length: x.length });
  const yDQ = dequantize4bit(q.packed, absmaxDQ, { type: 'nf4', blockSize, length: x.length });
  let rel = 0;
  for (let b = 0; b < q.absmax.length; b++) {
    if (q.absmax[b] > 0) rel = Math.max(rel, Math.abs(absmaxDQ[b] - q.absmax[b]) / q.absmax[b]);
  }
  return {
    blockSize,
    blocks: q.absmax.length,
    constantsBytes: q.absmax.byteLength,
    constantsBytesDQ: dq.codes.byteLength + dq.absmax2.byteLength + 4,
    bitsOverhead: fourBitBitsPerParameter(blockSize, false) - 4,
    bitsOverheadDQ: fourBitBitsPerParameter(blockSize, true) - 4,
    mse: errorStats(x, y).mse,
    mseDQ: errorStats(x, yDQ).mse,
    absmaxMaxRelErr: rel,
  };
}

// ---------------------------------------------------------------------------------------------
// The shoot-out
// ---------------------------------------------------------------------------------------------

export type ShootoutFormat = 'int4-group' | 'nf4' | 'fp4' | 'mxfp4' | 'nvfp4' | 'q4_0' | 'q4_1' | 'q8_0';

export interface ShootoutRow {
  format: ShootoutFormat;
  /** Learner-facing name, e.g. "INT4, groups of 64", "NF4 + double quant", "GGUF Q4_0". */
  label: string;
  /** Every stored bit divided by the number of weights (codes, padding and all constants). */
  bitsPerWeight: number;
  mse: number;
  /** 10 log10(Σx² / Σ(x - x')²); Infinity when the reconstruction is exact (e.g. an all-zero tensor). */
  sqnrDb: number;
  maxAbsErr: number;
  /** True when a stored fp16 constant overflowed (values beyond fp16's range): the error is then Infinity. */
  overflowed: boolean;
}

/** Weights the shoot-out widget and the lesson's figures quantize: 16,384 seeded values, every format on the same ones. */
export const SHOOTOUT_WEIGHTS = 16384;

/** Default group size of the INT4 row (GPTQ/AWQ's usual 128 is also common; 64 matches NF4's blocks). */
export const SHOOTOUT_GROUP_SIZE = 64;

const INT4_UNSIGNED_AFFINE: QuantOptions = { bits: 4, signed: false, symmetric: false };

/**
 * INT4 group-wise: unsigned 4-bit affine per run of g consecutive values with PyTorch's min/max
 * observer (computeQParams, docs/numerics.md "Affine"): full groups through quantizeGroupwise on a
 * [1, g * floor(n/g)] view, a partial last group through the same per-tensor functions. Codes use the
 * float32 scale; the scale is then STORED as fp16 (as GPTQ/AWQ checkpoints do) and decoding uses the
 * fp16 value, so the error includes that rounding. Cost: 4 bits per code (two codes a byte) plus
 * 16 (fp16 scale) + 4 (4-bit zero point) bits per group.
 */
function int4GroupRoundTrip(x: Float32Array, g: number): { y: Float32Array; bits: number } {
  const n = x.length;
  const full = n - (n % g);
  const y = new Float32Array(n);
  let groups = 0;
  if (full > 0) {
    const q = quantizeGroupwise(x.subarray(0, full), [1, full], { ...INT4_UNSIGNED_AFFINE, groupSize: g });
    const scale16 = q.scale.map((s) => roundToFormat('fp16', s));
    y.set(dequantizeGroupwise(q.q, [1, full], scale16, q.zeroPoint, g));
    groups += q.scale.length;
  }
  if (full < n) {
    const tail = x.subarray(full);
    let lo = Infinity, hi = -Infinity;
    for (const v of tail) { lo = Math.min(lo, v); hi = Math.max(hi, v); }
    const p = computeQParams(lo, hi, INT4_UNSIGNED_AFFINE);
    const q = quantizeAffine(tail, p.scale, p.zeroPoint, p.qmin, p.qmax);
    y.set(dequantizeAffine(q, roundToFormat('fp16', p.scale), p.zeroPoint), full);
    groups++;
  }
  return { y, bits: 8 * Math.ceil(n / 2) + groups * (16 + 4) };
}

/**
 * ggml blocks need a multiple of 32 values (ggml asserts it). A tensor of another length is padded to
 * whole blocks by repeating its last value, which leaves every block's d / m unchanged (the block
 * max, min and first largest magnitude stay the same), so the real values get exactly the codes they
 * would get; the padding's bytes are counted in the cost.
 */
function ggufRoundTrip(x: Float32Array, type: GGUFType): { y: Float32Array; bits: number } {
  const n = x.length;
  const padded = Math.ceil(n / GGUF_BLOCK_VALUES) * GGUF_BLOCK_VALUES;
  let src = x;
  if (padded !== n) {
    src = new Float32Array(padded);
    src.set(x);
    src.fill(x[n - 1], n);
  }
  const bytes = quantizeGGUF(type, src);
  return { y: dequantizeGGUF(type, bytes, padded).subarray(0, n), bits: 8 * bytes.length };
}

/** bitsandbytes NF4/FP4, block 64, double-quantized constants; decoded with the dequantized absmax. */
function fourBitDQRoundTrip(x: Float32Array, type: FourBitType): { y: Float32Array; bits: number } {
  const q = quantize4bit(x, { type, blockSize: DEFAULT_BLOCK_SIZE });
  const dq = doubleQuantizeAbsmax(q.absmax, DEFAULT_DQ_BLOCK_SIZE);
  const y = dequantize4bit(q.packed, dequantizeAbsmax(dq, DEFAULT_DQ_BLOCK_SIZE), { type, blockSize: DEFAULT_BLOCK_SIZE, length: x.length });
  // packed codes + one byte per absmax + float32 absmax2 per 256 + the float32 offset
  return { y, bits: 8 * (q.packed.byteLength + dq.codes.byteLength + dq.absmax2.byteLength) + 32 };
}

/**
 * Every 4-bit format of the course (and GGUF Q8_0 as the 8-bit yardstick) on the same tensor, each
 * through its real quantize -> dequantize round trip:
 * - 'int4-group' "INT4, groups of g": unsigned 4-bit affine per group of g (default 64), PyTorch
 *   observer semantics, fp16 scale + 4-bit zero point per group: 4 + 20/g bits (4.3125 at 64).
 * - 'nf4' "NF4 + double quant" and 'fp4' "FP4 (bitsandbytes) + double quant": bitsandbytes, block 64,
 *   double-quantized absmax: 4 + 8/64 + 32/(64*256) = 4.127 bits (fourBitBitsPerParameter) plus 32/n
 *   for the float32 offset.
 * - 'mxfp4' "MXFP4": OCP MX, 4.25 bits; 'nvfp4' "NVFP4": 4.5 + 32/n bits (microscalingBitsPerWeight).
 * - 'q4_0' / 'q4_1' / 'q8_0' "GGUF Q4_0" etc.: ggml blocks of 32, 4.5 / 5 / 8.5 bits (ggufBlockInfo).
 * bitsPerWeight is counted from the arrays each quantizer actually returns (codes packed two a byte,
 * scales, per-tensor constants, and any padding of a partial block), divided by n — so it equals the
 * nominal figures above whenever n is a multiple of the block sizes. mse / maxAbsErr / sqnrDb compare
 * the dequantized float32 tensor with x; see ShootoutRow for the overflow and all-zero conventions.
 *
 * @throws RangeError for empty or non-finite x (a learner-readable message) or a bad groupSize.
 */
export function formatShootout(x: Float32Array, o: { groupSize?: number } = {}): ShootoutRow[] {
  checkCompareInput(x);
  const g = o.groupSize ?? SHOOTOUT_GROUP_SIZE;
  checkBlockSize(g, 'group size');
  const n = x.length;
  const rows: ShootoutRow[] = [];
  const add = (format: ShootoutFormat, label: string, r: { y: Float32Array; bits: number }) => {
    rows.push({ format, label, bitsPerWeight: r.bits / n, ...errorStats(x, r.y) });
  };
  add('int4-group', `INT4, groups of ${g}`, int4GroupRoundTrip(x, g));
  add('nf4', 'NF4 + double quant', fourBitDQRoundTrip(x, 'nf4'));
  add('fp4', 'FP4 (bitsandbytes) + double quant', fourBitDQRoundTrip(x, 'fp4'));
  const mx = quantizeMXFP4(x);
  add('mxfp4', 'MXFP4', { y: dequantizeMXFP4(mx, n), bits: 8 * (packE2M1(mx.codes).byteLength + mx.scales.byteLength) });
  const nv = quantizeNVFP4(x);
  add('nvfp4', 'NVFP4', { y: dequantizeNVFP4(nv, n), bits: 8 * (packE2M1(nv.codes).byteLength + nv.blockScales.byteLength) + 32 });
  add('q4_0', 'GGUF Q4_0', ggufRoundTrip(x, 'q4_0'));
  add('q4_1', 'GGUF Q4_1', ggufRoundTrip(x, 'q4_1'));
  add('q8_0', 'GGUF Q8_0', ggufRoundTrip(x, 'q8_0'));
  return rows;
}


/**
 * The shoot-out's efficient frontier: the rows that no other row beats on both counts, i.e. there is
 * no row with bitsPerWeight ≤ and mse ≤ and at least one of them strictly smaller. Ascending in
 * bits per weight. Rows with a non-finite mse (an overflowed fp16 constant) are never on it.
 */
export function shootoutFrontier(rows: readonly ShootoutRow[]): ShootoutRow[] {
  const ok = rows.filter((r) => Number.isFinite(r.mse));
  return ok
    .filter((r) => !ok.some((o) => o !== r && o.bitsPerWeight <= r.bitsPerWeight && o.mse <= r.mse && (o.bitsPerWeight < r.bitsPerWeight || o.mse < r.mse)))
    .sort((a, b) => a.bitsPerWeight - b.bitsPerWeight);
}
