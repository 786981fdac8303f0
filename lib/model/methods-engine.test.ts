import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-cpu';
import { beforeAll, describe, expect, it } from 'vitest';
import type { Compute } from '../compute';
import { awq } from '../quant/awq';
import { mulberry32, normalArray } from '../random';
import type { TinyLMConfig } from './config';
import { awqOnLayer, captureCalibration, heldoutWindows, layerData, scoreFp32, scoreReplaced, topChannels, type Calibration } from './methods-engine';
import { tinyLMTensorShapes } from './reference-forward';

const config: TinyLMConfig = { vocab_size: 11, n_layer: 1, n_head: 2, n_embd: 16, block_size: 8, layer_norm_eps: 1e-5, tokenizer: { type: 'char', chars: 'abcdefghijk' } };
const shapes = new Map([...tinyLMTensorShapes(config)].map(([k, v]) => [k, [...v]]));
const values = new Map<string, Float32Array>();
let seed = 3;
for (const [name, shape] of shapes) values.set(name, normalArray(shape.reduce((a, b) => a * b, 1), seed++, /ln_(1|2|f)\.weight$/.test(name) ? 1 : 0, 0.3));
const r = mulberry32(9);
const text = Array.from({ length: 300 }, () => 'abcdefghijk'[Math.floor(r() * 11)]).join('');
const compute = { tf, backend: 'cpu', webgpu: null, software: false } as unknown as Compute;
const deps = { compute: async () => compute, weights: async () => ({ config, values, shapes }), calibrationText: async () => text };
let c: Calibration;

beforeAll(async () => {
  await tf.setBackend('cpu');
  c = await captureCalibration(deps, 4);
});

describe('methods engine', () => {
  it('captures every Linear layer with its Hessian and a row sample', () => {
    expect(c.stats.map((s) => s.name)).toEqual(['transformer.h.0.attn.c_attn', 'transformer.h.0.attn.c_proj', 'transformer.h.0.mlp.c_fc', 'transformer.h.0.mlp.c_proj']);
    for (const s of c.stats) {
      expect(s.hessian!.length).toBe(s.features * s.features);
      expect(s.tokens).toBe(4 * config.block_size);
      expect(s.sampleRows).toBe(4 * config.block_size);
    }
  });

  it('bounds the calibration size', async () => {
    await expect(captureCalibration(deps, 3)).rejects.toThrow(/from 4 to 64/);
    await expect(captureCalibration(deps, 65)).rejects.toThrow(RangeError);
  });

  it('finds a layer by name, and names a missing one', () => {
    const d = layerData(c, 'transformer.h.0.mlp.c_fc');
    expect(d.shape).toEqual([64, 16]);
    expect(() => layerData(c, 'transformer.h.5.mlp.c_fc')).toThrow(/no calibrated Linear layer/);
  });

  it("awqOnLayer is awq() on the layer's sample, with α = k/grid", () => {
    const a = awqOnLayer(c, 'transformer.h.0.mlp.c_proj', { bits: 3, groupSize: 16 });
    const { w, shape, stats } = layerData(c, 'transformer.h.0.mlp.c_proj');
    const ref = awq(w, shape, stats.sample, [stats.sampleRows, stats.features], { bits: 3, groupSize: 16 });
    expect(a.alpha).toBe(ref.alpha);
    expect(a.alphas).toEqual(Array.from({ length: 20 }, (_, k) => k / 20));
    expect(a.error).toBe(Math.min(...a.losses));
  });

  it('topChannels: largest first, ties by index', () => {
    expect(topChannels([1, 5, 3, 5, 0], 3)).toEqual([1, 3, 2]);
    expect(topChannels([1, 2], 5)).toEqual([1, 0]);
  });

  it('scores FP32 against itself and a replaced weight against FP32', async () => {
    const windows = heldoutWindows(config, text, 3);
    const fp32 = await scoreFp32(compute, c, windows);
    expect(fp32.klFromFp32).toBe(0);
    const key = 'transformer.h.0.mlp.c_fc.weight';
    const same = await scoreReplaced(compute, c, new Map([[key, values.get(key)!]]), windows, fp32.logits);
    expect(same.perplexity).toBe(fp32.perplexity);
    const zeroed = await scoreReplaced(compute, c, new Map([[key, new Float32Array(values.get(key)!.length)]]), windows, fp32.logits);
    expect(zeroed.klFromFp32).toBeGreaterThan(0);
  });
});
