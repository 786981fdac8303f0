/**
 * Counting GPU dispatches: every tfjs WebGPU kernel, and every custom program of this course, goes
 * through the backend's runWebGPUProgram, once per compute pass it records. Wrapping that method for
 * the length of a call counts the passes the call queued — the number the fused decode kernels are
 * there to bring down (docs/numerics.md, "Decoding with a KV cache").
 */
import type { WebGPUBackend } from '@tensorflow/tfjs-backend-webgpu';
import type { Tfjs } from './index';

/** Runs `f` and returns its value with the number of programs it ran on WebGPU; null dispatches on another backend. */
export async function countDispatches<T>(tf: Tfjs, f: () => Promise<T>): Promise<{ value: T; dispatches: number | null }> {
  if (tf.getBackend() !== 'webgpu') return { value: await f(), dispatches: null };
  const backend = tf.backend() as unknown as WebGPUBackend;
  const original = backend.runWebGPUProgram;
  let dispatches = 0;
  backend.runWebGPUProgram = function (this: WebGPUBackend, ...args: Parameters<WebGPUBackend['runWebGPUProgram']>) {
    dispatches++;
    return original.apply(this, args);
  };
  try {
    return { value: await f(), dispatches };
  } finally {
    backend.runWebGPUProgram = original;
  }
}
