import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-cpu';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { beforeAll, describe, expect, it } from 'vitest';
import type { Compute } from '../compute';
import { readTinyLMWeights, type TinyLMWeights } from '../model/load';
import { TINY_MODEL_NAME } from '../model/tiny-model';
import { LORA_TARGETS } from './lora';
import { buildTrainer } from './replace-trainer';
import type { TrainerOptions } from './trainer';

const dir = fileURLToPath(new URL(`../../public/models/${TINY_MODEL_NAME}/`, import.meta.url));
const text = readFileSync(`${dir}heldout.txt`, 'utf8');
const compute = { tf, backend: 'cpu', webgpu: null, software: false } as unknown as Compute;
let weights: TinyLMWeights;
const options: TrainerOptions = {
  mode: 'lora', lora: { r: 4, alpha: 8, dropout: 0, targets: LORA_TARGETS }, lr: 5e-3, weightDecay: 0, batchSize: 4, blockSize: 16, clip: 1, seed: 1, evalEvery: 0, evalWindows: 4, maxSteps: 10,
};

beforeAll(async () => {
  await tf.setBackend('cpu');
  weights = await readTinyLMWeights(JSON.parse(readFileSync(`${dir}config.json`, 'utf8')), new Uint8Array(readFileSync(`${dir}model.safetensors`)));
});

const deps = () => ({ compute, weights, train: text.slice(0, 20_000), heldout: text.slice(20_000, 30_000) });

describe('buildTrainer: validate everything before replacing anything', () => {
  it('loads a good adapter, and a trained run survives a truncated file or an absurd r untouched', async () => {
    // A run trained for 3 steps, exported as PEFT files.
    const run = await buildTrainer(deps(), options);
    for (let i = 0; i < 3; i++) await run.step();
    const { safetensors, adapterConfig } = await run.exportAdapter();
    const tensorsBefore = tf.memory().numTensors;

    // A good adapter builds a new trainer holding exactly those weights.
    const loaded = await buildTrainer(deps(), { ...options, mode: 'full' }, { safetensors, adapterConfig });
    expect(loaded.options.mode).toBe('qlora');
    const again = await loaded.exportAdapter();
    expect(Array.from(again.safetensors)).toEqual(Array.from(safetensors));
    loaded.dispose();
    expect(tf.memory().numTensors).toBe(tensorsBefore);

    // A truncated file: a named error, nothing allocated, and the run keeps its step and weights.
    const truncated = safetensors.slice(0, Math.floor(safetensors.length / 2));
    await expect(buildTrainer(deps(), options, { safetensors: truncated, adapterConfig })).rejects.toThrow(/Tensor "base_model\.model\.transformer\.[^"]+" .*(past|end|beyond|outside)/i);
    expect(tf.memory().numTensors).toBe(tensorsBefore);

    // An impossible r: the field is named before any allocation is tried.
    await expect(buildTrainer(deps(), options, { safetensors, adapterConfig: { ...adapterConfig, r: 10_000_000 } })).rejects.toThrow(
      expect.objectContaining({ name: 'PeftImportError', problem: 'bad-config', message: expect.stringMatching(/r = 10000000 is larger than this model allows: at most 128/) }),
    );
    expect(tf.memory().numTensors).toBe(tensorsBefore);

    expect(run.getSnapshot().step).toBe(3);
    const still = await run.exportAdapter();
    expect(Array.from(still.safetensors)).toEqual(Array.from(safetensors));
    run.dispose();
  }, 30_000);
});
