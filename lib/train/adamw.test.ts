import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-cpu';
import { beforeAll, describe, expect, it } from 'vitest';
import { normalArray } from '../random';
import { AdamW, addNInChunks, ADDN_MAX_INPUTS, adamwStepReference, clipGradNormReference, TORCH_ADAMW_DEFAULTS, type AdamWOptions } from './adamw';

beforeAll(async () => {
  await tf.setBackend('cpu');
});

describe('AdamW', () => {
  it('has torch.optim.AdamW’s defaults', () => {
    expect(TORCH_ADAMW_DEFAULTS).toEqual({ lr: 1e-3, beta1: 0.9, beta2: 0.999, eps: 1e-8, weightDecay: 1e-2 });
  });

  it('reference: the first step moves each weight by lr · g / (|g| + ε) after decoupled decay', () => {
    // t = 1: m̂ = g, v̂ = g², so the update is lr · g / (|g| + ε) — about lr · sign(g).
    const o: AdamWOptions = { lr: 0.1, beta1: 0.9, beta2: 0.999, eps: 1e-8, weightDecay: 0.5 };
    const p = Float64Array.from([1, -2, 0.5]);
    const g = Float64Array.from([0.3, -4, 0]);
    const s = { m: new Float64Array(3), v: new Float64Array(3) };
    adamwStepReference(p, g, s, 1, o, true);
    expect(p[0]).toBeCloseTo(1 * 0.95 - 0.1 * (0.3 / (0.3 + 1e-8)), 12);
    expect(p[1]).toBeCloseTo(-2 * 0.95 + 0.1 * (4 / (4 + 1e-8)), 12);
    expect(p[2]).toBeCloseTo(0.5 * 0.95, 12);
    expect(Array.from(s.m)).toEqual([0.1 * 0.3, 0.1 * -4, 0].map((x) => expect.closeTo(x, 14)));
    expect(s.v[1]).toBeCloseTo(0.001 * 16, 14);
  });

  it('reference: clip_grad_norm_ scales by max_norm / (total + 1e-6) only when that is below 1', () => {
    const a = Float64Array.from([3, 0]), b = Float64Array.from([0, 4]);
    expect(clipGradNormReference([a, b], 1)).toBe(5);
    expect(a[0]).toBeCloseTo(3 / (5 + 1e-6), 14);
    expect(b[1]).toBeCloseTo(4 / (5 + 1e-6), 14);
    const c = Float64Array.from([0.3, 0.4]);
    expect(clipGradNormReference([c], 1)).toBeCloseTo(0.5, 14);
    expect(Array.from(c)).toEqual([0.3, 0.4]);
  });

  it('on tf.Variables matches the float64 reference over 6 steps, with clipping, decay on and off, and a parameter without a gradient', () => {
    const o: AdamWOptions = { lr: 0.05, beta1: 0.9, beta2: 0.999, eps: 1e-8, weightDecay: 0.1 };
    const shapes = [[4, 3], [5], [2, 2]];
    const init = shapes.map((s, i) => normalArray(s.reduce((a, b) => a * b, 1), 10 + i));
    const vars = init.map((x, i) => tf.tidy(() => tf.variable(tf.tensor(x, shapes[i]), true)));
    const decay = [true, false, true];
    const before = tf.memory().numTensors;
    const opt = new AdamW(tf, vars.map((variable, i) => ({ variable, decay: decay[i] })), o);
    expect(opt.paramCount()).toBe(12 + 5 + 4);
    expect(opt.stateBytes()).toBe(8 * 21);
    expect(tf.memory().numTensors - before).toBe(6); // m and v per parameter
    const ref = init.map((x) => Float64Array.from(x));
    const state = init.map((x) => ({ m: new Float64Array(x.length), v: new Float64Array(x.length) }));
    const updates = [0, 0, 0]; // PyTorch counts steps per parameter (state['step'])
    for (let t = 1; t <= 6; t++) {
      // Gradients of norm ~4.6 (clipped to 1 at steps 1–3) and ~0.05 (unclipped at 4–6); the third parameter has none at step 2.
      const scale = t <= 3 ? 1 : 0.01;
      const gs = init.map((x, i) => normalArray(x.length, 100 * t + i, 0, scale));
      const live = gs.map((_, i) => !(i === 2 && t === 2));
      const grads: Record<string, tf.Tensor> = {};
      vars.forEach((v, i) => {
        if (live[i]) grads[v.name] = tf.tensor(gs[i], shapes[i]);
      });
      const norm = opt.step(grads, 1);
      tf.dispose(grads);
      const g64 = gs.map((g) => Float64Array.from(g)).filter((_, i) => live[i]);
      const total = clipGradNormReference(g64, 1);
      expect(norm.dataSync()[0]).toBeCloseTo(total, 5);
      norm.dispose();
      let k = 0;
      ref.forEach((p, i) => {
        if (live[i]) adamwStepReference(p, g64[k++], state[i], ++updates[i], o, decay[i]);
      });
      vars.forEach((v, i) => {
        const got = v.dataSync();
        const err = Math.max(...Array.from(got, (x, j) => Math.abs(x - ref[i][j])));
        expect(err, `step ${t}, parameter ${i}`).toBeLessThan(2e-6);
      });
      expect(tf.memory().numTensors - before).toBe(6);
    }
    expect(updates).toEqual([6, 6, 5]);
    expect(opt.steps).toBe(6);
    opt.dispose();
    expect(tf.memory().numTensors).toBe(before);
    for (const v of vars) v.dispose();
    expect(() => opt.step({}, 1)).toThrow(/disposed/);
  });
});

describe('addNInChunks', () => {
  it('sums any number of tensors with no tf.addN over ADDN_MAX_INPUTS inputs (WebGPU storage-buffer limit)', async () => {
    await tf.setBackend('cpu');
    const sizes: number[] = [];
    const spy = { addN: (<T extends tf.Tensor>(xs: T[]) => { sizes.push(xs.length); return tf.addN(xs); }) as typeof tf.addN };
    for (const n of [1, 2, 7, 8, 33, 53]) {
      sizes.length = 0;
      const xs = Array.from({ length: n }, (_, i) => tf.scalar(i + 1));
      const total = addNInChunks(spy, xs);
      expect(await total.data()).toEqual(new Float32Array([(n * (n + 1)) / 2]));
      expect(Math.max(0, ...sizes)).toBeLessThanOrEqual(ADDN_MAX_INPUTS);
      tf.dispose([...xs, total]);
    }
    expect(() => addNInChunks(spy, [])).toThrow(RangeError);
  });
});
