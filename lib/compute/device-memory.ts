/**
 * What the GPU backend holds, as tfjs counts it, and a bound on WebGL's texture pool.
 *
 * tfjs's WebGL backend keeps released textures in a pool for reuse, and by default never frees
 * them (flag WEBGL_DELETE_TEXTURE_THRESHOLD = -1): a training loop whose intermediate shapes vary
 * can leave hundreds of megabytes of idle textures for a few megabytes of live tensors. With a
 * threshold T (bytes), a released texture is deleted instead of pooled once the backend has more
 * than T allocated (tfjs-backend-webgl texture_manager.ts releaseTexture), so the pool stays near
 * max(T, what is live).
 */
import type * as TF from '@tensorflow/tfjs-core';

/** The texture pool bound this course sets on WebGL: 64 MiB. */
export const WEBGL_TEXTURE_POOL_BYTES = 64 * 2 ** 20;

/** Sets WEBGL_DELETE_TEXTURE_THRESHOLD when the active backend is WebGL (a no-op elsewhere). */
export function boundWebGLTexturePool(tf: typeof TF, bytes = WEBGL_TEXTURE_POOL_BYTES): void {
  if (tf.getBackend() === 'webgl') tf.env().set('WEBGL_DELETE_TEXTURE_THRESHOLD', bytes);
}

/** Bytes the backend holds for live tensors, and what it has allocated in all (pool included), when it says. */
export interface DeviceMemory {
  /** Live tensors' bytes on the device (tf.memory().numBytesInGPU); null on the CPU backend. */
  inUse: number | null;
  /** Everything allocated on the device, idle textures or buffers included; null when the backend does not say. */
  allocated: number | null;
}

/**
 * Reads tf.memory(): WebGL reports numBytesInGPU and numBytesInGPUAllocated, WebGPU
 * numBytesInGPU and numBytesAllocatedInGPU, the CPU backend neither.
 */
export function deviceMemory(memory: TF.MemoryInfo): DeviceMemory {
  const m = memory as TF.MemoryInfo & { numBytesInGPU?: number; numBytesInGPUAllocated?: number; numBytesAllocatedInGPU?: number };
  const num = (v: unknown) => (typeof v === 'number' && Number.isFinite(v) ? v : null);
  return { inUse: num(m.numBytesInGPU), allocated: num(m.numBytesInGPUAllocated ?? m.numBytesAllocatedInGPU) };
}
