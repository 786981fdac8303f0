/**
 * Self-test of the software-adapter kernels (./software-kernels: the vec4 matmul, the row
 * reductions and softmax) against their CPU twins (matMulReference, reduceReference,
 * softmaxReference) on seeded tensors shaped as the tiny model's training step uses them. The
 * kernels run directly — whichever kernels tfjs itself uses on this adapter — so the check means the
 * same on a real GPU. The kernels accumulate in float32 and the references in float64: a case
 * passes when the largest difference is at most SOFTWARE_KERNEL_TOLERANCE of the largest |value|
 * of the result.
 */
import type { TensorInfo } from '@tensorflow/tfjs-core';
import { errorMessage } from '../errors';
import { mulberry32 } from '../random';
import { activeWebGPU } from './fake-quant-gpu';
import type { Compute } from './index';
import { matMulReference, runVec4MatMul, vec4MatMulPlan } from './matmul-vec4';
import { reducePlan, reduceReference, softmaxReference } from './row-kernels';
import { rowReduceProgram, rowSoftmaxProgram } from './kernels/rows';

export type SoftwareKernelCase =
  | { name: string; kind: 'matmul'; a: number[]; b: number[]; transposeA: boolean; transposeB: boolean; seed: number }
  | { name: string; kind: 'sum' | 'mean' | 'max'; shape: number[]; axis: number[]; seed: number }
  | { name: string; kind: 'softmax'; shape: number[]; seed: number; masked?: boolean };

export const SOFTWARE_KERNEL_CASES: readonly SoftwareKernelCase[] = [
  { name: 'x Wᵀ, 512 × 128 by 384 × 128 (c_attn forward)', kind: 'matmul', a: [512, 128], b: [384, 128], transposeA: false, transposeB: true, seed: 41 },
  { name: 'dy W, 512 × 384 by 384 × 128 (its input gradient)', kind: 'matmul', a: [512, 384], b: [384, 128], transposeA: false, transposeB: false, seed: 42 },
  { name: 'dyᵀ x, 512 × 384 and 512 × 128 (its weight gradient)', kind: 'matmul', a: [512, 384], b: [512, 128], transposeA: true, transposeB: false, seed: 43 },
  { name: 'q kᵀ per head, 32 × 64 × 32 (attention scores)', kind: 'matmul', a: [32, 64, 32], b: [32, 64, 32], transposeA: false, transposeB: true, seed: 44 },
  { name: 'Odd sizes, 37 × 12 by 5 × 12', kind: 'matmul', a: [37, 12], b: [5, 12], transposeA: false, transposeB: true, seed: 45 },
  { name: 'Row sums, 512 × 63 (cross-entropy)', kind: 'sum', shape: [512, 63], axis: [1], seed: 46 },
  { name: 'Column sums, 512 × 384 (a bias gradient)', kind: 'sum', shape: [512, 384], axis: [0], seed: 47 },
  { name: 'Row means, 512 × 128 (LayerNorm)', kind: 'mean', shape: [512, 128], axis: [1], seed: 48 },
  { name: 'Row maxima, 512 × 63 (cross-entropy’s log-softmax)', kind: 'max', shape: [512, 63], axis: [1], seed: 50 },
  { name: 'Softmax, 32 × 64 × 64, causal mask (−1e9)', kind: 'softmax', shape: [32, 64, 64], seed: 49, masked: true },
];

/** Largest difference allowed, relative to the largest |value| of the result. */
export const SOFTWARE_KERNEL_TOLERANCE = 1e-5;

export interface SoftwareKernelResult {
  name: string;
  elements: number;
  path: 'webgpu' | 'cpu-reference';
  /** Largest |GPU − reference| over the largest |reference|. */
  relativeError: number;
  gpuMs: number;
  cpuMs: number;
  passed: boolean;
  error?: string;
}

const size = (s: readonly number[]) => s.reduce((p, d) => p * d, 1);

function seeded(n: number, seed: number): Float32Array {
  const r = mulberry32(seed);
  return Float32Array.from({ length: n }, () => r() * 2 - 1);
}

/** Runs one case on the GPU kernel (after a warm-up that compiles it) and on the CPU twin. */
export async function runSoftwareKernelCase(compute: Compute, c: SoftwareKernelCase): Promise<SoftwareKernelResult> {
  const { tf } = compute;
  const inputs = c.kind === 'matmul' ? [c.a, c.b] : [c.shape];
  const values = inputs.map((s, i) => seeded(size(s), c.seed * 7 + i));
  if (c.kind === 'softmax' && c.masked) {
    const n = c.shape[c.shape.length - 1];
    values[0].forEach((_, i) => {
      if (i % n > Math.floor(i / n) % n) values[0][i] = -1e9;
    });
  }
  let t0 = performance.now();
  let want: Float32Array, outShape: number[], gpu: (infos: TensorInfo[]) => TensorInfo;
  const webgpu = activeWebGPU(tf);
  const int = (v: number) => ({ type: 'int32', data: [v] });
  if (c.kind === 'matmul') {
    const plan = vec4MatMulPlan(c.a, c.b, c.transposeA, c.transposeB)!;
    want = matMulReference(values[0], values[1], plan);
    outShape = plan.outShape;
    gpu = ([a, b]) => runVec4MatMul(webgpu!, a, b, plan);
  } else if (c.kind === 'softmax') {
    const n = c.shape[c.shape.length - 1];
    want = softmaxReference(values[0], n);
    outShape = c.shape;
    gpu = ([x]) => webgpu!.runWebGPUProgram(rowSoftmaxProgram(c.shape, size(c.shape) / n), [x], 'float32', [int(size(c.shape) / n), int(n)]);
  } else {
    const plan = reducePlan(c.shape, c.axis, false)!;
    want = reduceReference(values[0], plan, c.kind);
    outShape = plan.outShape;
    gpu = ([x]) => webgpu!.runWebGPUProgram(rowReduceProgram(c.kind, plan.outShape, plan.outer * plan.inner), [x], 'float32', [int(plan.outer), int(plan.reduce), int(plan.inner)]);
  }
  const cpuMs = performance.now() - t0;
  const base = { name: c.name, elements: size(outShape) };
  if (!webgpu) return { ...base, path: 'cpu-reference', relativeError: 0, gpuMs: NaN, cpuMs, passed: true };
  const tensors = inputs.map((s, i) => tf.tensor(values[i], s, 'float32'));
  try {
    const run = () => tf.engine().makeTensorFromTensorInfo(gpu(tensors));
    run().dispose(); // compiles
    t0 = performance.now();
    const y = run();
    const got = (await y.data()) as Float32Array;
    const gpuMs = performance.now() - t0;
    y.dispose();
    let maxDiff = 0, maxRef = 0;
    got.forEach((v, i) => {
      maxDiff = Math.max(maxDiff, Math.abs(v - want[i]));
      maxRef = Math.max(maxRef, Math.abs(want[i]));
    });
    const relativeError = got.length === want.length ? maxDiff / Math.max(maxRef, Number.MIN_VALUE) : Infinity;
    const passed = relativeError <= SOFTWARE_KERNEL_TOLERANCE;
    return { ...base, path: 'webgpu', relativeError, gpuMs, cpuMs, passed, error: passed ? undefined : `differs by ${relativeError.toExponential(2)} of the largest value` };
  } catch (e) {
    return { ...base, path: 'webgpu', relativeError: NaN, gpuMs: NaN, cpuMs, passed: false, error: errorMessage(e) };
  } finally {
    tf.dispose(tensors);
  }
}
