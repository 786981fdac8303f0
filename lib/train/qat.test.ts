import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-cpu';
import { beforeAll, describe, expect, it } from 'vitest';
import type { Compute } from '../compute';
import type { TinyLMConfig } from '../model/config';
import type { TinyLMWeights } from '../model/load';
import { tinyLMTensorShapes } from '../model/reference-forward';
import { fakeQuantizeWeight } from '../quant/qat';
import { normalArray } from '../random';
import { computeQParams } from '../quant/affine';
import { fakeQuantize } from '../quant/fake-quantize';
import { fakeQuantRange } from './fake-quant';
import { checkQatOptions, movingAverageRange, QAT_DEFAULTS, qatLinearNames, STATIC_RANGE_MOMENTUM } from './qat';
import { Trainer, type TrainerOptions } from './trainer';

// A small random model (2 blocks, 32 wide) and a repeating pattern: quick QAT steps on tfjs's CPU backend.
const config: TinyLMConfig = { vocab_size: 6, n_layer: 2, n_head: 2, n_embd: 32, block_size: 16, layer_norm_eps: 1e-5, tokenizer: { type: 'char', chars: 'abcdef' } };
function weights(): TinyLMWeights {
  const values = new Map<string, Float32Array>();
  let s = 1;
  for (const [name, shape] of tinyLMTensorShapes(config)) {
    const gain = /ln_(1|2|f)\.weight$/.test(name);
    values.set(name, normalArray(shape.reduce((a, b) => a * b, 1), s++, gain ? 1 : 0, gain ? 0.1 : 0.3));
  }
  return { config, values, shapes: tinyLMTensorShapes(config) };
}
const pattern = 'abcabcddeeffabcfed'.repeat(30);
const compute = { tf, backend: 'cpu', webgpu: null, software: false } as unknown as Compute;
const options: TrainerOptions = { mode: 'qat', lora: { r: 1, alpha: 1, dropout: 0, targets: ['c_attn'] }, lr: 3e-3, weightDecay: 0, batchSize: 4, clip: 1, seed: 3, evalEvery: 0, evalWindows: 4, maxSteps: 10 };

beforeAll(async () => {
  await tf.setBackend('cpu');
});

/** Distinct values per row of a [rows, cols] weight. */
function levelsPerRow(w: Float32Array, cols: number): number {
  let most = 0;
  for (let r = 0; r < w.length / cols; r++) most = Math.max(most, new Set(w.subarray(r * cols, (r + 1) * cols)).size);
  return most;
}

describe('Trainer in qat mode', () => {
  it('sees the fake-quantized model from step 0: its held-out loss is round-to-nearest’s, and training lowers it', async () => {
    const before = tf.memory().numTensors;
    const w = weights();
    const qat = { ...QAT_DEFAULTS, bits: 3 };
    const t = new Trainer({ compute, weights: w, train: pattern, heldout: pattern }, { ...options, qat });
    // The same model quantized once (PTQ round-to-nearest on the same grid), trained by nobody.
    const ptq = new Map(w.values);
    for (const n of qatLinearNames(config)) {
      const [rows, cols] = w.shapes.get(`${n}.weight`)!;
      ptq.set(`${n}.weight`, fakeQuantizeWeight(w.values.get(`${n}.weight`)!, [rows, cols], qat).y);
    }
    const plain = new Trainer({ compute, weights: { ...w, values: ptq }, train: pattern, heldout: pattern }, { ...options, mode: 'full' });
    const l0 = await t.evaluate();
    expect(l0).toBeCloseTo(await plain.evaluate(), 5);
    plain.dispose();
    for (let i = 0; i < 10; i++) await t.step();
    expect(await t.evaluate()).toBeLessThan(l0 - 0.1);
    // What the trained model is: every Linear weight on its 3-bit grid (at most 8 levels a row); the rest float.
    const merged = await t.mergedWeights();
    for (const n of qatLinearNames(config)) expect(levelsPerRow(merged.values.get(`${n}.weight`)!, merged.shapes.get(`${n}.weight`)![1])).toBeLessThanOrEqual(8);
    expect(levelsPerRow(merged.values.get('transformer.wte.weight')!, 32)).toBeGreaterThan(8);
    expect(t.getSnapshot().memory.trainableParams).toBe([...w.values.values()].reduce((s, v) => s + v.length, 0));
    // The model's store says its weights are trained, so the fused layer norm (WebGPU) trains γ and β too.
    expect(t.tinyLM.store.trainable).toBe(true);
    t.dispose();
    expect(tf.memory().numTensors).toBe(before);
  }, 60_000);

  it('with LSQ trains one step per row as well, started at 2·mean|w|/√Qp', async () => {
    const w = weights();
    const t = new Trainer({ compute, weights: w, train: pattern, heldout: pattern }, { ...options, qat: { ...QAT_DEFAULTS, lsq: true } });
    const rows = qatLinearNames(config).reduce((s, n) => s + w.shapes.get(`${n}.weight`)![0], 0);
    expect(t.getSnapshot().memory.trainableParams).toBe([...w.values.values()].reduce((s, v) => s + v.length, 0) + rows);
    const l0 = await t.evaluate();
    for (let i = 0; i < 10; i++) await t.step();
    expect(await t.evaluate()).toBeLessThan(l0 - 0.1);
    const merged = await t.mergedWeights();
    for (const n of qatLinearNames(config)) expect(levelsPerRow(merged.values.get(`${n}.weight`)!, merged.shapes.get(`${n}.weight`)![1])).toBeLessThanOrEqual(16);
    t.dispose();
  }, 60_000);

  it('with dynamic activation quantization the forward changes (inputs on a 4-bit grid per token)', async () => {
    const w = weights();
    const a = new Trainer({ compute, weights: w, train: pattern, heldout: pattern }, { ...options, qat: { ...QAT_DEFAULTS, bits: 8 } });
    const b = new Trainer({ compute, weights: w, train: pattern, heldout: pattern }, { ...options, qat: { ...QAT_DEFAULTS, bits: 8, activations: 'dynamic', activationBits: 4 } });
    const [la, lb] = [await a.evaluate(), await b.evaluate()];
    expect(Math.abs(la - lb)).toBeGreaterThan(1e-3);
    const step = await b.step();
    expect(step.gradNorm).toBeGreaterThan(0);
    a.dispose();
    b.dispose();
  }, 60_000);

  it('with static activation ranges keeps one running range per Linear input, used as is outside training', async () => {
    const before = tf.memory().numTensors;
    const w = weights();
    const t = new Trainer({ compute, weights: w, train: pattern, heldout: pattern }, { ...options, qat: { ...QAT_DEFAULTS, bits: 8, activations: 'static', activationBits: 4 } });
    const plain = new Trainer({ compute, weights: w, train: pattern, heldout: pattern }, { ...options, qat: { ...QAT_DEFAULTS, bits: 8 } });
    expect(Math.abs((await t.evaluate()) - (await plain.evaluate()))).toBeGreaterThan(1e-4);
    plain.dispose();
    for (let i = 0; i < 3; i++) await t.step();
    const ranges = await t.activationRanges();
    expect([...ranges.keys()].sort()).toEqual(qatLinearNames(config).sort());
    for (const r of ranges.values()) expect(r.lo <= 0 && r.hi >= 0 && r.hi > r.lo && Number.isFinite(r.lo + r.hi)).toBe(true);
    // Evaluation reads the stored ranges and leaves them alone.
    const e1 = await t.evaluate();
    expect(await t.evaluate()).toBe(e1);
    expect(await t.activationRanges()).toEqual(ranges);
    t.dispose();
    expect(tf.memory().numTensors).toBe(before);
  }, 60_000);

  it('rejects options it cannot use, naming them', () => {
    expect(() => checkQatOptions({ ...QAT_DEFAULTS, bits: 1 }, [32])).toThrow(/bits/);
    expect(() => checkQatOptions({ ...QAT_DEFAULTS, groupSize: 24 }, [32, 128])).toThrow(/does not divide a layer's 32 inputs/);
    expect(() => checkQatOptions({ ...QAT_DEFAULTS, activationBits: 9 }, [32])).toThrow(/activation bits/);
    expect(() => new Trainer({ compute, weights: weights(), train: pattern, heldout: pattern }, { ...options, qat: { ...QAT_DEFAULTS, groupSize: 5 } })).toThrow(/group size 5/);
  });
});

describe('static activation ranges', () => {
  it('move by PyTorch’s moving average, the first batch taken as it is', () => {
    expect(movingAverageRange(null, { lo: -2, hi: 3 })).toEqual({ lo: -2, hi: 3 });
    const r = movingAverageRange({ lo: -2, hi: 3 }, { lo: -4, hi: 1 });
    expect(r.lo).toBeCloseTo(-2 + STATIC_RANGE_MOMENTUM * -2, 12);
    expect(r.hi).toBeCloseTo(3 + STATIC_RANGE_MOMENTUM * -2, 12);
  });

  it('fakeQuantRange: the reference’s fake quantization on [lo, hi] bit for bit; the STE passes dy inside, nothing to lo and hi', () => {
    const x = Float32Array.from([-3, -0.7, 0, 0.26, 1.1, 2.5, 4]);
    const p = computeQParams(-1, 2.5, { bits: 4, signed: false, symmetric: false });
    const want = fakeQuantize(x, p.scale, p.zeroPoint, p.qmin, p.qmax);
    const [y, grads] = [fakeQuantRange(tf, tf.tensor1d(x), tf.scalar(-1), tf.scalar(2.5), 4), tf.grads((a: tf.Tensor, b: tf.Tensor, c: tf.Tensor) => fakeQuantRange(tf, a, b, c, 4))([tf.tensor1d(x), tf.scalar(-1), tf.scalar(2.5)])];
    expect(y.dataSync()).toEqual(want.y);
    expect(Array.from(grads[0].dataSync())).toEqual(Array.from(want.mask));
    expect(Array.from(want.mask)).toEqual([0, 1, 1, 1, 1, 1, 0]);
    expect(grads[1].dataSync()[0]).toBe(0);
    expect(grads[2].dataSync()[0]).toBe(0);
  });
});
