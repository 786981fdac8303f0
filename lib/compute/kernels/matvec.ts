/**
 * WGSL dequantize-and-multiply for decoding one token: y = epilogue(W' · prologue(x) + b), where W'
 * is a Linear weight [rows, cols] read straight from its packed words in one of the storage formats
 * (lib/quant/weight-formats.ts) and never written out as float32. CPU twin: lib/model/decode-reference.ts
 * (`matVecReference`); formulas: docs/numerics.md, "Decoding with a KV cache".
 *
 * Layout of the work: a workgroup of MATVEC_WORKGROUP threads first puts x in workgroup memory
 * (LayerNorm'd there when asked: mean, then the biased variance of x − mean, as tf.moments; then
 * (x − mean) · inverseSqrt(var + eps) · γ + β), then each thread computes one output row, reading
 * that row's words from first to last — contiguous work per thread, which suits a CPU-backed
 * adapter such as SwiftShader. (A discrete GPU would rather have a workgroup share a row; the
 * kernel is written for clarity and for the adapter this course is measured on.)
 *
 * Per format, the inner loop over the row's words (k is a code's place in its word):
 *   fp32    acc += w[c] · x[c]
 *   fp16    (h0, h1) = unpack2x16float(word);              acc += h0 x[c] + h1 x[c+1]
 *   bf16    w = bitcast<f32>(code << 16)
 *   int8    q = byte k sign-extended;  acc = scale[row] · Σ q x
 *   int4    per group g of groupSize: acc += scale[g] · Σ (q − zp[g]) x
 *   nf4-dq  per block b of blockSize: absmax = dynamic[code_b] · absmax2[b / dqBlockSize] + offset;
 *           acc += absmax · Σ NF4[idx] x   (idx: high nibble first)
 * Epilogue: + bias; GELU (exact, erf as tfjs computes it: Abramowitz & Stegun 7.1.26); + residual.
 */
import type { WebGPUProgram } from '@tensorflow/tfjs-backend-webgpu/dist/webgpu_program';
import type { WeightFormat } from '../../quant/weight-formats';
import { NF4_TABLE_DYNAMIC_OFFSET } from './nf4';

export const MATVEC_WORKGROUP = 64;
/** The longest x a matvec holds in workgroup memory (16 KB, WebGPU's guaranteed minimum). */
export const MATVEC_MAX_COLS = 4096;

export interface MatVecOptions {
  /** LayerNorm x first (input ln: γ then β, 2 · cols values, one buffer so NF4's variants stay within WebGPU's 8 storage buffers; uniform eps). */
  readonly layerNorm: boolean;
  /** Add a bias (input bias). */
  readonly bias: boolean;
  /** Apply exact GELU after the bias. */
  readonly gelu: boolean;
  /** Add a residual (input residual) last. */
  readonly residual: boolean;
}

/** The weight's inputs per format, in order (as uploaded by lib/compute/weight-format-gpu.ts). */
export const MATVEC_WEIGHT_INPUTS: { readonly [F in WeightFormat]: readonly string[] } = {
  fp32: ['w'],
  fp16: ['codes'],
  bf16: ['codes'],
  'int8-channel': ['codes', 'scales'],
  'int4-group64': ['codes', 'scales', 'zeroCodes'],
  'nf4-dq': ['codes', 'absmaxCodes', 'absmax2', 'tables'],
};

/** Codes per 32-bit word, per format (fp32 holds one float per element). */
const PER_WORD: { readonly [F in WeightFormat]: number } = { fp32: 1, fp16: 2, bf16: 2, 'int8-channel': 4, 'int4-group64': 8, 'nf4-dq': 8 };

/** WGSL accumulating row `row` of the weight into `acc` (x in xs, cols in uniforms.cols). */
const ROW_LOOPS: { readonly [F in WeightFormat]: string } = {
  fp32: `
    let base = row * uniforms.cols;
    for (var c = 0; c < uniforms.cols; c = c + 1) { acc = acc + w[base + c] * xs[c]; }`,
  fp16: `
    let base = row * (uniforms.cols / 2);
    for (var j = 0; j < uniforms.cols / 2; j = j + 1) {
      let h = unpack2x16float(bitcast<u32>(codes[base + j]));
      acc = acc + h.x * xs[2 * j] + h.y * xs[2 * j + 1];
    }`,
  bf16: `
    let base = row * (uniforms.cols / 2);
    for (var j = 0; j < uniforms.cols / 2; j = j + 1) {
      let word = bitcast<u32>(codes[base + j]);
      acc = acc + bitcast<f32>(word << 16u) * xs[2 * j] + bitcast<f32>(word & 0xffff0000u) * xs[2 * j + 1];
    }`,
  'int8-channel': `
    let base = row * (uniforms.cols / 4);
    for (var j = 0; j < uniforms.cols / 4; j = j + 1) {
      let word = bitcast<u32>(codes[base + j]);
      for (var k = 0u; k < 4u; k = k + 1u) {
        let q = bitcast<i32>(word << (24u - 8u * k)) >> 24u;
        acc = acc + f32(q) * xs[4 * j + i32(k)];
      }
    }
    acc = scales[row] * acc;`,
  'int4-group64': `
    let base = row * (uniforms.cols / 8);
    for (var g = 0; g < uniforms.groupsPerRow; g = g + 1) {
      let gi = row * uniforms.groupsPerRow + g;
      let zp = i32((bitcast<u32>(zeroCodes[gi >> 3u]) >> (4u * u32(gi & 7))) & 0xfu);
      var gacc = 0.0;
      let first = g * uniforms.groupSize;
      for (var j = first / 8; j < (first + uniforms.groupSize) / 8; j = j + 1) {
        let word = bitcast<u32>(codes[base + j]);
        for (var k = 0u; k < 8u; k = k + 1u) {
          let q = i32((word >> (4u * k)) & 0xfu);
          gacc = gacc + f32(q - zp) * xs[8 * j + i32(k)];
        }
      }
      acc = acc + scales[gi] * gacc;
    }`,
  'nf4-dq': `
    let blocksPerRow = uniforms.cols / uniforms.blockSize;
    for (var bb = 0; bb < blocksPerRow; bb = bb + 1) {
      let block = row * blocksPerRow + bb;
      let absmaxCode = (bitcast<u32>(absmaxCodes[block >> 2u]) >> (8u * u32(block & 3))) & 0xffu;
      let absmax = tables[${NF4_TABLE_DYNAMIC_OFFSET} + i32(absmaxCode)] * absmax2[block / uniforms.dqBlockSize] + uniforms.offset;
      var bacc = 0.0;
      let first = (row * uniforms.cols + bb * uniforms.blockSize) / 8;
      for (var j = 0; j < uniforms.blockSize / 8; j = j + 1) {
        let word = bitcast<u32>(codes[first + j]);
        for (var k = 0u; k < 8u; k = k + 1u) {
          let byte = (word >> (8u * (k >> 1u))) & 0xffu;
          let idx = select(byte & 0xfu, byte >> 4u, (k & 1u) == 0u);
          bacc = bacc + tables[i32(idx)] * xs[bb * uniforms.blockSize + 8 * j + i32(k)];
        }
      }
      acc = acc + absmax * bacc;
    }`,
};

/**
 * Why a [rows, cols] weight in `format` cannot take the fused path (null when it can): cols must be
 * a whole number of words per row (and of groups or blocks per row for INT4 and NF4) and fit in
 * workgroup memory.
 */
export function matVecUnsupported(format: WeightFormat, rows: number, cols: number, groupSize = 64, blockSize = 64): string | null {
  if (cols > MATVEC_MAX_COLS) return `rows of ${cols} values do not fit in workgroup memory (at most ${MATVEC_MAX_COLS})`;
  if (rows < 1 || cols < 1) return 'the weight is empty';
  if (cols % PER_WORD[format] !== 0) return `rows of ${cols} values are not a whole number of ${PER_WORD[format]}-code words`;
  if (format === 'int4-group64' && cols % groupSize !== 0) return `rows of ${cols} values are not a whole number of groups of ${groupSize}`;
  if (format === 'nf4-dq' && cols % blockSize !== 0) return `rows of ${cols} values are not a whole number of blocks of ${blockSize}`;
  return null;
}

const ERF = `
  fn erfApprox(a : f32) -> f32 {
    let p = 0.3275911;
    let a1 = 0.254829592;
    let a2 = -0.284496736;
    let a3 = 1.421413741;
    let a4 = -1.453152027;
    let a5 = 1.061405429;
    let absA = abs(a);
    let t = 1.0 / (1.0 + p * absA);
    return sign(a) * (1.0 - (((((a5 * t + a4) * t) + a3) * t + a2) * t + a1) * t * exp(-absA * absA));
  }`;

/** The input names of a matvec program, in order: the weight's, x, then bias, LayerNorm's γ and β, residual as asked. */
export function matVecInputs(format: WeightFormat, o: MatVecOptions): string[] {
  return [...MATVEC_WEIGHT_INPUTS[format], 'x', ...(o.bias ? ['bias'] : []), ...(o.layerNorm ? ['ln'] : []), ...(o.residual ? ['residual'] : [])];
}

/**
 * y [rows] = epilogue(W' · prologue(x) + b), one thread per row. Uniforms (matVecUniforms): rows,
 * cols, groupSize, groupsPerRow, blockSize, dqBlockSize, offset, eps.
 */
export function matVecProgram(format: WeightFormat, rows: number, o: MatVecOptions): WebGPUProgram {
  const W = MATVEC_WORKGROUP;
  const key = `${o.layerNorm ? 'ln' : ''}${o.bias ? 'b' : ''}${o.gelu ? 'g' : ''}${o.residual ? 'r' : ''}`;
  return {
    variableNames: matVecInputs(format, o),
    outputShape: [rows],
    shaderKey: `lowbit_matvec_${format}_${key}`,
    dispatchLayout: { x: [0] },
    dispatch: [Math.ceil(rows / W), 1, 1],
    workgroupSize: [W, 1, 1],
    uniforms: 'rows : i32, cols : i32, groupSize : i32, groupsPerRow : i32, blockSize : i32, dqBlockSize : i32, offset : f32, eps : f32,',
    getUserCode: () => `
      var<workgroup> xs : array<f32, ${MATVEC_MAX_COLS}>;
      var<workgroup> partial : array<f32, ${W}>;
      ${o.gelu ? ERF : ''}
      ${o.layerNorm ? `
      fn workgroupSum(v : f32, lid : i32) -> f32 {
        partial[lid] = v;
        workgroupBarrier();
        var total = 0.0;
        for (var i = 0; i < ${W}; i = i + 1) { total = total + partial[i]; }
        workgroupBarrier();
        return total;
      }` : ''}
      fn main(index : i32) {
        let lid = i32(localIndex);
        for (var c = lid; c < uniforms.cols; c = c + ${W}) { xs[c] = x[c]; }
        workgroupBarrier();
        ${o.layerNorm ? `
        var s = 0.0;
        for (var c = lid; c < uniforms.cols; c = c + ${W}) { s = s + xs[c]; }
        let mean = workgroupSum(s, lid) / f32(uniforms.cols);
        var s2 = 0.0;
        for (var c = lid; c < uniforms.cols; c = c + ${W}) { let d = xs[c] - mean; s2 = s2 + d * d; }
        let rstd = inverseSqrt(workgroupSum(s2, lid) / f32(uniforms.cols) + uniforms.eps);
        for (var c = lid; c < uniforms.cols; c = c + ${W}) { xs[c] = (xs[c] - mean) * rstd * ln[c] + ln[uniforms.cols + c]; }
        workgroupBarrier();` : ''}
        let row = index;
        if (row >= uniforms.rows) { return; }
        var acc = 0.0;${ROW_LOOPS[format]}
        var y = acc${o.bias ? ' + bias[row]' : ''};
        ${o.gelu ? 'y = y * 0.5 * (1.0 + erfApprox(y * 0.7071067811865476));' : ''}
        ${o.residual ? 'y = y + residual[row];' : ''}
        setOutputAtIndex(row, y);
      }
    `,
  };
}

/** What a weight's layout adds to the uniforms (sizes of groups and blocks, NF4's offset); zeros when the format has none. */
export interface MatVecLayout {
  groupSize?: number;
  groupsPerRow?: number;
  blockSize?: number;
  dqBlockSize?: number;
  offset?: number;
}

/** The uniforms of matVecProgram, in its declared order. */
export function matVecUniforms(rows: number, cols: number, l: MatVecLayout, eps = 0) {
  return [
    { type: 'int32', data: [rows] },
    { type: 'int32', data: [cols] },
    { type: 'int32', data: [l.groupSize ?? 0] },
    { type: 'int32', data: [l.groupsPerRow ?? 0] },
    { type: 'int32', data: [l.blockSize ?? 0] },
    { type: 'int32', data: [l.dqBlockSize ?? 0] },
    { type: 'float32', data: [l.offset ?? 0] },
    { type: 'float32', data: [eps] },
  ];
}
