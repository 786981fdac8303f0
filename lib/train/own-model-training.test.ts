import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-cpu';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { beforeAll, describe, expect, it } from 'vitest';
import type { Compute } from '../compute';
import { NF4_TABLE_BYTES } from '../compute/nf4-gpu';
import { readTinyLMWeights, type TinyLMWeights } from '../model/load';
import { createQuantizedStore } from '../model/quantized-store';
import type { TinyLM } from '../model/tiny-lm';
import { TINY_MODEL_NAME } from '../model/tiny-model';
import { activationBytesEstimate } from '../lora/params';
import './gradients';
import { nextTokenLoss } from './loss';
import { LOGITS_FLOATS_HELD, NF4_TABLE_BYTES_PER_WEIGHT, ownTrainingFits, ownTrainingMemory } from './own-model-training';
import { COMPARISON_RECIPE, LOOP, trainerOptions, type TrainingRecipe } from './recipes';
import { Trainer } from './trainer';

const dir = fileURLToPath(new URL(`../../public/models/${TINY_MODEL_NAME}/`, import.meta.url));
const text = readFileSync(`${dir}heldout.txt`, 'utf8');
const compute = { tf, backend: 'cpu', webgpu: null, software: false } as unknown as Compute;
let shipped: TinyLMWeights;

beforeAll(async () => {
  await tf.setBackend('cpu');
  shipped = await readTinyLMWeights(JSON.parse(readFileSync(`${dir}config.json`, 'utf8')), new Uint8Array(readFileSync(`${dir}model.safetensors`)));
});

/** The trainer the widget builds for a mode, with the recipe the figures assume. */
function trainer(mode: 'lora' | 'qlora', o: Partial<Pick<TrainingRecipe, 'r' | 'targets'>> = {}): Trainer {
  return new Trainer({ compute, weights: shipped, train: text.slice(0, 20_000), heldout: text.slice(20_000, 30_000) }, trainerOptions({ mode, ...COMPARISON_RECIPE, ...o, steps: 1, seed: 1 }));
}

describe('ownTrainingMemory on the course’s tiny model, against the Trainer’s own MemoryLedger', () => {
  it('LoRA: the float32 base, the trainable count and adapters + gradients + AdamW equal the ledger’s', () => {
    const m = ownTrainingMemory(shipped.config, 'lora');
    const t = trainer('lora');
    try {
      const l = t.getSnapshot().memory;
      expect(m.parameters).toBe(l.baseParams);
      expect(m.baseBytes).toBe(l.baseBytes);
      expect(m.trainable).toBe(l.trainableParams);
      expect(m.adapterBytes).toBe(l.adapterBytes + l.gradientBytes + l.optimizerBytes);
      // By hand: 4 layers × r 8 × ((128+384) + (128+128) + (128+512) + (512+128)) = 65,536 parameters, 16 bytes each.
      expect(m.trainable).toBe(65_536);
      expect(m.adapterBytes).toBe(16 * 65_536);
      expect(m.baseBytes).toBe(4 * 817_792);
    } finally {
      t.dispose();
    }
  });

  it('the learner’s rank and adapted layers: r 4 on attention only counts what the trainer trains', () => {
    const m = ownTrainingMemory(shipped.config, 'lora', { r: 4, targets: 'attention' });
    const t = trainer('lora', { r: 4, targets: 'attention' });
    try {
      expect(m.trainable).toBe(t.getSnapshot().memory.trainableParams);
      expect(m.trainable).toBe(4 * 4 * ((128 + 384) + (128 + 128))); // 4 layers × r 4 × (c_attn + attn.c_proj)
    } finally {
      t.dispose();
    }
  });

  it('QLoRA off WebGPU: the base is the float32 values the store keeps, as the ledger says', () => {
    const m = ownTrainingMemory(shipped.config, 'qlora', { nf4Packed: false });
    const t = trainer('qlora');
    try {
      const l = t.getSnapshot().memory;
      expect(l.residency).toBe('float32');
      expect(m.baseBytes).toBe(l.baseBytes);
      expect(m.adapterBytes).toBe(l.adapterBytes + l.gradientBytes + l.optimizerBytes);
    } finally {
      t.dispose();
    }
  });

  it('QLoRA on WebGPU: the NF4 + DQ buffers the store stores, its lookup tables, and float32 for the rest', () => {
    const m = ownTrainingMemory(shipped.config, 'qlora');
    const store = createQuantizedStore(compute, shipped.values, shipped.shapes, 'nf4-dq');
    try {
      const n = store.quantizedNames.length;
      const weights = store.quantizedNames.reduce((s, name) => s + (shipped.values.get(name) as Float32Array).length, 0);
      expect(m.quantized).toBe(weights);
      // storedBytes counts each weight's 4-byte offset, which the kernel takes as a uniform, not a buffer.
      const stored = Math.round((store.bitsPerWeight() * weights) / 8);
      expect(m.baseBytes).toBe(stored - 4 * n + NF4_TABLE_BYTES * n + 4 * (m.parameters - weights));
    } finally {
      store.dispose();
    }
    expect(NF4_TABLE_BYTES_PER_WEIGHT).toBe(NF4_TABLE_BYTES);
    // By hand, per layer: c_attn 24,576 + 768 + 12, c_proj 8,192 + 256 + 4, c_fc and mlp.c_proj 32,768 + 1,024 + 16
    // each, + 1,088 of tables per weight; 4 layers; + 4 × (817,792 − 786,432) for the rest.
    expect(m.baseBytes).toBe(4 * (25_356 + 8_452 + 2 * 33_808 + 4 * 1_088) + 4 * 31_360);
  });

  it('activations: twice the 16-bit estimate, for batches of 8 windows of 64 tokens', () => {
    const m = ownTrainingMemory(shipped.config, 'qlora');
    expect([m.batch, m.seq]).toEqual([LOOP.batchSize, LOOP.blockSize]);
    expect(m.activationBytes).toBe(2 * activationBytesEstimate({ layers: 4, hidden: 128, heads: 4, batch: 8, seq: 64 }));
    // 4 · 64 · 8 · 128 · (34 + 5 · 4 · 64 / 128) = 11,534,336 in 16 bits.
    expect(m.activationBytes).toBe(2 * 11_534_336);
    expect(m.maskBytes).toBe(4 * 128 * 128);
    expect(m.workerCopyBytes).toBe(4 * 817_792); // the training worker's float32 copy of every parameter
    expect(m.totalBytes).toBe(m.baseBytes + m.adapterBytes + m.activationBytes + m.logitsBytes + m.maskBytes + m.workerCopyBytes);
  });
});

describe('the loss head’s [B·T, V] tensors', () => {
  it('LOGITS_FLOATS_HELD is the most [B·T, V] buffers alive at once while the loss’s gradient is computed', () => {
    // A stand-in model: logits = h · W with a narrow h, so that everything but the [B·T, V] buffers is small.
    const B = 8, T = 64, V = 1000, C = 2;
    const h = tf.randomNormal([B * T, C], 0, 1, 'float32', 1);
    const w = tf.variable(tf.randomNormal([C, V], 0, 1, 'float32', 2));
    const model = { config: { vocab_size: V }, logitsBatchTensor: () => tf.reshape(tf.matMul(h, w), [B, T, V]) } as unknown as TinyLM;
    const inputs = Array.from({ length: B }, () => new Array<number>(T).fill(0));
    const targets = Array.from({ length: B }, (_, b) => Array.from({ length: T }, (_, t) => (b * T + t * 7) % V));
    // The CPU backend's own store of buffers (one entry per buffer, however many tensors share it): its bytes alive, and their peak.
    type Values = { values?: ArrayBufferView };
    const storage = (tf.backend() as unknown as { data: { set(id: object, v: Values): void; get(id: object): Values | undefined; delete(id: object): boolean } }).data;
    const { set, delete: del } = storage;
    let live = 0, peak = 0;
    storage.set = function (id, v) {
      live += v.values?.byteLength ?? 0;
      peak = Math.max(peak, live);
      return set.call(this, id, v);
    };
    storage.delete = function (id) {
      live -= this.get(id)?.values?.byteLength ?? 0;
      return del.call(this, id);
    };
    try {
      const { value, grads } = tf.variableGrads(() => nextTokenLoss(tf, model, inputs, targets), [w]);
      tf.dispose([value, grads]);
    } finally {
      storage.set = set;
      storage.delete = del;
      h.dispose();
      w.dispose();
    }
    const unit = 4 * B * T * V;
    // Everything else is h, W, W's gradient and per-row values: under a tenth of one [B·T, V] buffer here.
    expect(peak).toBeGreaterThanOrEqual(LOGITS_FLOATS_HELD * unit);
    expect(peak).toBeLessThan(LOGITS_FLOATS_HELD * unit + unit / 10);
  });

  it('counts the trainer’s batch against the model’s vocabulary', () => {
    const m = ownTrainingMemory({ vocab_size: 50_257, n_layer: 12, n_head: 12, n_embd: 768, block_size: 1024 }, 'qlora');
    expect(m.logitsBytes).toBe(LOGITS_FLOATS_HELD * 8 * 64 * 50_257 * 4);
    // GPT-2 small: 12 layers × 8 × (768 + 2,304 + 768 + 768 + 768 + 3,072 + 3,072 + 768) adapter parameters.
    expect(m.trainable).toBe(12 * 8 * 12_288);
    expect(m.parameters).toBe(124_439_808);
  });
});

describe('ownTrainingFits', () => {
  it('holds a step to the budget, its total equal to the budget fitting', () => {
    const m = ownTrainingMemory(shipped.config, 'qlora');
    expect(ownTrainingFits(m, m.totalBytes)).toBe(true);
    expect(ownTrainingFits(m, m.totalBytes - 1)).toBe(false);
  });
});

describe('ownTrainingMemory’s inputs', () => {
  it('shortens the window to a context under 64 tokens', () => {
    expect(ownTrainingMemory({ vocab_size: 10, n_layer: 1, n_head: 1, n_embd: 4, block_size: 16 }, 'lora').seq).toBe(16);
  });
  it('refuses a size that is not a whole number ≥ 1, and heads that do not divide the width', () => {
    expect(() => ownTrainingMemory({ vocab_size: 10, n_layer: 0, n_head: 1, n_embd: 4, block_size: 16 }, 'lora')).toThrow(/n_layer/);
    expect(() => ownTrainingMemory({ vocab_size: 10.5, n_layer: 1, n_head: 1, n_embd: 4, block_size: 16 }, 'lora')).toThrow(/vocab_size/);
    expect(() => ownTrainingMemory({ vocab_size: 10, n_layer: 1, n_head: 3, n_embd: 4, block_size: 16 }, 'qlora')).toThrow(/divisible/);
  });
});
