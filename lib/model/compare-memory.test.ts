import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-cpu';
import { beforeAll, describe, expect, it } from 'vitest';
import type { Compute } from '../compute';
import { normalArray } from '../random';
import { comparisonMemory, forwardBytes, SCORE_BATCH_BYTES, scoreBatchWindows } from './compare-memory';
import type { GeluKind, TinyLMConfig } from './config';
import { OWN_WINDOW_TOKENS } from './own-model-text';
import { tinyLMTensorShapes } from './reference-forward';
import { makeWeightStore } from './stores';
import { TinyLM } from './tiny-lm';
import { COMPARISON_WINDOWS } from './tiny-model';

const compute = { tf, backend: 'cpu', webgpu: null, software: false } as unknown as Compute;

beforeAll(async () => {
  await tf.setBackend('cpu');
});

describe('scoreBatchWindows', () => {
  it('fits a batch\'s logits under the cap, one window at least', () => {
    expect(scoreBatchWindows(128, 63)).toBe(Math.floor(SCORE_BATCH_BYTES / (4 * 128 * 63)));
    expect(scoreBatchWindows(128, 50257)).toBe(1); // 25.7 MB a window
    expect(scoreBatchWindows(128, 50257, 1)).toBe(1);
    expect(scoreBatchWindows(4, 8, 4 * 4 * 8 * 3)).toBe(3);
  });
});

describe('forwardBytes', () => {
  // tfjs's CPU backend reports every kernel's output; Identity (a store's tf.clone) and Reshape share their input's buffer.
  const SHARED = new Set(['Identity', 'Reshape']);
  it.each([
    [{ n_embd: 64, n_layer: 2, n_head: 2 }, 1, 32, 'gelu'],
    [{ n_embd: 64, n_layer: 2, n_head: 2 }, 4, 32, 'gelu_new'],
    [{ n_embd: 128, n_layer: 3, n_head: 4 }, 2, 16, 'gelu_new'],
    [{ n_embd: 256, n_layer: 2, n_head: 8 }, 1, 64, 'gelu_new'],
  ] as const)('bounds what one forward keeps until its tidy ends (%o, %i × %i tokens, %s)', async (shape, b, T, activation: GeluKind) => {
    const V = 40;
    const config: TinyLMConfig = { ...shape, vocab_size: V, block_size: T, layer_norm_eps: 1e-5, tokenizer: { type: 'byte' }, activation };
    const values = new Map<string, Float32Array>();
    let seed = 1;
    for (const [name, s] of tinyLMTensorShapes(config)) values.set(name, normalArray(s.reduce((x, y) => x * y, 1), seed++));
    const model = new TinyLM(tf, config, makeWeightStore(compute, 'fp32', { config, values, shapes: tinyLMTensorShapes(config) }));
    const batch = Array.from({ length: b }, (_, i) => Array.from({ length: T }, (_, t) => (i + t) % V));
    const p = await tf.profile(() => model.logitsBatchTensor(batch));
    const kept = p.kernels.reduce((sum, k) => sum + (SHARED.has(k.name) ? 0 : k.bytesAdded), 0) - 4 * b * T * V;
    model.dispose();
    tf.dispose(p.result);
    expect(kept).toBeGreaterThan(0);
    expect(forwardBytes(config, b, T)).toBeGreaterThanOrEqual(kept);
    expect(forwardBytes(config, b, T)).toBeLessThan(2 * kept); // a bound, not a guess far above
  });
});

describe('comparisonMemory', () => {
  it('adds up GPT-2 small\'s peak: the largest store, the mask, FP32\'s logits, and a scored window over decoding', () => {
    const L = 12, C = 768, P = 1024, V = 50257, H = 12, N = 124_439_808;
    const m = comparisonMemory({ n_layer: L, n_head: H, n_embd: C, block_size: P, vocab_size: V }, N);
    expect(m.linearParameters).toBe(84_934_656); // 12 · L · C²
    expect(m.storeBytes).toBe(6 * 84_934_656 + 4 * (N - 84_934_656)); // 667.6 MB
    expect(m.maskBytes).toBe(4 * P * P);
    const T = Math.min(P, OWN_WINDOW_TOKENS);
    expect(m.referenceBytes).toBe(4 * V * T * COMPARISON_WINDOWS); // 205.9 MB
    expect(m.scoringBytes).toBe(2 * 4 * V * T + forwardBytes({ n_layer: L, n_head: H, n_embd: C }, 1, T));
    expect(m.decodeBytes).toBe(8 * P * C * (L + 1)); // no one-dispatch step for a vocabulary of 50,257
    expect(m.peakBytes).toBe(m.storeBytes + m.maskBytes + m.referenceBytes + m.scoringBytes);
    expect(m.peakBytes).toBe(1_445_038_080);
  });

  it('counts the one-dispatch step\'s packed copy for a model small enough to take it', () => {
    const c = { n_layer: 2, n_head: 2, n_embd: 32, block_size: 64, vocab_size: 300 };
    const N = 300 * 32 + 64 * 32 + 2 * (12 * 32 * 32 + 13 * 32) + 2 * 32;
    const m = comparisonMemory(c, N);
    expect(m.decodeBytes).toBe(8 * 64 * 32 * 3 + 12 * N);
    expect(m.peakBytes).toBe(m.storeBytes + m.maskBytes + m.referenceBytes + Math.max(m.scoringBytes, m.decodeBytes));
  });
});
