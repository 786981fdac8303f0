import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-cpu';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { TinyLMConfig } from '../model/config';
import { createFloat32Store } from '../model/float32-store';
import { tinyLMTensorShapes } from '../model/reference-forward';
import { TinyLM } from '../model/tiny-lm';
import { mulberry32, normalArray } from '../random';
import { nextTokenLoss } from './loss';
import { loftqInit } from '../lora/loftq';
import { dequantizeNF4Weight, quantizeNF4Weight } from '../quant/qlora-weight';
import { checkLoraConfig, initialLoraWeights, kaimingUniformBound, loftqLoraWeights, LORA_TARGETS, LoraAdapters, loraModules, loraParamCount, loraScale, loraTargetOf, PEFT_LORA_DEFAULTS, type LoraConfig } from './lora';
import { createVariableStore } from './variable-store';

// A tiny random model (vocab 7, 1 layer, n_embd 8) for exact checks and finite differences.
const tiny: TinyLMConfig = { vocab_size: 7, n_layer: 1, n_head: 2, n_embd: 8, block_size: 8, layer_norm_eps: 1e-5, tokenizer: { type: 'char', chars: 'abcdefg' } };

function randomWeights(c: TinyLMConfig, seed: number): Map<string, Float32Array> {
  const m = new Map<string, Float32Array>();
  let s = seed;
  for (const [name, shape] of tinyLMTensorShapes(c)) {
    const gain = /ln_(1|2|f)\.weight$/.test(name);
    m.set(name, normalArray(shape.reduce((a, b) => a * b, 1), s++, gain ? 1 : 0, gain ? 0.1 : 0.4));
  }
  return m;
}

function tokens(n: number, seed: number, vocab = tiny.vocab_size): number[] {
  const r = mulberry32(seed);
  return Array.from({ length: n }, () => Math.floor(r() * vocab));
}

const all: LoraConfig = { r: 2, alpha: 4, dropout: 0, targets: LORA_TARGETS };
const owned: { dispose(): void }[] = [];
function keep<T extends { dispose(): void }>(x: T): T {
  owned.push(x);
  return x;
}

beforeAll(async () => {
  await tf.setBackend('cpu');
});

afterEach(() => {
  while (owned.length) owned.pop()!.dispose();
});

describe('LoRA sizes and initialisation', () => {
  it('counts r (in + out) trainable parameters per matrix (docs/numerics.md)', () => {
    expect(loraParamCount(4096, 4096, 8)).toBe(65_536);
    // LLaMA-7B, q_proj and v_proj in 32 layers.
    expect(2 * 32 * loraParamCount(4096, 4096, 8)).toBe(4_194_304);
    expect(loraScale({ r: 8, alpha: 16 })).toBe(2);
    expect(loraScale({ r: 16, alpha: 16, rsLoRA: true })).toBe(4);
    expect(PEFT_LORA_DEFAULTS).toEqual({ r: 8, alpha: 8, dropout: 0, rsLoRA: false });
  });

  it('uses PEFT’s Kaiming-uniform bound for A: a = √5 gives 1/√in', () => {
    for (const fanIn of [1, 8, 128, 512, 4096]) expect(kaimingUniformBound(fanIn)).toBeCloseTo(1 / Math.sqrt(fanIn), 14);
    // a = 0 is He-uniform: √6 / √fan_in.
    expect(kaimingUniformBound(50, 0)).toBeCloseTo(Math.sqrt(6 / 50), 14);
  });

  it('draws A in (−1/√in, 1/√in), seeded, with B zero, module by module', () => {
    const c: TinyLMConfig = { ...tiny, n_layer: 2, n_embd: 128, n_head: 4 };
    const w = initialLoraWeights(c, { r: 8, alpha: 8, dropout: 0, targets: ['c_attn', 'mlp.c_proj'] }, 3);
    expect(w.modules.map((m) => [m.path, m.in, m.out])).toEqual([
      ['transformer.h.0.attn.c_attn', 128, 384],
      ['transformer.h.0.mlp.c_proj', 512, 128],
      ['transformer.h.1.attn.c_attn', 128, 384],
      ['transformer.h.1.mlp.c_proj', 512, 128],
    ]);
    for (const m of w.modules) {
      const bound = 1 / Math.sqrt(m.in);
      expect(m.A).toHaveLength(8 * m.in);
      expect(m.B).toEqual(new Float32Array(m.out * 8));
      expect(Math.max(...m.A.map(Math.abs))).toBeLessThan(bound);
      // U(−b, b) has variance b²/3.
      const variance = m.A.reduce((s, x) => s + x * x, 0) / m.A.length;
      expect(variance / (bound * bound / 3)).toBeGreaterThan(0.9);
      expect(variance / (bound * bound / 3)).toBeLessThan(1.1);
    }
    expect(initialLoraWeights(c, { r: 8, alpha: 8, dropout: 0, targets: ['c_attn', 'mlp.c_proj'] }, 3)).toEqual(w);
    expect(initialLoraWeights(c, { r: 8, alpha: 8, dropout: 0, targets: ['c_attn', 'mlp.c_proj'] }, 4).modules[0].A).not.toEqual(w.modules[0].A);
  });

  it('maps module paths to targets and names bad configs', () => {
    expect(loraModules(tiny, ['attn.c_proj', 'c_fc']).map((m) => m.path)).toEqual(['transformer.h.0.attn.c_proj', 'transformer.h.0.mlp.c_fc']);
    expect(loraTargetOf('transformer.h.3.mlp.c_fc')).toBe('c_fc');
    expect(loraTargetOf('transformer.h.3.attn.c_attn')).toBe('c_attn');
    expect(loraTargetOf('transformer.wte')).toBeNull();
    expect(() => checkLoraConfig({ ...all, r: 0 })).toThrow(/rank r must be a whole number ≥ 1/);
    expect(() => checkLoraConfig({ ...all, alpha: -1 })).toThrow(/lora_alpha/);
    expect(() => checkLoraConfig({ ...all, dropout: 1 })).toThrow(/lora_dropout must be in \[0, 1\)/);
    expect(() => checkLoraConfig({ ...all, targets: [] })).toThrow(/at least one target/);
    expect(() => checkLoraConfig({ ...all, targets: ['q_proj' as never] })).toThrow(/"q_proj" is not a Linear module/);
    expect(() => checkLoraConfig({ ...all, targets: ['c_fc', 'c_fc'] })).toThrow(/twice/);
  });
});

function tinyModel(seed = 1, adapters?: LoraAdapters) {
  const weights = randomWeights(tiny, seed);
  return keep(new TinyLM(tf, tiny, createFloat32Store(tf, weights, tinyLMTensorShapes(tiny)), { adapters }));
}

/** Sets B (or A) of every module to seeded values of the given spread. */
function randomize(lora: LoraAdapters, which: 'A' | 'B', std: number, seed: number): void {
  lora.modules.forEach((m, i) => {
    const v = lora.pair(m.path)[which];
    tf.tidy(() => v.assign(tf.tensor(normalArray(v.size, seed + i, 0, std), v.shape)));
  });
}

describe('LoRA in the forward pass', () => {
  it('leaves the logits bit for bit unchanged while B = 0', async () => {
    const plain = tinyModel();
    const lora = keep(new LoraAdapters(tf, tiny, all, { seed: 5 }));
    const adapted = tinyModel(1, lora);
    const x = tokens(8, 2);
    const a = await plain.logits(x);
    const b = await adapted.logits(x);
    expect(Array.from(b)).toEqual(Array.from(a));
    // Once B is non-zero the output moves.
    randomize(lora, 'B', 0.1, 30);
    const c = await adapted.logits(x);
    expect(c.some((v, i) => v !== a[i])).toBe(true);
  });

  it('adds scale · B A x to the Linear output, i.e. the merged weight W + scale·BA gives the same logits', async () => {
    const lora = keep(new LoraAdapters(tf, tiny, { r: 2, alpha: 3, dropout: 0, targets: ['c_attn', 'mlp.c_proj'] }, { seed: 5 }));
    randomize(lora, 'B', 0.2, 40);
    const adapted = tinyModel(1, lora);
    const weights = randomWeights(tiny, 1);
    const data = await lora.read();
    for (const m of data.modules) {
      const w = weights.get(`${m.path}.weight`)!;
      for (let o = 0; o < m.out; o++) for (let i = 0; i < m.in; i++) {
        let s = 0;
        for (let k = 0; k < 2; k++) s += m.B[o * 2 + k] * m.A[k * m.in + i];
        w[o * m.in + i] += 1.5 * s;
      }
    }
    const merged = keep(new TinyLM(tf, tiny, createFloat32Store(tf, weights, tinyLMTensorShapes(tiny))));
    const x = tokens(8, 3);
    const a = await adapted.logits(x);
    const b = await merged.logits(x);
    expect(a.reduce((m, v, i) => Math.max(m, Math.abs(v - b[i])), 0)).toBeLessThan(1e-5);
  });

  it('applies dropout only between beginTraining and endTraining, reproducibly for a seed', async () => {
    const lora = keep(new LoraAdapters(tf, tiny, { ...all, dropout: 0.5 }, { seed: 5 }));
    randomize(lora, 'B', 0.3, 50);
    const model = tinyModel(1, lora);
    const x = tokens(8, 4);
    const evalA = await model.logits(x);
    lora.beginTraining(7);
    const trainA = await model.logits(x);
    lora.beginTraining(7);
    const trainB = await model.logits(x);
    lora.beginTraining(8);
    const trainC = await model.logits(x);
    lora.endTraining();
    expect(Array.from(await model.logits(x))).toEqual(Array.from(evalA));
    expect(Array.from(trainB)).toEqual(Array.from(trainA));
    expect(trainA.some((v, i) => v !== evalA[i])).toBe(true);
    expect(trainC.some((v, i) => v !== trainA[i])).toBe(true);
  });

  it('round-trips its values through read() and load(), and frees its variables', async () => {
    const before = tf.memory().numTensors;
    const lora = new LoraAdapters(tf, tiny, all, { seed: 9 });
    expect(tf.memory().numTensors - before).toBe(2 * 4);
    expect(lora.trainableParams()).toBe(2 * (8 + 24) + 2 * (8 + 8) + 2 * (8 + 32) + 2 * (32 + 8));
    randomize(lora, 'B', 0.1, 60);
    const data = await lora.read();
    const other = new LoraAdapters(tf, tiny, all, { seed: 10 });
    other.load(data);
    expect(await other.read()).toEqual(data);
    const copy = new LoraAdapters(tf, tiny, all, { weights: data });
    expect(await copy.read()).toEqual(data);
    expect(() => other.load({ ...data, config: { ...all, r: 3 } })).toThrow(/rank 3/);
    for (const x of [lora, other, copy]) x.dispose();
    expect(tf.memory().numTensors).toBe(before);
    expect(() => lora.variables()).toThrow(/disposed/);
  });
});

describe('gradients', () => {
  const inputs = [tokens(6, 11), tokens(6, 12)];
  const targets = [tokens(6, 13), tokens(6, 14)];
  const lossOf = (model: TinyLM) => tf.tidy(() => nextTokenLoss(tf, model, inputs, targets).dataSync()[0]);

  /** Central difference (L(v + h) − L(v − h)) / 2h at flat index i of a variable. */
  function centralDifference(model: TinyLM, v: tf.Variable, i: number, h: number): number {
    const base = v.dataSync().slice();
    const at = (delta: number) => {
      const x = base.slice();
      x[i] += delta;
      tf.tidy(() => v.assign(tf.tensor(x, v.shape)));
      return lossOf(model);
    };
    const plus = at(h), minus = at(-h);
    tf.tidy(() => v.assign(tf.tensor(base, v.shape)));
    return (plus - minus) / (2 * h);
  }

  /** The k coordinates of largest |gradient| and k seeded random ones. */
  function coordinates(g: Float32Array, k: number, seed: number): number[] {
    const order = Array.from(g.keys()).sort((a, b) => Math.abs(g[b]) - Math.abs(g[a]));
    const r = mulberry32(seed);
    const picks = new Set(order.slice(0, k));
    while (picks.size < 2 * k) picks.add(order[Math.floor(r() * Math.min(order.length, 3 * k))]);
    return [...picks];
  }

  it('dL/dA and dL/dB from tf.variableGrads match central finite differences (float32, rel. 1e-2)', () => {
    const lora = keep(new LoraAdapters(tf, tiny, { r: 2, alpha: 2, dropout: 0, targets: LORA_TARGETS }, { seed: 21 }));
    // With B = 0, dL/dA = 0 exactly (A only matters through B); give B small random values.
    randomize(lora, 'B', 0.3, 70);
    const model = tinyModel(3, lora);
    const { value, grads } = tf.variableGrads(() => nextTokenLoss(tf, model, inputs, targets), lora.variables());
    value.dispose();
    let checked = 0;
    let worst = 0;
    for (const m of lora.modules) {
      for (const which of ['A', 'B'] as const) {
        const v = lora.pair(m.path)[which];
        const g = grads[v.name].dataSync() as Float32Array;
        for (const i of coordinates(g, 2, checked)) {
          const fd = centralDifference(model, v, i, 1e-2);
          const err = Math.abs(fd - g[i]) / Math.max(Math.abs(g[i]), 1e-2);
          worst = Math.max(worst, err);
          checked++;
        }
      }
    }
    tf.dispose(grads);
    expect(checked).toBe(4 * 2 * 4);
    expect(worst).toBeLessThan(1e-2);
  });

  it('dL/dA is exactly 0 while B = 0, and dL/dB is not', () => {
    const lora = keep(new LoraAdapters(tf, tiny, all, { seed: 22 }));
    const model = tinyModel(3, lora);
    const { value, grads } = tf.variableGrads(() => nextTokenLoss(tf, model, inputs, targets), lora.variables());
    value.dispose();
    const { A, B } = lora.pair('transformer.h.0.mlp.c_fc');
    expect(grads[A.name].dataSync().every((x) => x === 0)).toBe(true);
    expect(grads[B.name].dataSync().some((x) => x !== 0)).toBe(true);
    tf.dispose(grads);
  });

  it('full fine-tuning: every weight of a variable store gets a gradient that matches finite differences', () => {
    const store = createVariableStore(tf, randomWeights(tiny, 4), tinyLMTensorShapes(tiny));
    const model = keep(new TinyLM(tf, tiny, store));
    const vars = [...store.variables.values()];
    const { value, grads } = tf.variableGrads(() => nextTokenLoss(tf, model, inputs, targets), vars);
    expect(value.dataSync()[0]).toBeCloseTo(lossOf(model), 6);
    value.dispose();
    expect(Object.keys(grads).sort()).toEqual(vars.map((v) => v.name).sort());
    let worst = 0;
    for (const name of ['transformer.wte.weight', 'transformer.h.0.attn.c_attn.weight', 'transformer.h.0.mlp.c_proj.bias', 'transformer.ln_f.weight']) {
      const v = store.variables.get(name)!;
      const g = grads[v.name].dataSync() as Float32Array;
      for (const i of coordinates(g, 2, 5)) {
        const fd = centralDifference(model, v, i, 1e-2);
        worst = Math.max(worst, Math.abs(fd - g[i]) / Math.max(Math.abs(g[i]), 1e-2));
      }
    }
    tf.dispose(grads);
    expect(worst).toBeLessThan(1e-2);
  });

  it('leaks no tensors across gradient steps', () => {
    const lora = keep(new LoraAdapters(tf, tiny, { ...all, dropout: 0.1 }, { seed: 23 }));
    const model = tinyModel(3, lora);
    const before = tf.memory().numTensors;
    for (let s = 0; s < 3; s++) {
      lora.beginTraining(s);
      const { value, grads } = tf.variableGrads(() => nextTokenLoss(tf, model, inputs, targets), lora.variables());
      lora.endTraining();
      value.dispose();
      tf.dispose(grads);
      expect(tf.memory().numTensors).toBe(before);
    }
  });
});

describe('loftqLoraWeights (docs/numerics.md, "LoftQ initialisation")', () => {
  const values = randomWeights(tiny, 11);
  const config: LoraConfig = { r: 2, alpha: 6, dropout: 0, targets: ['c_attn', 'mlp.c_proj'] };

  it('runs loftqInit on each adapted weight with rank r and scale α / r, in loraModules order', () => {
    const init = loftqLoraWeights(tiny, config, values, 2);
    expect(init.adapter.config).toEqual(config);
    expect(init.adapter.modules.map((m) => m.path)).toEqual(loraModules(tiny, config.targets).map((m) => m.path));
    for (const m of init.adapter.modules) {
      const ref = loftqInit(values.get(`${m.path}.weight`)!, [m.out, m.in], { rank: 2, scale: 3, iterations: 2 });
      expect(m.A).toEqual(ref.A);
      expect(m.B).toEqual(ref.B);
      expect(init.baseValues.get(`${m.path}.weight`)).toEqual(ref.quantizerInput);
    }
    expect(init.residuals.map((r) => r.residualNorms.length)).toEqual([2, 2]);
  });

  it('hands the store the inputs that quantize to LoftQ’s base for adapted weights and leaves every other tensor as it was', () => {
    const init = loftqLoraWeights(tiny, config, values, 3);
    const adapted = new Set(init.adapter.modules.map((m) => `${m.path}.weight`));
    expect([...init.baseValues.keys()]).toEqual([...values.keys()]);
    for (const [name, x] of init.baseValues) if (!adapted.has(name)) expect(x).toBe(values.get(name));
    for (const m of init.adapter.modules) {
      const name = `${m.path}.weight`;
      const ref = loftqInit(values.get(name)!, [m.out, m.in], { rank: 2, scale: 3, iterations: 3 });
      expect(dequantizeNF4Weight(quantizeNF4Weight(init.baseValues.get(name)!))).toEqual(ref.dequantized);
    }
    // Each module starts nearer W than plain QLoRA's NF4(W) with B = 0.
    for (const r of init.residuals) expect(r.residualNorms[2]).toBeLessThan(r.zeroBNorm);
  });

  it('names a missing or misshapen weight', () => {
    const missing = new Map(values);
    missing.delete('transformer.h.0.attn.c_attn.weight');
    expect(() => loftqLoraWeights(tiny, config, missing)).toThrow(/LoftQ needs the weight "transformer.h.0.attn.c_attn.weight"/);
    const short = new Map(values).set('transformer.h.0.mlp.c_proj.weight', new Float32Array(3));
    expect(() => loftqLoraWeights(tiny, config, short)).toThrow(RangeError);
    expect(() => loftqLoraWeights(tiny, config, short)).toThrow(/has 3 values; \[8, 32\] needs 256/);
  });
});
