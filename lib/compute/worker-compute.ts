/**
 * tfjs inside a dedicated Web Worker (WebGPU is available there), for work that must not block the
 * page: the training loop. The page decides the backend (lib/compute `getCompute`, which honours
 * ?backend=) and hands its name to the worker, which starts that backend or falls back in the usual
 * order, WebGPU → WebGL → CPU (WebGL in a worker needs OffscreenCanvas; the CPU backend always works).
 */
import type { WebGPUBackend } from '@tensorflow/tfjs-backend-webgpu';
import { BACKEND_LABELS, BACKEND_ORDER, type BackendName } from './backend-choice';
import { boundWebGLTexturePool } from './device-memory';
import type { Compute } from './index';
import { deviceLostReason, type DeviceLostInfo } from './device-loss';
import { errorMessage } from '../errors';
import { installSoftwareKernels } from './software-kernels';

async function register(name: BackendName): Promise<void> {
  if (name === 'webgpu') await import('@tensorflow/tfjs-backend-webgpu');
  else if (name === 'webgl') await import('@tensorflow/tfjs-backend-webgl');
  else await import('@tensorflow/tfjs-backend-cpu');
}

/**
 * Starts tfjs on `preferred`, else on the next backend that starts; `software` is passed through from
 * the page's probe. `onLost` is called once, with a learner-readable sentence (lib/compute/device-loss),
 * if the worker's WebGPU device is lost: the worker must then be replaced (its tensors are gone).
 */
export async function initWorkerCompute(preferred: BackendName, software: boolean, onLost?: (reason: string) => void): Promise<Compute & { failures: string[] }> {
  const tf = await import('@tensorflow/tfjs-core');
  const failures: string[] = [];
  const order = [preferred, ...BACKEND_ORDER.slice(BACKEND_ORDER.indexOf(preferred) + 1)];
  for (const name of order) {
    try {
      await register(name);
      if (!(await tf.setBackend(name))) throw new Error('tfjs could not initialise it');
      await tf.ready();
      boundWebGLTexturePool(tf);
      const webgpu = name === 'webgpu' ? (tf.backend() as WebGPUBackend) : null;
      if (webgpu && software) installSoftwareKernels(tf); // tfjs's matmul and reductions are slow on CPU-emulated adapters (./software-kernels)
      const device = (webgpu as unknown as { device?: GPUDevice } | null)?.device;
      if (onLost && device?.lost) void device.lost.then((info: DeviceLostInfo) => onLost(deviceLostReason(info)));
      return { tf, backend: name, webgpu, software: name === 'webgpu' && software, failures };
    } catch (e) {
      failures.push(`${BACKEND_LABELS[name]} failed to start in the worker (${errorMessage(e)}).`);
    }
  }
  throw new Error(failures.join(' '));
}
