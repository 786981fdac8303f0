import { readFileSync } from 'node:fs';
import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-cpu';
import { beforeAll, describe, expect, it } from 'vitest';
import type { Compute } from '../compute';
import { mulberry32, normalArray } from '../random';
import { calibrationWindows, captureLinearInputs } from './activations';
import { calibrateSizes, calibrationSizes, CalibrationSizeEngine, WINDOW_CHARS, nestedCalibrationWindows, nestedOrder, type QuantizeFn } from './calibration-sizes';
import { encodeText, type TinyLMConfig } from './config';
import { createFloat32Store } from './float32-store';
import { heldoutWindows, scoreFp32, scoreReplaced } from './methods-engine';
import { tinyLMTensorShapes } from './reference-forward';
import { TinyLM } from './tiny-lm';
import { quantizeLinears } from './weight-methods';

const config: TinyLMConfig = { vocab_size: 11, n_layer: 1, n_head: 2, n_embd: 16, block_size: 8, layer_norm_eps: 1e-5, tokenizer: { type: 'char', chars: 'abcdefghijk' } };
const shapes = new Map([...tinyLMTensorShapes(config)].map(([k, v]) => [k, [...v]]));
const values = new Map<string, Float32Array>();
let seed = 5;
for (const [name, shape] of shapes) values.set(name, normalArray(shape.reduce((a, b) => a * b, 1), seed++, /ln_(1|2|f)\.weight$/.test(name) ? 1 : 0, 0.3));
const r = mulberry32(4);
const randomText = (n: number) => Array.from({ length: n }, () => 'abcdefghijk'[Math.floor(r() * 11)]).join('');
const calib = randomText(400);
const held = randomText(200);
const compute = { tf, backend: 'cpu', webgpu: null, software: false } as unknown as Compute;
const weights = { config, values, shapes };

beforeAll(async () => {
  await tf.setBackend('cpu');
});

describe('nested calibration windows', () => {
  it('nestedOrder visits every index once, the first ones spread out', () => {
    expect(nestedOrder(8)).toEqual([0, 4, 2, 6, 1, 5, 3, 7]);
    for (const n of [1, 3, 5, 12, 32]) expect([...nestedOrder(n)].sort((a, b) => a - b)).toEqual(Array.from({ length: n }, (_, i) => i));
    expect(() => nestedOrder(0)).toThrow(RangeError);
  });

  it('are the evenly spread windows, reordered', () => {
    const ids = encodeText(config, calib).ids;
    const even = calibrationWindows(ids, 8, 16);
    const nested = nestedCalibrationWindows(ids, 8, 16);
    expect(nested[0]).toEqual(even[0]);
    expect(nested[1]).toEqual(even[8]);
    expect([...nested].sort()).toEqual([...even].sort());
  });

  it('WINDOW_CHARS is the shipped model’s block_size', () => {
    expect(JSON.parse(readFileSync('public/models/kjv-char-4l/config.json', 'utf8')).block_size).toBe(WINDOW_CHARS);
  });

  it('calibrationSizes: 1, 2, 4, … up to a power of two', () => {
    expect(calibrationSizes(8)).toEqual([1, 2, 4, 8]);
    expect(() => calibrationSizes(6)).toThrow(/power of two/);
  });
});

describe('capture snapshots (activations.ts snapshotsAt)', () => {
  it('the snapshot after k windows is the capture over those k windows', async () => {
    const model = new TinyLM(tf, config, createFloat32Store(tf, values, shapes));
    const ws = nestedCalibrationWindows(encodeText(config, calib).ids, 8, 8);
    const snaps = new Map<number, Awaited<ReturnType<typeof captureLinearInputs>>>();
    // batch 1: both captures sum the same per-window products in the same order, so they agree exactly.
    const all = await captureLinearInputs(tf, model, ws, { hessian: true, batch: 1, snapshotsAt: [4, 2, 8], onSnapshot: (k, s) => snaps.set(k, s) });
    expect([...snaps.keys()]).toEqual([2, 4, 8]);
    for (const k of [2, 4]) {
      const alone = await captureLinearInputs(tf, model, ws.slice(0, k), { hessian: true, batch: 1 });
      expect(snaps.get(k)).toEqual(alone);
      expect(snaps.get(k)![0].tokens).toBe(k * 8);
    }
    expect(snaps.get(8)).toEqual(all);
    // With batches of 4 the snapshot cuts the batches at k; sums agree to float32 rounding.
    const cut = new Map<number, Float64Array>();
    await captureLinearInputs(tf, model, ws, { hessian: true, batch: 4, snapshotsAt: [2], onSnapshot: (k, s) => cut.set(k, s[2].hessian!) });
    const two = await captureLinearInputs(tf, model, ws.slice(0, 2), { hessian: true, batch: 4 });
    two[2].hessian!.forEach((v, i) => expect(cut.get(2)![i]).toBeCloseTo(v, 5));
    await expect(captureLinearInputs(tf, model, ws, { snapshotsAt: [9] })).rejects.toThrow(/from 1 to 8/);
    model.dispose();
  });

  it('calibrateSizes returns one calibration per size, in ascending order, with the Hessian', async () => {
    const before = tf.memory().numTensors;
    const cals = await calibrateSizes(tf, weights, calib, [4, 1, 2]);
    expect(cals.map((c) => c.windows)).toEqual([1, 2, 4]);
    for (const c of cals) for (const s of c.stats) expect(s.tokens).toBe(c.windows * 8);
    expect(cals[2].stats[0].hessian).not.toEqual(cals[0].stats[0].hessian);
    expect(tf.memory().numTensors).toBe(before);
  });
});

describe('CalibrationSizeEngine', () => {
  const deps = { compute: async () => compute, weights: async () => weights, calibrationText: async () => calib, heldoutText: async () => held };
  const settings = { bits: 3, groupSize: -1, maxWindows: 4, heldout: 4 };

  it('scores GPTQ at every size and RTN once, as the pieces do', async () => {
    const calls: string[] = [];
    const quantize: QuantizeFn = async (c, stats, method, setting) => {
      calls.push(`${method}@${c.windows}`);
      return quantizeLinears(c.values, c.shapes, stats, method, setting).values;
    };
    const e = new CalibrationSizeEngine({ ...deps, quantize });
    await e.run(settings);
    const s = e.getSnapshot();
    expect(s.error).toBeNull();
    expect(s.state).toBe('done');
    expect(calls).toEqual(['rtn@4', 'gptq@1', 'gptq@2', 'gptq@4']);
    expect(s.rows.map((row) => [row.windows, row.characters])).toEqual([[1, 8], [2, 16], [4, 32]]);

    const cals = await calibrateSizes(tf, weights, calib, [1, 2, 4]);
    const windows = heldoutWindows(config, held, 4);
    const fp32 = await scoreFp32(compute, cals[0], windows);
    expect(s.fp32!.perplexity).toBe(fp32.perplexity);
    const rtn = await scoreReplaced(compute, cals[2], quantizeLinears(values, shapes, cals[2].stats, 'rtn', settings).values, windows, fp32.logits);
    expect(s.rtn!.kl).toBe(rtn.klFromFp32);
    const g = await scoreReplaced(compute, cals[1], quantizeLinears(values, shapes, cals[1].stats, 'gptq', settings).values, windows, fp32.logits);
    expect(s.rows[1].perplexity).toBe(g.perplexity);
    expect(s.rows[1].kl).toBe(g.klFromFp32);
    for (const row of s.rows) expect(row.kl).toBeGreaterThan(0);
  });

  it('names a bad setting, and stop() drops the rest of the run', async () => {
    const e = new CalibrationSizeEngine(deps);
    await e.run({ ...settings, maxWindows: 6 });
    expect(e.getSnapshot().state).toBe('error');
    expect(e.getSnapshot().error).toMatch(/power of two/);

    let release!: () => void;
    const gate = new Promise<void>((res) => (release = res));
    const slow = new CalibrationSizeEngine({ ...deps, heldoutText: async () => (await gate, held) });
    const run = slow.run(settings);
    slow.stop();
    release();
    await run;
    expect(slow.getSnapshot().state).toBe('idle');
    expect(slow.getSnapshot().rows).toEqual([]);
    expect(slow.getSnapshot().status).toBe('Stopped.');
  });
});
