/**
 * Weight fake quantization for QAT in one WebGPU dispatch per direction (kernels/fake-quant.ts),
 * used by lib/train/fake-quant.ts fakeQuantWeight when tfjs runs on WebGPU. The same function as
 * lib/quant/qat.ts fakeQuantizeWeight; the "Check your GPU" page compares the two.
 */
import type { Tensor } from '@tensorflow/tfjs-core';
import type { WebGPUBackend } from '@tensorflow/tfjs-backend-webgpu';
import type { WeightFakeQuantOptions } from '../quant/qat';
import { integerRange } from '../quant/affine';
import type { Tfjs } from './index';
import { fakeQuantBackwardProgram, fakeQuantForwardProgram } from './kernels/fake-quant';

/** The active tfjs backend if it is WebGPU (it can run WGSL programs), else null. */
export function activeWebGPU(tf: Tfjs): WebGPUBackend | null {
  if (tf.getBackend() !== 'webgpu') return null;
  const b = tf.backend() as Partial<WebGPUBackend>;
  return typeof b.runWebGPUProgram === 'function' ? (b as WebGPUBackend) : null;
}

function uniforms(slices: number, width: number, o: WeightFakeQuantOptions) {
  const { qmin, qmax } = integerRange(o.bits, o.symmetric);
  return [
    { type: 'int32', data: [slices] },
    { type: 'int32', data: [width] },
    { type: 'int32', data: [qmin] },
    { type: 'int32', data: [qmax] },
    { type: 'int32', data: [o.symmetric ? 1 : 0] },
  ];
}

/**
 * y = fake-quantized x (shape [rows, cols], slices of `width` columns) on the GPU; with `dy`, the
 * straight-through gradient dy · mask instead. The caller checks the options (lib/quant/qat.ts).
 */
export function fakeQuantOnDevice(tf: Tfjs, webgpu: WebGPUBackend, x: Tensor, width: number, o: WeightFakeQuantOptions, dy?: Tensor): Tensor {
  const n = x.size;
  const slices = n / width;
  const program = dy ? fakeQuantBackwardProgram(n, slices) : fakeQuantForwardProgram(n, slices);
  const info = webgpu.runWebGPUProgram(program, dy ? [x, dy] : [x], 'float32', uniforms(slices, width, o));
  return tf.reshape(tf.engine().makeTensorFromTensorInfo(info), x.shape);
}
