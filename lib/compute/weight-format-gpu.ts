/**
 * A Linear weight held on the compute backend in one of the storage formats
 * (lib/quant/weight-formats.ts) and expanded to float32 on demand. On WebGPU the packed words and
 * their scales are uploaded as they are stored and the format's kernel unpacks them
 * (`WEIGHT_FORMAT_KERNELS`: kernels/unpack.ts, or NF4 + DQ through nf4-gpu.ts). WebGL and the CPU
 * backend cannot run those kernels, so there the weight is dequantized once by the CPU reference
 * and kept as float32: the values are the format's, the memory is not.
 */
import type { Tensor } from '@tensorflow/tfjs-core';
import { dequantizeWeight, INT4_GROUP_SIZE, type StoredWeight, type StoredWeightOf, type WeightFormat } from '../quant/weight-formats';
import type { Compute } from './index';
import type { MatVecLayout } from './kernels/matvec';
import { nf4DequantizeProgram } from './kernels/nf4';
import type { MatVecWeight } from './matvec-gpu';
import { unpackProgram, unpackUniforms, type UnpackFormat } from './kernels/unpack';
import { NF4_TABLE_BYTES, uploadNF4Weight } from './nf4-gpu';

/** A weight's buffers on the device: how to expand them to a new float32 tensor, and to free them. */
interface Uploaded {
  expand(): Tensor;
  release(): void;
  /** The packed tensors as kernels/matvec.ts reads them, and their layout (absent when the weight is held as float32). */
  matVec?: { inputs: readonly Tensor[]; layout: MatVecLayout };
}

/** How a format reaches the device on WebGPU. */
export interface FormatKernel<F extends WeightFormat> {
  /** The shaderKey of the program that expands the format, or null when none runs (fp32 keeps its values). */
  readonly shaderKey: string | null;
  /** Bytes of format-wide lookup tables uploaded with each weight (NF4's code books), 0 for none. */
  readonly tableBytes: number;
  /** Uploads the stored buffers on WebGPU (fp32, which runs no kernel, on any backend) and says how to expand them. */
  upload(compute: Compute, w: StoredWeightOf<F>): Uploaded;
}

/** An entry for a format that kernels/unpack.ts expands: its code words, then `constants` (scales, zero points). */
function unpacked<F extends UnpackFormat>(
  format: F,
  constants: (tf: Compute['tf'], w: StoredWeightOf<F>) => Tensor[] = () => [],
  groups: (w: StoredWeightOf<F>) => [groupSize: number, groupsPerRow: number] = () => [0, 0],
): FormatKernel<F> {
  return {
    shaderKey: unpackProgram(format, [1, 1]).shaderKey ?? null,
    tableBytes: 0,
    upload: ({ tf, webgpu }, w) => {
      if (!webgpu) throw new Error(`the ${format} unpack kernel needs WebGPU`);
      const parts = [tf.tensor1d(w.words, 'int32'), ...constants(tf, w)];
      const uniforms = unpackUniforms(w.shape, ...groups(w), format);
      return {
        expand: () => tf.engine().makeTensorFromTensorInfo(webgpu.runWebGPUProgram(unpackProgram(format, w.shape), parts, 'float32', uniforms)),
        release: () => { for (const p of parts) p.dispose(); },
        matVec: { inputs: parts, layout: { groupSize: groups(w)[0], groupsPerRow: groups(w)[1] } },
      };
    },
  };
}

/** Every storage format's kernel: a format missing here is a compile error. */
export const WEIGHT_FORMAT_KERNELS: { readonly [F in WeightFormat]: FormatKernel<F> } = {
  fp32: {
    shaderKey: null,
    tableBytes: 0,
    upload: ({ tf }, w) => {
      const t = tf.tensor2d(w.values, [...w.shape], 'float32');
      return { expand: () => tf.clone(t), release: () => t.dispose(), matVec: { inputs: [t], layout: {} } };
    },
  },
  fp16: unpacked('fp16'),
  bf16: unpacked('bf16'),
  'int8-channel': unpacked('int8-channel', (tf, w) => [tf.tensor1d(w.scale, 'float32')]),
  'int4-group64': unpacked(
    'int4-group64',
    (tf, w) => [tf.tensor1d(w.scale, 'float32'), tf.tensor1d(w.zeroWords, 'int32')],
    (w) => [INT4_GROUP_SIZE, w.groupsPerRow],
  ),
  'nf4-dq': {
    shaderKey: nf4DequantizeProgram(1).shaderKey ?? null,
    tableBytes: NF4_TABLE_BYTES,
    upload: (compute, w) => {
      const { tf } = compute;
      const nf4 = uploadNF4Weight(compute, w.nf4);
      return {
        expand: () => tf.tidy(() => tf.reshape(nf4.dequantize(), [...w.shape])),
        release: () => nf4.dispose(),
        matVec: { inputs: nf4.inputs, layout: { blockSize: w.nf4.blockSize, dqBlockSize: w.nf4.dqBlockSize, offset: w.nf4.absmax.offset } },
      };
    },
  },
};

/** The kernel entry of a stored weight's format. */
function kernelOf(w: StoredWeight): FormatKernel<WeightFormat> {
  return WEIGHT_FORMAT_KERNELS[w.format] as FormatKernel<WeightFormat>;
}

export interface DeviceWeight {
  readonly format: WeightFormat;
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
  /** The packed tensors for kernels/matvec.ts (lib/compute/matvec-gpu.ts `runMatVec`); null when the weight is held as float32. */
  matVecWeight(): MatVecWeight | null;
  dispose(): void;
}

/** Uploads a stored weight; see the module comment for what each backend holds. */
export function uploadStoredWeight(compute: Compute, w: StoredWeight): DeviceWeight {
  const { tf, webgpu } = compute;
  const shape = w.shape;
  const before = tf.memory().numBytes;
  let residency: 'packed' | 'float32' = 'packed';
  let device: Uploaded;
  if (webgpu || w.format === 'fp32') {
    // fp32 needs no kernel, so it is held as is on every backend.
    device = kernelOf(w).upload(compute, w);
  } else {
    residency = 'float32';
    const t = tf.tensor2d(dequantizeWeight(w), [...shape], 'float32');
    device = { expand: () => tf.clone(t), release: () => t.dispose() };
  }
  const measuredDeviceBytes = tf.memory().numBytes - before;

  let disposed = false;
  return {
    format: w.format, shape, residency, measuredDeviceBytes,
    dequantize: () => {
      if (disposed) throw new Error('This weight was disposed');
      return device.expand();
    },
    matVecWeight: () => {
      if (disposed) throw new Error('This weight was disposed');
      return residency === 'packed' && device.matVec ? { format: w.format, shape, ...device.matVec } : null;
    },
    dispose: () => {
      if (disposed) return;
      disposed = true;
      device.release();
    },
  };
}
