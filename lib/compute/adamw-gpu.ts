/**
 * Runs AdamW's step for one parameter on WebGPU in three dispatches (kernels/adamw.ts) instead of
 * about fifteen tf ops: the gradient's sum of squares (for the global norm), the new parameter, and
 * the new moments, held as one tensor [2n] (m then v). Formulas and the float64 twin:
 * lib/train/adamw.ts (`adamwStepReference`, `clipGradNormReference`).
 */
import type { Tensor } from '@tensorflow/tfjs-core';
import type { WebGPUBackend } from '@tensorflow/tfjs-backend-webgpu';
import type { Tfjs } from './index';
import { adamwMomentsProgram, adamwParamProgram, adamwUniforms, sumSquaresProgram, type AdamWStepConstants } from './kernels/adamw';

/** Σ x² as a one-value tensor [1]; the caller disposes it. */
export function sumSquaresOnDevice(tf: Tfjs, webgpu: WebGPUBackend, x: Tensor): Tensor {
  const info = webgpu.runWebGPUProgram(sumSquaresProgram(), [x], 'float32', [{ type: 'int32', data: [x.size] }]);
  return tf.engine().makeTensorFromTensorInfo(info);
}

/**
 * One AdamW update of a parameter: returns the new parameter (param's shape) and the new moments
 * [2n]; the caller assigns them and disposes the old. `coef` scales the gradient (clipping), or null.
 * Throws when the sizes disagree.
 */
export function adamwStepOnDevice(
  tf: Tfjs,
  webgpu: WebGPUBackend,
  param: Tensor,
  grad: Tensor,
  mv: Tensor,
  coef: Tensor | null,
  c: Omit<AdamWStepConstants, 'n' | 'clip'>,
): { param: Tensor; mv: Tensor } {
  const n = param.size;
  if (grad.size !== n || mv.size !== 2 * n) throw new RangeError(`AdamW on the device: the parameter has ${n} values, its gradient ${grad.size} and its moments ${mv.size} (want ${2 * n}).`);
  if (coef && coef.size !== 1) throw new RangeError(`The clipping coefficient must be one value, got ${coef.size}.`);
  const uniforms = adamwUniforms({ ...c, n, clip: coef !== null });
  // Without clipping the coefficient is not read; the gradient stands in for the binding.
  const k = coef ?? grad;
  const next = tf.engine().makeTensorFromTensorInfo(webgpu.runWebGPUProgram(adamwParamProgram(n), [param, grad, mv, k], 'float32', uniforms));
  const moments = tf.engine().makeTensorFromTensorInfo(webgpu.runWebGPUProgram(adamwMomentsProgram(n), [grad, mv, k], 'float32', uniforms));
  const shaped = tf.reshape(next, param.shape);
  next.dispose();
  return { param: shaped, mv: moments };
}
