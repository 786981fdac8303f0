/**
 * WGSL kernel for GPTQ's column loop (Frantar et al. 2022, Algorithm 1, as IST-DASLab `gptq.py`
 * `fasterquant` runs it after its set-up): lazy blocks of columns, each column quantized, its error
 * fed back into the block's later columns, and after each block the block's errors applied to every
 * later column at once. Rows are independent given Hinv, so one thread runs one row from the first
 * column to the last — contiguous work per thread, one dispatch per layer. CPU reference and set-up:
 * lib/quant/gptq.ts (`gptqPrepare`, `gptq`, `gptqAssemble`); docs/numerics.md "Beyond round-to-nearest".
 */
import type { WebGPUProgram } from '@tensorflow/tfjs-backend-webgpu/dist/webgpu_program';

export const GPTQ_WORKGROUP = 64;
/** Largest lazy block the kernel holds per thread (two private arrays of this many float32). */
export const GPTQ_GPU_MAX_BLOCK = 256;

/** Values per row of the kernel's output: codes (cols), scales (groups), zero points (groups), the row's loss. */
export function gptqRowStride(cols: number, groups: number): number {
  return cols + 2 * groups + 1;
}

/**
 * One thread per row r. Inputs: w (float32 rows × cols, columns in quantization order), hinv
 * (float32 cols × cols, upper Cholesky factor of the dampened H⁻¹ in that order), rowGrid (float32
 * rows × 2: scale and zero over the whole row, used without groups). Uniforms: rows, cols,
 * groupSize (0 = one grid per row), groups, stride, maxq (2^bits − 1), symmetric (0/1).
 * Output row r (stride values): [0, cols) starts as W's row and is the working copy of W (a group's
 * grid reads it, so it holds W "outside the block" as the reference does), each column replaced by
 * its code once quantized; then the groups' scales, zero points, and Σ err²/2 over the row.
 * Per column c: q = clamp(round(w/scale) + zero, 0, maxq) (round half to even, as WGSL's round);
 * err = (w − scale·(q − zero)) / Hinv_cc; the block's later columns −= err · Hinv[c, ·]; after the
 * block, each later column j −= Σ_k err_k · Hinv[k, j].
 */
export function gptqColumnsProgram(rows: number, cols: number, groups: number, blockSize: number): WebGPUProgram {
  const stride = gptqRowStride(cols, groups);
  return {
    variableNames: ['w', 'hinv', 'rowGrid'],
    outputShape: [rows * stride],
    shaderKey: `lowbit_gptq_columns_${blockSize}`,
    dispatchLayout: { x: [0] },
    dispatch: [Math.ceil(rows / GPTQ_WORKGROUP), 1, 1],
    workgroupSize: [GPTQ_WORKGROUP, 1, 1],
    uniforms: 'rows : i32, cols : i32, groupSize : i32, groups : i32, stride : i32, maxq : f32, symmetric : i32,',
    getUserCode: () => `
      fn gridParams(lo : f32, hi : f32) -> vec2<f32> {
        var xmin = min(lo, 0.0);
        var xmax = max(hi, 0.0);
        if (uniforms.symmetric != 0) {
          xmax = max(abs(xmin), xmax);
          if (xmin < 0.0) { xmin = -xmax; }
        }
        if (xmin == 0.0 && xmax == 0.0) { xmin = -1.0; xmax = 1.0; }
        let scale = (xmax - xmin) / uniforms.maxq;
        var zero = round(-xmin / scale);
        if (uniforms.symmetric != 0) { zero = (uniforms.maxq + 1.0) / 2.0; }
        return vec2<f32>(scale, zero);
      }

      fn main(index : i32) {
        if (index >= uniforms.rows) { return; }
        let cols = uniforms.cols;
        let base = index * uniforms.stride;
        for (var j = 0; j < cols; j = j + 1) { result[base + j] = w[index * cols + j]; }
        var scale = rowGrid[index * 2];
        var zero = rowGrid[index * 2 + 1];
        if (uniforms.groupSize == 0) {
          result[base + cols] = scale;
          result[base + cols + 1] = zero;
        }
        var w1 : array<f32, ${blockSize}>;
        var err1 : array<f32, ${blockSize}>;
        var loss = 0.0;
        for (var i1 = 0; i1 < cols; i1 = i1 + ${blockSize}) {
          let i2 = min(i1 + ${blockSize}, cols);
          let count = i2 - i1;
          for (var k = 0; k < count; k = k + 1) { w1[k] = result[base + i1 + k]; }
          for (var i = 0; i < count; i = i + 1) {
            let col = i1 + i;
            if (uniforms.groupSize > 0 && col % uniforms.groupSize == 0) {
              var lo = result[base + col];
              var hi = lo;
              for (var j = col + 1; j < col + uniforms.groupSize; j = j + 1) {
                let v = result[base + j];
                lo = min(lo, v);
                hi = max(hi, v);
              }
              let p = gridParams(lo, hi);
              scale = p.x;
              zero = p.y;
              let g = col / uniforms.groupSize;
              result[base + cols + g] = scale;
              result[base + cols + uniforms.groups + g] = zero;
            }
            let wv = w1[i];
            let q = clamp(round(wv / scale) + zero, 0.0, uniforms.maxq);
            let err = (wv - scale * (q - zero)) / hinv[col * cols + col];
            loss = loss + err * err / 2.0;
            err1[i] = err;
            result[base + col] = q;
            for (var k = i + 1; k < count; k = k + 1) { w1[k] = w1[k] - err * hinv[col * cols + i1 + k]; }
          }
          for (var j = i2; j < cols; j = j + 1) {
            var acc = 0.0;
            for (var k = 0; k < count; k = k + 1) { acc = acc + err1[k] * hinv[(i1 + k) * cols + j]; }
            result[base + j] = result[base + j] - acc;
          }
        }
        result[base + uniforms.stride - 1] = loss;
      }
    `,
  };
}
