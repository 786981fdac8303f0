/**
 * A WeightStore of trainable tf.Variables, for full fine-tuning: every tensor of the model is a
 * variable that the optimizer updates in place. get(name) returns tf.clone(variable) — the Identity
 * kernel, a new handle on the same data whose gradient is the incoming gradient — so the forward
 * pass may dispose what it gets (as with every store) while tf.variableGrads still traces the
 * gradient back to the variable.
 */
import type { Tensor, Variable } from '@tensorflow/tfjs-core';
import type { Tfjs } from '../compute';
import type { WeightStore } from '../model/weights';
import './gradients';
import { checkTensorShapes } from '../model/float32-store';

export interface VariableWeightStore extends WeightStore {
  /** The variables by tensor name, in the order given. */
  readonly variables: ReadonlyMap<string, Variable>;
  /** Current values read back from the backend. */
  read(): Promise<Map<string, Float32Array>>;
}

/**
 * Uploads each tensor as a trainable float32 variable. `tensors` and `shapes` name the same tensors
 * and each array holds the product of its shape's values (RangeError naming the tensor otherwise).
 * bytesHeld() is the growth of tf.memory().numBytes during upload (4 bytes per value).
 */
export function createVariableStore(tf: Tfjs, tensors: ReadonlyMap<string, Float32Array>, shapes: ReadonlyMap<string, readonly number[]>): VariableWeightStore {
  checkTensorShapes(tensors, shapes);

  const before = tf.memory().numBytes;
  const variables = new Map<string, Variable>();
  for (const [name, data] of tensors) {
    variables.set(name, tf.tidy(() => tf.variable(tf.tensor(data, [...shapes.get(name)!], 'float32'), true)));
  }
  const bytes = tf.memory().numBytes - before;
  let disposed = false;

  const lookup = (name: string): Variable => {
    if (disposed) throw new Error('This weight store has been disposed.');
    const v = variables.get(name);
    if (!v) throw new RangeError(`The weight store has no tensor "${name}".`);
    return v;
  };

  return {
    format: 'fp32',
    residency: 'packed',
    trainable: true,
    variables,
    get: (name): Tensor => tf.clone(lookup(name)),
    shape: (name) => lookup(name).shape,
    bytesHeld: () => bytes,
    bitsPerWeight: () => 32,
    async read() {
      const out = new Map<string, Float32Array>();
      for (const [name] of variables) out.set(name, ((await lookup(name).data()) as Float32Array).slice());
      return out;
    },
    dispose() {
      if (disposed) return;
      disposed = true;
      for (const v of variables.values()) v.dispose();
      variables.clear();
    },
  };
}
