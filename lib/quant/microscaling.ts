/**
 * Microscaling 4-bit formats: OCP MXFP4 and NVIDIA NVFP4. Both store FP4 E2M1 elements
 * (docs/numerics.md "Floats": ±{0, 0.5, 1, 1.5, 2, 3, 4, 6}, round to nearest even, saturating at ±6)
 * with one shared scale per small block; they differ in the block size and in how the scale is
 * stored.
 *
 * - MXFP4 (OCP Microscaling Formats (MX) Specification v1.0, section 6.3): 32 elements per block,
 *   one E8M0 scale (a bare power of two) per block.
 * - NVFP4 (NVIDIA Transformer Engine / TensorRT Model Optimizer): 16 elements per block, one
 *   FP8 E4M3 scale per block and one FP32 scale per tensor.
 *
 * Element codes are the E2M1 bit patterns 0..15 (sign bit 8, then exponent and mantissa bits), the
 * same codes as `encodeFloat('fp4-e2m1', v)` in lib/formats. Arithmetic that the GPU kernels do in
 * float32 is rounded to float32 with Math.fround.
 */
import { decodeFloat, encodeFloat } from '../formats';
import { pow2 } from '../formats/pow2';

const f = Math.fround;

/** Elements per MXFP4 block (OCP MX v1.0, table 1: k = 32). */
export const MXFP4_BLOCK = 32;
/** Elements per NVFP4 block (Transformer Engine `NVFP4_SCALE_DIM = 16`). */
export const NVFP4_BLOCK = 16;

/** Largest E2M1 magnitude (docs/numerics.md "Floats": fp4 E2M1 max finite 6). */
export const E2M1_MAX = 6;
/** emax of the E2M1 element (OCP MX v1.0 table 1): 6 = 1.5 * 2^2, so emax_elem = 2. */
export const E2M1_EMAX = 2;
/** Largest finite FP8 E4M3 value (docs/numerics.md "Floats": 448 = 0x7E). */
export const E4M3_MAX = 448;
/** Largest finite float32, 3.4028235e38 (docs/numerics.md "Floats"); CUDA's FLT_MAX. */
const FLT_MAX = 3.4028234663852886e38;

/**
 * Value of each E2M1 code 0..15 (docs/numerics.md "Floats"): code = sign * 8 + exponent * 2 + mantissa;
 * value = (-1)^sign * 2^(e - 1) * (1 + m/2) for e > 0 and (-1)^sign * 0.5 * m for e = 0, i.e.
 * [0, 0.5, 1, 1.5, 2, 3, 4, 6, -0, -0.5, -1, -1.5, -2, -3, -4, -6]. Derived from lib/formats'
 * decoder, not typed in.
 */
export const E2M1_VALUES: Float32Array = Float32Array.from({ length: 16 }, (_, c) => decodeFloat('fp4-e2m1', c));

/** Value of each FP8 E4M3 byte (NaN for 0x7F and 0xFF), from lib/formats' decoder. */
const E4M3_VALUES: Float64Array = Float64Array.from({ length: 256 }, (_, b) => decodeFloat('fp8-e4m3', b));

/**
 * E2M1 code of a number, rounding to nearest with ties to even and saturating to ±6 (docs/numerics.md
 * "Floats"; OCP MX v1.0 section 5.3.3 conversion with saturation). On the magnitude a:
 * a <= 0.25 -> 0; < 0.75 -> 0.5; <= 1.25 -> 1; < 1.75 -> 1.5; <= 2.5 -> 2; < 3.5 -> 3; <= 5 -> 4;
 * else 6 — a tie (0.25, 0.75, 1.25, 1.75, 2.5, 3.5, 5) goes to the code with an even mantissa bit,
 * e.g. 2.5 -> 2, 3.5 -> 4, 0.25 -> 0. The sign bit is set for negative values and -0 (as
 * `encodeFloat('fp4-e2m1', v)`, which this agrees with for every finite float32 v). The caller
 * passes finite values; this is the fast path the quantizers use per element.
 */
export function e2m1Code(v: number): number {
  const sign = v < 0 || Object.is(v, -0) ? 8 : 0;
  const a = Math.abs(v);
  let m: number;
  if (a <= 0.25) m = 0;
  else if (a < 0.75) m = 1;
  else if (a <= 1.25) m = 2;
  else if (a < 1.75) m = 3;
  else if (a <= 2.5) m = 4;
  else if (a < 3.5) m = 5;
  else if (a <= 5) m = 6;
  else m = 7;
  return sign | m;
}

// ---------------------------------------------------------------------------------------------
// E8M0
// ---------------------------------------------------------------------------------------------

/** Bias of the E8M0 scale (OCP MX v1.0 section 5.4.1): value = 2^(byte - 127). */
export const E8M0_BIAS = 127;
/** The E8M0 NaN byte (OCP MX v1.0 section 5.4.1): 0xFF. */
export const E8M0_NAN = 0xff;
/** Smallest and largest exponent an E8M0 scale holds: 2^-127 (byte 0) to 2^127 (byte 254). */
export const E8M0_MIN_EXP = -127;
export const E8M0_MAX_EXP = 127;

/**
 * E8M0 byte of the scale 2^exponent (OCP MX v1.0 section 5.4.1): byte = exponent + 127, for a whole
 * exponent in [-127, 127] (bytes 0..254; 0xFF is reserved for NaN).
 *
 * @throws RangeError for an exponent outside [-127, 127] or not a whole number.
 */
export function encodeE8M0(exponent: number): number {
  if (!Number.isInteger(exponent) || exponent < E8M0_MIN_EXP || exponent > E8M0_MAX_EXP) {
    throw new RangeError(`an E8M0 scale holds 2^e for whole e from ${E8M0_MIN_EXP} to ${E8M0_MAX_EXP}, got e = ${exponent}`);
  }
  return exponent + E8M0_BIAS;
}

/**
 * Value of an E8M0 byte (OCP MX v1.0 section 5.4.1): 2^(byte - 127) for bytes 0..254 (exact), NaN for
 * 0xFF.
 *
 * @throws RangeError unless byte is a whole number in [0, 255].
 */
export function decodeE8M0(byte: number): number {
  if (!Number.isInteger(byte) || byte < 0 || byte > 255) throw new RangeError(`E8M0 bytes are whole numbers from 0 to 255, got ${byte}`);
  return E8M0_VALUES[byte];
}

/** 2^(b - 127) for b = 0..254 (exact, by lib/formats/pow2) and NaN for 0xFF. */
const E8M0_VALUES: Float64Array = Float64Array.from({ length: 256 }, (_, b) => (b === E8M0_NAN ? NaN : pow2(b - E8M0_BIAS)));

const scratch = new DataView(new ArrayBuffer(8));

/** floor(log2 a) for a finite a > 0, read exactly from the float64 exponent field (a frexp). */
function floorLog2(a: number): number {
  scratch.setFloat64(0, a);
  const biased = (scratch.getUint32(0) >>> 20) & 0x7ff;
  if (biased === 0) return floorLog2(a * pow2(64)) - 64; // float64 subnormal (not reached for float32 input)
  return biased - 1023;
}

// ---------------------------------------------------------------------------------------------
// Shared helpers
// ---------------------------------------------------------------------------------------------

function checkFinite(x: Float32Array, fn: string, format: string): void {
  for (let i = 0; i < x.length; i++) {
    const v = x[i];
    if (v - v !== 0) throw new RangeError(`${fn}: x[${i}] is ${v}; ${format} quantization needs finite values`);
  }
}

function checkLength(length: number): void {
  if (!Number.isInteger(length) || length < 0) throw new RangeError(`length must be a non-negative whole number, got ${length}`);
}

function checkCodes(codes: Uint8Array, length: number): void {
  if (codes.length < length) throw new RangeError(`codes has ${codes.length} entries, ${length} needed`);
  for (let i = 0; i < length; i++) {
    if (codes[i] > 15) throw new RangeError(`codes[${i}] is ${codes[i]}; E2M1 codes are 0..15 (unpack packed bytes with unpackE2M1 first)`);
  }
}

/**
 * Packs E2M1 codes (0..15) two per byte, the FIRST element in the LOW nibble:
 * packed[j] = codes[2j] | codes[2j+1] << 4, as NVIDIA's fp4x2 E2M1 storage type
 * (`__nv_fp4x2_e2m1`, CUDA cuda_fp4.h) and the MXFP4/NVFP4 packers of TensorRT Model Optimizer and
 * Transformer Engine (`cast_to_fp4x2`). An odd length pads the last high nibble with 0. Note this
 * is the opposite nibble order from bitsandbytes' NF4 packing (first element high, docs/numerics.md).
 *
 * @throws RangeError for a code above 15.
 */
export function packE2M1(codes: Uint8Array): Uint8Array {
  checkCodes(codes, codes.length);
  const out = new Uint8Array(Math.ceil(codes.length / 2));
  for (let i = 0; i < codes.length; i++) out[i >> 1] |= (i & 1) === 0 ? codes[i] : codes[i] << 4;
  return out;
}

/**
 * Inverse of packE2M1: codes[2j] = packed[j] & 15, codes[2j+1] = packed[j] >> 4, for `length` codes.
 *
 * @throws RangeError if packed holds fewer than ceil(length / 2) bytes.
 */
export function unpackE2M1(packed: Uint8Array, length: number): Uint8Array {
  checkLength(length);
  if (packed.length < Math.ceil(length / 2)) throw new RangeError(`packed has ${packed.length} bytes, ${Math.ceil(length / 2)} needed for ${length} codes`);
  const out = new Uint8Array(length);
  for (let i = 0; i < length; i++) out[i] = (i & 1) === 0 ? packed[i >> 1] & 15 : packed[i >> 1] >> 4;
  return out;
}

// ---------------------------------------------------------------------------------------------
// MXFP4
// ---------------------------------------------------------------------------------------------

/** An MXFP4 tensor: one E2M1 code per element (unpacked; see packE2M1) and one E8M0 byte per block of 32. */
export interface MXFP4Quantized {
  /** One 4-bit E2M1 code per element, 0..15. */
  codes: Uint8Array;
  /** One E8M0 byte per block of 32 elements (the last block may be partial): scale 2^(byte - 127). */
  scales: Uint8Array;
}

/**
 * MXFP4 quantization, OCP Microscaling Formats (MX) Specification v1.0, section 6.3: for each block
 * of 32 values V (the last block may be partial),
 *
 *   shared_exp = floor(log2(max_i |V_i|)) - emax_elem      (emax_elem = 2 for E2M1)
 *   shared_exp clamped to the E8M0 range [-127, 127];  X = 2^shared_exp;  scale byte = shared_exp + 127
 *   P_i = E2M1(V_i / X)                                    (round to nearest even, saturating to ±6)
 *
 * V_i / X is exact (X is a power of two). The floor rule puts the block max in [4, 8) * X, so values
 * with |V/X| in (6, 8) clip to ±6: up to about 25% of the block max can be cut (a block whose max is
 * 7.9 gets X = 1 and 7.9 -> 6). TensorRT Model Optimizer's `MXFP4QTensor` instead takes
 * ceil(log2(amax / 6)), which never clips but can waste a binade; this function follows the spec.
 * An all-zero block gets the smallest scale (exponent -127, byte 0) and codes 0.
 *
 * @throws RangeError naming the index of the first NaN or ±Infinity (as quantize4bit does).
 */
export function quantizeMXFP4(x: Float32Array): MXFP4Quantized {
  checkFinite(x, 'quantizeMXFP4', 'MXFP4');
  const n = x.length;
  const nBlocks = Math.ceil(n / MXFP4_BLOCK);
  const codes = new Uint8Array(n);
  const scales = new Uint8Array(nBlocks);
  for (let b = 0; b < nBlocks; b++) {
    const start = b * MXFP4_BLOCK, end = Math.min(n, start + MXFP4_BLOCK);
    let amax = 0;
    for (let i = start; i < end; i++) {
      const a = Math.abs(x[i]);
      if (a > amax) amax = a;
    }
    if (amax === 0) {
      scales[b] = encodeE8M0(E8M0_MIN_EXP); // codes stay 0
      continue;
    }
    const sharedExp = Math.min(E8M0_MAX_EXP, Math.max(E8M0_MIN_EXP, floorLog2(amax) - E2M1_EMAX));
    scales[b] = encodeE8M0(sharedExp);
    const inv = pow2(-sharedExp); // exact: 1/X
    for (let i = start; i < end; i++) codes[i] = e2m1Code(x[i] * inv);
  }
  return { codes, scales };
}

/**
 * Inverse of quantizeMXFP4 (OCP MX v1.0 section 6.3): x'_i = E2M1 value(codes[i]) * 2^(scales[b] - 127)
 * with b = floor(i / 32), stored as float32 (exact for every finite result). A NaN scale byte (0xFF)
 * makes its whole block NaN, as the spec says.
 *
 * @throws RangeError if codes or scales are too short for `length`, or a code exceeds 15.
 */
export function dequantizeMXFP4(q: MXFP4Quantized, length: number): Float32Array {
  checkLength(length);
  checkCodes(q.codes, length);
  const nBlocks = Math.ceil(length / MXFP4_BLOCK);
  if (q.scales.length < nBlocks) throw new RangeError(`scales has ${q.scales.length} bytes, ${nBlocks} needed for ${length} values in blocks of ${MXFP4_BLOCK}`);
  const out = new Float32Array(length);
  for (let i = 0; i < length; i++) out[i] = E2M1_VALUES[q.codes[i]] * E8M0_VALUES[q.scales[(i / MXFP4_BLOCK) | 0]];
  return out;
}

// ---------------------------------------------------------------------------------------------
// NVFP4
// ---------------------------------------------------------------------------------------------

/** An NVFP4 tensor: E2M1 codes, one E4M3 byte per block of 16 and one FP32 per-tensor decode scale. */
export interface NVFP4Quantized {
  /** One 4-bit E2M1 code per element, 0..15. */
  codes: Uint8Array;
  /** One FP8 E4M3 byte per block of 16 elements (the last block may be partial): the block's decode scale. */
  blockScales: Uint8Array;
  /**
   * The FP32 per-tensor DECODE scale, 1 / S_enc in float32 (Transformer Engine's
   * `global_decode_scale`; ModelOpt stores the nearly equal amax / (6 * 448) as
   * `weights_scaling_factor_2`). x' = e2m1 * (e4m3(blockScale) * tensorScale).
   */
  tensorScale: number;
  /** max |x| of the tensor, float32 (what Transformer Engine keeps as `amax`). */
  globalAmax: number;
}

/**
 * NVFP4 quantization with two-level scaling, in float32 step by step as Transformer Engine's
 * reference quantizer (`NVFP4QuantizerRef._quantize_blockwise_reference`,
 * transformer_engine/pytorch/experimental) and its CUDA kernels (`core_nvfp4.cuh`:
 * `compute_global_encode_scaling_factor_FP4`, `compute_scaling_coefficient`); ModelOpt's
 * `NVFP4QTensor` uses the same formulas with amax / (6 * 448) as its per-tensor scale:
 *
 *   globalAmax = max |x|
 *   S_enc      = min(448 * 6 / globalAmax, FLT_MAX), or 1 when globalAmax is 0
 *   S_dec      = 1 / S_enc                                  (returned as tensorScale)
 *   per block b of 16 (the last may be partial):
 *     S_dec_b  = (blockAmax / 6) * S_enc, clamped to 448, stored as E4M3 (round to nearest even)
 *     enc_b    = min(1 / (e4m3(S_dec_b) * S_dec), FLT_MAX)
 *     code_i   = E2M1(x_i * enc_b)                          (round to nearest even, saturating to ±6)
 *
 * The block max maps to about 6 * (S_dec_b / e4m3(S_dec_b)); when E4M3 rounds the scale down, the
 * block max overshoots 6 and saturates. A block whose E4M3 scale is 0 (an all-zero block, or one so
 * much smaller than the tensor max that S_dec_b underflows E4M3's 2^-9) gets codes 0: Transformer
 * Engine would scale by FLT_MAX and store saturated codes there, which decode to 0 all the same.
 *
 * @throws RangeError naming the index of the first NaN or ±Infinity.
 */
export function quantizeNVFP4(x: Float32Array): NVFP4Quantized {
  checkFinite(x, 'quantizeNVFP4', 'NVFP4');
  const n = x.length;
  let globalAmax = 0;
  for (let i = 0; i < n; i++) {
    const a = Math.abs(x[i]);
    if (a > globalAmax) globalAmax = a;
  }
  const fp4Max = E2M1_MAX, fp8Max = E4M3_MAX;
  let sEnc = globalAmax === 0 ? 1 : Math.min(f(f(fp8Max * fp4Max) / globalAmax), FLT_MAX);
  if (sEnc === 0) sEnc = 1;
  const sDec = f(1 / sEnc);
  const nBlocks = Math.ceil(n / NVFP4_BLOCK);
  const codes = new Uint8Array(n);
  const blockScales = new Uint8Array(nBlocks);
  for (let b = 0; b < nBlocks; b++) {
    const start = b * NVFP4_BLOCK, end = Math.min(n, start + NVFP4_BLOCK);
    let amax = 0;
    for (let i = start; i < end; i++) {
      const a = Math.abs(x[i]);
      if (a > amax) amax = a;
    }
    const decodeScale = Math.min(f(f(amax / fp4Max) * sEnc), fp8Max);
    const byte = encodeFloat('fp8-e4m3', decodeScale);
    blockScales[b] = byte;
    const stored = E4M3_VALUES[byte];
    if (stored === 0) continue; // codes stay 0
    const enc = Math.min(f(1 / f(stored * sDec)), FLT_MAX);
    for (let i = start; i < end; i++) codes[i] = e2m1Code(f(x[i] * enc));
  }
  return { codes, blockScales, tensorScale: sDec, globalAmax };
}

/**
 * Inverse of quantizeNVFP4: x'_i = E2M1 value(codes[i]) * (e4m3(blockScales[b]) * tensorScale), with
 * b = floor(i / 16), each product in float32 (ModelOpt `NVFP4QTensor.dequantize`: per_block_scale =
 * scale * double_scale, then data * per_block_scale). A NaN E4M3 byte (0x7F, 0xFF) gives NaN.
 *
 * @throws RangeError if codes or blockScales are too short for `length`, a code exceeds 15, or
 *   tensorScale is not a finite number.
 */
export function dequantizeNVFP4(q: Pick<NVFP4Quantized, 'codes' | 'blockScales' | 'tensorScale'>, length: number): Float32Array {
  checkLength(length);
  checkCodes(q.codes, length);
  const nBlocks = Math.ceil(length / NVFP4_BLOCK);
  if (q.blockScales.length < nBlocks) throw new RangeError(`blockScales has ${q.blockScales.length} bytes, ${nBlocks} needed for ${length} values in blocks of ${NVFP4_BLOCK}`);
  if (!Number.isFinite(q.tensorScale)) throw new RangeError(`tensorScale must be a finite number, got ${q.tensorScale}`);
  const out = new Float32Array(length);
  for (let b = 0; b < nBlocks; b++) {
    const scale = f(E4M3_VALUES[q.blockScales[b]] * q.tensorScale);
    const end = Math.min(length, (b + 1) * NVFP4_BLOCK);
    for (let i = b * NVFP4_BLOCK; i < end; i++) out[i] = E2M1_VALUES[q.codes[i]] * scale;
  }
  return out;
}

/**
 * Storage cost per weight of a microscaling format, counting every stored bit: 4 bits of E2M1 code
 * plus the block scale shared by the block,
 *   MXFP4: 4 + 8/32 = 4.25 (one E8M0 byte per 32 elements);
 *   NVFP4: 4 + 8/16 = 4.5 (one E4M3 byte per 16 elements), plus 32/n for the FP32 per-tensor scale
 *          when the tensor size n is given (e.g. n = 1024: 4.53125).
 * n does not change MXFP4's cost (it has no per-tensor constant).
 *
 * @throws RangeError for an unknown format or an n that is not a positive whole number.
 */
export function microscalingBitsPerWeight(format: 'mxfp4' | 'nvfp4', n?: number): number {
  if (n !== undefined && (!Number.isInteger(n) || n < 1)) throw new RangeError(`n must be a positive whole number, got ${n}`);
  if (format === 'mxfp4') return 4 + 8 / MXFP4_BLOCK;
  if (format === 'nvfp4') return 4 + 8 / NVFP4_BLOCK + (n === undefined ? 0 : 32 / n);
  throw new RangeError(`format must be 'mxfp4' or 'nvfp4', got ${String(format)}`);
}
