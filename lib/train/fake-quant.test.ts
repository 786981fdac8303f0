import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-cpu';
import { beforeAll, describe, expect, it } from 'vitest';
import { fakeQuantizeWeight, lsq, lsqInitialStep, lsqRange } from '../quant/qat';
import { syntheticMatrix } from '../tensors/synthetic';
import { fakeQuantWeight, lsqFakeQuant } from './fake-quant';

beforeAll(async () => {
  await tf.setBackend('cpu');
});

describe('fakeQuantWeight (tfjs, custom gradient)', () => {
  it('matches lib/quant fakeQuantizeWeight bit for bit, and passes dy exactly where the STE mask is 1', () => {
    const w = syntheticMatrix({ distribution: 'outliers', rows: 8, cols: 64, seed: 3 });
    const dy = syntheticMatrix({ distribution: 'normal', rows: 8, cols: 64, seed: 4 });
    for (const bits of [2, 4, 8]) {
      for (const groupSize of [-1, 16]) {
        for (const symmetric of [false, true]) {
          const o = { bits, groupSize, symmetric };
          const want = fakeQuantizeWeight(w, [8, 64], o);
          const x = tf.tensor2d(w, [8, 64]);
          const y = fakeQuantWeight(tf, x, o);
          expect(y.dataSync(), JSON.stringify(o)).toEqual(want.y);
          const g = tf.grad((t: tf.Tensor) => fakeQuantWeight(tf, t as tf.Tensor2D, o))(x, tf.tensor2d(dy, [8, 64]));
          expect(Array.from(g.dataSync())).toEqual(Array.from(dy, (d, i) => Math.fround(d * want.mask[i])));
          tf.dispose([x, y, g]);
        }
      }
    }
  });

  it('blocks the gradient of a clamped weight (2-bit symmetric, the row maximum)', () => {
    const x = tf.tensor2d([[-1, 0.5, 2]]);
    const g = tf.grad((t: tf.Tensor) => fakeQuantWeight(tf, t as tf.Tensor2D, { bits: 2, groupSize: -1, symmetric: true }))(x);
    expect(Array.from(g.dataSync())).toEqual([1, 1, 0]);
  });
});

describe('lsqFakeQuant (tfjs, custom gradient)', () => {
  const v = syntheticMatrix({ distribution: 'laplace', rows: 4, cols: 24, seed: 5 }).map((x) => 50 * x); // values of order 1
  const dy = syntheticMatrix({ distribution: 'normal', rows: 4, cols: 24, seed: 6 });
  const r = lsqRange(3, true);

  it('with one step: values, dv and ds as the float64 reference', () => {
    const s = lsqInitialStep(v, r), g = 0.25;
    const want = lsq(v, s, r, dy, g);
    const grads = tf.grads((a: tf.Tensor, b: tf.Tensor) => lsqFakeQuant(tf, a, b, r, g));
    const [dv, ds] = grads([tf.tensor2d(v, [4, 24]), tf.scalar(s)], tf.tensor2d(dy, [4, 24]));
    const y = lsqFakeQuant(tf, tf.tensor2d(v, [4, 24]), tf.scalar(s), r, g);
    Array.from(y.dataSync()).forEach((x, i) => expect(x).toBeCloseTo(want.y[i], 6));
    Array.from(dv.dataSync()).forEach((x, i) => expect(x).toBeCloseTo(want.dv[i], 6));
    expect(ds.shape).toEqual([]);
    expect(ds.dataSync()[0]).toBeCloseTo(want.ds, 4);
  });

  it('with a step per row ([rows, 1]): each row’s step gets its own row’s gradient', () => {
    const s0 = lsqInitialStep(v, r);
    const steps = [0.5 * s0, s0, 2 * s0, 0.25 * s0];
    const [, ds] = tf.grads((a: tf.Tensor, b: tf.Tensor) => lsqFakeQuant(tf, a, b, r, 1))([tf.tensor2d(v, [4, 24]), tf.tensor2d(steps, [4, 1])], tf.tensor2d(dy, [4, 24]));
    expect(ds.shape).toEqual([4, 1]);
    const got = ds.dataSync();
    steps.forEach((s, row) => expect(got[row]).toBeCloseTo(lsq(v.subarray(row * 24, row * 24 + 24), s, r, dy.subarray(row * 24, row * 24 + 24), 1).ds, 4));
  });

  it('its gradients are those of the straight-through surrogate, checked by finite differences away from rounding boundaries', () => {
    // The surrogate: inside the range y = v + c·s with c = round(v/s) − v/s frozen at the point,
    // −qn·s below, qp·s above. Loss L = Σ (y · w)² through a fixed w, so the chain rule is exercised.
    const s0 = lsqInitialStep(v, r) * 0.8; // some values clip, most do not
    const w = syntheticMatrix({ distribution: 'normal', rows: 4, cols: 24, seed: 7 });
    const c = Array.from(v, (x) => Math.round(x / s0) - x / s0);
    const surrogate = (vv: ArrayLike<number>, s: number) => {
      let L = 0;
      for (let i = 0; i < vv.length; i++) {
        const x = v[i] / s0; // the region is fixed at the point
        const y = x <= -r.qn ? -r.qn * s : x >= r.qp ? r.qp * s : vv[i] + c[i] * s;
        L += (y * w[i]) ** 2;
      }
      return L;
    };
    const [dv, ds] = tf.grads((a: tf.Tensor, b: tf.Tensor) => tf.sum(tf.square(tf.mul(lsqFakeQuant(tf, a, b, r, 1), tf.tensor2d(w, [4, 24])))))([tf.tensor2d(v, [4, 24]), tf.scalar(s0)]);
    const h = 1e-4;
    const fdS = (surrogate(v, s0 + h) - surrogate(v, s0 - h)) / (2 * h);
    expect(Math.abs(fdS)).toBeGreaterThan(1e-3);
    expect(Math.abs(ds.dataSync()[0] - fdS) / Math.abs(fdS)).toBeLessThan(1e-3);
    const dvs = dv.dataSync();
    let clipped = 0;
    for (const x of v) if (Math.abs(x / s0) >= r.qp) clipped++;
    expect(clipped).toBeGreaterThan(0);
    expect(clipped).toBeLessThan(v.length / 2);
    for (const i of [0, 5, 17, 40, 77]) {
      const up = Float64Array.from(v), down = Float64Array.from(v);
      up[i] += h;
      down[i] -= h;
      const fd = (surrogate(up, s0) - surrogate(down, s0)) / (2 * h);
      expect(Math.abs(dvs[i] - fd)).toBeLessThan(1e-3 * Math.max(1, Math.abs(fd)));
    }
  });
});
