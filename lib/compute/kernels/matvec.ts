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
 * Per format, the inner loop over the row's words (decode-wgsl.ts `rowDot`; k is a code's place in its word):
 *   fp32    acc += w[c] · x[c]
 *   fp16    (h0, h1) = unpack2x16float(word);              acc += h0 x[c] + h1 x[c+1]
 *   bf16    w = bitcast<f32>(code << 16)
 *   int8    q = byte k sign-extended;  acc = scale[row] · Σ q x
 *   int4    per group g of groupSize: acc += scale[g] · Σ (q − zp[g]) x
 *   nf4-dq  per block b of blockSize: absmax = dynamic[code_b] · absmax2[b / dqBlockSize] + offset;
 *           acc += absmax · Σ NF4[idx] x   (idx: high nibble first)
 * Epilogue: + bias; GELU (decode-wgsl.ts `geluFn`: exact, erf as tfjs computes it, Abramowitz &
 * Stegun 7.1.26; or GPT-2's tanh form); + residual.
 */
import type { WebGPUProgram } from '@tensorflow/tfjs-backend-webgpu/dist/webgpu_program';
import type { WeightFormat } from '../../quant/weight-formats';
import { geluFn, rowDot, type GeluForm, type RowReads } from './decode-wgsl';
import { NF4_TABLE_DYNAMIC_OFFSET } from './nf4';

export const MATVEC_WORKGROUP = 64;
/** The longest x a matvec holds in workgroup memory (16 KB, WebGPU's guaranteed minimum). */
export const MATVEC_MAX_COLS = 4096;

export interface MatVecOptions {
  /** LayerNorm x first (input ln: γ then β, 2 · cols values, one buffer so NF4's variants stay within WebGPU's 8 storage buffers; uniform eps). */
  readonly layerNorm: boolean;
  /** Add a bias (input bias). */
  readonly bias: boolean;
  /** Apply GELU after the bias, in this form (null: none). */
  readonly gelu: GeluForm | null;
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

/** Where matVecProgram reads each part: one buffer per part, x in workgroup memory, sizes as uniforms. */
const MATVEC_READS: RowReads = {
  float: (i) => `w[${i}]`,
  word: (i) => `bitcast<u32>(codes[${i}])`,
  scale: (i) => `scales[${i}]`,
  zeroWord: (i) => `bitcast<u32>(zeroCodes[${i}])`,
  absmaxWord: (i) => `bitcast<u32>(absmaxCodes[${i}])`,
  absmax2: (i) => `absmax2[${i}]`,
  dynamic: (code) => `tables[${NF4_TABLE_DYNAMIC_OFFSET} + i32(${code})]`,
  levelPair: (byte) => `vec2<f32>(tables[i32((${byte}) >> 4u)], tables[i32((${byte}) & 15u)])`,
  x: (i) => `xs[${i}]`,
  cols: 'uniforms.cols',
  groupsPerRow: 'uniforms.groupsPerRow',
  groupSize: 'uniforms.groupSize',
  blockSize: 'uniforms.blockSize',
  dqBlockSize: 'uniforms.dqBlockSize',
  offset: 'uniforms.offset',
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
  const key = `${o.layerNorm ? 'ln' : ''}${o.bias ? 'b' : ''}${o.gelu === 'erf' ? 'g' : o.gelu === 'tanh' ? 't' : ''}${o.residual ? 'r' : ''}`;
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
      ${o.gelu ? geluFn(o.gelu) : ''}
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
        var acc = 0.0;${rowDot(format, MATVEC_READS)}
        var y = acc${o.bias ? ' + bias[row]' : ''};
        ${o.gelu ? 'y = gelu(y);' : ''}
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
