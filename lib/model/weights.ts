/**
 * How the tiny model gets its weights: from a WeightStore, which holds each tensor in some storage
 * format on the active backend and hands out float32 tensors on demand. The forward pass asks for a
 * weight, uses it and lets tf.tidy dispose it, so a store can keep a Linear weight packed (e.g. NF4
 * at about half a byte per weight) and expand it only for the matmul that needs it.
 */
import type { Tensor } from '@tensorflow/tfjs-core';
import type { MatVecWeight } from '../compute/matvec-gpu';
import type { WeightFormat } from '../quant/weight-formats';

/** The storage format type is the registry's (lib/quant/weight-formats.ts), named here for the stores' users. */
export type { WeightFormat };

export interface WeightStore {
  readonly format: WeightFormat;
  /**
   * 'packed': the backend holds the stored format itself (e.g. NF4 codes in u32 words on WebGPU);
   * 'float32': this backend cannot run the unpacking kernels, so the store keeps the dequantized
   * float32 values (the numbers are the format's, the memory is not).
   */
  readonly residency: 'packed' | 'float32';
  /** A float32 tensor of the weight's shape; the caller disposes it (tf.tidy does). */
  get(name: string): Tensor;
  /** The shape of a stored tensor. */
  shape(name: string): readonly number[];
  /** Bytes the backend holds for every tensor of the store (tf.memory accounting at upload). */
  bytesHeld(): number;
  /** Bits per weight of the quantized (2-D Linear) tensors, constants included. */
  bitsPerWeight(): number;
  /**
   * A 2-D weight as the fused decode kernels read it (lib/compute/matvec-gpu.ts): its stored tensors
   * on the device, not to be disposed by the caller. Null when the store cannot hand it out (held as
   * float32 for a format, not 2-D); absent in stores without the fused path.
   */
  matVecWeight?(name: string): MatVecWeight | null;
  /**
   * True when the store's tensors are trained (full fine-tuning's variables): the model's fused ops
   * then pass gradients to every weight they read. Absent or false: the weights are constants.
   */
  readonly trainable?: boolean;
  dispose(): void;
}
