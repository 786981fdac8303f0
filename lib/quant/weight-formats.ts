/**
 * Storage formats of a Linear weight [out, in] for the quantized-inference lesson (issue 6): how
 * each format stores the weight, byte for byte, and the CPU reference of its dequantization — the
 * oracle of the WGSL unpacking kernels in lib/compute/kernels/unpack.ts (docs/design.md rule 3).
 * Formulas: docs/numerics.md "Floats", "Affine (integer) quantization", "4-bit blockwise".
 *
 * Every code lives in 32-bit words, as the GPU reads it (WGSL storage buffers hold 32-bit elements
 * and tfjs has no 8- or 16-bit dtype); the words are an Int32Array, the type tfjs uploads. Element k
 * of a word sits in its low bits first (little-endian order, as GPTQ packs its int32 `qweight`):
 *
 * - 'fp32': the float32 values themselves, 4 bytes per weight.
 * - 'fp16': IEEE binary16 codes (round to nearest even from float32, lib/formats `encodeFloat`), two
 *   per word, element 2k in bits 0-15 and 2k+1 in bits 16-31: ceil(n/2) words.
 * - 'bf16': bfloat16 codes, PyTorch's rounding (bits = (u + 0x7FFF + ((u >> 16) & 1)) >> 16, which
 *   `encodeFloat('bf16', ·)` implements), packed as fp16.
 * - 'int8-channel': signed 8-bit symmetric, one float32 scale per output channel (row), PyTorch's
 *   per-channel observer (lib/quant `quantizePerChannel`, axis 0: scale = max(eps, amax / 127.5),
 *   zp = 0). Four two's-complement codes per word, element 4k+j in bits 8j..8j+7: ceil(n/4) words
 *   plus `rows` float32 scales. x' = scale[row] * q.
 * - 'int4-group64': unsigned 4-bit affine per group of 64 consecutive inputs along a row
 *   (lib/quant `quantizeGroupwise`, min/max observer: scale = max(eps, (hi - lo) / 15),
 *   zp = clamp(-round(lo / scale), 0, 15)). When 64 does not divide the row, its last group holds
 *   the remaining cols mod 64 inputs (the same observer over that shorter run). Eight codes per
 *   word, element 8k+j in bits 4j..4j+3: ceil(n/8) words; then one float32 scale per group and the
 *   4-bit zero points packed eight per word the same way (as GPTQ packs `qzeros`). Per weight:
 *   4 + (32 + 4) / 64 = 4.5625 bits. x' = scale[g] * (q - zp[g]).
 * - 'nf4-dq': bitsandbytes NF4 with double-quantized constants, blocks of 64 and 256, exactly as
 *   lib/quant/qlora-weight.ts stores it (codes two a byte, high nibble first, regrouped into words).
 *
 * Bits per weight are measured from these buffers (`storedBytes`), padding included; scalars that
 * travel as kernel uniforms (NF4's float32 offset) count too. Format-wide code books (the NF4 and
 * dynamic-code tables) are the format's, not the tensor's, and are not counted.
 */
import { decodeFloat, encodeFloat } from '../formats/float';
import { quantizeGroupwise, quantizePerChannel, type MatrixShape } from './per-channel';
import { dequantizeNF4Weight, nf4DeviceLayout, quantizeNF4Weight, type NF4Weight } from './qlora-weight';

/** The storage formats of the quantized-inference lesson (lib/model/weights.ts `WeightFormat`). */
export type StorageFormat = 'fp32' | 'fp16' | 'bf16' | 'int8-channel' | 'int4-group64' | 'nf4-dq';

export const STORAGE_FORMATS: readonly StorageFormat[] = ['fp32', 'fp16', 'bf16', 'int8-channel', 'int4-group64', 'nf4-dq'];

/** Inputs per group of 'int4-group64'. */
export const INT4_GROUP_SIZE = 64;

/** Codes per 32-bit word for the packed formats. */
export const CODES_PER_WORD = { fp16: 2, bf16: 2, 'int8-channel': 4, 'int4-group64': 8 } as const;

export type StoredWeight =
  | { format: 'fp32'; shape: MatrixShape; values: Float32Array }
  | { format: 'fp16' | 'bf16'; shape: MatrixShape; words: Int32Array }
  | { format: 'int8-channel'; shape: MatrixShape; words: Int32Array; scale: Float32Array }
  | {
    format: 'int4-group64';
    shape: MatrixShape;
    words: Int32Array;
    /** Groups per row: ceil(cols / 64); group g of row r is index r * groupsPerRow + g. */
    groupsPerRow: number;
    scale: Float32Array;
    /** 4-bit zero points, eight per word, group 8k+j in bits 4j..4j+3. */
    zeroWords: Int32Array;
  }
  | { format: 'nf4-dq'; shape: MatrixShape; nf4: NF4Weight };

/** One buffer of a stored weight: its name and size in bytes. */
export interface LayoutPart {
  name: string;
  bytes: number;
}

/** What a weight of a given format and shape occupies, computed from the layout rules alone. */
export interface WeightLayout {
  /** The buffers, in the order the device receives them. */
  buffers: LayoutPart[];
  /** Per-tensor scalars handed to the kernel as uniforms (NF4's float32 offset), in bytes. */
  scalarBytes: number;
  /** buffers + scalarBytes. */
  total: number;
  /** 8 * total / weights. */
  bitsPerWeight: number;
}

const f32 = (n: number) => 4 * n;

function checkMatrix(length: number, shape: readonly number[]): MatrixShape {
  if (shape.length !== 2) throw new RangeError(`a stored weight must be a 2-D matrix [out, in], got shape [${shape.join(', ')}]`);
  const [rows, cols] = shape;
  if (!Number.isSafeInteger(rows) || !Number.isSafeInteger(cols) || rows <= 0 || cols <= 0) {
    throw new RangeError(`shape must be two positive whole numbers [out, in], got [${rows}, ${cols}]`);
  }
  if (rows * cols !== length) throw new RangeError(`shape [${rows}, ${cols}] needs ${rows * cols} values, got ${length}`);
  return [rows, cols];
}

function checkFormat(format: string): asserts format is StorageFormat {
  if (!(STORAGE_FORMATS as readonly string[]).includes(format)) throw new RangeError(`unknown weight format "${format}"; use one of ${STORAGE_FORMATS.join(', ')}`);
}

/** The layout of a [rows, cols] weight in `format`: buffer sizes in bytes (words rounded up). */
export function weightLayout(format: StorageFormat, shape: readonly number[]): WeightLayout {
  checkFormat(format);
  const [rows, cols] = checkMatrix(shape[0] * shape[1], shape);
  const n = rows * cols;
  let buffers: LayoutPart[];
  let scalarBytes = 0;
  switch (format) {
    case 'fp32':
      buffers = [{ name: 'values', bytes: f32(n) }];
      break;
    case 'fp16':
    case 'bf16':
      buffers = [{ name: 'codes', bytes: f32(Math.ceil(n / 2)) }];
      break;
    case 'int8-channel':
      buffers = [{ name: 'codes', bytes: f32(Math.ceil(n / 4)) }, { name: 'scales', bytes: f32(rows) }];
      break;
    case 'int4-group64': {
      const groups = rows * Math.ceil(cols / INT4_GROUP_SIZE);
      buffers = [
        { name: 'codes', bytes: f32(Math.ceil(n / 8)) },
        { name: 'scales', bytes: f32(groups) },
        { name: 'zero points', bytes: f32(Math.ceil(groups / 8)) },
      ];
      break;
    }
    case 'nf4-dq': {
      const l = nf4DeviceLayout(n);
      buffers = [{ name: 'codes', bytes: l.codes }, { name: 'absmax codes', bytes: l.absmaxCodes }, { name: 'absmax2', bytes: l.absmax2 }];
      scalarBytes = 4;
      break;
    }
  }
  const total = buffers.reduce((s, b) => s + b.bytes, 0) + scalarBytes;
  return { buffers, scalarBytes, total, bitsPerWeight: (8 * total) / n };
}

/** Bytes of the stored representation's own arrays (words, scales, ...) plus its uniform scalars. */
export function storedBytes(w: StoredWeight): number {
  switch (w.format) {
    case 'fp32': return w.values.byteLength;
    case 'fp16':
    case 'bf16': return w.words.byteLength;
    case 'int8-channel': return w.words.byteLength + w.scale.byteLength;
    case 'int4-group64': return w.words.byteLength + w.scale.byteLength + w.zeroWords.byteLength;
    case 'nf4-dq':
      // As uploaded: codes and absmax codes regrouped into whole words, absmax2, the offset.
      return 4 * Math.ceil(w.nf4.packed.length / 4) + 4 * Math.ceil(w.nf4.absmax.codes.length / 4) + w.nf4.absmax.absmax2.byteLength + 4;
  }
}

function checkFinite(x: Float32Array, format: StorageFormat): void {
  for (let i = 0; i < x.length; i++) {
    const v = x[i];
    if (v - v !== 0) throw new RangeError(`value ${i} of the weight is ${v}; only finite weights can be stored in ${format}`);
  }
}

const HALF_INF = { fp16: 0x7c00, bf16: 0x7f80 } as const;
const HALF_MAX = { fp16: 65504, bf16: 3.3895313892515355e38 } as const;

function packHalves(x: Float32Array, format: 'fp16' | 'bf16'): Int32Array {
  const words = new Int32Array(Math.ceil(x.length / 2));
  for (let i = 0; i < x.length; i++) {
    const code = encodeFloat(format, x[i]);
    if ((code & 0x7fff) === HALF_INF[format]) {
      throw new RangeError(`value ${i} of the weight, ${x[i]}, is beyond ${format}'s largest finite value ${HALF_MAX[format]} and would become infinity`);
    }
    words[i >> 1] |= code << (16 * (i & 1));
  }
  return words;
}

/** Packs integer codes `bits` wide (4 or 8), 32 / bits per word, element k of a word in its low bits first. */
function packCodes(q: Int32Array, bits: 4 | 8): Int32Array {
  const per = 32 / bits;
  const mask = (1 << bits) - 1;
  const words = new Int32Array(Math.ceil(q.length / per));
  for (let i = 0; i < q.length; i++) words[(i / per) | 0] |= (q[i] & mask) << (bits * (i % per));
  return words;
}

/** Copies columns [from, to) of a row-major [rows, cols] matrix. */
function columns(x: Float32Array, rows: number, cols: number, from: number, to: number): Float32Array {
  const w = to - from;
  const out = new Float32Array(rows * w);
  for (let r = 0; r < rows; r++) out.set(x.subarray(r * cols + from, r * cols + to), r * w);
  return out;
}

function quantizeInt4Groups(x: Float32Array, [rows, cols]: MatrixShape): StoredWeight {
  const G = INT4_GROUP_SIZE;
  const groupsPerRow = Math.ceil(cols / G);
  const fullCols = Math.floor(cols / G) * G;
  const codes = new Int32Array(x.length);
  const scale = new Float32Array(rows * groupsPerRow);
  const zp = new Int32Array(rows * groupsPerRow);
  const o = { bits: 4, signed: false, symmetric: false };
  // Whole groups of 64 (lib/quant quantizeGroupwise), then the shorter last group of each row.
  const parts: [number, number][] = [];
  if (fullCols > 0) parts.push([0, fullCols]);
  if (fullCols < cols) parts.push([fullCols, cols]);
  for (const [from, to] of parts) {
    const w = to - from;
    const group = Math.min(G, w);
    const perRow = w / group;
    const part = w === cols ? x : columns(x, rows, cols, from, to);
    const r = quantizeGroupwise(part, [rows, w], { ...o, groupSize: group });
    for (let row = 0; row < rows; row++) {
      codes.set(r.q.subarray(row * w, (row + 1) * w), row * cols + from);
      for (let g = 0; g < perRow; g++) {
        scale[row * groupsPerRow + from / G + g] = r.scale[row * perRow + g];
        zp[row * groupsPerRow + from / G + g] = r.zeroPoint[row * perRow + g];
      }
    }
  }
  return { format: 'int4-group64', shape: [rows, cols], words: packCodes(codes, 4), groupsPerRow, scale, zeroWords: packCodes(zp, 4) };
}

/**
 * Stores a row-major [out, in] weight in `format`. Throws a RangeError for a shape that is not a
 * 2-D matrix of x.length values, for NaN or ±Infinity anywhere (no format here stores them
 * faithfully, and the kernels may assume finite values), and for a value that would overflow to
 * infinity in fp16 (|x| >= 65520) or bf16.
 */
export function quantizeWeight(format: StorageFormat, x: Float32Array, shape: readonly number[]): StoredWeight {
  checkFormat(format);
  const s = checkMatrix(x.length, shape);
  checkFinite(x, format);
  switch (format) {
    case 'fp32': return { format, shape: s, values: Float32Array.from(x) };
    case 'fp16':
    case 'bf16': return { format, shape: s, words: packHalves(x, format) };
    case 'int8-channel': {
      const r = quantizePerChannel(x, s, { bits: 8, signed: true, symmetric: true, axis: 0 });
      return { format, shape: s, words: packCodes(r.q, 8), scale: r.scale };
    }
    case 'int4-group64': return quantizeInt4Groups(x, s);
    case 'nf4-dq': return { format, shape: s, nf4: quantizeNF4Weight(x) };
  }
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

/**
 * The reference dequantization, read back from the packed words (the same layout the kernels read):
 * fp16/bf16: lib/formats decodeFloat of each code; int8-channel: scale[row] * q; int4-group64:
 * scale[g] * (q - zp[g]); nf4-dq: lib/quant dequantizeNF4Weight. Products are float32 (the
 * integer factor is exact, so one rounding, as the GPU's f32 multiply).
 */
export function dequantizeWeight(w: StoredWeight): Float32Array {
  const [rows, cols] = w.shape;
  const n = rows * cols;
  switch (w.format) {
    case 'fp32': return Float32Array.from(w.values);
    case 'fp16':
    case 'bf16': {
      const out = new Float32Array(n);
      for (let i = 0; i < n; i++) out[i] = decodeFloat(w.format, halfCodeAt(w.words, i));
      return out;
    }
    case 'int8-channel': {
      const out = new Float32Array(n);
      for (let r = 0, i = 0; r < rows; r++) {
        const s = w.scale[r];
        for (const end = i + cols; i < end; i++) out[i] = s * int8CodeAt(w.words, i);
      }
      return out;
    }
    case 'int4-group64': {
      const out = new Float32Array(n);
      for (let r = 0, i = 0; r < rows; r++) {
        for (let c = 0; c < cols; c++, i++) {
          const g = r * w.groupsPerRow + Math.floor(c / INT4_GROUP_SIZE);
          out[i] = w.scale[g] * (int4CodeAt(w.words, i) - int4CodeAt(w.zeroWords, g));
        }
      }
      return out;
    }
    case 'nf4-dq': return dequantizeNF4Weight(w.nf4);
  }
}
