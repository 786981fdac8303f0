/**
 * A QLoRA base weight as it is stored: NF4 codes packed two a byte plus double-quantized absmax
 * constants (QLoRA, Dettmers et al. 2023, section 3; bitsandbytes `quantize_4bit(quant_type='nf4',
 * compress_statistics=True)`). Formulas: docs/numerics.md "4-bit blockwise (bitsandbytes,
 * QLoRA)". This is the CPU reference of the GPU kernel in lib/compute/kernels/nf4.ts and the
 * layout it uploads: the bytes regrouped into 32-bit words, since WGSL storage buffers hold
 * 32-bit elements and tfjs has no 8-bit dtype.
 */
import {
  DEFAULT_BLOCK_SIZE,
  DEFAULT_DQ_BLOCK_SIZE,
  dequantize4bit,
  dequantizeAbsmax,
  doubleQuantizeAbsmax,
  quantize4bit,
  type DoubleQuantizedAbsmax,
} from './four-bit';

export interface NF4Weight {
  /** Number of weights. */
  length: number;
  /** Weights per absmax block (64 in QLoRA). */
  blockSize: number;
  /** absmax constants per double-quantization block (256 in QLoRA). */
  dqBlockSize: number;
  /** NF4 codes, two a byte, the first element in the high nibble: ceil(length / 2) bytes. */
  packed: Uint8Array;
  /** The absmax constants, double-quantized: one byte each plus absmax2 and the offset. */
  absmax: DoubleQuantizedAbsmax;
}

/**
 * Quantizes x to NF4 with double quantization: quantize4bit(x, nf4, blockSize), then
 * doubleQuantizeAbsmax(absmax, dqBlockSize). Throws the RangeError of quantize4bit for NaN/±Inf.
 */
export function quantizeNF4Weight(x: Float32Array, blockSize = DEFAULT_BLOCK_SIZE, dqBlockSize = DEFAULT_DQ_BLOCK_SIZE): NF4Weight {
  const { packed, absmax } = quantize4bit(x, { type: 'nf4', blockSize });
  return { length: x.length, blockSize, dqBlockSize, packed, absmax: doubleQuantizeAbsmax(absmax, dqBlockSize) };
}

/**
 * The reference dequantization: absmax'[b] = dynamic[code_b] * absmax2[floor(b / dqBlockSize)] + offset
 * (float32), then w'[i] = NF4[idx_i] * absmax'[floor(i / blockSize)] (float32).
 */
export function dequantizeNF4Weight(w: NF4Weight): Float32Array {
  const absmax = dequantizeAbsmax(w.absmax, w.dqBlockSize);
  return dequantize4bit(w.packed, absmax, { type: 'nf4', blockSize: w.blockSize, length: w.length });
}

/**
 * Bytes regrouped into little-endian 32-bit words: word k = b[4k] | b[4k+1] << 8 | b[4k+2] << 16 |
 * b[4k+3] << 24, the last word zero-padded. Byte j is then bits 8(j mod 4) .. 8(j mod 4)+7 of word
 * floor(j / 4), whatever the platform's byte order. Returned as Int32Array (the same bits), the
 * type tfjs can upload.
 */
export function bytesToWords(bytes: Uint8Array): Int32Array {
  const words = new Int32Array(Math.ceil(bytes.length / 4));
  for (let j = 0; j < bytes.length; j++) words[j >> 2] |= bytes[j] << (8 * (j & 3));
  return words;
}

/** Sizes in bytes of the parts of an NF4Weight once uploaded as 32-bit words. */
export interface NF4DeviceLayout {
  /** NF4 codes: ceil(length / 8) words. */
  codes: number;
  /** The 8-bit absmax codes: ceil(blocks / 4) words. */
  absmaxCodes: number;
  /** absmax2: one float32 per dqBlockSize blocks. */
  absmax2: number;
  /** Whole device footprint of the quantized weight (the lookup tables are shared and not counted). */
  total: number;
}

/** Device bytes of a weight of `length` values: 4 * (ceil(n/8) + ceil(B/4) + ceil(B/dq)), B = ceil(n/blockSize). */
export function nf4DeviceLayout(length: number, blockSize = DEFAULT_BLOCK_SIZE, dqBlockSize = DEFAULT_DQ_BLOCK_SIZE): NF4DeviceLayout {
  const blocks = Math.ceil(length / blockSize);
  const codes = 4 * Math.ceil(length / 8);
  const absmaxCodes = 4 * Math.ceil(blocks / 4);
  const absmax2 = 4 * Math.ceil(blocks / dqBlockSize);
  return { codes, absmaxCodes, absmax2, total: codes + absmaxCodes + absmax2 };
}
