import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-cpu';
import { beforeAll, describe, expect, it } from 'vitest';
import { llmInt8Matmul } from '../quant/llm-int8';
import { normalArray } from '../random';
import { decompositionErrors, floatProduct, layerOperands, layerTopChannels, loadActivationStudy, median, outlierRatio, recurringLargest, relativeError, smoothingErrors, topChannels, type ActivationStudy } from './activation-study';
import type { TinyLMConfig } from './config';
import { tinyLMTensorShapes } from './reference-forward';

const config: TinyLMConfig = { vocab_size: 11, n_layer: 1, n_head: 2, n_embd: 16, block_size: 8, layer_norm_eps: 1e-5, tokenizer: { type: 'char', chars: 'abcdefghijk' } };
const shapes = tinyLMTensorShapes(config);
const values = new Map<string, Float32Array>();
{
  let s = 5;
  for (const [name, shape] of shapes) {
    const isGain = /ln_(1|2|f)\.weight$/.test(name);
    values.set(name, normalArray(shape.reduce((a, b) => a * b, 1), s++, isGain ? 1 : 0, isGain ? 0.1 : 0.4));
  }
}
let study: ActivationStudy;
beforeAll(async () => {
  await tf.setBackend('cpu');
  study = await loadActivationStudy(tf, { config, values, shapes }, 'abcdefghijkkjihgfedcbaabcabcabcdkkk', 3, 20);
});

describe('loadActivationStudy and layerOperands', () => {
  it('captures the four Linears with sampled rows; synthetic outliers leave X Wᵀ unchanged and stand out', () => {
    expect(study.stats.map((s) => s.name)).toEqual(['transformer.h.0.attn.c_attn', 'transformer.h.0.attn.c_proj', 'transformer.h.0.mlp.c_fc', 'transformer.h.0.mlp.c_proj']);
    const plain = layerOperands(study, 'transformer.h.0.mlp.c_fc', 16);
    const spiked = layerOperands(study, 'transformer.h.0.mlp.c_fc', 16, { count: 2, factor: 40 });
    expect(plain.xShape).toEqual([16, 16]);
    expect(spiked.synthetic).toEqual([4, 12]);
    expect(relativeError(floatProduct(plain), floatProduct(spiked))).toBeLessThan(1e-6);
    const absMax = (op: typeof plain) => Array.from({ length: 16 }, (_, j) => Math.max(...Array.from({ length: 16 }, (_, r) => Math.abs(op.x[r * 16 + j]))));
    expect(outlierRatio(absMax(spiked))).toBeGreaterThan(5 * outlierRatio(absMax(plain)));
    expect(() => layerOperands(study, 'nope', 4)).toThrow(/No calibrated/);
  });
});

describe('decompositionErrors', () => {
  it('is llmInt8Matmul against the float product; threshold 0 keeps every column in float', () => {
    const op = layerOperands(study, 'transformer.h.0.mlp.c_fc', 16, { count: 2, factor: 40 });
    const r = decompositionErrors(op, 6);
    expect(Array.from(r.y)).toEqual(Array.from(llmInt8Matmul(op.x, op.xShape, op.w, op.wShape, { threshold: 6 }).y));
    expect(r.outlierColumns).toEqual(expect.arrayContaining(op.synthetic));
    expect(r.decompositionError).toBeLessThan(r.int8Error);
    expect(decompositionErrors(op, 0).decompositionError).toBeLessThan(1e-6);
  });
});

describe('smoothingErrors', () => {
  it('migrates the outliers into W and lowers the per-tensor W8A8 error', () => {
    const op = layerOperands(study, 'transformer.h.0.mlp.c_fc', 16, { count: 2, factor: 40 });
    const r = smoothingErrors(op, 0.5, 'per-tensor');
    expect(r.errorAfter).toBeLessThan(r.errorBefore);
    expect(outlierRatio(r.xMaxAfter)).toBeLessThan(outlierRatio(r.xMaxBefore));
    r.xMaxAfter.forEach((v, j) => expect(v).toBeCloseTo(r.xMaxBefore[j] / r.scales[j], 6));
  });
});

describe('outlierRatio', () => {
  it('is the largest over the median', () => {
    expect(outlierRatio([1, 2, 3, 12])).toBe(12 / 2.5);
    expect(outlierRatio([1, 2, 8])).toBe(4);
  });
});

describe('median, topChannels, layerTopChannels and recurringLargest', () => {
  it('ranks channels by max|x| and divides by the median channel', () => {
    expect(median([4, 1, 3])).toBe(3);
    expect(median([4, 1, 3, 2])).toBe(2.5);
    expect(median([])).toBeNaN();
    const top = topChannels([1, 9, 2, 9, 3], 3);
    expect(top).toEqual([
      { channel: 1, absMax: 9, timesMedian: 3 },
      { channel: 3, absMax: 9, timesMedian: 3 },
      { channel: 4, absMax: 3, timesMedian: 1 },
    ]);
    expect(top[0].timesMedian).toBe(outlierRatio([1, 9, 2, 9, 3]));
    expect(topChannels([0, 0, 5], 1)[0].timesMedian).toBe(Infinity);
    expect(() => topChannels([1], -1)).toThrow(RangeError);
  });
  it('reads every captured layer, or those of one kind, and counts the channel largest most often', () => {
    const all = layerTopChannels(study.stats, 2);
    expect(all.map((l) => l.name)).toEqual(study.stats.map((s) => s.name));
    const fc = layerTopChannels(study.stats, 2, '.mlp.c_fc');
    expect(fc).toHaveLength(1);
    expect(fc[0].top[0].timesMedian).toBeCloseTo(outlierRatio(study.stats[2].absMax), 12);
    const row = (channel: number) => ({ name: 'x', features: 4, tokens: 1, top: [{ channel, absMax: 1, timesMedian: 1 }] });
    expect(recurringLargest([row(7), row(3), row(7), row(3), row(2)])).toEqual({ channel: 3, layers: 2, of: 5 });
    expect(recurringLargest([])).toBeNull();
  });
});
