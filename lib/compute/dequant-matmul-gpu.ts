/**
 * Runs the tiled dequantize-and-multiply (kernels/dequant-matmul.ts) on WebGPU: a Linear layer over
 * many rows — a prompt's prefill, perplexity windows, a QLoRA training batch — read from the weight's
 * packed words, with the input's gradient read from them too, so no float32 copy of the weight is
 * made forward or backward. CPU twin: lib/model/decode-reference.ts `dequantMatMulReference`.
 */
import type { Tensor, Tensor2D } from '@tensorflow/tfjs-core';
import type { WebGPUBackend } from '@tensorflow/tfjs-backend-webgpu';
import type { Tfjs } from './index';
import type { MatVecWeight } from './matvec-gpu';
import { dequantMatMulGradProgram, dequantMatMulProgram, dequantMatMulUniforms, dequantMatMulUnsupported } from './kernels/dequant-matmul';

/** Why `x` [M, K] · W'ᵀ cannot take the kernels for this weight (null when it can). */
export function dequantMatMulWeightUnsupported(w: MatVecWeight, M: number): string | null {
  return dequantMatMulUnsupported(w.format, M, w.shape[0], w.shape[1], w.layout.groupSize || 64, w.layout.blockSize || 64);
}

function check(w: MatVecWeight, x: Tensor): [M: number, N: number, K: number] {
  if (x.rank !== 2) throw new RangeError(`x must be 2-D [rows, ${w.shape[1]}], got rank ${x.rank}.`);
  const [M, K] = x.shape as [number, number];
  const [N, wK] = w.shape;
  if (K !== wK) throw new RangeError(`x has ${K} columns; the weight has ${wK}.`);
  const why = dequantMatMulWeightUnsupported(w, M);
  if (why) throw new RangeError(`The dequantizing matmul cannot take this weight: ${why}.`);
  return [M, N, K];
}

/** Y [M, N] = x [M, K] · W'ᵀ (+ bias) in one dispatch; a new tensor the caller disposes. Throws for a weight the kernel does not take. */
export function runDequantMatMul(tf: Tfjs, webgpu: WebGPUBackend, x: Tensor, w: MatVecWeight, bias?: Tensor): Tensor2D {
  const [M, N, K] = check(w, x);
  if (bias && bias.size !== N) throw new RangeError(`The bias has ${bias.size} values; the weight has ${N} rows.`);
  const program = dequantMatMulProgram(w.format, M, N, !!bias);
  const info = webgpu.runWebGPUProgram(program, [x, ...w.inputs, ...(bias ? [bias] : [])], 'float32', dequantMatMulUniforms(M, N, K, w.layout));
  return tf.engine().makeTensorFromTensorInfo(info) as Tensor2D;
}

/** dX [M, K] = dy [M, N] · W' in one dispatch; a new tensor the caller disposes. */
export function runDequantMatMulGrad(tf: Tfjs, webgpu: WebGPUBackend, dy: Tensor, w: MatVecWeight): Tensor2D {
  const [N, K] = w.shape;
  if (dy.rank !== 2 || dy.shape[1] !== N) throw new RangeError(`dy must be [rows, ${N}], got [${dy.shape.join(', ')}].`);
  const M = dy.shape[0] as number;
  const why = dequantMatMulWeightUnsupported(w, M);
  if (why) throw new RangeError(`The dequantizing matmul cannot take this weight: ${why}.`);
  const info = webgpu.runWebGPUProgram(dequantMatMulGradProgram(w.format, M, K), [dy, ...w.inputs], 'float32', dequantMatMulUniforms(M, N, K, w.layout));
  return tf.engine().makeTensorFromTensorInfo(info) as Tensor2D;
}

/**
 * y = x W'ᵀ + b as a differentiable op of x: forward runDequantMatMul, gradient dy · W' by
 * runDequantMatMulGrad. W' and b are frozen (no gradient flows to them: a QLoRA base, a quantized
 * model's weight); a tape that needs their gradients must not use this op.
 */
export function dequantLinear(tf: Tfjs, webgpu: WebGPUBackend, x: Tensor2D, w: MatVecWeight, bias?: Tensor): Tensor2D {
  // customGrad hands the inputs first and its save function last; only x is an input here.
  const op = tf.customGrad((...args: unknown[]) => ({
    value: runDequantMatMul(tf, webgpu, args[0] as Tensor, w, bias),
    gradFunc: (dy: Tensor) => runDequantMatMulGrad(tf, webgpu, dy, w),
  }));
  return op(x) as Tensor2D;
}
