import { describe, expect, it } from 'vitest';
import type { Tensor } from '@tensorflow/tfjs-core';
import { mulberry32 } from '../random';
import { cpuTfjs } from './cpu-tfjs';
import '@tensorflow/tfjs-core/dist/register_all_gradients';
import { causalAttentionGradReference, causalAttentionReference, geluGradReference, geluReference, layerNormGradReference, layerNormReference } from './train-reference';

function seeded(n: number, seed: number, scale = 1): Float32Array {
  const r = mulberry32(seed);
  return Float32Array.from({ length: n }, () => (r() * 2 - 1) * scale);
}

function maxDiff(a: ArrayLike<number>, b: ArrayLike<number>): number {
  expect(a.length).toBe(b.length);
  let d = 0;
  for (let i = 0; i < a.length; i++) d = Math.max(d, Math.abs(a[i] - b[i]));
  return d;
}

describe('the fused kernels’ float64 twins against tfjs’s automatic differentiation of the model’s ops', () => {
  it('causal attention over qkv as c_attn writes it: output and dqkv', async () => {
    const tf = await cpuTfjs();
    const s = { B: 2, T: 5, H: 2, hd: 3 };
    const C = s.H * s.hd, scale = 1 / Math.sqrt(s.hd);
    const qkv = seeded(s.B * s.T * 3 * C, 1, 1.5);
    const dy = seeded(s.B * s.T * C, 2);
    // The model's ops path (tiny-lm.ts attention without a cache), written out here.
    const mask = tf.tensor2d(Array.from({ length: s.T * s.T }, (_, k) => (k % s.T > Math.floor(k / s.T) ? -1e9 : 0)), [s.T, s.T]);
    const attend = (x: Tensor) => {
      const [q, k, v] = tf.split(x, 3, 1);
      const heads = (t: Tensor) => tf.reshape(tf.transpose(tf.reshape(t, [s.B, s.T, s.H, s.hd]), [0, 2, 1, 3]), [s.B * s.H, s.T, s.hd]);
      const att = tf.softmax(tf.add(tf.mul(tf.matMul(heads(q), heads(k), false, true), scale), mask));
      return tf.reshape(tf.transpose(tf.reshape(tf.matMul(att, heads(v)), [s.B, s.H, s.T, s.hd]), [0, 2, 1, 3]), [s.B * s.T, C]);
    };
    const x = tf.tensor2d(qkv, [s.B * s.T, 3 * C]);
    const want = await attend(x).data();
    const wantGrad = await tf.grad((t: Tensor) => tf.sum(tf.mul(attend(t), tf.tensor2d(dy, [s.B * s.T, C]))))(x).data();
    const got = causalAttentionReference(qkv, s, scale);
    expect(maxDiff(got.y, want)).toBeLessThan(1e-6);
    expect(maxDiff(causalAttentionGradReference(qkv, dy, s, scale), wantGrad)).toBeLessThan(1e-6);
    // P is causal: row i sums to 1 and is zero past i.
    for (let i = 0; i < s.T; i++) {
      const row = got.P.slice(i * s.T, (i + 1) * s.T);
      expect(row.reduce((a, b) => a + b, 0)).toBeCloseTo(1, 12);
      for (let j = i + 1; j < s.T; j++) expect(row[j]).toBe(0);
    }
  });

  it('GELU in both forms and their derivatives', async () => {
    const tf = await cpuTfjs();
    const xs = Float32Array.from([-9, -3, -1.2, -0.3, 0, 0.2, 0.7, 1.5, 4, 12]);
    const x = tf.tensor1d(xs);
    const erfGelu = (t: Tensor) => tf.mul(tf.mul(t, 0.5), tf.add(tf.erf(tf.mul(t, Math.SQRT1_2)), 1));
    const tanhGelu = (t: Tensor) => tf.mul(tf.mul(t, 0.5), tf.add(tf.tanh(tf.mul(tf.add(t, tf.mul(tf.mul(tf.mul(t, t), t), 0.044715)), Math.sqrt(2 / Math.PI))), 1));
    for (const [kind, f] of [['erf', erfGelu], ['tanh', tanhGelu]] as const) {
      const want = await f(x).data();
      const wantGrad = await tf.grad((t: Tensor) => tf.sum(f(t)))(x).data();
      expect(maxDiff(Array.from(xs, (v) => geluReference(v, kind)), want)).toBeLessThan(2e-6);
      expect(maxDiff(Array.from(xs, (v) => geluGradReference(v, kind)), wantGrad)).toBeLessThan(2e-6);
    }
  });

  it('layer norm: output, dx, dγ and dβ', async () => {
    const tf = await cpuTfjs();
    const rows = 6, C = 8, eps = 1e-5;
    const xs = seeded(rows * C, 3, 2), g = seeded(C, 4), b = seeded(C, 5), dys = seeded(rows * C, 6);
    const ln = (x: Tensor, gamma: Tensor, beta: Tensor) => {
      const { mean, variance } = tf.moments(x, -1, true);
      return tf.add(tf.mul(tf.mul(tf.sub(x, mean), tf.rsqrt(tf.add(variance, eps))), gamma), beta);
    };
    const x = tf.tensor2d(xs, [rows, C]), gamma = tf.tensor1d(g), beta = tf.tensor1d(b), dy = tf.tensor2d(dys, [rows, C]);
    const want = await ln(x, gamma, beta).data();
    const [dx, dg, db] = tf.grads((a: Tensor, c: Tensor, d: Tensor) => tf.sum(tf.mul(ln(a, c, d), dy)))([x, gamma, beta]);
    expect(maxDiff(layerNormReference(xs, rows, C, g, b, eps), want)).toBeLessThan(1e-5);
    const got = layerNormGradReference(xs, dys, rows, C, g, eps);
    expect(maxDiff(got.dx, await dx.data())).toBeLessThan(1e-5);
    expect(maxDiff(got.dGamma, await dg.data())).toBeLessThan(1e-5);
    expect(maxDiff(got.dBeta, await db.data())).toBeLessThan(1e-5);
  });
});
