/**
 * Replacing one of tfjs's WebGPU kernels with a custom one that may decline a call (returning null),
 * in which case tfjs's own kernel runs it. tfjs's kernel registry is per JavaScript realm, so the
 * page and each worker replace kernels for themselves (lib/compute/software-kernels.ts).
 */
import type { KernelConfig, KernelFunc, TensorInfo } from '@tensorflow/tfjs-core';
import type { Tfjs } from './index';

/** Marks a config this module registered, holding the one it replaced. */
const REPLACED = 'lowbitReplaced';
type MarkedConfig = KernelConfig & { [REPLACED]?: KernelConfig };

const current = (tf: Tfjs, name: string) => tf.getKernel(name, 'webgpu') as MarkedConfig | undefined;

/**
 * Registers `run` for kernel `name` on WebGPU in front of tfjs's kernel: `run` returns its result,
 * or null to hand the call to tfjs's kernel. Idempotent (a replaced kernel stays as it is). False
 * when tfjs has no such WebGPU kernel.
 */
export function replaceWebGPUKernel(tf: Tfjs, name: string, run: (args: Parameters<KernelFunc>[0]) => TensorInfo | null): boolean {
  const original = current(tf, name);
  if (!original) return false;
  if (original[REPLACED]) return true;
  const fallback = original.kernelFunc;
  const kernelFunc: KernelFunc = (args) => run(args) ?? fallback(args);
  tf.unregisterKernel(name, 'webgpu');
  tf.registerKernel({ ...original, kernelFunc, [REPLACED]: original } as KernelConfig);
  return true;
}

/** Puts tfjs's own kernel `name` back; false if it was not replaced. */
export function restoreWebGPUKernel(tf: Tfjs, name: string): boolean {
  const original = current(tf, name)?.[REPLACED];
  if (!original) return false;
  tf.unregisterKernel(name, 'webgpu');
  tf.registerKernel(original);
  return true;
}

/** Whether kernel `name` on WebGPU is a replacement now. */
export function isReplacedWebGPUKernel(tf: Tfjs, name: string): boolean {
  return Boolean(current(tf, name)?.[REPLACED]);
}
