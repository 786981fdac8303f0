import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-cpu';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { beforeAll, describe, expect, it } from 'vitest';
import { readSafetensors } from '../io/safetensors';
import { encodeText } from './config';
import { loadTinyLM, readTinyLMWeights } from './load';
import { referenceLogits } from './reference-forward';
import { matchesShippedModel, matrixTensorName, modelMatrixNames, TINY_MODEL_NAME } from './tiny-model';

// The model the course ships (scripts/pretrain): its files, read from public/ as the site serves them.
const dir = fileURLToPath(new URL(`../../public/models/${TINY_MODEL_NAME}/`, import.meta.url));
const configJson: unknown = JSON.parse(readFileSync(`${dir}config.json`, 'utf8'));
const file = new Uint8Array(readFileSync(`${dir}model.safetensors`));
const ref = JSON.parse(readFileSync(`${dir}reference-logits.json`, 'utf8')) as { prompt: string; prompt_ids: number[]; logits: number[][] };

beforeAll(async () => {
  await tf.setBackend('cpu');
});

describe(`the shipped model ${TINY_MODEL_NAME}`, () => {
  it('has the layers and matrices the lab offers', async () => {
    const w = await readTinyLMWeights(configJson, file);
    expect(matchesShippedModel(w.config)).toBe(true);
    const { tensors } = readSafetensors(file);
    for (const m of modelMatrixNames()) expect(tensors.get(matrixTensorName(m))?.shape.length).toBe(2);
  });

  it('gives PyTorch’s logits (reference-logits.json, written by scripts/pretrain) on tfjs and in plain TypeScript', async () => {
    const w = await readTinyLMWeights(configJson, file);
    expect(encodeText(w.config, ref.prompt)).toEqual({ ids: ref.prompt_ids, unknown: [] });
    const expected = ref.logits.flat();
    const model = await loadTinyLM(tf, { config: configJson, safetensors: file });
    const got = await model.logits(ref.prompt_ids);
    model.dispose();
    const plain = referenceLogits(w.config, w.values, ref.prompt_ids);
    let maxTf = 0, maxPlain = 0;
    for (let i = 0; i < expected.length; i++) {
      maxTf = Math.max(maxTf, Math.abs(got[i] - expected[i]));
      maxPlain = Math.max(maxPlain, Math.abs(plain[i] - expected[i]));
    }
    // 6 significant digits in the file: logits of order 10 carry up to 5e-5 of rounding.
    expect(maxTf).toBeLessThan(1e-4);
    expect(maxPlain).toBeLessThan(1e-4);
  });
});
