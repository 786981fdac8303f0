/**
 * What every storage format of a Linear weight provides (the entries of lib/quant/weight-formats.ts'
 * table), and the packing helpers the formats share. Layout rules: docs/numerics.md, "Memory"
 * (storage formats of a Linear weight).
 *
 * Every code lives in 32-bit words, as the GPU reads it (WGSL storage buffers hold 32-bit elements
 * and tfjs has no 8- or 16-bit dtype); the words are an Int32Array, the type tfjs uploads. Element k
 * of a word sits in its low bits first (little-endian order, as GPTQ packs its int32 `qweight`).
 */
import type { MatrixShape } from '../per-channel';
import type { WeightTensorCase } from './selftest-tensors';

/** One buffer of a stored weight: its name and size in bytes. */
export interface LayoutPart {
  name: string;
  bytes: number;
}

/** The buffers of a weight, from the layout rules alone. */
export interface FormatLayout {
  /** The buffers, in the order the device receives them (words rounded up). */
  buffers: LayoutPart[];
  /** Per-tensor scalars handed to the kernel as uniforms (NF4's float32 offset), in bytes. */
  scalarBytes: number;
}

/**
 * One storage format: `F` is its name, `W` the stored weight it produces ({ format: F, shape, ... }).
 */
export interface WeightFormatSpec<F extends string, W extends { format: string; shape: MatrixShape }> {
  readonly format: F;
  /** Learner-facing name in the quantized-inference lesson and on /gpu/: 'INT8, per channel'. */
  readonly label: string;
  /** Short name in the memory figures (lib/memory): 'INT8'. */
  readonly shortLabel: string;
  /** Codes (weights) per 32-bit word of its main buffer: 1 (fp32), 2 (16-bit), 4 (8-bit), 8 (4-bit). */
  readonly codesPerWord: number;
  /**
   * Bits per weight in the memory figures (lib/memory `bitsPerParameter`, docs/numerics.md
   * "Memory"): the layout's bits for a large weight, less the buffers in `uncountedInMemory`.
   * INT8 and INT4 model sizes are quoted for the codes alone; NF4 + DQ's 4.127 counts its constants.
   */
  readonly bitsPerWeight: number;
  /** Layout buffers (per-row or per-group scales and zero points) the memory figure leaves out. */
  readonly uncountedInMemory: readonly string[];
  /** The layout of a [rows, cols] weight (shape already checked). */
  layout(shape: MatrixShape): FormatLayout;
  /** Bytes of each array the stored weight holds, as uploaded, in the order of `layout`'s buffers. */
  bufferBytes(w: W): number[];
  /** Stores finite values of a checked [rows, cols] shape (lib/quant/weight-formats checks both). */
  quantize(x: Float32Array, shape: MatrixShape): W;
  /** The CPU reference of the format's unpack kernel, read back from the packed words. */
  dequantize(w: W): Float32Array;
  /** The seeded weights the /gpu/ self-test stores in this format (lib/model/weight-format-selftest). */
  readonly selfTest: readonly WeightTensorCase[];
}

/** Bytes of n float32 (or 32-bit word) values. */
export const f32Bytes = (n: number) => 4 * n;

/** Packs integer codes `bits` wide (4 or 8), 32 / bits per word, element k of a word in its low bits first. */
export function packCodes(q: Int32Array, bits: 4 | 8): Int32Array {
  const per = 32 / bits;
  const mask = (1 << bits) - 1;
  const words = new Int32Array(Math.ceil(q.length / per));
  for (let i = 0; i < q.length; i++) words[(i / per) | 0] |= (q[i] & mask) << (bits * (i % per));
  return words;
}

/** Half code i (fp16 or bf16) of packed words: bits 16(i mod 2) .. +15 of word floor(i / 2). */
export function halfCodeAt(words: Int32Array, i: number): number {
  return (words[i >> 1] >>> (16 * (i & 1))) & 0xffff;
}

/** Signed 8-bit code i of packed words: byte i mod 4 of word floor(i / 4), sign-extended. */
export function int8CodeAt(words: Int32Array, i: number): number {
  return (words[i >> 2] << (24 - 8 * (i & 3))) >> 24;
}

/** Unsigned 4-bit code i of packed words: bits 4(i mod 8) .. +3 of word floor(i / 8). */
export function int4CodeAt(words: Int32Array, i: number): number {
  return (words[i >> 3] >>> (4 * (i & 7))) & 15;
}
