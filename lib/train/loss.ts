/**
 * The training loss: mean next-token cross-entropy over every position of a batch, in nats per
 * token, as nanoGPT trains with F.cross_entropy(logits.view(-1, V), targets.view(-1)):
 *
 *   L = −(1 / (B·T)) Σ_{b,t} log softmax(z_{b,t})[y_{b,t}]
 *
 * computed on the backend as a scalar tensor so that tf.variableGrads can differentiate it
 * (lib/model/eval crossEntropy is the same function in float64 on read-back logits).
 */
import type { Scalar } from '@tensorflow/tfjs-core';
import type { Tfjs } from '../compute';
import type { TinyLM } from '../model/tiny-lm';

export function nextTokenLoss(tf: Tfjs, model: TinyLM, inputs: readonly (readonly number[])[], targets: readonly (readonly number[])[]): Scalar {
  const V = model.config.vocab_size;
  if (targets.length !== inputs.length || targets.some((t, b) => t.length !== inputs[b].length)) throw new RangeError('Every input sequence needs a target sequence of the same length.');
  const ys = targets.flat();
  ys.forEach((y, i) => {
    if (!Number.isInteger(y) || y < 0 || y >= V) throw new RangeError(`Target ${i} is ${y}, outside the vocabulary 0..${V - 1}.`);
  });
  return tf.tidy(() => {
    const logits = tf.reshape(model.logitsBatchTensor(inputs), [-1, V]);
    const onehot = tf.oneHot(tf.tensor1d(ys, 'int32'), V);
    return tf.neg(tf.mean(tf.sum(tf.mul(tf.logSoftmax(logits), onehot), 1))) as Scalar;
  });
}
