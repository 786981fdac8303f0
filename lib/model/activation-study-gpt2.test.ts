/**
 * The activation capture on a learner's GPT-2-layout checkpoint: a small one built here (Hugging
 * Face's names, Conv1D [in, out] weights, a byte-level BPE vocabulary; as gpt2-checkpoint.test.ts),
 * read with readOwnWeights, captured on tfjs's CPU backend. Nothing is downloaded.
 */
import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-cpu';
import { beforeAll, describe, expect, it } from 'vitest';
import { layerTopChannels, loadOwnActivationStudy, OWN_STUDY, recurringLargest, type OwnActivationStudy } from './activation-study';
import { calibrationWindows, captureLinearInputs } from './activations';
import { encodeText } from './config';
import { createFloat32Store } from './float32-store';
import { openGpt2Checkpoint } from './gpt2-checkpoint';
import { gpt2CheckpointBytes, gpt2TokenizerJson, isLayerNormGain } from './gpt2-fixture.test-util';
import type { TinyLMWeights } from './load';
import { readOwnWeights } from './own-model';
import { TinyLM } from './tiny-lm';

const C = 16, L = 2, H = 2, P = 8;
const MERGES = ['h e', 'l l', 'he ll', 'Ġ t', 'Ġt he'];
const V = 256 + MERGES.length;
/** Block 1's second LayerNorm gain is this large on channel SPIKE: the input of h.1.mlp.c_fc gets one channel far above the rest. */
const SPIKE = 5, GAIN = 40;
const TEXT = 'hello the hall, hello there; the well is full. Héllo — the end of the text. '.repeat(6);

const tokenizerJson = () => gpt2TokenizerJson(MERGES);

/** GPT-2's file layout (Conv1D weights [in, out]); LayerNorm gains near 1, the rest N(0, 0.3²) (ln_2's bias N(0, 0.01²)); block 1's ln_2 gain spiked. */
const checkpointBytes = () => gpt2CheckpointBytes({ C, L, P, V }, 3, {
  spread: (name) => (isLayerNormGain(name) ? [1, 0.1] : name.endsWith('ln_2.bias') ? [0, 0.01] : [0, 0.3]),
  edit: (t) => { (t.get('h.1.ln_2.weight')!.data as Float32Array)[SPIKE] = GAIN; },
});

let weights: TinyLMWeights;
let study: OwnActivationStudy;
const progress: number[] = [];
beforeAll(async () => {
  await tf.setBackend('cpu');
  const bytes = checkpointBytes();
  const ckpt = await openGpt2Checkpoint({ config: { model_type: 'gpt2', n_embd: C, n_layer: L, n_head: H, n_positions: P, vocab_size: V, activation_function: 'gelu_new' }, tokenizer: tokenizerJson(), weights: { size: bytes.length, slice: (b, e) => ({ arrayBuffer: async () => bytes.slice(b, e).buffer }) } });
  weights = await readOwnWeights(ckpt);
  study = await loadOwnActivationStudy(tf, weights, TEXT, { onProgress: (k) => progress.push(k) });
});

describe('loadOwnActivationStudy on a GPT-2-layout checkpoint', () => {
  it('captures all 4·n_layer Linear inputs over a few windows of BPE tokens, one window a pass', () => {
    expect(weights.config.tokenizer.type).toBe('bpe');
    expect(weights.config.activation).toBe('gelu_new');
    expect(study.windowTokens).toBe(Math.min(OWN_STUDY.windowTokens, P));
    expect(study.windows).toBe(OWN_STUDY.windows);
    expect(progress).toEqual(Array.from({ length: OWN_STUDY.windows }, (_, i) => i + 1));
    expect(study.stats.map((s) => s.name)).toEqual([0, 1].flatMap((l) => ['attn.c_attn', 'attn.c_proj', 'mlp.c_fc', 'mlp.c_proj'].map((m) => `transformer.h.${l}.${m}`)));
    expect(study.stats.map((s) => s.features)).toEqual([C, C, C, 4 * C, C, C, C, 4 * C]);
    for (const s of study.stats) expect(s.tokens).toBe(OWN_STUDY.windows * study.windowTokens);
  });

  it('is the capture over the text’s BPE ids (encodeText with the checkpoint’s tokenizer)', async () => {
    const ids = encodeText(weights.config, TEXT).ids;
    expect(ids.length).toBeLessThan(new TextEncoder().encode(TEXT).length); // merges applied
    const model = new TinyLM(tf, weights.config, createFloat32Store(tf, weights.values, weights.shapes));
    try {
      const direct = await captureLinearInputs(tf, model, calibrationWindows(ids, study.windowTokens, OWN_STUDY.windows));
      direct.forEach((s, i) => expect(Array.from(study.stats[i].absMax)).toEqual(Array.from(s.absMax)));
    } finally {
      model.dispose();
    }
  });

  it('finds the planted large channel, measured against the median channel', () => {
    const fc = layerTopChannels(study.stats, 3, '.mlp.c_fc');
    expect(fc.map((l) => l.name)).toEqual(['transformer.h.0.mlp.c_fc', 'transformer.h.1.mlp.c_fc']);
    expect(fc[1].top[0].channel).toBe(SPIKE);
    expect(fc[1].top[0].timesMedian).toBeGreaterThan(10);
    expect(fc[0].top[0].timesMedian).toBeLessThan(fc[1].top[0].timesMedian / 4);
    expect(recurringLargest(fc)?.of).toBe(2);
  });

  it('stops between windows when its signal is aborted, and throws the reason', async () => {
    const ac = new AbortController();
    const seen: number[] = [];
    const err = await loadOwnActivationStudy(tf, weights, TEXT, { signal: ac.signal, onProgress: (k) => { seen.push(k); ac.abort(new Error('cancelled here')); } }).catch((e: unknown) => e);
    expect((err as Error).message).toBe('cancelled here');
    expect(seen).toEqual([1]);
    expect(tf.memory().numTensors).toBe(0);
  });
});
