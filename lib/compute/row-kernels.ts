/**
 * tfjs's Sum, Mean, Max and Softmax on WebGPU, replaced by one-thread-per-output kernels
 * (lib/compute/kernels/rows.ts) on CPU-emulated adapters, as ./matmul-vec4 does for BatchMatMul.
 * Covered: float32 input; Sum, Mean and Max over one contiguous block of axes (any of them: the last
 * ones, as LayerNorm's moments or cross-entropy's row max, or the first ones, as a bias
 * gradient's sum over the batch);
 * Softmax over the last axis. Everything else keeps tfjs's kernel.
 */
import type { KernelFunc, TensorInfo } from '@tensorflow/tfjs-core';
import type { WebGPUBackend } from '@tensorflow/tfjs-backend-webgpu';
import type { Tfjs } from './index';
import { rowReduceProgram, rowSoftmaxProgram, type RowReduceOp } from './kernels/rows';
import { replaceWebGPUKernel, restoreWebGPUKernel } from './replace-kernel';

/** x viewed as [outer, reduce, inner] for a reduction over `axes`, and the output shape; null unless the axes are one contiguous block. */
export interface ReducePlan {
  outer: number;
  reduce: number;
  inner: number;
  outShape: number[];
}

/** WebGPU's limit on workgroups per dispatch dimension, at 64 threads a workgroup. */
const MAX_THREADS = 65535 * 64;

/**
 * The plan for a reduction of `shape` over `axis` (a number, a list, or null/empty for every
 * axis; negative counts from the end), keeping the reduced axes as 1 with keepDims (as tf.sum).
 * Null when the axes are not one contiguous block or a size is 0.
 */
export function reducePlan(shape: readonly number[], axis: number | readonly number[] | null | undefined, keepDims: boolean): ReducePlan | null {
  const rank = shape.length;
  const list = axis === null || axis === undefined || (Array.isArray(axis) && axis.length === 0) ? shape.map((_, i) => i) : typeof axis === 'number' ? [axis] : [...axis];
  const axes = [...new Set(list.map((a) => (a < 0 ? a + rank : a)))].sort((a, b) => a - b);
  if (axes.some((a) => !Number.isInteger(a) || a < 0 || a >= rank)) return null;
  if (rank === 0) return null;
  const first = axes[0], last = axes[axes.length - 1];
  if (last - first + 1 !== axes.length) return null;
  const size = (from: number, to: number) => shape.slice(from, to).reduce((p, d) => p * d, 1);
  const outer = size(0, first), reduce = size(first, last + 1), inner = size(last + 1, rank);
  if (outer < 1 || reduce < 1 || inner < 1 || outer * inner > MAX_THREADS) return null;
  const outShape = keepDims ? shape.map((d, i) => (i >= first && i <= last ? 1 : d)) : shape.filter((_, i) => i < first || i > last);
  return { outer, reduce, inner, outShape };
}

/** CPU twin of the reduce kernel: out[o, i] = Σ_r x[o, r, i] in float64 (÷ reduce for the mean), rounded to float32. */
export function reduceReference(x: Float32Array, plan: ReducePlan, op: RowReduceOp): Float32Array {
  const { outer, reduce, inner } = plan;
  const out = new Float32Array(outer * inner);
  for (let o = 0; o < outer; o++) {
    for (let i = 0; i < inner; i++) {
      let s = 0;
      if (op === 'max') {
        s = -Infinity;
        for (let r = 0; r < reduce; r++) s = Math.max(s, x[(o * reduce + r) * inner + i]);
      } else {
        for (let r = 0; r < reduce; r++) s += x[(o * reduce + r) * inner + i];
      }
      out[o * inner + i] = op === 'mean' ? s / reduce : s;
    }
  }
  return out;
}

/** CPU twin of the softmax kernel over rows of n: exp(x − max) / Σ exp(x − max), in float64, rounded to float32. */
export function softmaxReference(x: Float32Array, n: number): Float32Array {
  const out = new Float32Array(x.length);
  for (let start = 0; start < x.length; start += n) {
    let m = -Infinity;
    for (let k = 0; k < n; k++) m = Math.max(m, x[start + k]);
    let s = 0;
    for (let k = 0; k < n; k++) s += Math.exp(x[start + k] - m);
    for (let k = 0; k < n; k++) out[start + k] = Math.exp(x[start + k] - m) / s;
  }
  return out;
}

const int = (v: number) => ({ type: 'int32', data: [v] });

function reduceKernel(op: RowReduceOp): (args: Parameters<KernelFunc>[0]) => TensorInfo | null {
  return (args) => {
    const { x } = args.inputs as { x: TensorInfo };
    // Sum and Mean name their axes `axis`; Max names them `reductionIndices`.
    const { axis, reductionIndices, keepDims } = args.attrs as { axis?: number | number[]; reductionIndices?: number | number[]; keepDims: boolean };
    const plan = x.dtype === 'float32' ? reducePlan(x.shape, op === 'max' ? reductionIndices : axis, keepDims) : null;
    if (!plan || plan.outShape.length === 0) return null; // a scalar result: tfjs's kernel (one call per step)
    const program = rowReduceProgram(op, plan.outShape, plan.outer * plan.inner);
    return (args.backend as WebGPUBackend).runWebGPUProgram(program, [x], 'float32', [int(plan.outer), int(plan.reduce), int(plan.inner)]);
  };
}

function softmaxKernel(args: Parameters<KernelFunc>[0]): TensorInfo | null {
  const { logits } = args.inputs as { logits: TensorInfo };
  const { dim } = args.attrs as { dim: number };
  const rank = logits.shape.length;
  if (logits.dtype !== 'float32' || rank === 0 || (dim !== -1 && dim !== rank - 1)) return null;
  const n = logits.shape[rank - 1];
  const rows = logits.shape.slice(0, -1).reduce((p, d) => p * d, 1);
  if (n < 1 || rows < 1 || rows > MAX_THREADS) return null;
  return (args.backend as WebGPUBackend).runWebGPUProgram(rowSoftmaxProgram([...logits.shape], rows), [logits], 'float32', [int(rows), int(n)]);
}

/** Installs the row kernels for Sum, Mean, Max and Softmax on WebGPU in this realm (idempotent); returns how many were installed. */
export function installRowKernels(tf: Tfjs): number {
  return [replaceWebGPUKernel(tf, 'Sum', reduceKernel('sum')), replaceWebGPUKernel(tf, 'Mean', reduceKernel('mean')), replaceWebGPUKernel(tf, 'Max', reduceKernel('max')), replaceWebGPUKernel(tf, 'Softmax', softmaxKernel)].filter(Boolean).length;
}

/** Puts tfjs's own Sum, Mean, Max and Softmax back. */
export function uninstallRowKernels(tf: Tfjs): void {
  for (const name of ['Sum', 'Mean', 'Max', 'Softmax']) restoreWebGPUKernel(tf, name);
}
