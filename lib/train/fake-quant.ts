/**
 * Quantization-aware training's quantizers as tfjs ops with custom gradients, for the trainer's
 * 'qat' mode. Rules and CPU references: lib/quant/qat.ts (`fakeQuantizeWeight`, `lsq`);
 * docs/numerics.md "Quantization-aware training".
 *
 * - fakeQuantWeight: per-row or group-wise min/max fake quantization, re-ranged from the weight at
 *   every call, with the straight-through estimator (the gradient passes where the code was not
 *   clamped). The range is not trained (PyTorch's FakeQuantize with a min/max observer). On WebGPU
 *   it is one fused WGSL dispatch each way (lib/compute/fake-quant-gpu.ts).
 * - lsqFakeQuant: LSQ (Esser et al. 2019) with a trained step: gradients for the values and the step.
 */
import type { GradSaveFunc, Tensor, Tensor2D } from '@tensorflow/tfjs-core';
import type { CustomGradientFunc } from '@tensorflow/tfjs-core/dist/engine';
import type { Tfjs } from '../compute';
import { QPARAM_EPS, integerRange } from '../quant/affine';
import { weightGrid, type LsqRange, type WeightFakeQuantOptions } from '../quant/qat';
import { activeWebGPU, fakeQuantOnDevice } from '../compute/fake-quant-gpu';
import './gradients';

/**
 * y = (clamp(zp + round(w · (1/scale)), qmin, qmax) − zp) · scale per row or per group of w
 * [rows, cols], scale and zero point from the slice's min/max widened to hold 0 (affine.ts
 * computeQParams, in float32 as there); dy/dw = dy where zp + round(w/scale) lies in [qmin, qmax],
 * else 0. The caller checks `o` (lib/quant/qat.ts weightGrid and a group size dividing cols).
 */
export function fakeQuantWeight(tf: Tfjs, w: Tensor2D, o: WeightFakeQuantOptions): Tensor2D {
  const grid = weightGrid(o);
  const { qmin, qmax } = integerRange(grid.bits, grid.signed);
  const [rows, cols] = w.shape;
  const width = o.groupSize === -1 ? cols : o.groupSize;
  const webgpu = activeWebGPU(tf);
  if (webgpu) {
    // One WGSL dispatch each way (lib/compute/kernels/fake-quant.ts) instead of a chain of ops.
    const fused = tf.customGrad(((x: Tensor, save: GradSaveFunc) => {
      save([x]);
      return { value: fakeQuantOnDevice(tf, webgpu, x, width, o), gradFunc: (dy: Tensor, saved: Tensor[]) => fakeQuantOnDevice(tf, webgpu, saved[0], width, o, dy) };
    }) as unknown as CustomGradientFunc<Tensor>);
    return fused(w) as Tensor2D;
  }
  const op = tf.customGrad(((x: Tensor, save: GradSaveFunc) => {
    const g = tf.reshape(x, [(rows * cols) / width, width]);
    const lo = tf.minimum(tf.min(g, 1, true), 0);
    const hi = tf.maximum(tf.max(g, 1, true), 0);
    let scale: Tensor, zp: Tensor;
    if (o.symmetric) {
      scale = tf.maximum(tf.div(tf.maximum(tf.neg(lo), hi), (qmax - qmin) / 2), QPARAM_EPS);
      zp = tf.zerosLike(scale);
    } else {
      scale = tf.maximum(tf.div(tf.sub(hi, lo), qmax - qmin), QPARAM_EPS);
      zp = tf.clipByValue(tf.sub(qmin, tf.round(tf.div(lo, scale))), qmin, qmax);
    }
    const code = tf.add(zp, tf.round(tf.mul(g, tf.reciprocal(scale))));
    const y = tf.mul(tf.sub(tf.clipByValue(code, qmin, qmax), zp), scale);
    save([tf.cast(tf.logicalAnd(tf.greaterEqual(code, qmin), tf.lessEqual(code, qmax)), 'float32')]);
    return { value: tf.reshape(y, [rows, cols]), gradFunc: (dy: Tensor, saved: Tensor[]) => tf.mul(dy, tf.reshape(saved[0], [rows, cols])) };
  }) as unknown as CustomGradientFunc<Tensor>);
  return op(w) as Tensor2D;
}

/**
 * LSQ: y = round(clamp(v/s, −qn, qp)) · s, with s broadcast against v (a scalar, or [rows, 1] for a
 * step per row). Gradients: dv = dy inside (−qn, qp), else 0; ds = g · Σ dy · (round(v/s) − v/s
 * inside, −qn below, qp above), summed over the values sharing each step.
 */
export function lsqFakeQuant(tf: Tfjs, v: Tensor, s: Tensor, r: LsqRange, g: number): Tensor {
  const op = tf.customGrad(((x: Tensor, step: Tensor, save: GradSaveFunc) => {
    const q = tf.div(x, step);
    const below = tf.lessEqual(q, -r.qn);
    const above = tf.greaterEqual(q, r.qp);
    const rounded = tf.round(tf.clipByValue(q, -r.qn, r.qp));
    const inside = tf.cast(tf.logicalNot(tf.logicalOr(below, above)), 'float32');
    // ∂y/∂s: round(v/s) − v/s inside, −qn below, qp above (the rounded value is −qn or qp there).
    const dyds = tf.where(tf.logicalOr(below, above), rounded, tf.sub(rounded, q));
    save([inside, dyds]);
    return {
      value: tf.mul(rounded, step),
      gradFunc: (dy: Tensor, saved: Tensor[]) => {
        const [ins, dsLocal] = saved;
        let ds = tf.mul(tf.mul(dy, dsLocal), g);
        // Sum over the axes that s was broadcast along.
        const axes: number[] = [];
        const offset = ds.rank - step.rank;
        for (let a = 0; a < ds.rank; a++) if (a < offset || step.shape[a - offset] === 1) axes.push(a);
        if (axes.length) ds = tf.reshape(tf.sum(ds, axes), step.shape);
        return [tf.mul(dy, ins), ds];
      },
    };
  }) as unknown as CustomGradientFunc<Tensor>);
  return op(v, s);
}

/**
 * Fake quantization of x on one fixed affine range [lo, hi] (scalars, widened to hold 0), unsigned
 * codes 0 … 2^bits − 1: scale = max(ε, (hi − lo)/(2^bits − 1)), zp = clamp(−round(lo/scale)),
 * y = (clamp(zp + round(x · (1/scale)), 0, qmax) − zp) · scale, as affine.ts computeQParams and
 * fake-quantize.ts do. The STE passes dy to x where the code was not clamped; lo and hi get no
 * gradient (a static range is observed, not trained).
 */
export function fakeQuantRange(tf: Tfjs, x: Tensor, lo: Tensor, hi: Tensor, bits: number): Tensor {
  const qmax = 2 ** bits - 1;
  const op = tf.customGrad(((v: Tensor, a: Tensor, b: Tensor, save: GradSaveFunc) => {
    const l = tf.minimum(a, 0);
    const h = tf.maximum(b, 0);
    const scale = tf.maximum(tf.div(tf.sub(h, l), qmax), QPARAM_EPS);
    const zp = tf.clipByValue(tf.neg(tf.round(tf.div(l, scale))), 0, qmax);
    const code = tf.add(zp, tf.round(tf.mul(v, tf.reciprocal(scale))));
    const y = tf.mul(tf.sub(tf.clipByValue(code, 0, qmax), zp), scale);
    save([tf.cast(tf.logicalAnd(tf.greaterEqual(code, 0), tf.lessEqual(code, qmax)), 'float32')]);
    return {
      value: y,
      gradFunc: (dy: Tensor, saved: Tensor[]) => [tf.mul(dy, saved[0]), tf.zerosLike(a), tf.zerosLike(b)],
    };
  }) as unknown as CustomGradientFunc<Tensor>);
  return op(x, lo, hi);
}
