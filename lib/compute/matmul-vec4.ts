/**
 * tfjs's BatchMatMul on WebGPU, replaced by register-tiled vec4 kernels
 * (lib/compute/kernels/matmul-vec4.ts) when the adapter emulates the GPU on the CPU. On SwiftShader
 * tfjs's own matmul (workgroup tiles and barriers) made a LoRA training step of the tiny model take
 * about 6 s against 0.7 s on WebGL on the same machine; these kernels run the model's products
 * several times faster there (lib/bench/train-bench `kernels` option). Every other backend, and every product
 * the kernels do not cover (int32 operands, K not a multiple of 4 with B transposed, N not a
 * multiple of 4 otherwise, both operands transposed, batch shapes that broadcast in other ways),
 * keeps tfjs's kernel. Gradients need nothing: tfjs differentiates BatchMatMul into further
 * BatchMatMul calls, which land here too.
 */
import type { TensorInfo } from '@tensorflow/tfjs-core';
import type { WebGPUBackend } from '@tensorflow/tfjs-backend-webgpu';
import type { Tfjs } from './index';
import { isReplacedWebGPUKernel, replaceWebGPUKernel, restoreWebGPUKernel } from './replace-kernel';
import { MATMUL_WORKGROUP, matMulVec4Program, matMulVec4Threads, type MatMulVec4Variant } from './kernels/matmul-vec4';

/** How one product runs on the vec4 kernels: sizes, batch strides (elements; 0 broadcasts) and output shape. */
export interface MatMulVec4Plan {
  variant: MatMulVec4Variant;
  M: number;
  N: number;
  K: number;
  batch: number;
  aBatch: number;
  bBatch: number;
  outShape: number[];
}

/** WebGPU's limit on workgroups per dispatch dimension. */
const MAX_WORKGROUPS = 65535;

const product = (s: readonly number[]) => s.reduce((p, d) => p * d, 1);
const sameShape = (a: readonly number[], b: readonly number[]) => a.length === b.length && a.every((d, i) => d === b[i]);

/**
 * The plan for tf.matMul(a, b, transposeA, transposeB) on the vec4 kernels, or null when they do
 * not cover it. With A [..., M, K] (or [..., K, M] transposed) and B [..., K, N] (or [..., N, K]):
 * 'nt' when only B is transposed and K % 4 = 0; 'nn' / 'tn' when B is not transposed and
 * N % 4 = 0. The batch dimensions must be equal, or one side's must all be 1 (broadcast).
 */
export function vec4MatMulPlan(aShape: readonly number[], bShape: readonly number[], transposeA: boolean, transposeB: boolean): MatMulVec4Plan | null {
  if (aShape.length < 2 || bShape.length < 2) return null;
  const [a0, a1] = aShape.slice(-2);
  const [b0, b1] = bShape.slice(-2);
  const M = transposeA ? a1 : a0, K = transposeA ? a0 : a1;
  const N = transposeB ? b0 : b1, bK = transposeB ? b1 : b0;
  if (K !== bK || M < 1 || N < 1 || K < 1) return null;
  let variant: MatMulVec4Variant;
  if (transposeB && !transposeA && K % 4 === 0) variant = 'nt';
  else if (!transposeB && N % 4 === 0) variant = transposeA ? 'tn' : 'nn';
  else return null;
  const aB = aShape.slice(0, -2), bB = bShape.slice(0, -2);
  const batchA = product(aB), batchB = product(bB);
  let outBatch: number[], aBatch = M * K, bBatch = K * N;
  if (sameShape(aB, bB)) outBatch = aB;
  else if (batchB === 1 && bB.length <= aB.length) {
    outBatch = aB;
    bBatch = 0;
  } else if (batchA === 1 && aB.length <= bB.length) {
    outBatch = bB;
    aBatch = 0;
  } else return null;
  const batch = product(outBatch);
  if (batch < 1) return null;
  if (Math.ceil(matMulVec4Threads(variant, batch, M, N) / MATMUL_WORKGROUP) > MAX_WORKGROUPS) return null;
  return { variant, M, N, K, batch, aBatch, bBatch, outShape: [...outBatch, M, N] };
}

/**
 * The CPU twin: C[b, m, n] = Σ_k A[b, m, k] · B[b, k, n] for a plan, in float64, rounded to float32
 * at the end (the kernels accumulate in float32, so they agree to float32 rounding of the sums).
 */
export function matMulReference(a: Float32Array, b: Float32Array, plan: MatMulVec4Plan): Float32Array {
  const { M, N, K, batch, aBatch, bBatch, variant } = plan;
  const out = new Float32Array(batch * M * N);
  for (let bi = 0; bi < batch; bi++) {
    const ao = bi * aBatch, bo = bi * bBatch;
    for (let m = 0; m < M; m++) {
      for (let n = 0; n < N; n++) {
        let s = 0;
        for (let k = 0; k < K; k++) {
          const x = variant === 'tn' ? a[ao + k * M + m] : a[ao + m * K + k];
          const y = variant === 'nt' ? b[bo + n * K + k] : b[bo + k * N + n];
          s += x * y;
        }
        out[bi * M * N + m * N + n] = s;
      }
    }
  }
  return out;
}

/** Runs one planned product on the WebGPU backend. */
export function runVec4MatMul(backend: WebGPUBackend, a: TensorInfo, b: TensorInfo, plan: MatMulVec4Plan): TensorInfo {
  const program = matMulVec4Program(plan.variant, plan.outShape, matMulVec4Threads(plan.variant, plan.batch, plan.M, plan.N));
  const int = (v: number) => ({ type: 'int32', data: [v] });
  return backend.runWebGPUProgram(program, [a, b], 'float32', [int(plan.M), int(plan.N), int(plan.K), int(plan.batch), int(plan.aBatch), int(plan.bBatch)]);
}

/**
 * Replaces the WebGPU backend's BatchMatMul kernel in this realm (./replace-kernel) with one that
 * runs the products vec4MatMulPlan covers on the vec4 kernels and hands the rest to tfjs's kernel.
 * Idempotent. Returns whether the kernel is now installed (false when tfjs has no WebGPU
 * BatchMatMul to wrap).
 */
export function installVec4MatMul(tf: Tfjs): boolean {
  return replaceWebGPUKernel(tf, 'BatchMatMul', (args) => {
    const { a, b } = args.inputs as { a: TensorInfo; b: TensorInfo };
    const { transposeA, transposeB } = args.attrs as { transposeA: boolean; transposeB: boolean };
    const plan = a.dtype === 'float32' && b.dtype === 'float32' ? vec4MatMulPlan(a.shape, b.shape, transposeA, transposeB) : null;
    return plan ? runVec4MatMul(args.backend as WebGPUBackend, a, b, plan) : null;
  });
}

/** Puts tfjs's own WebGPU BatchMatMul back (the benchmark compares the two); false if it was not replaced. */
export function uninstallVec4MatMul(tf: Tfjs): boolean {
  return restoreWebGPUKernel(tf, 'BatchMatMul');
}

/** Whether the vec4 kernels serve WebGPU's BatchMatMul in this realm now. */
export function vec4MatMulInstalled(tf: Tfjs): boolean {
  return isReplacedWebGPUKernel(tf, 'BatchMatMul');
}
