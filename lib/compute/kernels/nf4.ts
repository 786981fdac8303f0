/**
 * WGSL kernel that dequantizes an NF4 weight with double-quantized constants on the fly, reading
 * the codes packed 8 to a 32-bit word (tfjs has no 8-bit dtype; the words travel as int32 and are
 * reinterpreted with bitcast). CPU reference and layout: lib/quant/qlora-weight.ts
 * (`dequantizeNF4Weight`, `bytesToWords`); formulas: docs/numerics.md "4-bit blockwise".
 */
import type { WebGPUProgram } from '@tensorflow/tfjs-backend-webgpu/dist/webgpu_program';

export const NF4_WORKGROUP = 64;

/** Lookup table layout of the `tables` input: 16 NF4 values, then the 256-entry signed dynamic code. */
export const NF4_TABLE_DYNAMIC_OFFSET = 16;

/**
 * One thread per word of codes (8 weights, contiguous). For weight i:
 *   byte  = word >> 8 * ((i mod 8) / 2), idx = i even ? byte >> 4 : byte & 15 (high nibble first);
 *   b     = i / blockSize; c = byte b of the absmax-code words;
 *   absmax' = dynamic[c] * absmax2[b / dqBlockSize] + offset;   w'[i] = NF4[idx] * absmax'.
 * Inputs: codes (int32 words), absmaxCodes (int32 words), absmax2 (float32), tables (float32,
 * see NF4_TABLE_DYNAMIC_OFFSET). Uniforms: n, words, blockSize, dqBlockSize, offset.
 * Output: float32 [n].
 */
export function nf4DequantizeProgram(n: number): WebGPUProgram {
  const words = Math.ceil(n / 8);
  return {
    variableNames: ['codes', 'absmaxCodes', 'absmax2', 'tables'],
    outputShape: [n],
    shaderKey: 'lowbit_nf4_dq_dequantize',
    dispatchLayout: { x: [0] },
    dispatch: [Math.ceil(words / NF4_WORKGROUP), 1, 1],
    workgroupSize: [NF4_WORKGROUP, 1, 1],
    uniforms: 'n : i32, words : i32, blockSize : i32, dqBlockSize : i32, offset : f32,',
    getUserCode: () => `
      fn main(index : i32) {
        if (index >= uniforms.words) { return; }
        let word = bitcast<u32>(codes[index]);
        let first = index * 8;
        let last = min(first + 8, uniforms.n);
        for (var i = first; i < last; i = i + 1) {
          let k = u32(i - first);
          let byte = (word >> (8u * (k >> 1u))) & 0xffu;
          let idx = select(byte & 0xfu, byte >> 4u, (k & 1u) == 0u);
          let block = i / uniforms.blockSize;
          let absmaxWord = bitcast<u32>(absmaxCodes[block >> 2u]);
          let absmaxCode = (absmaxWord >> (8u * u32(block & 3))) & 0xffu;
          let centred = tables[${NF4_TABLE_DYNAMIC_OFFSET} + i32(absmaxCode)] * absmax2[block / uniforms.dqBlockSize];
          let absmax = centred + uniforms.offset;
          setOutputAtIndex(i, tables[i32(idx)] * absmax);
        }
      }
    `,
  };
}
