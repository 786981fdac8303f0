/**
 * GGUF block quantization (llama.cpp / ggml) — the reference formats Q8_0, Q4_0 and Q4_1, byte for
 * byte. Source: docs/numerics.md "GGUF blocks" (ggml `ggml-quants.c` `quantize_row_q8_0_ref`,
 * `quantize_row_q4_0_ref`, `quantize_row_q4_1_ref`, `dequantize_row_*`; block structs in
 * `ggml-common.h`). Pure and framework-free.
 *
 * Every block holds 32 values. Codes are computed with the float32 scale d exactly as the C code does
 * (each float operation rounded to float32 with Math.fround); d (and Q4_1's min m) is then stored as
 * IEEE fp16, little-endian, at the start of the block (docs/numerics.md "Floats": round to nearest, ties
 * to even, overflow to inf). Dequantization uses the fp16-decoded d and m, as ggml does.
 *
 * Where the C reference has undefined behaviour we pick a defined one and say so:
 * - non-finite inputs (NaN, ±Infinity) throw a RangeError;
 * - if 1/d overflows float32 (|d| < 2^-128, a block of values below about 2^-121), id is taken as 0,
 *   as for an all-zero block. fp16(d) is 0 for such blocks anyway, so every value dequantizes to 0.
 */
import { decodeFloat, encodeFloat } from '../formats';

/** The ggml block types implemented here. */
export type GGUFType = 'q8_0' | 'q4_0' | 'q4_1';

/** Values per block: QK8_0 = QK4_0 = QK4_1 = 32 (ggml-common.h). */
export const GGUF_BLOCK_VALUES = 32;

/** Layout constants of a block type; see {@link ggufBlockInfo}. */
export interface GGUFBlockInfo {
  blockValues: 32;
  blockBytes: number;
  bitsPerWeight: number;
}

const BLOCK_BYTES: Record<GGUFType, number> = {
  q8_0: 2 + 32, // {fp16 d; int8 qs[32]}
  q4_0: 2 + 16, // {fp16 d; u8 qs[16]}
  q4_1: 2 + 2 + 16, // {fp16 d; fp16 m; u8 qs[16]}
};

/**
 * Block layout: bytes per block of 32 values and bits per weight = 8 * blockBytes / 32
 * (docs/numerics.md "GGUF blocks"): q8_0 34 bytes, 8.5 bpw; q4_0 18 bytes, 4.5 bpw; q4_1 20 bytes, 5.0 bpw.
 *
 * @throws RangeError for an unknown type.
 */
export function ggufBlockInfo(type: GGUFType): GGUFBlockInfo {
  const blockBytes = blockBytesOf(type);
  return { blockValues: GGUF_BLOCK_VALUES, blockBytes, bitsPerWeight: (8 * blockBytes) / GGUF_BLOCK_VALUES };
}

/** C `roundf`: rounds half away from zero (2.5 -> 3, -2.5 -> -3), unlike torch.round. */
export function roundHalfAway(x: number): number {
  return Math.sign(x) * Math.floor(Math.abs(x) + 0.5);
}

/**
 * Quantizes `x` into ggml blocks (one block per 32 values, blocks back to back), formulas per
 * docs/numerics.md "GGUF blocks", all in float32, id = d ? 1/d : 0:
 * - q8_0: d = amax/127, q = roundf(x*id) (half away from zero), stored as int8.
 * - q4_0: m = the value of largest |x| with its sign (the first on ties), d = m / -8,
 *   q = min(15, trunc(x*id + 8.5)). An all-zero block has d = 0 / -8 = -0, stored as fp16 0x8000.
 * - q4_1: d = (max - min)/15, q = min(15, trunc((x - min)*id + 0.5)); min is stored as fp16 m.
 * 4-bit codes are packed qs[j] = q[j] | q[j+16] << 4 for j < 16 (low nibble: first half of the block).
 *
 * @throws RangeError if x.length is not a multiple of 32 (ggml asserts k % 32 == 0) or x holds NaN
 *   or ±Infinity.
 */
export function quantizeGGUF(type: GGUFType, x: Float32Array): Uint8Array {
  const blockBytes = blockBytesOf(type);
  checkLength(x.length);
  for (let i = 0; i < x.length; i++) {
    if (!Number.isFinite(x[i])) throw new RangeError(`GGUF quantization needs finite values; x[${i}] is ${x[i]}`);
  }
  const nb = x.length / GGUF_BLOCK_VALUES;
  const out = new Uint8Array(nb * blockBytes);
  for (let b = 0; b < nb; b++) {
    const block = x.subarray(b * GGUF_BLOCK_VALUES, (b + 1) * GGUF_BLOCK_VALUES);
    const o = b * blockBytes;
    if (type === 'q8_0') quantizeQ8_0(block, out, o);
    else if (type === 'q4_0') quantizeQ4_0(block, out, o);
    else quantizeQ4_1(block, out, o);
  }
  return out;
}

/**
 * Decodes ggml blocks back to float32 with the fp16-decoded d (and m), as `dequantize_row_*`:
 * q8_0: x' = q*d; q4_0: x' = (q - 8)*d; q4_1: x' = q*d + m (product, then sum, each in float32).
 *
 * @throws RangeError if length is not a non-negative multiple of 32 or bytes.length is not exactly
 *   (length / 32) * blockBytes.
 */
export function dequantizeGGUF(type: GGUFType, bytes: Uint8Array, length: number): Float32Array {
  const blockBytes = blockBytesOf(type);
  checkLength(length);
  const nb = length / GGUF_BLOCK_VALUES;
  if (bytes.length !== nb * blockBytes) {
    throw new RangeError(`${type}: ${length} values need ${nb * blockBytes} bytes (${nb} blocks of ${blockBytes}), got ${bytes.length}`);
  }
  const f = Math.fround;
  const out = new Float32Array(length);
  for (let b = 0; b < nb; b++) {
    const o = b * blockBytes;
    const y = b * GGUF_BLOCK_VALUES;
    const d = readFp16(bytes, o);
    if (type === 'q8_0') {
      for (let j = 0; j < 32; j++) out[y + j] = f(((bytes[o + 2 + j] << 24) >> 24) * d);
    } else if (type === 'q4_0') {
      for (let j = 0; j < 16; j++) {
        const byte = bytes[o + 2 + j];
        out[y + j] = f(((byte & 0x0f) - 8) * d);
        out[y + j + 16] = f(((byte >> 4) - 8) * d);
      }
    } else {
      const m = readFp16(bytes, o + 2);
      for (let j = 0; j < 16; j++) {
        const byte = bytes[o + 4 + j];
        out[y + j] = f(f((byte & 0x0f) * d) + m);
        out[y + j + 16] = f(f((byte >> 4) * d) + m);
      }
    }
  }
  return out;
}

function blockBytesOf(type: GGUFType): number {
  const n = (BLOCK_BYTES as Partial<Record<string, number>>)[type];
  if (n === undefined) throw new RangeError(`unknown GGUF type ${String(type)}; expected q8_0, q4_0 or q4_1`);
  return n;
}

function checkLength(length: number): void {
  if (!Number.isInteger(length) || length < 0 || length % GGUF_BLOCK_VALUES !== 0) {
    throw new RangeError(`GGUF blocks hold ${GGUF_BLOCK_VALUES} values: length must be a multiple of ${GGUF_BLOCK_VALUES} (ggml asserts k % 32 == 0), got ${length}`);
  }
}

/** id = d ? 1/d : 0 in float32; 0 also when 1/d overflows (undefined behaviour in C, see header). */
function inverse(d: number): number {
  if (d === 0) return 0;
  const id = Math.fround(1 / d);
  return Number.isFinite(id) ? id : 0;
}

function writeFp16(out: Uint8Array, offset: number, value: number): void {
  const bits = encodeFloat('fp16', value);
  out[offset] = bits & 0xff;
  out[offset + 1] = bits >> 8;
}

function readFp16(bytes: Uint8Array, offset: number): number {
  return decodeFloat('fp16', bytes[offset] | (bytes[offset + 1] << 8));
}

/** (int8_t)v for the in-range values the Q4 formulas produce: truncation toward zero. */
function truncToInt(v: number): number {
  return Math.trunc(v);
}

function quantizeQ8_0(x: Float32Array, out: Uint8Array, o: number): void {
  const f = Math.fround;
  let amax = 0;
  for (let j = 0; j < 32; j++) amax = Math.max(amax, Math.abs(x[j]));
  const d = f(amax / 127);
  const id = inverse(d);
  writeFp16(out, o, d);
  for (let j = 0; j < 32; j++) out[o + 2 + j] = roundHalfAway(f(x[j] * id)) & 0xff;
}

function quantizeQ4_0(x: Float32Array, out: Uint8Array, o: number): void {
  const f = Math.fround;
  let amax = 0;
  let max = 0;
  for (let j = 0; j < 32; j++) {
    const a = Math.abs(x[j]);
    if (amax < a) { amax = a; max = x[j]; }
  }
  const d = f(max / -8); // max = 0 gives -0, as in C
  const id = inverse(d);
  writeFp16(out, o, d);
  for (let j = 0; j < 16; j++) {
    const q0 = Math.min(15, truncToInt(f(f(x[j] * id) + 8.5)));
    const q1 = Math.min(15, truncToInt(f(f(x[j + 16] * id) + 8.5)));
    out[o + 2 + j] = q0 | (q1 << 4);
  }
}

function quantizeQ4_1(x: Float32Array, out: Uint8Array, o: number): void {
  const f = Math.fround;
  let min = Infinity;
  let max = -Infinity;
  for (let j = 0; j < 32; j++) {
    if (x[j] < min) min = x[j];
    if (x[j] > max) max = x[j];
  }
  const d = f(f(max - min) / 15);
  const id = inverse(d);
  writeFp16(out, o, d);
  writeFp16(out, o + 2, min);
  for (let j = 0; j < 16; j++) {
    const q0 = Math.min(15, truncToInt(f(f(f(x[j] - min) * id) + 0.5)));
    const q1 = Math.min(15, truncToInt(f(f(f(x[j + 16] - min) * id) + 0.5)));
    out[o + 4 + j] = q0 | (q1 << 4);
  }
}
