/**
 * A Linear weight held on the compute backend in one of the lesson's storage formats
 * (lib/quant/weight-formats.ts) and expanded to float32 on demand. On WebGPU the packed words and
 * their scales are uploaded as they are stored and a WGSL kernel unpacks them (kernels/unpack.ts;
 * NF4 + DQ through nf4-gpu.ts as is). WebGL and the CPU backend cannot run those kernels, so there
 * the weight is dequantized once by the CPU reference and kept as float32: the values are the
 * format's, the memory is not.
 */
import type { Tensor } from '@tensorflow/tfjs-core';
import { dequantizeWeight, INT4_GROUP_SIZE, type StoredWeight } from '../quant/weight-formats';
import type { Compute } from './index';
import { unpackProgram, unpackUniforms } from './kernels/unpack';
import { uploadNF4Weight } from './nf4-gpu';

export interface DeviceWeight {
  readonly format: StoredWeight['format'];
  readonly shape: readonly [number, number];
  /**
   * 'packed': the backend holds the stored format (always on WebGPU; fp32 everywhere);
   * 'float32': the CPU-dequantized values, on a backend without the unpacking kernels.
   */
  readonly residency: 'packed' | 'float32';
  /** Bytes tf.memory().numBytes gained at upload (NF4 also uploads its 1,088-byte lookup tables). */
  readonly measuredDeviceBytes: number;
  /** A new float32 tensor of the weight's shape; the caller disposes it. */
  dequantize(): Tensor;
  dispose(): void;
}

/** Uploads a stored weight; see the module comment for what each backend holds. */
export function uploadStoredWeight(compute: Compute, w: StoredWeight): DeviceWeight {
  const { tf, webgpu } = compute;
  const shape = w.shape;
  const before = tf.memory().numBytes;
  const parts: Tensor[] = [];
  let residency: 'packed' | 'float32' = 'packed';
  let expand: () => Tensor;
  let release = () => { for (const p of parts) p.dispose(); };

  if (w.format === 'fp32') {
    parts.push(tf.tensor2d(w.values, [...shape], 'float32'));
    expand = () => tf.clone(parts[0]);
  } else if (!webgpu) {
    residency = 'float32';
    parts.push(tf.tensor2d(dequantizeWeight(w), [...shape], 'float32'));
    expand = () => tf.clone(parts[0]);
  } else if (w.format === 'nf4-dq') {
    const nf4 = uploadNF4Weight(compute, w.nf4);
    expand = () => tf.tidy(() => tf.reshape(nf4.dequantize(), [...shape]));
    release = () => nf4.dispose();
  } else {
    const format = w.format;
    parts.push(tf.tensor1d(w.words, 'int32'));
    let groupSize = 0, groupsPerRow = 0;
    if (format === 'int8-channel') parts.push(tf.tensor1d(w.scale, 'float32'));
    if (format === 'int4-group64') {
      parts.push(tf.tensor1d(w.scale, 'float32'), tf.tensor1d(w.zeroWords, 'int32'));
      groupSize = INT4_GROUP_SIZE;
      groupsPerRow = w.groupsPerRow;
    }
    const uniforms = unpackUniforms(shape, groupSize, groupsPerRow, format);
    expand = () => tf.engine().makeTensorFromTensorInfo(webgpu.runWebGPUProgram(unpackProgram(format, shape), parts, 'float32', uniforms));
  }
  const measuredDeviceBytes = tf.memory().numBytes - before;

  let disposed = false;
  return {
    format: w.format, shape, residency, measuredDeviceBytes,
    dequantize: () => {
      if (disposed) throw new Error('This weight was disposed');
      return expand();
    },
    dispose: () => {
      if (disposed) return;
      disposed = true;
      release();
    },
  };
}
