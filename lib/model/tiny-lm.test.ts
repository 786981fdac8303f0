import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-cpu';
import { afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { writeSafetensors, type SafetensorsTensor } from '../io/safetensors';
import { mulberry32, normalArray } from '../random';
import type { TinyLMConfig } from './config';
import { createFloat32Store } from './float32-store';
import { loadTinyLM } from './load';
import { referenceLogits, tinyLMTensorShapes } from './reference-forward';
import { argmax, sampleToken } from './sampling';
import { sampleOnDevice } from './sample-on-device';
import type { GenerateOptions, TinyLM } from './tiny-lm';

const config: TinyLMConfig = { vocab_size: 11, n_layer: 2, n_head: 2, n_embd: 16, block_size: 8, layer_norm_eps: 1e-5, tokenizer: { type: 'char', chars: 'abcdefghijk' } };

/** Seeded weights of a realistic spread: LayerNorm gains near 1, everything else N(0, 0.4²). */
function randomWeights(c: TinyLMConfig, seed: number): Map<string, Float32Array> {
  const m = new Map<string, Float32Array>();
  let s = seed;
  for (const [name, shape] of tinyLMTensorShapes(c)) {
    const n = shape.reduce((a, b) => a * b, 1);
    const isGain = /ln_(1|2|f)\.weight$/.test(name);
    m.set(name, normalArray(n, s++, isGain ? 1 : 0, isGain ? 0.1 : 0.4));
  }
  return m;
}

function file(weights: Map<string, Float32Array>, c = config, edit?: (t: Map<string, SafetensorsTensor>) => void): Uint8Array<ArrayBuffer> {
  const shapes = tinyLMTensorShapes(c);
  const t = new Map<string, SafetensorsTensor>([...weights].map(([name, data]) => [name, { dtype: 'F32', shape: shapes.get(name)!, data }]));
  edit?.(t);
  return writeSafetensors(t);
}

function maxAbsDiff(a: Float32Array, b: Float32Array): number {
  expect(a.length).toBe(b.length);
  return a.reduce((m, v, i) => Math.max(m, Math.abs(v - b[i])), 0);
}

function randomTokens(n: number, seed: number): number[] {
  const r = mulberry32(seed);
  return Array.from({ length: n }, () => Math.floor(r() * config.vocab_size));
}

const weights = randomWeights(config, 100);
const models: TinyLM[] = [];

async function load(source: Parameters<typeof loadTinyLM>[1]): Promise<TinyLM> {
  const m = await loadTinyLM(tf, source);
  models.push(m);
  return m;
}

beforeAll(async () => {
  await tf.setBackend('cpu');
});

afterEach(() => {
  while (models.length) models.pop()!.dispose();
  vi.unstubAllGlobals();
});

describe('createFloat32Store', () => {
  it('uploads each tensor once and hands out clones the caller may dispose', () => {
    const shapes = tinyLMTensorShapes(config);
    const before = tf.memory().numTensors;
    const store = createFloat32Store(tf, weights, shapes);
    expect(tf.memory().numTensors - before).toBe(shapes.size);
    const total = [...weights.values()].reduce((a, w) => a + w.length, 0);
    expect(store.bytesHeld()).toBe(4 * total);
    expect(store.bitsPerWeight()).toBe(32);
    expect([store.format, store.residency]).toEqual(['fp32', 'packed']);
    const name = 'transformer.h.1.mlp.c_fc.weight';
    expect(store.shape(name)).toEqual([64, 16]);
    store.get(name).dispose();
    tf.tidy(() => {
      store.get(name);
    });
    expect(tf.memory().numTensors - before).toBe(shapes.size);
    // Disposing the clones left the stored data intact.
    const again = store.get(name);
    expect(again.dataSync()).toEqual(weights.get(name));
    again.dispose();
    expect(() => store.get('nope')).toThrow(/no tensor "nope"/);
    store.dispose();
    expect(tf.memory().numTensors).toBe(before);
    expect(() => store.get(name)).toThrow(/disposed/);
  });

  it('names a tensor whose size does not match its shape', () => {
    const shapes = new Map([['a', [2, 3]]]);
    expect(() => createFloat32Store(tf, new Map([['a', new Float32Array(5)]]), shapes)).toThrow(/"a" has 5 values; shape \[2, 3\] needs 6/);
  });
});

describe('TinyLM', () => {
  it('matches the float64 reference forward pass to 1e-4', async () => {
    const model = await load({ config, safetensors: file(weights) });
    for (const [n, seed] of [[1, 1], [2, 2], [5, 3], [8, 4], [8, 5]]) {
      const tokens = randomTokens(n, seed);
      const got = await model.logits(tokens);
      expect(got).toBeInstanceOf(Float32Array);
      expect(maxAbsDiff(got, referenceLogits(config, weights, tokens))).toBeLessThan(1e-4);
    }
  });

  it('reads a Blob, and F16 and BF16 weights, widened exactly', async () => {
    const toBf16 = (w: Float32Array) => Uint16Array.from(new Uint32Array(w.slice().buffer), (b) => b >>> 16);
    const bytes = file(weights, config, (t) => {
      for (const [name, x] of t) if (name.includes('c_fc')) t.set(name, { ...x, dtype: 'BF16', data: toBf16(x.data as Float32Array) });
    });
    const model = await load({ config, safetensors: new Blob([bytes]) });
    const widened = new Map(weights);
    for (const [name, w] of weights) if (name.includes('c_fc')) widened.set(name, new Float32Array(Uint32Array.from(toBf16(w), (b) => (b << 16) >>> 0).buffer));
    const tokens = randomTokens(6, 9);
    expect(maxAbsDiff(await model.logits(tokens), referenceLogits(config, widened, tokens))).toBeLessThan(1e-4);
    // F16: 1.5 and -0.25 are exact in binary16 (0x3e00, 0xb400).
    const f16 = file(weights, config, (t) => {
      const x = t.get('transformer.ln_f.bias')!;
      t.set('transformer.ln_f.bias', { ...x, dtype: 'F16', data: Uint16Array.from({ length: 16 }, (_, i) => (i % 2 ? 0xb400 : 0x3e00)) });
    });
    const m16 = await load({ config, safetensors: f16 });
    const w16 = new Map(weights).set('transformer.ln_f.bias', Float32Array.from({ length: 16 }, (_, i) => (i % 2 ? -0.25 : 1.5)));
    expect(maxAbsDiff(await m16.logits(tokens), referenceLogits(config, w16, tokens))).toBeLessThan(1e-4);
  });

  it('batches sequences and scores the last position alone, consistently', async () => {
    const model = await load({ config, safetensors: file(weights) });
    const a = randomTokens(7, 11), b = randomTokens(7, 12);
    const batch = model.logitsBatchTensor([a, b]);
    expect(batch.shape).toEqual([2, 7, 11]);
    const data = batch.dataSync<'float32'>();
    batch.dispose();
    expect(maxAbsDiff(data.slice(77), await model.logits(b))).toBeLessThan(1e-5);
    const last = await model.nextTokenLogits(a);
    expect(maxAbsDiff(last, (await model.logits(a)).slice(66))).toBeLessThan(1e-5);
    const p = await model.nextTokenDistribution(a, { temperature: 1 });
    expect(p.reduce((s, v) => s + v, 0)).toBeCloseTo(1, 10);
    expect(() => model.logitsBatchTensor([a, b.slice(1)])).toThrow(/Sequence 1 has 6 tokens; every sequence of a batch needs 7/);
  });

  it('leaks no tensors across repeated calls and frees everything on dispose', async () => {
    const before = tf.memory().numTensors;
    const model = await loadTinyLM(tf, { config, safetensors: file(weights) });
    const held = tf.memory().numTensors;
    expect(held - before).toBe(tinyLMTensorShapes(config).size + 1); // the weights and the causal mask
    for (let i = 0; i < 3; i++) {
      await model.logits(randomTokens(8, i));
      await model.nextTokenDistribution(randomTokens(3, i), { temperature: 0.7, topK: 3 });
      await model.generate([1, 2], 3, { temperature: 1, seed: i });
      model.logitsTensor([4]).dispose();
      expect(tf.memory().numTensors).toBe(held);
    }
    await expect(model.logits([])).rejects.toThrow(RangeError);
    expect(tf.memory().numTensors).toBe(held);
    model.dispose();
    expect(tf.memory().numTensors).toBe(before);
    await expect(model.logits([1])).rejects.toThrow(/disposed/);
  });

  it('names a bad token sequence', async () => {
    const model = await load({ config, safetensors: file(weights) });
    await expect(model.logits([])).rejects.toThrow(/reads 1 to 8 tokens, got 0/);
    await expect(model.logits(randomTokens(9, 1))).rejects.toThrow(/reads 1 to 8 tokens, got 9/);
    await expect(model.logits([0, 11])).rejects.toThrow(/Token 1 is 11, outside the vocabulary 0..10/);
    await expect(model.logits([0.5])).rejects.toThrow(RangeError);
  });
});

describe('generate', () => {
  it('is reproducible for a seed, crops the context and returns only the new tokens', async () => {
    const model = await load({ config, safetensors: file(weights) });
    const prompt = randomTokens(10, 3); // longer than block_size: cropped
    const o = { temperature: 1, seed: 5 };
    const a = await model.generate(prompt, 20, o);
    expect(a).toHaveLength(20);
    expect(a.every((id) => Number.isInteger(id) && id >= 0 && id < 11)).toBe(true);
    expect(await model.generate(prompt, 20, o)).toEqual(a);
    expect(await model.generate(prompt, 20, { ...o, seed: 6 })).not.toEqual(a);
    expect(await model.generate(prompt, 0, o)).toEqual([]);
  });

  it('at temperature 0 follows the argmax of the logits of the last block_size tokens', async () => {
    const model = await load({ config, safetensors: file(weights) });
    const ids = [3, 1, 4];
    const expected: number[] = [];
    for (let i = 0; i < 12; i++) {
      const ctx = ids.slice(-config.block_size);
      const next = argmax((await model.logits(ctx)).slice((ctx.length - 1) * 11));
      ids.push(next);
      expected.push(next);
    }
    expect(await model.generate([3, 1, 4], 12, { temperature: 0, seed: 1 })).toEqual(expected);
    expect(await model.generate([3, 1, 4], 12, { temperature: 0.5, topK: 1, seed: 9 })).toEqual(expected);
  });

  it('names bad arguments', async () => {
    const model = await load({ config, safetensors: file(weights) });
    await expect(model.generate([], 3, { temperature: 1, seed: 1 })).rejects.toThrow(/at least one token/);
    await expect(model.generate([1, 12], 3, { temperature: 1, seed: 1 })).rejects.toThrow(/Token 1 is 12/);
    await expect(model.generate([1], -1, { temperature: 1, seed: 1 })).rejects.toThrow(/whole number ≥ 0/);
    await expect(model.generate([1], 2, { temperature: -1, seed: 1 })).rejects.toThrow(/temperature/);
    await expect(model.generate([1], 2, { temperature: 1, topK: 0, seed: 1 })).rejects.toThrow(/top-k/);
  });
});

describe('KV cache', () => {
  it('gives each step the logits of the uncached forward pass over the whole context', async () => {
    const model = await load({ config, safetensors: file(weights) });
    const tokens = randomTokens(config.block_size, 21);
    const full = await model.logits(tokens);
    const cache = model.newCache();
    try {
      const prefill = model.stepTensor(cache, tokens.slice(0, 3));
      expect(maxAbsDiff((await prefill.data()) as Float32Array, full.slice(2 * 11, 3 * 11))).toBeLessThan(1e-5);
      prefill.dispose();
      for (let t = 3; t < tokens.length; t++) {
        const step = model.stepTensor(cache, [tokens[t]]);
        expect(maxAbsDiff((await step.data()) as Float32Array, full.slice(t * 11, (t + 1) * 11))).toBeLessThan(1e-5);
        step.dispose();
      }
      expect(cache.length).toBe(config.block_size);
      expect(cache.bytes()).toBe(2 * config.n_layer * config.block_size * config.n_embd * 4);
      expect(() => model.stepTensor(cache, [1])).toThrow(/holds 8 of 8 positions/);
    } finally {
      cache.dispose();
    }
  });

  it('holds keys and values as the KvStorage leaves them, the same numbers cached and uncached', async () => {
    const model = await load({ config, safetensors: file(weights) });
    const stored: string[] = [];
    model.kvStorage = { store: (x, which, layer) => { stored.push(`${which}${layer}`); return tf.div(tf.round(tf.mul(x, 4)), 4); } };
    const tokens = randomTokens(6, 22);
    const full = await model.logits(tokens);
    expect(stored).toEqual(['k0', 'v0', 'k1', 'v1']);
    const plain = await load({ config, safetensors: file(weights) });
    expect(maxAbsDiff(full, await plain.logits(tokens))).toBeGreaterThan(1e-3);
    const cache = model.newCache();
    for (let t = 0; t < tokens.length; t++) {
      const step = model.stepTensor(cache, [tokens[t]]);
      expect(maxAbsDiff((await step.data()) as Float32Array, full.slice(t * 11, (t + 1) * 11))).toBeLessThan(1e-5);
      step.dispose();
    }
    cache.dispose();
  });

  it('generates what sampleToken draws from the uncached logits, across the crop at block_size, and leaks nothing', async () => {
    const model = await load({ config, safetensors: file(weights) });
    const cases: [GenerateOptions, number[]][] = [[{ temperature: 0.8, seed: 4 }, [1, 2]], [{ temperature: 1.3, topK: 4, seed: 7 }, [5]], [{ temperature: 0, seed: 1 }, randomTokens(9, 2)]];
    for (const [o, prompt] of cases) {
      const rand = mulberry32(o.seed);
      const ids = [...prompt];
      for (let i = 0; i < 14; i++) ids.push(sampleToken(await model.nextTokenLogits(ids.slice(-config.block_size)), o, rand));
      const before = tf.memory().numTensors;
      expect(await model.generate(prompt, 14, o)).toEqual(ids.slice(prompt.length));
      expect(tf.memory().numTensors).toBe(before);
    }
  });
});

describe('generate options', () => {
  it('reports each id in order as it arrives, and draws the same ids however far the backend runs ahead', async () => {
    const model = await load({ config, safetensors: file(weights) });
    const seen: [number, number][] = [];
    const a = await model.generate([1, 2, 3], 10, { temperature: 1, seed: 8, onToken: (i, id) => seen.push([i, id]) });
    expect(seen).toEqual(a.map((id, i) => [i, id]));
    expect(await model.generate([1, 2, 3], 10, { temperature: 1, seed: 8, readAhead: 4 })).toEqual(a);
    await expect(model.generate([1], 2, { temperature: 1, seed: 1, readAhead: 0 })).rejects.toThrow(/readAhead/);
  });
});

describe('sampleOnDevice', () => {
  it('draws the id sampleToken draws for the same u, over random logits and options', () => {
    const r = mulberry32(77);
    let mismatches = 0;
    for (let c = 0; c < 300; c++) {
      const V = 2 + Math.floor(r() * 60);
      const logits = normalArray(V, 1000 + c, 0, 1 + 4 * r());
      const o = { temperature: [0, 0.3, 1, 2][c % 4], topK: c % 3 === 0 ? 1 + Math.floor(r() * V) : undefined };
      const u = r();
      const t = tf.tensor1d(logits);
      const id = sampleOnDevice(tf, t, o, u);
      if (id.dataSync()[0] !== sampleToken(logits, o, () => u)) mismatches++;
      t.dispose();
      id.dispose();
    }
    expect(mismatches).toBe(0);
  });

  it('returns the last id with mass when u is within rounding of 1', () => {
    const logits = Float32Array.from([0, -1e4, 0.5, -1e4]);
    const t = tf.tensor1d(logits);
    const id = sampleOnDevice(tf, t, { temperature: 1 }, 0.9999999999);
    expect(id.dataSync()[0]).toBe(sampleToken(logits, { temperature: 1 }, () => 0.9999999999));
    expect(id.dataSync()[0]).toBe(2);
    tf.dispose([t, id]);
  });
});

describe('loadTinyLM', () => {
  it('names a missing tensor, a wrong shape, a non-float dtype and a non-finite weight', async () => {
    const before = tf.memory().numTensors;
    const missing = new Map(weights);
    missing.delete('transformer.h.1.attn.c_proj.bias');
    await expect(load({ config, safetensors: file(missing) })).rejects.toThrow(/no tensor "transformer\.h\.1\.attn\.c_proj\.bias"/);
    const shaped = file(weights, config, (t) => {
      const x = t.get('transformer.wpe.weight')!;
      t.set('transformer.wpe.weight', { ...x, shape: [16, 8] });
    });
    await expect(load({ config, safetensors: shaped })).rejects.toThrow(/"transformer\.wpe\.weight" has shape \[16, 8\]; the config needs \[8, 16\]/);
    const ints = file(weights, config, (t) => t.set('transformer.ln_f.bias', { dtype: 'I8', shape: [16], data: new Int8Array(16) }));
    await expect(load({ config, safetensors: ints })).rejects.toThrow(/"transformer\.ln_f\.bias" is stored as I8/);
    const nan = new Map(weights).set('transformer.h.0.ln_2.weight', Float32Array.from({ length: 16 }, (_, i) => (i === 3 ? NaN : 1)));
    await expect(load({ config, safetensors: file(nan) })).rejects.toThrow(/"transformer\.h\.0\.ln_2\.weight" holds NaN at index 3/);
    expect(tf.memory().numTensors).toBe(before); // nothing uploaded
  });

  it('names a bad config field and a malformed file', async () => {
    await expect(load({ config: { ...config, n_head: 3 }, safetensors: file(weights) })).rejects.toThrow('config.json: n_embd (16) must be divisible by n_head (3).');
    await expect(load({ config: { ...config, block_size: 'eight' }, safetensors: file(weights) })).rejects.toThrow(/"block_size" must be a positive whole number/);
    await expect(load({ config, safetensors: new Uint8Array(4) })).rejects.toThrow(/too short/);
    // A config with more layers than the file holds names the first missing tensor.
    await expect(load({ config: { ...config, n_layer: 3 }, safetensors: file(weights) })).rejects.toThrow(/no tensor "transformer\.h\.2\.ln_1\.weight"/);
  });

  it('fetches config.json and model.safetensors from a URL', async () => {
    const bytes = file(weights);
    const fetched: string[] = [];
    vi.stubGlobal('fetch', async (url: string) => {
      fetched.push(url);
      if (url === '/models/t/config.json') return new Response(JSON.stringify(config));
      if (url === '/models/t/model.safetensors') return new Response(new Blob([bytes]));
      return new Response('not found', { status: 404, statusText: 'Not Found' });
    });
    const model = await load({ url: '/models/t/' });
    expect(fetched).toEqual(['/models/t/config.json', '/models/t/model.safetensors']);
    const tokens = randomTokens(4, 8);
    expect(maxAbsDiff(await model.logits(tokens), referenceLogits(config, weights, tokens))).toBeLessThan(1e-4);
    await expect(load({ url: '/models/none' })).rejects.toThrow('Could not load /models/none/config.json: the site has no such file (HTTP 404).');
  });
});
