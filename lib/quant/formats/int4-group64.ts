/**
 * 'int4-group64': unsigned 4-bit affine per group of 64 consecutive inputs along a row (lib/quant
 * `quantizeGroupwise`, min/max observer: scale = max(eps, (hi - lo) / 15),
 * zp = clamp(-round(lo / scale), 0, 15)). When 64 does not divide the row, its last group holds
 * the remaining cols mod 64 inputs (the same observer over that shorter run). Eight codes per
 * word, element 8k+j in bits 4j..4j+3: ceil(n/8) words; then one float32 scale per group and the
 * 4-bit zero points packed eight per word the same way (as GPTQ packs `qzeros`). Per weight:
 * 4 + (32 + 4) / 64 = 4.5625 bits. x' = scale[g] * (q - zp[g]) (docs/numerics.md, "Memory").
 */
import { quantizeGroupwise, type MatrixShape } from '../per-channel';
import { WEIGHT_TENSOR_CASES } from './selftest-tensors';
import { f32Bytes, int4CodeAt, packCodes, type WeightFormatSpec } from './spec';

/** Inputs per group of 'int4-group64'. */
export const INT4_GROUP_SIZE = 64;

export interface Int4Group64Weight {
  format: 'int4-group64';
  shape: MatrixShape;
  words: Int32Array;
  /** Groups per row: ceil(cols / 64); group g of row r is index r * groupsPerRow + g. */
  groupsPerRow: number;
  scale: Float32Array;
  /** 4-bit zero points, eight per word, group 8k+j in bits 4j..4j+3. */
  zeroWords: Int32Array;
}

/** Copies columns [from, to) of a row-major [rows, cols] matrix. */
function columns(x: Float32Array, rows: number, cols: number, from: number, to: number): Float32Array {
  const w = to - from;
  const out = new Float32Array(rows * w);
  for (let r = 0; r < rows; r++) out.set(x.subarray(r * cols + from, r * cols + to), r * w);
  return out;
}

function quantizeInt4Groups(x: Float32Array, [rows, cols]: MatrixShape): Int4Group64Weight {
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

export const INT4_GROUP64: WeightFormatSpec<'int4-group64', Int4Group64Weight> = {
  format: 'int4-group64',
  label: 'INT4, groups of 64',
  shortLabel: 'INT4',
  codesPerWord: 8,
  bitsPerWeight: 4,
  uncountedInMemory: ['scales', 'zero points'],
  layout: ([rows, cols]) => {
    const groups = rows * Math.ceil(cols / INT4_GROUP_SIZE);
    return {
      buffers: [
        { name: 'codes', bytes: f32Bytes(Math.ceil((rows * cols) / 8)) },
        { name: 'scales', bytes: f32Bytes(groups) },
        { name: 'zero points', bytes: f32Bytes(Math.ceil(groups / 8)) },
      ],
      scalarBytes: 0,
    };
  },
  bufferBytes: (w) => [w.words.byteLength, w.scale.byteLength, w.zeroWords.byteLength],
  quantize: quantizeInt4Groups,
  // float32 product of an exact integer factor: one rounding, as the GPU's f32 multiply.
  dequantize: (w) => {
    const [rows, cols] = w.shape;
    const out = new Float32Array(rows * cols);
    for (let r = 0, i = 0; r < rows; r++) {
      for (let c = 0; c < cols; c++, i++) {
        const g = r * w.groupsPerRow + Math.floor(c / INT4_GROUP_SIZE);
        out[i] = w.scale[g] * (int4CodeAt(w.words, i) - int4CodeAt(w.zeroWords, g));
      }
    }
    return out;
  },
  selfTest: WEIGHT_TENSOR_CASES,
};
