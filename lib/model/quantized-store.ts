/**
 * A WeightStore that keeps the tiny GPT's Linear weights in a chosen storage format (the
 * quantized-inference comparison). The 2-D Linear weights — names ending in .c_attn.weight,
 * .c_proj.weight or .c_fc.weight, shape [out, in] — are stored in `format`
 * (lib/quant/weight-formats.ts) and expanded to float32 by a WGSL kernel each time the forward pass
 * asks for one. Everything else — the token and position embeddings (wte, wpe, and so the tied
 * output projection), LayerNorm weights and biases, every bias — stays float32 and is uploaded as
 * is, as bitsandbytes and QLoRA do: they quantize the Linear layers and keep embeddings and norms
 * in higher precision (a small share of the parameters, and the most sensitive to rounding).
 *
 * On WebGPU the backend holds the packed words (residency 'packed'). On WebGL or the CPU backend,
 * which cannot run the unpacking kernels, the store keeps the CPU reference's dequantized float32
 * values (residency 'float32'): the numbers are the format's, the memory is four bytes a weight.
 */
import type { Tensor } from '@tensorflow/tfjs-core';
import { floatMatVecWeight } from '../compute/matvec-gpu';
import type { Compute } from '../compute';
import { uploadStoredWeight, type DeviceWeight } from '../compute/weight-format-gpu';
import { errorMessage } from '../errors';
import { quantizeWeight, storedBytes, type WeightFormat } from '../quant/weight-formats';
import type { WeightStore } from './weights';

/** The Linear weights a quantized store keeps in its format (nanoGPT names, PyTorch [out, in]). */
export const QUANTIZED_WEIGHT_PATTERN = /\.(c_attn|c_proj|c_fc)\.weight$/;

/** Whether the store keeps tensor `name` in the store's format (true) or in float32. */
export function isQuantizedWeightName(name: string): boolean {
  return QUANTIZED_WEIGHT_PATTERN.test(name);
}

export interface QuantizedWeightStore extends WeightStore {
  /** Names of the tensors held in `format`, in the order given. */
  readonly quantizedNames: readonly string[];
}

/**
 * Quantizes the Linear weights on the CPU (lib/quant), uploads every tensor and returns the store.
 * Throws — after freeing what it had uploaded — for a tensor without a shape or whose shape does
 * not match its length, for a Linear weight that is not 2-D, and for what quantizeWeight refuses
 * (NaN or ±Infinity, a value beyond fp16's or bf16's range), naming the tensor.
 *
 * bytesHeld(): the sum of tf.memory().numBytes deltas over the uploads (NF4 + DQ counts the
 * 1,088-byte lookup tables it uploads with each weight). bitsPerWeight(): 8 × the bytes of the
 * stored representations of the Linear weights (words, scales, zero points, NF4's constants and
 * offset; lib/quant `storedBytes`) over their number of weights — the format's cost whatever the
 * residency; NaN when no tensor is a Linear weight.
 */
export function createQuantizedStore(
  compute: Compute,
  tensors: Map<string, Float32Array>,
  shapes: Map<string, number[]>,
  format: WeightFormat,
): QuantizedWeightStore {
  const { tf } = compute;
  const floats = new Map<string, Tensor>();
  const packed = new Map<string, DeviceWeight>();
  const shapeOf = new Map<string, readonly number[]>();
  const quantizedNames: string[] = [];
  let bytes = 0;
  let storedTotal = 0;
  let weights = 0;
  let disposed = false;

  const dispose = () => {
    if (disposed) return;
    disposed = true;
    for (const t of floats.values()) t.dispose();
    for (const w of packed.values()) w.dispose();
  };

  try {
    for (const [name, x] of tensors) {
      const shape = shapes.get(name);
      if (!shape) throw new Error(`tensor "${name}" has no shape`);
      const size = shape.reduce((a, b) => a * b, 1);
      if (!shape.every((d) => Number.isSafeInteger(d) && d >= 0) || size !== x.length) {
        throw new Error(`tensor "${name}" has ${x.length} values but shape [${shape.join(', ')}]`);
      }
      shapeOf.set(name, Object.freeze([...shape]));
      if (isQuantizedWeightName(name)) {
        if (shape.length !== 2) throw new Error(`Linear weight "${name}" must be 2-D [out, in], got shape [${shape.join(', ')}]`);
        let stored;
        try {
          stored = quantizeWeight(format, x, shape);
        } catch (e) {
          throw new Error(`tensor "${name}": ${errorMessage(e)}`);
        }
        const w = uploadStoredWeight(compute, stored);
        packed.set(name, w);
        quantizedNames.push(name);
        bytes += w.measuredDeviceBytes;
        storedTotal += storedBytes(stored);
        weights += x.length;
      } else {
        const before = tf.memory().numBytes;
        floats.set(name, tf.tensor(x, shape, 'float32'));
        bytes += tf.memory().numBytes - before;
      }
    }
  } catch (e) {
    dispose();
    throw e;
  }

  const residency = compute.webgpu || format === 'fp32' ? 'packed' : 'float32';
  const check = (name: string) => {
    if (disposed) throw new Error('This weight store was disposed');
    if (!shapeOf.has(name)) throw new Error(`No tensor named "${name}" in the weight store`);
  };

  return {
    format,
    residency,
    quantizedNames,
    get: (name) => {
      check(name);
      const w = packed.get(name);
      return w ? w.dequantize() : tf.clone(floats.get(name) as Tensor);
    },
    shape: (name) => {
      check(name);
      return shapeOf.get(name) as readonly number[];
    },
    bytesHeld: () => bytes,
    bitsPerWeight: () => (weights === 0 ? NaN : (8 * storedTotal) / weights),
    matVecWeight: (name) => {
      check(name);
      const w = packed.get(name);
      if (w) return w.matVecWeight();
      const t = floats.get(name) as Tensor;
      return floatMatVecWeight(t);
    },
    dispose,
  };
}
