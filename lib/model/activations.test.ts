import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-cpu';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mulberry32, normalArray } from '../random';
import { calibrationWindows, captureLinearInputs, MAX_SAMPLE_ROWS } from './activations';
import type { TinyLMConfig } from './config';
import { createFloat32Store } from './float32-store';
import { referenceLogits, tinyLMTensorShapes } from './reference-forward';
import { TinyLM, type LinearAdapters } from './tiny-lm';

const config: TinyLMConfig = { vocab_size: 11, n_layer: 2, n_head: 2, n_embd: 16, block_size: 8, layer_norm_eps: 1e-5, tokenizer: { type: 'char', chars: 'abcdefghijk' } };

function randomWeights(seed: number): Map<string, Float32Array> {
  const m = new Map<string, Float32Array>();
  let s = seed;
  for (const [name, shape] of tinyLMTensorShapes(config)) {
    const n = shape.reduce((a, b) => a * b, 1);
    const isGain = /ln_(1|2|f)\.weight$/.test(name);
    m.set(name, normalArray(n, s++, isGain ? 1 : 0, isGain ? 0.1 : 0.4));
  }
  return m;
}

const weights = randomWeights(7);
let model: TinyLM;

beforeAll(async () => {
  await tf.setBackend('cpu');
  model = new TinyLM(tf, config, createFloat32Store(tf, weights, tinyLMTensorShapes(config)));
});
afterAll(() => model.dispose());

function windows(count: number, seed: number): number[][] {
  const r = mulberry32(seed);
  return Array.from({ length: count }, () => Array.from({ length: config.block_size }, () => Math.floor(r() * config.vocab_size)));
}

/** The same statistics from the float64 reference forward pass, position by position. */
function reference(ws: number[][]) {
  const rows = new Map<string, Float64Array[]>();
  for (const w of ws) {
    referenceLogits(config, weights, w, (prefix, _t, x) => {
      if (!rows.has(prefix)) rows.set(prefix, []);
      rows.get(prefix)!.push(Float64Array.from(x));
    });
  }
  return rows;
}

describe('captureLinearInputs', () => {
  it('gathers every Linear input: per-channel max |x|, mean |x|, (2/n) XᵀX and the first rows, as the float64 forward pass computes them', async () => {
    const ws = windows(5, 1);
    const before = tf.memory().numTensors;
    const stats = await captureLinearInputs(tf, model, ws, { hessian: true, sampleRows: 12, batch: 2 });
    expect(tf.memory().numTensors).toBe(before);
    expect(stats.map((s) => s.name)).toEqual([
      'transformer.h.0.attn.c_attn', 'transformer.h.0.attn.c_proj', 'transformer.h.0.mlp.c_fc', 'transformer.h.0.mlp.c_proj',
      'transformer.h.1.attn.c_attn', 'transformer.h.1.attn.c_proj', 'transformer.h.1.mlp.c_fc', 'transformer.h.1.mlp.c_proj',
    ]);
    const ref = reference(ws);
    for (const s of stats) {
      const xs = ref.get(s.name)!;
      const n = xs.length;
      expect(s.tokens, s.name).toBe(n);
      expect(s.features).toBe(xs[0].length);
      for (let j = 0; j < s.features; j++) {
        const max = Math.max(...xs.map((x) => Math.abs(x[j])));
        const mean = xs.reduce((a, x) => a + Math.abs(x[j]), 0) / n;
        expect(s.absMax[j]).toBeCloseTo(max, 4);
        expect(s.absMean[j]).toBeCloseTo(mean, 4);
      }
      for (const [i, k] of [[0, 0], [1, 3], [s.features - 1, 2]]) {
        const h = (2 / n) * xs.reduce((a, x) => a + x[i] * x[k], 0);
        expect(s.hessian![i * s.features + k]).toBeCloseTo(h, 3);
        expect(s.hessian![i * s.features + k]).toBeCloseTo(s.hessian![k * s.features + i], 5);
      }
      expect(s.sampleRows).toBe(12);
      // Rows are tokens in order: window 0's 8 positions, then window 1's first 4.
      expect(s.sample[11 * s.features + 2]).toBeCloseTo(xs[11][2], 4);
    }
  });

  it('leaves the model as it was: its adapters are set aside and put back, its logits unchanged', async () => {
    const marker: LinearAdapters = { delta: () => null };
    model.adapters = marker;
    const w = windows(1, 3)[0];
    const before = await model.logits(w);
    await captureLinearInputs(tf, model, [w]);
    expect(model.adapters).toBe(marker);
    model.adapters = null;
    expect(Array.from(await model.logits(w))).toEqual(Array.from(before));
  });

  it('captures only the layers asked for, with the same statistics, and names one the model lacks', async () => {
    const ws = windows(3, 5);
    const all = await captureLinearInputs(tf, model, ws, { hessian: true });
    const some = await captureLinearInputs(tf, model, ws, { hessian: true, layers: ['transformer.h.1.mlp.c_proj', 'transformer.h.0.attn.c_attn'] });
    expect(some.map((s) => s.name)).toEqual(['transformer.h.0.attn.c_attn', 'transformer.h.1.mlp.c_proj']);
    for (const s of some) expect(Array.from(s.hessian!)).toEqual(Array.from(all.find((a) => a.name === s.name)!.hessian!));
    await expect(captureLinearInputs(tf, model, ws, { layers: ['transformer.h.7.mlp.c_fc'] })).rejects.toThrow(/no Linear layer "transformer.h.7.mlp.c_fc"/);
  });

  it('keeps no Hessian unless asked, and at most the rows it saw', async () => {
    const stats = await captureLinearInputs(tf, model, windows(1, 4), { sampleRows: 100 });
    expect(stats[0].hessian).toBeNull();
    expect(stats[0].sampleRows).toBe(8);
    expect(stats[0].sample.length).toBe(8 * stats[0].features);
  });

  it('rejects no windows, ragged windows, bad ids and too many sample rows before running', async () => {
    await expect(captureLinearInputs(tf, model, [])).rejects.toThrow(/at least one window/);
    await expect(captureLinearInputs(tf, model, [[1, 2], [1]])).rejects.toThrow(/Window 1 has 1 tokens/);
    await expect(captureLinearInputs(tf, model, [[1, 99]])).rejects.toThrow(/outside the vocabulary/);
    await expect(captureLinearInputs(tf, model, [[1]], { sampleRows: MAX_SAMPLE_ROWS + 1 })).rejects.toThrow(/sampleRows/);
  });
});

describe('calibrationWindows', () => {
  it('spreads windows evenly over the text, first and last included', () => {
    const ids = Array.from({ length: 20 }, (_, i) => i);
    expect(calibrationWindows(ids, 5, 4)).toEqual([[0, 1, 2, 3, 4], [5, 6, 7, 8, 9], [10, 11, 12, 13, 14], [15, 16, 17, 18, 19]]);
    expect(calibrationWindows(ids, 5, 3).map((w) => w[0])).toEqual([0, 7, 15]);
    expect(calibrationWindows(ids, 20, 1)).toEqual([ids]);
  });
  it('names a text too short for one window', () => {
    expect(() => calibrationWindows([1, 2], 5, 1)).toThrow(/has 2 tokens; one window needs 5/);
  });
});
