import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-cpu';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { quantizeActivations, quantizeWeightsAbsmax, w8a8Matmul } from '../quant/activation-quant';
import { gptqRoundToNearest } from '../quant/gptq';
import { mulberry32, normalArray } from '../random';
import { captureLinearInputs, type LinearInputStats } from './activations';
import { activationQuantAdapters, fakeQuantizeInt8, quantizedWeightValues, scoreActivationScheme, staticRanges } from './activation-quant-forward';
import type { TinyLMConfig } from './config';
import { evalWindows } from './eval';
import { createFloat32Store } from './float32-store';
import { tinyLMTensorShapes } from './reference-forward';
import { TinyLM } from './tiny-lm';

const config: TinyLMConfig = { vocab_size: 11, n_layer: 2, n_head: 2, n_embd: 64, block_size: 8, layer_norm_eps: 1e-5, tokenizer: { type: 'char', chars: 'abcdefghijk' } };
const shapes = tinyLMTensorShapes(config);
const values = new Map<string, Float32Array>();
{
  let s = 3;
  for (const [name, shape] of shapes) {
    const isGain = /ln_(1|2|f)\.weight$/.test(name);
    values.set(name, normalArray(shape.reduce((a, b) => a * b, 1), s++, isGain ? 1 : 0, isGain ? 0.1 : 0.4));
  }
}
const text = (() => {
  const r = mulberry32(9);
  return Array.from({ length: 300 }, () => Math.floor(r() * config.vocab_size));
})();
let stats: LinearInputStats[];

beforeAll(async () => {
  await tf.setBackend('cpu');
  const model = new TinyLM(tf, config, createFloat32Store(tf, values, shapes));
  const windows = Array.from({ length: 8 }, (_, i) => text.slice(i * 30, i * 30 + config.block_size));
  stats = await captureLinearInputs(tf, model, windows, { sampleRows: 16 });
  model.dispose();
});
afterAll(() => tf.disposeVariables());

describe('fakeQuantizeInt8', () => {
  const x = normalArray(6 * 10, 21, 0, 2);
  it('per token equals lib/quant’s dynamic per-token quantizer', () => {
    const got = tf.tidy(() => fakeQuantizeInt8(tf, tf.tensor2d(x, [6, 10])).dataSync());
    const want = quantizeActivations(x, [6, 10], { granularity: 'per-token' }).values;
    want.forEach((v, i) => expect(got[i]).toBeCloseTo(v, 5));
  });
  it('with a static range equals the static per-tensor quantizer, clipping beyond it', () => {
    const got = tf.tidy(() => fakeQuantizeInt8(tf, tf.tensor2d(x, [6, 10]), 1.5).dataSync());
    const ref = quantizeActivations(x, [6, 10], { granularity: 'per-tensor', staticAbsmax: 1.5 });
    expect(ref.clipped).toBeGreaterThan(0);
    ref.values.forEach((v, i) => expect(got[i]).toBeCloseTo(v, 5));
  });
});

describe('quantizedWeightValues', () => {
  const key = 'transformer.h.0.attn.c_proj.weight';
  const shape = shapes.get(key) as [number, number];
  it('int8 is absmax per output channel; int4 is round-to-nearest in groups of 64; other tensors are untouched', () => {
    const i8 = quantizedWeightValues(values, shapes, stats.map((s) => s.name), 'int8');
    const i4 = quantizedWeightValues(values, shapes, stats.map((s) => s.name), 'int4');
    expect(Array.from(i8.get(key)!)).toEqual(Array.from(Float32Array.from(quantizeWeightsAbsmax(values.get(key)!, shape, { granularity: 'per-channel' }).values)));
    expect(Array.from(i4.get(key)!)).toEqual(Array.from(gptqRoundToNearest(values.get(key)!, shape, { bits: 4, groupSize: 64 }).weight));
    expect(i8.get('transformer.wte.weight')).toBe(values.get('transformer.wte.weight'));
    expect(i8.get(key)).not.toEqual(values.get(key));
  });
});

describe('activationQuantAdapters', () => {
  it('makes a Linear compute Q(x) Q(W)ᵀ, as lib/quant’s w8a8Matmul (per token and static)', () => {
    const s = stats.find((t) => t.name === 'transformer.h.1.mlp.c_fc')!;
    const key = `${s.name}.weight`;
    const shape = shapes.get(key) as [number, number];
    const names = stats.map((t) => t.name);
    const w8 = quantizedWeightValues(values, shapes, names, 'int8');
    const ranges = staticRanges(stats);
    for (const mode of [{ granularity: 'per-token' as const }, { granularity: 'per-tensor' as const, staticAbsmax: ranges }]) {
      const a = activationQuantAdapters(tf, w8, shapes, names, mode);
      const got = tf.tidy(() => {
        const x = tf.tensor2d(s.sample, [s.sampleRows, s.features]);
        const base = tf.matMul(x, tf.tensor2d(w8.get(key)!, shape), false, true);
        return tf.add(base, a.delta(x, s.name)!).dataSync();
      });
      a.dispose();
      const want = w8a8Matmul(s.sample, [s.sampleRows, s.features], values.get(key)!, shape, {
        activations: mode.granularity === 'per-token' ? { granularity: 'per-token' } : { granularity: 'per-tensor', staticAbsmax: ranges.get(s.name) },
      }).y;
      want.forEach((v, i) => expect(got[i]).toBeCloseTo(v, 4));
    }
  });
  it('rejects a static mode without a range for a layer', () => {
    expect(() => activationQuantAdapters(tf, values, shapes, ['transformer.h.0.mlp.c_fc'], { granularity: 'per-tensor', staticAbsmax: new Map() })).toThrow(/No calibrated range/);
  });
});

describe('scoreActivationScheme', () => {
  const windows = evalWindows(text, config.block_size, 4);
  it('scores every scheme against FP32: FP32 itself at KL 0, the others above it; W8A8 differs from W8A16 only by the activations', async () => {
    const fp32 = await scoreActivationScheme(tf, config, values, shapes, stats, 'fp32', windows, null);
    expect(fp32.klFromFp32).toBe(0);
    const r = Object.fromEntries(
      await Promise.all((['w8a16', 'w4a16', 'w8a8-token', 'w8a8-static'] as const).map(async (k) => [k, await scoreActivationScheme(tf, config, values, shapes, stats, k, windows, fp32.logits)] as const)),
    );
    for (const v of Object.values(r)) {
      expect(v.klFromFp32).toBeGreaterThan(0);
      expect(Number.isFinite(v.perplexity)).toBe(true);
    }
    expect(r['w8a8-token'].logits).not.toEqual(r.w8a16.logits);
    expect(r['w8a8-static'].logits).not.toEqual(r['w8a8-token'].logits);
    expect(tf.memory().numTensors).toBeLessThan(10);
  });
});
