/**
 * WGSL kernels that expand a packed Linear weight to float32 on the GPU: one program, specialised
 * per storage format by the element body below (the shader text depends on the format only, so the
 * format is the shaderKey; every size travels as a uniform and one compiled pipeline serves every
 * tensor). CPU reference and byte layout: each format's entry in lib/quant/weight-formats.ts
 * (`dequantizeWeight`). NF4 + DQ has its own kernel (nf4.ts); lib/compute/weight-format-gpu.ts maps
 * every format to its kernel.
 */
import type { WebGPUProgram } from '@tensorflow/tfjs-backend-webgpu/dist/webgpu_program';
import { WEIGHT_FORMAT_TABLE, type WeightFormat } from '../../quant/weight-formats';

export const UNPACK_WORKGROUP = 64;

/** Largest workgroup count per dispatch dimension that WebGPU guarantees (maxComputeWorkgroupsPerDimension). */
const MAX_GROUPS_PER_DIMENSION = 65535;

/** What unpackProgram needs of a format: its inputs and the WGSL that expands one element. */
export interface UnpackElement {
  /** Inputs of the program, in order: the code words, then the per-row or per-group constants. */
  readonly inputs: readonly string[];
  /**
   * The body for one element i (0 <= k < codes per word is its place in `word`, a u32), which must
   * end in setOutputAtIndex(i, value). Mirrors the format's dequantize in lib/quant/formats/.
   */
  readonly body: string;
}

/** The formats unpackProgram expands, each with its element body. */
export const UNPACK_ELEMENTS = {
  // IEEE binary16 -> f32 with WGSL's core unpack2x16float (no shader-f16 extension needed).
  fp16: {
    inputs: ['codes'],
    body: `
          let halves = unpack2x16float(word);
          setOutputAtIndex(i, select(halves.x, halves.y, k == 1u));`,
  },
  // bf16 is the top half of a float32: shift the code into place and reinterpret, no arithmetic.
  bf16: {
    inputs: ['codes'],
    body: `
          let code = (word >> (16u * k)) & 0xffffu;
          setOutputAtIndex(i, bitcast<f32>(code << 16u));`,
  },
  // Byte k, sign-extended by an arithmetic shift; x' = scale[row] * q.
  'int8-channel': {
    inputs: ['codes', 'scales'],
    body: `
          let q = bitcast<i32>(word << (24u - 8u * k)) >> 24u;
          let row = i / uniforms.cols;
          setOutputAtIndex(i, scales[row] * f32(q));`,
  },
  // Nibble k; group g = row * groupsPerRow + col / groupSize; its zero point is nibble g mod 8 of
  // zeroCodes[g / 8]; x' = scale[g] * (q - zp).
  'int4-group64': {
    inputs: ['codes', 'scales', 'zeroCodes'],
    body: `
          let q = i32((word >> (4u * k)) & 0xfu);
          let row = i / uniforms.cols;
          let col = i - row * uniforms.cols;
          let g = row * uniforms.groupsPerRow + col / uniforms.groupSize;
          let zp = i32((bitcast<u32>(zeroCodes[g >> 3u]) >> (4u * u32(g & 7))) & 0xfu);
          setOutputAtIndex(i, scales[g] * f32(q - zp));`,
  },
} as const satisfies Partial<Record<WeightFormat, UnpackElement>>;

/** A storage format that unpackProgram expands (a key of UNPACK_ELEMENTS). */
export type UnpackFormat = keyof typeof UNPACK_ELEMENTS;

/** Workgroups for `words` threads, split over y when one dimension cannot hold them. */
function dispatchFor(words: number): [number, number, number] {
  const groups = Math.max(1, Math.ceil(words / UNPACK_WORKGROUP));
  if (groups <= MAX_GROUPS_PER_DIMENSION) return [groups, 1, 1];
  const y = Math.ceil(groups / MAX_GROUPS_PER_DIMENSION);
  return [Math.ceil(groups / y), y, 1];
}

/** The uniforms of unpackProgram, in its declared order. */
export function unpackUniforms(shape: readonly [number, number], groupSize: number, groupsPerRow: number, format: UnpackFormat) {
  const n = shape[0] * shape[1];
  return [
    { type: 'int32', data: [n] },
    { type: 'int32', data: [Math.ceil(n / WEIGHT_FORMAT_TABLE[format].codesPerWord)] },
    { type: 'int32', data: [shape[1]] },
    { type: 'int32', data: [groupSize] },
    { type: 'int32', data: [groupsPerRow] },
  ];
}

/**
 * One thread per 32-bit word of codes: it expands the word's 2, 4 or 8 elements (fewer in the last
 * word) to float32 and writes them at their flat index of the [rows, cols] output. Inputs: see
 * UNPACK_ELEMENTS (code words as int32, reinterpreted with bitcast; scales float32). Uniforms
 * (unpackUniforms): n, words, cols, groupSize, groupsPerRow.
 */
export function unpackProgram(format: UnpackFormat, shape: readonly [number, number]): WebGPUProgram {
  const n = shape[0] * shape[1];
  const per = WEIGHT_FORMAT_TABLE[format].codesPerWord;
  const words = Math.ceil(n / per);
  return {
    variableNames: [...UNPACK_ELEMENTS[format].inputs],
    outputShape: [shape[0], shape[1]],
    shaderKey: `lowbit_unpack_${format}`,
    dispatchLayout: { x: [0, 1] },
    dispatch: dispatchFor(words),
    workgroupSize: [UNPACK_WORKGROUP, 1, 1],
    uniforms: 'n : i32, words : i32, cols : i32, groupSize : i32, groupsPerRow : i32,',
    getUserCode: () => `
      fn main(index : i32) {
        if (index >= uniforms.words) { return; }
        let word = bitcast<u32>(codes[index]);
        let first = index * ${per};
        let last = min(first + ${per}, uniforms.n);
        for (var i = first; i < last; i = i + 1) {
          let k = u32(i - first);${UNPACK_ELEMENTS[format].body}
        }
      }
    `,
  };
}
