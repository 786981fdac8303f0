/**
 * The methods table on a learner's own GPT-2-family checkpoint (methods-engine.ts
 * captureOwnCalibration and its bounds). Nothing is downloaded: the test writes a tiny checkpoint in
 * Hugging Face's GPT-2 layout (Conv1D weights [in, out], byte-level BPE tokenizer.json, gelu_new),
 * opens and reads it as the page does (gpt2-checkpoint.ts, own-model.ts readOwnWeights), and
 * runs round-to-nearest, GPTQ and AWQ on it with tfjs's CPU backend.
 */
import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-cpu';
import { beforeAll, describe, expect, it } from 'vitest';
import type { Compute } from '../compute';
import { mulberry32 } from '../random';
import { encodeText } from './config';
import { openGpt2Checkpoint } from './gpt2-checkpoint';
import { gpt2CheckpointBytes, gpt2TokenizerJson } from './gpt2-fixture.test-util';
import type { TinyLMWeights } from './load';
import { captureOwnCalibration, gptqMultiplyAdds, heldoutWindows, hessianBytes, linearsOfBlocks, maxBlocksWithin, OWN_MODEL_BOUNDS, scoreFp32, scoreReplaced, type OwnCalibration } from './methods-engine';
import { readOwnWeights } from './own-model';
import { quantizeLinears, type WeightMethod } from './weight-methods';

const MERGES = ['t h', 'th e', 'Ġ th', 'Ġth e', 'a n', 'Ġ an', 'Ġan d', 'e r', 'i n', 'o u'];
const V = 256 + MERGES.length + 1;
const C = 32, L = 2, H = 2, P = 32;

const tokenizerJson = () => gpt2TokenizerJson(MERGES, { endOfText: true });
/** Hugging Face's GPT-2 tensors (Conv1D [in, out]) with seeded weights: gains near 1, the rest N(0, 0.3²). */
const checkpointBytes = () => gpt2CheckpointBytes({ C, L, P, V }, 21);

/** English-like text from a few words, seeded: the BPE merges above apply to it. */
function words(n: number, seed: number): string {
  const r = mulberry32(seed);
  const w = ['the', 'and', 'other', 'an', 'in', 'out', 'there', 'word', 'then', 'under', 'thin', 'our'];
  return Array.from({ length: n }, () => w[Math.floor(r() * w.length)]).join(' ');
}

const compute = { tf, backend: 'cpu', webgpu: null, software: false } as unknown as Compute;
const config = { model_type: 'gpt2', architectures: ['GPT2LMHeadModel'], n_embd: C, n_layer: L, n_head: H, n_positions: P, n_ctx: P, vocab_size: V, layer_norm_epsilon: 1e-5, activation_function: 'gelu_new', n_inner: null };
let weights: TinyLMWeights;
const calibrationText = words(600, 1);
const heldoutText = words(600, 2);
const deps = () => ({ compute: async () => compute, weights: async () => weights, calibrationText: async () => calibrationText });
let c: OwnCalibration;

beforeAll(async () => {
  await tf.setBackend('cpu');
  const ckpt = await openGpt2Checkpoint({ config, tokenizer: tokenizerJson(), weights: new Blob([checkpointBytes()]) });
  weights = await readOwnWeights(ckpt);
  c = await captureOwnCalibration(deps(), { windows: 4, blocks: 1 });
});

describe('the bounds of the methods table on a loaded checkpoint', () => {
  it('the Linear layers of the first blocks, in forward order', () => {
    expect(linearsOfBlocks({ n_layer: 12 }, 1)).toEqual(['transformer.h.0.attn.c_attn', 'transformer.h.0.attn.c_proj', 'transformer.h.0.mlp.c_fc', 'transformer.h.0.mlp.c_proj']);
    expect(linearsOfBlocks({ n_layer: 12 }, 12)).toHaveLength(48);
    expect(() => linearsOfBlocks({ n_layer: 2 }, 3)).toThrow(/from 1 to 2/);
    expect(() => linearsOfBlocks({ n_layer: 2 }, 0)).toThrow(RangeError);
  });

  it('Hessian bytes: float64 in × in for three n_embd-input layers and one 4·n_embd-input layer a block', () => {
    const C = 768;
    expect(hessianBytes({ n_embd: C }, 1)).toBe(8 * (3 * C * C + 4 * C * 4 * C));
    expect(hessianBytes({ n_embd: C }, 12)).toBe(12 * hessianBytes({ n_embd: C }, 1));
    // GPT-2 small (12 blocks, C 768): as many blocks as fit the budget; a tiny model: all of them.
    const gpt2 = { n_embd: 768, n_layer: 12 };
    const most = maxBlocksWithin(gpt2);
    expect(hessianBytes(gpt2, most)).toBeLessThanOrEqual(OWN_MODEL_BOUNDS.hessianBudgetBytes);
    expect(hessianBytes(gpt2, most + 1)).toBeGreaterThan(OWN_MODEL_BOUNDS.hessianBudgetBytes);
    expect(most).toBeLessThan(12);
    expect(maxBlocksWithin({ n_embd: C, n_layer: L })).toBe(L);
    expect(maxBlocksWithin(gpt2, 1)).toBe(1);
  });

  it("GPTQ's error feedback: rows · in · (in − 1) / 2 multiply-adds per layer, counted column by column", () => {
    const count = (rows: number, cols: number) => { let n = 0; for (let i = 0; i < cols; i++) n += rows * (cols - 1 - i); return n; };
    const C = 12;
    expect(gptqMultiplyAdds({ n_embd: C }, 2)).toBe(2 * (count(3 * C, C) + count(C, C) + count(4 * C, C) + count(C, 4 * C)));
    expect(gptqMultiplyAdds({ n_embd: 768 }, 1) / 768 ** 3).toBeCloseTo(12, 1);
  });

  it('refuses windows out of bounds and blocks the model lacks', async () => {
    await expect(captureOwnCalibration(deps(), { windows: OWN_MODEL_BOUNDS.calibWindows.max + 1, blocks: 1 })).rejects.toThrow(/Calibration windows/);
    await expect(captureOwnCalibration(deps(), { windows: 4, blocks: L + 1 })).rejects.toThrow(/from 1 to 2/);
  });
});

describe('captureOwnCalibration on a tiny GPT-2 checkpoint', () => {
  it('captures the first block only, over BPE windows of min(n_positions, 128) tokens', () => {
    expect(weights.config.tokenizer.type).toBe('bpe');
    expect(c.windowTokens).toBe(Math.min(P, OWN_MODEL_BOUNDS.windowTokens));
    expect(c.stats.map((s) => s.name)).toEqual(linearsOfBlocks(weights.config, 1));
    for (const s of c.stats) {
      expect(s.tokens).toBe(4 * c.windowTokens);
      expect(s.hessian!.length).toBe(s.features * s.features);
    }
    expect(c.stats.map((s) => s.features)).toEqual([C, C, C, 4 * C]);
    // The BPE merges shorten the text: fewer tokens than bytes.
    expect(encodeText(weights.config, calibrationText).ids.length).toBeLessThan(calibrationText.length);
  });

  it('held-out windows of the same bounded length, BPE-encoded', () => {
    const w = heldoutWindows(weights.config, heldoutText, 3, OWN_MODEL_BOUNDS.windowTokens);
    expect(w).toHaveLength(3);
    for (const x of w) {
      expect(x.inputs).toHaveLength(P);
      expect(x.targets).toHaveLength(P);
    }
    expect(heldoutWindows(weights.config, heldoutText, 2, 8)[0].inputs).toHaveLength(8);
  });

  // Computed (4-bit, one group per row, 4 windows of 32 tokens): GPTQ is below round-to-nearest on
  // every layer; AWQ is below on three and equal on attn.c_attn, where its search picks α = 0 (no
  // scaling, round-to-nearest on the same grid) — these random weights have no salient channels there.
  it('GPTQ gives a lower layer error than round-to-nearest on every layer of the block, AWQ never a higher one and a lower total (4-bit, group 128 → one group per row)', () => {
    const setting = { bits: 4, groupSize: 128 };
    const run = (m: WeightMethod) => quantizeLinears(c.values, c.shapes, c.stats, m, setting).layers;
    const [rtn, gptq, awq] = (['rtn', 'gptq', 'awq'] as const).map(run);
    const sum = (ls: { proxyLoss: number }[]) => ls.reduce((a, l) => a + l.proxyLoss, 0);
    for (let i = 0; i < rtn.length; i++) {
      expect(gptq[i].proxyLoss, c.stats[i].name).toBeLessThan(rtn[i].proxyLoss);
      // AWQ's α grid holds α = 0 (round-to-nearest on its grid), and its sample is every calibration row
      // here (128 tokens ≤ 256 rows), so its chosen scales cannot do worse on the layer-wise loss.
      expect(c.stats[i].sampleRows).toBe(c.stats[i].tokens);
      expect(awq[i].proxyLoss, c.stats[i].name).toBeLessThanOrEqual(rtn[i].proxyLoss * (1 + 1e-12));
      if (awq[i].alpha === 0) expect(awq[i].proxyLoss).toBeCloseTo(rtn[i].proxyLoss, 10);
    }
    expect(sum(awq)).toBeLessThan(sum(rtn));
  });

  it('quantizes only the chosen layers; the rebuilt model scores against FP32', async () => {
    const q = quantizeLinears(c.values, c.shapes, c.stats, 'gptq', { bits: 3, groupSize: 64 });
    const changed = [...q.values].filter(([k, v]) => v !== weights.values.get(k)).map(([k]) => k);
    expect(changed.sort()).toEqual(linearsOfBlocks(weights.config, 1).map((n) => `${n}.weight`).sort());
    const windows = heldoutWindows(weights.config, heldoutText, 2, OWN_MODEL_BOUNDS.windowTokens);
    const fp32 = await scoreFp32(compute, c, windows);
    expect(fp32.logits.length).toBe(2 * P * V);
    const replaced = new Map(changed.map((k) => [k, q.values.get(k)!]));
    const s = await scoreReplaced(compute, c, replaced, windows, fp32.logits);
    expect(s.klFromFp32).toBeGreaterThan(0);
    expect(Number.isFinite(s.perplexity)).toBe(true);
  });
});
