/**
 * Drawing the next token on the backend, so that generation reads back one token id rather than
 * the logits: the same draw as sampling.ts `sampleToken` given the same uniform u, in float32.
 *
 *   temperature 0:  argmax z (tf.argMax: the first id of the largest logit, as `argmax`)
 *   otherwise:      e_i = exp((z_i − m) / τ) for the top-k ids (all without topK), 0 elsewhere;
 *                   id = #{i : Σ_{j ≤ i} e_j ≤ u · Σ_j e_j}, clamped to the last id with mass.
 *
 * The count is inverse transform sampling: the first id whose cumulative share exceeds u. It
 * differs from the float64 sampler only when u falls within float32 rounding of a boundary, and
 * when several logits tie with the k-th largest (all of them are kept here; `topKIds` keeps the lowest ids).
 */
import type { Scalar, Tensor1D } from '@tensorflow/tfjs-core';
import type { Tfjs } from '../compute';
import type { SamplingOptions } from './sampling';

/** The drawn id as an int32 scalar tensor the caller disposes; `logits` [vocab] is left alone. */
export function sampleOnDevice(tf: Tfjs, logits: Tensor1D, o: SamplingOptions, u: number): Scalar {
  return tf.tidy(() => {
    if (o.temperature === 0) return tf.cast(tf.argMax(logits), 'int32') as Scalar;
    const V = logits.shape[0];
    const m = tf.max(logits);
    let e = tf.exp(tf.div(tf.sub(logits, m), o.temperature));
    if (o.topK !== undefined && o.topK < V) {
      const kth = tf.slice(tf.topk(logits, o.topK).values, [o.topK - 1], [1]);
      e = tf.where(tf.greaterEqual(logits, kth), e, tf.zerosLike(e));
    }
    const cumulative = tf.cumsum(e);
    const below = tf.sum(tf.cast(tf.lessEqual(cumulative, tf.mul(tf.sum(e), u)), 'int32'));
    // Past the last id with mass (u within rounding of 1): that id, as the float64 sampler does.
    const hasMass = tf.cast(tf.greater(e, 0), 'int32');
    const lastWithMass = tf.sub(V - 1, tf.argMax(tf.reverse(hasMass)));
    return tf.cast(tf.minimum(below, lastWithMass), 'int32') as Scalar;
  });
}
