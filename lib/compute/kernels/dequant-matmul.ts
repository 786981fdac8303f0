/**
 * WGSL dequantize-and-multiply for many rows at once (prefill, perplexity windows, training):
 *   forward   Y [M, N] = X [M, K] · W'ᵀ (+ b)        W' [N, K] a Linear weight in its storage format
 *   backward  dX [M, K] = dY [M, N] · W'              (the input's gradient; the frozen W' gets none)
 * W' is read straight from its packed words (lib/quant/weight-formats.ts layouts) and never written
 * out as float32: each thread decodes the weights it needs eight at a time into registers. CPU twin:
 * lib/model/decode-reference.ts `dequantMatMulReference`; formulas: docs/numerics.md, "Decoding with
 * a KV cache" (the per-format decode is the matvec's, kernels/matvec.ts).
 *
 * Tiling (no workgroup memory, no barriers; contiguous reads per thread, which suits a CPU-backed
 * adapter such as SwiftShader, where tfjs's barrier-tiled matmul is slow — see kernels/matmul-vec4.ts):
 * - forward: a thread owns DQMM_TILE_M rows of X × DQMM_TILE_N rows of W'. For each chunk of eight
 *   columns it decodes its DQMM_TILE_N weight chunks once and uses each for DQMM_TILE_M rows of X
 *   (read as two vec4), so a weight word is decoded M / DQMM_TILE_M times in all, not M times.
 * - backward: a thread owns DQMM_TILE_M rows of dY × one chunk of eight columns of W'; it walks the
 *   N rows of W', decoding one chunk per row.
 *
 * `chunk(n, c)` returns W'[n, 8c .. 8c + 7] as a mat2x4 (columns: the first four, the last four):
 *   fp32    the floats;      fp16 / bf16   four words of two codes (bf16: code << 16 as f32 bits)
 *   int8    two words of four signed bytes, × scale[n]
 *   int4    one word of eight nibbles q (low nibble first), (q − zp_g) · scale_g, g the chunk's group
 *   nf4-dq  one word of four bytes, each a pair (high nibble first) of NF4 levels, × the block's
 *           absmax = dynamic[code_b] · absmax2[b / dqBlockSize] + offset
 * So K must be a multiple of 8 (and of the group or block size for INT4 and NF4).
 */
import type { WebGPUProgram } from '@tensorflow/tfjs-backend-webgpu/dist/webgpu_program';
import type { WeightFormat } from '../../quant/weight-formats';
import { MATVEC_WEIGHT_INPUTS, type MatVecLayout } from './matvec';
import { NF4_TABLE_DYNAMIC_OFFSET } from './nf4';

export const DQMM_WORKGROUP = 64;
export const DQMM_TILE_M = 4;
export const DQMM_TILE_N = 4;
/** Weights decoded at once: a chunk is 8 consecutive columns of one row. */
export const DQMM_CHUNK = 8;

const range = (n: number) => Array.from({ length: n }, (_, i) => i);

/** `fn chunk(n : i32, c : i32) -> mat2x4<f32>` for `format`, reading the parts as MATVEC_WEIGHT_INPUTS names them. */
function chunkFn(format: WeightFormat): string {
  const head = 'fn chunk(n : i32, c : i32) -> mat2x4<f32> {';
  switch (format) {
    case 'fp32':
      return `${head}
        let o = n * uniforms.K + 8 * c;
        return mat2x4<f32>(vec4<f32>(w[o], w[o + 1], w[o + 2], w[o + 3]), vec4<f32>(w[o + 4], w[o + 5], w[o + 6], w[o + 7]));
      }`;
    case 'fp16':
      return `${head}
        let o = n * (uniforms.K / 2) + 4 * c;
        let a = unpack2x16float(bitcast<u32>(codes[o]));
        let b = unpack2x16float(bitcast<u32>(codes[o + 1]));
        let d = unpack2x16float(bitcast<u32>(codes[o + 2]));
        let e = unpack2x16float(bitcast<u32>(codes[o + 3]));
        return mat2x4<f32>(vec4<f32>(a, b), vec4<f32>(d, e));
      }`;
    case 'bf16':
      return `${head}
        let o = n * (uniforms.K / 2) + 4 * c;
        var v : array<f32, 8>;
        for (var j = 0; j < 4; j = j + 1) {
          let word = bitcast<u32>(codes[o + j]);
          v[2 * j] = bitcast<f32>(word << 16u);
          v[2 * j + 1] = bitcast<f32>(word & 0xffff0000u);
        }
        return mat2x4<f32>(vec4<f32>(v[0], v[1], v[2], v[3]), vec4<f32>(v[4], v[5], v[6], v[7]));
      }`;
    case 'int8-channel':
      return `${head}
        let o = n * (uniforms.K / 4) + 2 * c;
        let s = scales[n];
        let a = bitcast<u32>(codes[o]);
        let b = bitcast<u32>(codes[o + 1]);
        let qa = vec4<i32>(bitcast<i32>(a << 24u) >> 24u, bitcast<i32>(a << 16u) >> 24u, bitcast<i32>(a << 8u) >> 24u, bitcast<i32>(a) >> 24u);
        let qb = vec4<i32>(bitcast<i32>(b << 24u) >> 24u, bitcast<i32>(b << 16u) >> 24u, bitcast<i32>(b << 8u) >> 24u, bitcast<i32>(b) >> 24u);
        return mat2x4<f32>(vec4<f32>(qa) * s, vec4<f32>(qb) * s);
      }`;
    case 'int4-group64':
      return `${head}
        let gi = n * uniforms.groupsPerRow + (8 * c) / uniforms.groupSize;
        let zp = vec4<i32>(i32((bitcast<u32>(zeroCodes[gi >> 3u]) >> (4u * u32(gi & 7))) & 0xfu));
        let s = scales[gi];
        let word = bitcast<u32>(codes[n * (uniforms.K / 8) + c]);
        let lo = vec4<i32>(i32(word & 0xfu), i32((word >> 4u) & 0xfu), i32((word >> 8u) & 0xfu), i32((word >> 12u) & 0xfu));
        let hi = vec4<i32>(i32((word >> 16u) & 0xfu), i32((word >> 20u) & 0xfu), i32((word >> 24u) & 0xfu), i32(word >> 28u));
        return mat2x4<f32>(vec4<f32>(lo - zp) * s, vec4<f32>(hi - zp) * s);
      }`;
    case 'nf4-dq':
      return `${head}
        let flat = n * uniforms.K + 8 * c;
        let block = flat / uniforms.blockSize;
        let code = (bitcast<u32>(absmaxCodes[block >> 2u]) >> (8u * u32(block & 3))) & 0xffu;
        let absmax = tables[${NF4_TABLE_DYNAMIC_OFFSET} + i32(code)] * absmax2[block / uniforms.dqBlockSize] + uniforms.offset;
        let word = bitcast<u32>(codes[flat / 8]);
        // Byte k holds elements 2k (high nibble) and 2k + 1.
        let b0 = word & 0xffu;
        let b1 = (word >> 8u) & 0xffu;
        let b2 = (word >> 16u) & 0xffu;
        let b3 = word >> 24u;
        let lo = vec4<f32>(tables[i32(b0 >> 4u)], tables[i32(b0 & 15u)], tables[i32(b1 >> 4u)], tables[i32(b1 & 15u)]);
        let hi = vec4<f32>(tables[i32(b2 >> 4u)], tables[i32(b2 & 15u)], tables[i32(b3 >> 4u)], tables[i32(b3 & 15u)]);
        return mat2x4<f32>(lo * absmax, hi * absmax);
      }`;
  }
}

const UNIFORMS = 'M : i32, N : i32, K : i32, groupSize : i32, groupsPerRow : i32, blockSize : i32, dqBlockSize : i32, offset : f32,';

/** Threads of the forward product: one per DQMM_TILE_M × DQMM_TILE_N tile of Y. */
export function dequantMatMulThreads(M: number, N: number): number {
  return Math.ceil(M / DQMM_TILE_M) * Math.ceil(N / DQMM_TILE_N);
}

/** Threads of the backward product: one per DQMM_TILE_M rows × one chunk of dX's columns. */
export function dequantMatMulGradThreads(M: number, K: number): number {
  return Math.ceil(M / DQMM_TILE_M) * (K / DQMM_CHUNK);
}

/** The forward program's inputs, in order: x (read as vec4), the weight's parts, then the bias when asked. */
export function dequantMatMulInputs(format: WeightFormat, bias: boolean): string[] {
  return ['x', ...MATVEC_WEIGHT_INPUTS[format], ...(bias ? ['bias'] : [])];
}

/** Y [M, N] = X [M, K] · W'ᵀ (+ bias [N]), W' in `format`. Uniforms: dequantMatMulUniforms. */
export function dequantMatMulProgram(format: WeightFormat, M: number, N: number, bias: boolean): WebGPUProgram {
  const TM = DQMM_TILE_M, TN = DQMM_TILE_N;
  const I = range(TM), J = range(TN);
  const inputs = dequantMatMulInputs(format, bias);
  return {
    variableNames: inputs,
    variableComponents: inputs.map((name) => (name === 'x' ? 4 : 1)),
    outputShape: [M, N],
    shaderKey: `lowbit_dqmm_${format}_${bias ? 'b' : ''}_${TM}_${TN}`,
    dispatchLayout: { x: [0, 1] },
    dispatch: [Math.ceil(dequantMatMulThreads(M, N) / DQMM_WORKGROUP), 1, 1],
    workgroupSize: [DQMM_WORKGROUP, 1, 1],
    uniforms: UNIFORMS,
    getUserCode: () => `
      ${chunkFn(format)}
      fn main(index : i32) {
        let tilesN = (uniforms.N + ${TN - 1}) / ${TN};
        let tm = index / tilesN;
        let m0 = tm * ${TM};
        let n0 = (index - tm * tilesN) * ${TN};
        if (m0 >= uniforms.M) { return; }
        let K4 = uniforms.K / 4;
        ${I.map((i) => `let xr${i} = min(m0 + ${i}, uniforms.M - 1) * K4;`).join('\n        ')}
        ${J.map((j) => `let wn${j} = min(n0 + ${j}, uniforms.N - 1);`).join('\n        ')}
        ${I.map((i) => J.map((j) => `var c${i}_${j} = vec4<f32>(0.0);`).join(' ')).join('\n        ')}
        for (var c = 0; c < uniforms.K / 8; c = c + 1) {
          ${J.map((j) => `let w${j} = chunk(wn${j}, c);`).join('\n          ')}
          ${I.map((i) => `let xa${i} = x[xr${i} + 2 * c]; let xb${i} = x[xr${i} + 2 * c + 1];`).join('\n          ')}
          ${I.map((i) => J.map((j) => `c${i}_${j} = fma(xa${i}, w${j}[0], fma(xb${i}, w${j}[1], c${i}_${j}));`).join(' ')).join('\n          ')}
        }
        ${I.map((i) => J.map((j) => `if (m0 + ${i} < uniforms.M && n0 + ${j} < uniforms.N) { setOutputAtIndex((m0 + ${i}) * uniforms.N + n0 + ${j}, (c${i}_${j}.x + c${i}_${j}.y) + (c${i}_${j}.z + c${i}_${j}.w)${bias ? ` + bias[n0 + ${j}]` : ''}); }`).join('\n        ')).join('\n        ')}
      }
    `,
  };
}

/** dX [M, K] = dY [M, N] · W', W' [N, K] in `format`. Inputs: dy, then the weight's parts. Uniforms: dequantMatMulUniforms. */
export function dequantMatMulGradProgram(format: WeightFormat, M: number, K: number): WebGPUProgram {
  const TM = DQMM_TILE_M;
  const I = range(TM);
  return {
    variableNames: ['dy', ...MATVEC_WEIGHT_INPUTS[format]],
    // Stated for every input: tfjs gives inputs without it the output's 4 components.
    variableComponents: [1, ...MATVEC_WEIGHT_INPUTS[format].map(() => 1)],
    outputShape: [M, K],
    outputComponent: 4,
    shaderKey: `lowbit_dqmm_grad_${format}_${TM}`,
    dispatchLayout: { x: [0, 1] },
    dispatch: [Math.ceil(dequantMatMulGradThreads(M, K) / DQMM_WORKGROUP), 1, 1],
    workgroupSize: [DQMM_WORKGROUP, 1, 1],
    uniforms: UNIFORMS,
    getUserCode: () => `
      ${chunkFn(format)}
      fn main(index : i32) {
        let chunks = uniforms.K / 8;
        let tm = index / chunks;
        let c = index - tm * chunks;
        let m0 = tm * ${TM};
        if (m0 >= uniforms.M) { return; }
        ${I.map((i) => `let dr${i} = min(m0 + ${i}, uniforms.M - 1) * uniforms.N;`).join('\n        ')}
        ${I.map((i) => `var a${i} = vec4<f32>(0.0); var b${i} = vec4<f32>(0.0);`).join('\n        ')}
        for (var n = 0; n < uniforms.N; n = n + 1) {
          let w = chunk(n, c);
          ${I.map((i) => `let d${i} = dy[dr${i} + n]; a${i} = fma(vec4<f32>(d${i}), w[0], a${i}); b${i} = fma(vec4<f32>(d${i}), w[1], b${i});`).join('\n          ')}
        }
        let K4 = uniforms.K / 4;
        ${I.map((i) => `if (m0 + ${i} < uniforms.M) { result[(m0 + ${i}) * K4 + 2 * c] = a${i}; result[(m0 + ${i}) * K4 + 2 * c + 1] = b${i}; }`).join('\n        ')}
      }
    `,
  };
}

/** The uniforms of both programs, in their declared order. */
/** `l`: the weight's layout, as the matvec reads it (group and block sizes, NF4's offset). */
export function dequantMatMulUniforms(M: number, N: number, K: number, l: MatVecLayout) {
  return [
    { type: 'int32', data: [M] },
    { type: 'int32', data: [N] },
    { type: 'int32', data: [K] },
    { type: 'int32', data: [l.groupSize ?? 0] },
    { type: 'int32', data: [l.groupsPerRow ?? 0] },
    { type: 'int32', data: [l.blockSize ?? 0] },
    { type: 'int32', data: [l.dqBlockSize ?? 0] },
    { type: 'float32', data: [l.offset ?? 0] },
  ];
}

/** WebGPU's limit on workgroups per dispatch dimension. */
const MAX_WORKGROUPS = 65535;

/**
 * Why Y = X · W'ᵀ with W' [N, K] in `format` cannot take these kernels (null when it can): K a whole
 * number of chunks of 8 (and of groups or blocks), and the thread count within one dispatch.
 */
export function dequantMatMulUnsupported(format: WeightFormat, M: number, N: number, K: number, groupSize = 64, blockSize = 64): string | null {
  if (M < 1 || N < 1 || K < 1) return 'the product is empty';
  if (K % DQMM_CHUNK !== 0) return `rows of ${K} values are not a whole number of chunks of ${DQMM_CHUNK}`;
  if (format === 'int4-group64' && K % groupSize !== 0) return `rows of ${K} values are not a whole number of groups of ${groupSize}`;
  if (format === 'nf4-dq' && blockSize % DQMM_CHUNK !== 0) return `blocks of ${blockSize} values are not a whole number of chunks of ${DQMM_CHUNK}`;
  const workgroups = Math.ceil(Math.max(dequantMatMulThreads(M, N), dequantMatMulGradThreads(M, K)) / DQMM_WORKGROUP);
  if (workgroups > MAX_WORKGROUPS) return `${M} rows need ${workgroups} workgroups, more than one dispatch holds (${MAX_WORKGROUPS})`;
  return null;
}
