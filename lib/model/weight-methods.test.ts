import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-cpu';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { gptqRoundToNearest } from '../quant/gptq';
import { mulberry32, normalArray } from '../random';
import { captureLinearInputs, type LinearInputStats } from './activations';
import type { TinyLMConfig } from './config';
import { crossEntropy, evalWindows, perplexity } from './eval';
import { createFloat32Store } from './float32-store';
import { tinyLMTensorShapes } from './reference-forward';
import { TinyLM } from './tiny-lm';
import { quantizeLinears, quantizeLinearsOnDevice, scoreWeights, settingForLayer } from './weight-methods';

const config: TinyLMConfig = { vocab_size: 11, n_layer: 2, n_head: 2, n_embd: 16, block_size: 8, layer_norm_eps: 1e-5, tokenizer: { type: 'char', chars: 'abcdefghijk' } };
const shapes = tinyLMTensorShapes(config);
const values = new Map<string, Float32Array>();
{
  let s = 11;
  for (const [name, shape] of shapes) {
    const isGain = /ln_(1|2|f)\.weight$/.test(name);
    values.set(name, normalArray(shape.reduce((a, b) => a * b, 1), s++, isGain ? 1 : 0, isGain ? 0.1 : 0.4));
  }
}
const text = (() => {
  const r = mulberry32(5);
  return Array.from({ length: 400 }, () => Math.floor(r() * config.vocab_size));
})();
let stats: LinearInputStats[];

beforeAll(async () => {
  await tf.setBackend('cpu');
  const model = new TinyLM(tf, config, createFloat32Store(tf, values, shapes));
  const windows = Array.from({ length: 16 }, (_, i) => text.slice(i * 20, i * 20 + config.block_size));
  stats = await captureLinearInputs(tf, model, windows, { hessian: true, sampleRows: 64 });
  model.dispose();
});
afterAll(() => tf.disposeVariables());

describe('quantizeLinears', () => {
  const setting = { bits: 3, groupSize: 8 };

  it('replaces exactly the eight Linear weights; round-to-nearest is GPTQ’s grid without feedback', () => {
    const r = quantizeLinears(values, shapes, stats, 'rtn', setting);
    const changed = [...values.keys()].filter((k) => r.values.get(k) !== values.get(k));
    expect(changed).toEqual(stats.map((s) => `${s.name}.weight`));
    const key = 'transformer.h.1.mlp.c_proj.weight';
    const [rows, cols] = shapes.get(key)!;
    expect(Array.from(r.values.get(key)!)).toEqual(Array.from(gptqRoundToNearest(values.get(key)!, [rows, cols], setting).weight));
    expect(r.layers.every((l) => l.alpha === null && l.proxyLoss > 0)).toBe(true);
  });

  it('GPTQ lowers the layer-wise proxy loss below round-to-nearest’s on every layer', () => {
    const rtn = quantizeLinears(values, shapes, stats, 'rtn', setting);
    const g = quantizeLinears(values, shapes, stats, 'gptq', setting);
    g.layers.forEach((l, i) => expect(l.proxyLoss, l.name).toBeLessThan(rtn.layers[i].proxyLoss));
  });

  it('AWQ reports the α it chose for each layer, from its grid k/20', () => {
    const a = quantizeLinears(values, shapes, stats, 'awq', setting);
    for (const l of a.layers) expect(Number.isInteger(Math.round(l.alpha! * 20)) && l.alpha! >= 0 && l.alpha! < 1).toBe(true);
  });

  it('names missing calibration data and mismatched shapes', () => {
    const noHessian = stats.map((s) => ({ ...s, hessian: null }));
    expect(() => quantizeLinears(values, shapes, noHessian, 'gptq', setting)).toThrow(/no Hessian/);
    const noSample = stats.map((s) => ({ ...s, sampleRows: 0, sample: new Float32Array(0) }));
    expect(() => quantizeLinears(values, shapes, noSample, 'awq', setting)).toThrow(/AWQ needs sampled inputs/);
    expect(() => quantizeLinears(values, shapes, [{ ...stats[0], name: 'transformer.h.9.attn.c_attn' }], 'rtn', setting)).toThrow(/no Linear weight/);
  });
});

describe('settingForLayer', () => {
  it('a group wider than the row is one group per row; others are kept', () => {
    expect(settingForLayer({ bits: 4, groupSize: 128 }, 32)).toEqual({ bits: 4, groupSize: -1 });
    expect(settingForLayer({ bits: 4, groupSize: 128 }, 128)).toEqual({ bits: 4, groupSize: 128 });
    expect(settingForLayer({ bits: 3, groupSize: 64 }, 768)).toEqual({ bits: 3, groupSize: 64 });
    expect(settingForLayer({ bits: 3, groupSize: -1 }, 8)).toEqual({ bits: 3, groupSize: -1 });
  });

  it('quantizeLinears at a group wider than the layers equals one group per row', () => {
    const wide = quantizeLinears(values, shapes, stats, 'gptq', { bits: 3, groupSize: 128 });
    const row = quantizeLinears(values, shapes, stats, 'gptq', { bits: 3, groupSize: -1 });
    for (const s of stats) expect(Array.from(wide.values.get(`${s.name}.weight`)!)).toEqual(Array.from(row.values.get(`${s.name}.weight`)!));
  });
});

describe('scoreWeights', () => {
  const windows = evalWindows(text, config.block_size, 6);

  it('scores FP32 against itself: KL 0, top-1 agreement 1, and the perplexity of its own cross-entropy', async () => {
    const before = tf.memory().numTensors;
    const s = await scoreWeights(tf, config, values, shapes, windows, null);
    expect(tf.memory().numTensors).toBe(before);
    expect(s.klFromFp32).toBe(0);
    expect(s.top1Agreement).toBe(1);
    expect(s.perplexity).toBeCloseTo(perplexity(crossEntropy(s.logits, config.vocab_size, windows.flatMap((w) => w.targets))), 12);
  });

  it('a 2-bit model drifts from FP32 more than a 4-bit one', async () => {
    const fp32 = await scoreWeights(tf, config, values, shapes, windows, null);
    const kl = async (bits: number) => (await scoreWeights(tf, config, quantizeLinears(values, shapes, stats, 'gptq', { bits, groupSize: 8 }).values, shapes, windows, fp32.logits)).klFromFp32;
    const [k2, k4] = [await kl(2), await kl(4)];
    expect(k4).toBeGreaterThan(0);
    expect(k2).toBeGreaterThan(k4);
  });
});

describe('quantizeLinearsOnDevice (tfjs CPU backend: GPTQ falls back to the reference, AWQ runs as tfjs ops)', () => {
  const setting = { bits: 4, groupSize: 8 };
  const compute = { tf, backend: 'cpu' as const, webgpu: null, software: false };

  it('GPTQ and round-to-nearest match the CPU reference exactly, and say where they ran', async () => {
    for (const method of ['rtn', 'gptq'] as const) {
      const d = await quantizeLinearsOnDevice(compute, values, shapes, stats, method, setting);
      const c = quantizeLinears(values, shapes, stats, method, setting);
      for (const s of stats) expect(d.values.get(`${s.name}.weight`)).toEqual(c.values.get(`${s.name}.weight`));
      expect(d.layers.map((l) => l.path)).toEqual(stats.map(() => 'cpu-reference'));
    }
  });

  it('AWQ chooses the same α per layer as the reference, with the same weights up to float32 noise', async () => {
    const d = await quantizeLinearsOnDevice(compute, values, shapes, stats, 'awq', setting);
    const c = quantizeLinears(values, shapes, stats, 'awq', setting);
    expect(d.layers.map((l) => l.alpha)).toEqual(c.layers.map((l) => l.alpha));
    expect(d.layers.every((l) => l.path === 'cpu')).toBe(true);
    for (const s of stats) {
      const k = `${s.name}.weight`;
      d.values.get(k)!.forEach((v, i) => expect(Math.abs(v - c.values.get(k)![i])).toBeLessThan(1e-5));
    }
  });

  it('stops after the layer whose report returns false, and checks its inputs first', async () => {
    const seen: string[] = [];
    const d = await quantizeLinearsOnDevice(compute, values, shapes, stats, 'gptq', setting, (done, total, name) => { seen.push(`${done}/${total} ${name}`); return done < 3; });
    expect(seen).toEqual(stats.slice(0, 3).map((s, i) => `${i + 1}/${stats.length} ${s.name}`));
    expect(d.layers).toHaveLength(3);
    await expect(quantizeLinearsOnDevice(compute, values, shapes, [{ ...stats[0], hessian: null }], 'gptq', setting)).rejects.toThrow(/no Hessian/);
  });
});
