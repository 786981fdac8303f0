/**
 * The float32 WeightStore: every tensor uploaded once to the active backend as float32, which is
 * also its stored format (residency 'packed'). The baseline the quantized stores are measured against.
 */
import type { Tensor } from '@tensorflow/tfjs-core';
import { floatMatVecWeight } from '../compute/matvec-gpu';
import type { Tfjs } from '../compute';
import type { WeightStore } from './weights';

/**
 * A WeightStore over float32 tensors. `tensors` and `shapes` name the same tensors; each array must
 * hold shape[0] × shape[1] × … values (RangeError naming the tensor otherwise). The arrays are copied
 * before upload, so the caller may reuse them. `get(name)` returns `tf.clone` of the stored tensor: a
 * new handle on the same data (no copy), which the caller (or tf.tidy) disposes without freeing the
 * stored tensor. bytesHeld() is the growth of tf.memory().numBytes during upload (4 bytes per value);
 * bitsPerWeight() is 32.
 */
/**
 * Throws a RangeError naming the tensor unless every tensor has a shape whose element count is its
 * length, and every shape has a tensor.
 */
export function checkTensorShapes(tensors: ReadonlyMap<string, Float32Array>, shapes: ReadonlyMap<string, readonly number[]>): void {
  for (const [name, data] of tensors) {
    const shape = shapes.get(name);
    if (!shape) throw new RangeError(`Tensor "${name}" has no shape.`);
    const n = shape.reduce((a, b) => a * b, 1);
    if (n !== data.length) throw new RangeError(`Tensor "${name}" has ${data.length} values; shape [${shape.join(', ')}] needs ${n}.`);
  }
  for (const name of shapes.keys()) if (!tensors.has(name)) throw new RangeError(`Tensor "${name}" has a shape but no values.`);
}

export function createFloat32Store(tf: Tfjs, tensors: ReadonlyMap<string, Float32Array>, shapes: ReadonlyMap<string, readonly number[]>): WeightStore {
  checkTensorShapes(tensors, shapes);

  const before = tf.memory().numBytes;
  const stored = new Map<string, Tensor>();
  for (const [name, data] of tensors) stored.set(name, tf.keep(tf.tensor(data.slice(), [...shapes.get(name)!], 'float32')));
  return float32StoreOf(tf, stored, tf.memory().numBytes - before);
}

/**
 * The float32 WeightStore over tensors already on the backend (kept, float32), which it then owns
 * and disposes; `bytes` is what their upload added to tf.memory().numBytes. createFloat32Store
 * uploads arrays and calls this; a loader that uploads tensor by tensor as it reads a file
 * (gpt2-checkpoint.ts) calls it directly, so the file's float32 arrays are never all held at once.
 */
export function float32StoreOf(tf: Tfjs, stored: Map<string, Tensor>, bytes: number): WeightStore {
  let disposed = false;

  const lookup = (name: string): Tensor => {
    if (disposed) throw new Error('This weight store has been disposed.');
    const t = stored.get(name);
    if (!t) throw new RangeError(`The weight store has no tensor "${name}".`);
    return t;
  };

  return {
    format: 'fp32',
    residency: 'packed',
    get: (name) => tf.clone(lookup(name)),
    shape: (name) => lookup(name).shape,
    bytesHeld: () => bytes,
    bitsPerWeight: () => 32,
    matVecWeight: (name) => floatMatVecWeight(lookup(name)),
    dispose() {
      if (disposed) return;
      disposed = true;
      for (const t of stored.values()) t.dispose();
      stored.clear();
    },
  };
}
