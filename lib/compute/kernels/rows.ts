/**
 * WGSL reductions and softmax for CPU-emulated WebGPU adapters (SwiftShader), where tfjs's
 * programs — a workgroup reducing one row through workgroup memory, a barrier per halving — cost
 * tens of milliseconds for a few thousand small rows (a LoRA step of the tiny model spent most of
 * its time in Sum, Mean and Softmax). Here one thread owns one output and scans its input in order:
 * no workgroup memory, no barriers (docs/design.md rule 4; lib/compute/kernels/cells.ts found the
 * same). CPU references: lib/compute/row-kernels.ts `reduceReference`, `softmaxReference`.
 *
 * reduce   x viewed as [outer, reduce, inner]: out[o, i] = Σ_r x[o, r, i] (sum), or that over
 *          `reduce` (mean, divided as tfjs does: sum / f32(reduceSize)), or max_r x[o, r, i] (max);
 *          uniforms outer, reduce, inner.
 * softmax  x viewed as [rows, n]: out[r, k] = exp(x[r, k] − max_k x[r, ·]) / Σ_k exp(x[r, k] − max),
 *          the max-subtracted form tfjs uses; uniforms rows, n.
 *
 * The shader text depends only on the operation (its shaderKey); sizes travel as uniforms.
 */
import type { WebGPUProgram } from '@tensorflow/tfjs-backend-webgpu/dist/webgpu_program';

export const ROWS_WORKGROUP = 64;

export type RowReduceOp = 'sum' | 'mean' | 'max';

/** One thread per output element; `outShape` is the op's output shape (outer × inner elements, rank ≥ 1). */
export function rowReduceProgram(op: RowReduceOp, outShape: number[], outputs: number): WebGPUProgram {
  return {
    variableNames: ['x'],
    outputShape: outShape,
    shaderKey: `lowbit_row_reduce_${op}`,
    dispatchLayout: { x: outShape.map((_, i) => i) },
    dispatch: [Math.ceil(outputs / ROWS_WORKGROUP), 1, 1],
    workgroupSize: [ROWS_WORKGROUP, 1, 1],
    uniforms: 'outer : i32, reduce : i32, inner : i32,',
    getUserCode: () => `
      fn main(index : i32) {
        if (index >= uniforms.outer * uniforms.inner) { return; }
        let o = index / uniforms.inner;
        let i = index - o * uniforms.inner;
        let start = o * uniforms.reduce * uniforms.inner + i;
        ${op === 'max' ? 'var s = x[start];' : 'var s = 0.0;'}
        for (var r = ${op === 'max' ? 1 : 0}; r < uniforms.reduce; r = r + 1) {
          ${op === 'max' ? 's = max(s, x[start + r * uniforms.inner]);' : 's = s + x[start + r * uniforms.inner];'}
        }
        ${op === 'mean' ? 'setOutputAtIndex(index, s / f32(uniforms.reduce));' : 'setOutputAtIndex(index, s);'}
      }
    `,
  };
}

/** One thread per row of `shape` (the last axis is the row). */
export function rowSoftmaxProgram(shape: number[], rows: number): WebGPUProgram {
  return {
    variableNames: ['x'],
    outputShape: shape,
    shaderKey: 'lowbit_row_softmax',
    dispatchLayout: { x: shape.map((_, i) => i) },
    dispatch: [Math.ceil(rows / ROWS_WORKGROUP), 1, 1],
    workgroupSize: [ROWS_WORKGROUP, 1, 1],
    uniforms: 'rows : i32, n : i32,',
    getUserCode: () => `
      fn main(index : i32) {
        if (index >= uniforms.rows) { return; }
        let start = index * uniforms.n;
        var m = x[start];
        for (var k = 1; k < uniforms.n; k = k + 1) { m = max(m, x[start + k]); }
        var s = 0.0;
        for (var k = 0; k < uniforms.n; k = k + 1) { s = s + exp(x[start + k] - m); }
        for (var k = 0; k < uniforms.n; k = k + 1) { setOutputAtIndex(start + k, exp(x[start + k] - m) / s); }
      }
    `,
  };
}
