import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-cpu';
import { beforeAll, describe, expect, it, vi } from 'vitest';
import type { Compute } from '../compute';
import { normalArray } from '../random';
import type { TinyLMConfig } from './config';
import { InferenceComparison, type InferenceSnapshot } from './inference-compare';
import type { TinyLMWeights } from './load';
import { tinyLMTensorShapes } from './reference-forward';
import { makeWeightStore } from './stores';
import { TinyLM } from './tiny-lm';

const config: TinyLMConfig = { vocab_size: 8, n_layer: 1, n_head: 2, n_embd: 64, block_size: 16, layer_norm_eps: 1e-5, tokenizer: { type: 'char', chars: 'abcdefgh' } };

function weights(): TinyLMWeights {
  const values = new Map<string, Float32Array>();
  let seed = 1;
  for (const [name, shape] of tinyLMTensorShapes(config)) {
    const gain = /ln_(1|2|f)\.weight$/.test(name);
    values.set(name, normalArray(shape.reduce((a, b) => a * b, 1), seed++, gain ? 1 : 0, gain ? 0.1 : 0.3));
  }
  return { config, values, shapes: tinyLMTensorShapes(config) };
}

const compute = { tf, backend: 'cpu', webgpu: null, software: false } as unknown as Compute;
const text = 'abcdefghhgfedcbaabababcdcdcdefefefghghgh'.repeat(4);

function engine(formats: Parameters<typeof makeWeightStore>[1][], windows = 2, windowTokens?: number, heldout = text, scoreBatchBytes?: number) {
  // A fake clock that advances 250 ms per reading: read at the call and as each id arrives.
  let clock = 0;
  const now = () => (clock += 250);
  return new InferenceComparison(
    { compute: async () => compute, backendLabel: () => 'CPU', weights: async () => weights(), heldout: async () => heldout, makeStore: makeWeightStore, now },
    { formats, prompt: 'abc', sampleTokens: 4, seed: 3, temperature: 0.8, topK: 4, windows, windowTokens, scoreBatchBytes },
  );
}

async function finished(e: InferenceComparison): Promise<InferenceSnapshot> {
  return new Promise((resolve) => {
    const check = () => {
      const s = e.getSnapshot();
      if (s.state === 'done' || s.state === 'error' || s.state === 'stopped') resolve(s);
    };
    e.subscribe(check);
    check();
  });
}

beforeAll(async () => {
  await tf.setBackend('cpu');
});

describe('InferenceComparison', () => {
  it('measures every format against FP32: KL 0 and top-1 100% for FP32 itself, growing KL as bits shrink', async () => {
    const before = tf.memory().numTensors;
    const e = engine(['fp32', 'fp16', 'int8-channel', 'nf4-dq']);
    e.start();
    const s = await finished(e);
    expect(s.error).toBeNull();
    expect(s.state).toBe('done');
    expect(s.backend).toBe('CPU');
    expect(s.scoredTokens).toBe(2 * config.block_size);
    const [fp32, fp16, int8, nf4] = s.results;
    expect(fp32.klFromFp32).toBe(0);
    expect(fp32.top1Agreement).toBe(1);
    expect(fp32.bitsPerWeight).toBe(32);
    expect(fp16.bitsPerWeight).toBe(16);
    expect(nf4.bitsPerWeight).toBeLessThan(4.2);
    expect(fp16.klFromFp32).toBeLessThan(int8.klFromFp32);
    expect(int8.klFromFp32).toBeLessThan(nf4.klFromFp32);
    expect(nf4.residency).toBe('float32'); // the CPU backend cannot unpack on the device
    // 4 tokens, the clock read as each arrives: 3 tokens after the first in 0.75 s.
    expect(fp32.tokensPerSecond).toBeCloseTo(4, 10);
    // The CPU backend decodes with tfjs ops; a token reads each Linear weight and wte as float32, 4 bytes a weight.
    expect(fp32.decodePath).toBe('ops');
    expect(fp32.dispatchesPerToken).toBeNull();
    // wte 8×64, c_attn 192×64, c_proj 64×64, c_fc 256×64, mlp.c_proj 64×256.
    expect(fp32.bytesPerToken).toBe(4 * (8 * 64 + 192 * 64 + 64 * 64 + 256 * 64 + 64 * 256));
    expect(s.results.every((r) => r.sample.length === 4 && Number.isFinite(r.perplexity))).toBe(true);
    e.dispose();
    expect(tf.memory().numTensors).toBe(before);
  });

  it('stops between formats and keeps what it measured', async () => {
    const e = engine(['fp32', 'fp16', 'bf16']);
    const unsubscribe = e.subscribe(() => { if (e.getSnapshot().results.length === 1) e.stop(); });
    e.start();
    const s = await finished(e);
    unsubscribe();
    expect(s.state).toBe('stopped');
    expect(s.results.map((r) => r.format)).toEqual(['fp32']);
    e.dispose();
  });

  it('pauses before its next step and goes on from there when resumed (off screen and back)', async () => {
    const e = engine(['fp32', 'fp16']);
    const unsubscribe = e.subscribe(() => { if (e.getSnapshot().results.length === 1) e.pause(); });
    e.start();
    await new Promise<void>((resolve) => { const t = e.subscribe(() => { if (e.getSnapshot().results.length === 1) { t(); resolve(); } }); });
    for (let i = 0; i < 20; i++) await new Promise((r) => setTimeout(r, 0));
    expect(e.getSnapshot().state).toBe('running'); // held, not stopped
    expect(e.getSnapshot().results).toHaveLength(1);
    unsubscribe();
    e.resume();
    const s = await finished(e);
    expect(s.state).toBe('done');
    expect(s.results.map((r) => r.format)).toEqual(['fp32', 'fp16']);
    expect(s.results[1].tokensPerSecond).toBeCloseTo(4, 10); // the pause is not timed
    e.dispose();
  });

  it('a paused run ends when stopped', async () => {
    const e = engine(['fp32', 'fp16']);
    e.pause();
    e.start();
    for (let i = 0; i < 20; i++) await new Promise((r) => setTimeout(r, 0));
    expect(e.getSnapshot().results).toHaveLength(0);
    e.stop();
    expect((await finished(e)).state).toBe('stopped');
    e.dispose();
  });

  it('reports a prompt the model cannot read', async () => {
    const e = new InferenceComparison(
      { compute: async () => compute, backendLabel: () => 'CPU', weights: async () => weights(), heldout: async () => text, makeStore: makeWeightStore },
      { formats: ['fp32'], prompt: 'xyz', sampleTokens: 2, seed: 1, temperature: 1, windows: 1 },
    );
    e.start();
    const s = await finished(e);
    expect(s.state).toBe('error');
    expect(s.error).toMatch(/prompt has no characters the model knows/);
    expect(s.droppedCharacters).toEqual(['x', 'y', 'z']);
  });
  it('scores windows of windowTokens when shorter than block_size (a loaded GPT-2), and says why decoding took tfjs ops', async () => {
    const e = engine(['fp32'], 3, 5);
    e.start();
    const s = await finished(e);
    expect(s.state).toBe('done');
    expect(s.scoredTokens).toBe(3 * 5);
    expect(s.results[0].decodePath).toBe('ops');
    expect(s.results[0]).toHaveProperty('decodeWhy');
    e.dispose();
    const longer = engine(['fp32'], 2, 10 * config.block_size); // never longer than block_size
    longer.start();
    expect((await finished(longer)).scoredTokens).toBe(2 * config.block_size);
    longer.dispose();
    const short = engine(['fp32'], 2, 10, 'abcdefgh'); // 8 tokens: one window of 6
    short.start();
    expect((await finished(short)).scoredTokens).toBe(6);
    short.dispose();
  });

  it('scores the windows in batches under scoreBatchBytes with the same perplexity, KL and top-1 as in one batch', async () => {
    const run = async (bytes?: number) => {
      const e = engine(['fp32', 'int8-channel', 'nf4-dq'], 3, undefined, text, bytes);
      e.start();
      const s = await finished(e);
      e.dispose();
      expect(s.state).toBe('done');
      return s.results;
    };
    const batches = vi.spyOn(TinyLM.prototype, 'logitsBatchTensor');
    const whole = await run();
    expect(batches.mock.calls.map((c) => c[0].length)).toEqual([3, 3, 3]); // the tiny logits: every window at once
    batches.mockClear();
    const oneByOne = await run(1); // below one window's logits: a window a batch
    expect(batches.mock.calls.map((c) => c[0].length)).toEqual(Array(9).fill(1));
    batches.mockRestore();
    for (const [i, r] of oneByOne.entries()) {
      expect(r.perplexity).toBeCloseTo(whole[i].perplexity, 10);
      expect(r.klFromFp32).toBeCloseTo(whole[i].klFromFp32, 12);
      expect(r.top1Agreement).toBeCloseTo(whole[i].top1Agreement, 12);
    }
    expect(oneByOne[0].klFromFp32).toBe(0);
    expect(oneByOne[2].klFromFp32).toBeGreaterThan(0);
  });
});
