/**
 * Runs the fused dequantize-and-multiply (kernels/matvec.ts) on WebGPU for one input vector: the
 * Linear layers of a decode step, read from their packed words. CPU twin: lib/model/decode-reference.ts.
 */
import type { Tensor, Tensor1D } from '@tensorflow/tfjs-core';
import type { WeightFormat } from '../quant/weight-formats';
import type { Compute } from './index';
import type { GeluForm } from './kernels/decode-wgsl';
import { matVecProgram, matVecUniforms, matVecUnsupported, type MatVecLayout } from './kernels/matvec';

/** A Linear weight [rows, cols] as kernels/matvec.ts reads it: the format's device tensors, in order, and their layout. */
export interface MatVecWeight {
  readonly format: WeightFormat;
  readonly shape: readonly [number, number];
  readonly inputs: readonly Tensor[];
  readonly layout: MatVecLayout;
}

export interface MatVecEpilogue {
  bias?: Tensor;
  /** LayerNorm x before the product: `params` holds γ then β (2 · cols values; `layerNormParams` makes it). */
  layerNorm?: { params: Tensor; eps: number };
  /** GELU after the bias, exact ('erf') or GPT-2's tanh form (kernels/decode-wgsl.ts `geluFn`). */
  gelu?: GeluForm;
  /** Added last ([rows]). */
  residual?: Tensor;
}

/** γ and β of a LayerNorm in one tensor [2 · C], as the matvec's prologue reads them; the caller disposes it. */
export function layerNormParams(tf: Compute['tf'], weight: Tensor, bias: Tensor): Tensor1D {
  return tf.concat([tf.reshape(weight, [-1]), tf.reshape(bias, [-1])]) as Tensor1D;
}

/** Why `w` cannot take the fused path, null when it can (kernels/matvec.ts `matVecUnsupported`). */
export function matVecWeightUnsupported(w: MatVecWeight): string | null {
  return matVecUnsupported(w.format, w.shape[0], w.shape[1], w.layout.groupSize || 64, w.layout.blockSize || 64);
}

/**
 * y [rows] = epilogue(W' · prologue(x) + b) in one dispatch; a new tensor the caller disposes.
 * Throws without WebGPU, or for a weight the kernel does not take (matVecWeightUnsupported).
 */
export function runMatVec(compute: Compute, w: MatVecWeight, x: Tensor, o: MatVecEpilogue = {}): Tensor1D {
  const { tf, webgpu } = compute;
  if (!webgpu) throw new Error('The fused matvec needs WebGPU.');
  const why = matVecWeightUnsupported(w);
  if (why) throw new RangeError(`The fused matvec cannot take this weight: ${why}.`);
  const [rows, cols] = w.shape;
  if (x.size !== cols) throw new RangeError(`x has ${x.size} values; the weight has ${cols} columns.`);
  const opts = { layerNorm: !!o.layerNorm, bias: !!o.bias, gelu: o.gelu ?? null, residual: !!o.residual };
  const inputs = [...w.inputs, x, ...(o.bias ? [o.bias] : []), ...(o.layerNorm ? [o.layerNorm.params] : []), ...(o.residual ? [o.residual] : [])];
  const info = webgpu.runWebGPUProgram(matVecProgram(w.format, rows, opts), inputs, 'float32', matVecUniforms(rows, cols, w.layout, o.layerNorm?.eps ?? 0));
  return tf.engine().makeTensorFromTensorInfo(info) as Tensor1D;
}

/** A float32 2-D tensor [rows, cols] as an 'fp32' MatVecWeight (the tensor is borrowed, not copied); null unless 2-D. */
export function floatMatVecWeight(t: Tensor): MatVecWeight | null {
  return t.rank === 2 ? { format: 'fp32', shape: [t.shape[0] as number, t.shape[1] as number], inputs: [t], layout: {} } : null;
}
