/**
 * GPT-2-family checkpoints (docs/numerics.md, "GPT-2 checkpoints"). Nothing is downloaded: each test
 * builds a small checkpoint in Hugging Face's GPT-2 layout (transformers' modeling_gpt2.py: Conv1D
 * weights [in, out], the attention-mask buffers, optional "transformer." prefix) with seeded random
 * weights and a small byte-level BPE vocabulary, and checks the loaded model's logits against a
 * float64 forward written here against that layout (y = x W + b for Conv1D, tanh GELU, tied head),
 * on tfjs's CPU backend as the tiny model's tests do.
 */
import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-cpu';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { writeSafetensors, type SafetensorsTensor } from '../io/safetensors';
import { normalArray } from '../random';
import { TokenizerError } from '../text/bpe';
import { decodeIds, encodeText } from './config';
import { comparisonMemory } from './compare-memory';
import { checkMemoryBudget, CheckpointMemoryError, gpt2FilesFromFolder, loadGpt2Checkpoint, openGpt2Checkpoint, parseGpt2Config, readGpt2Weights, type ByteSource, type Gpt2Checkpoint } from './gpt2-checkpoint';
import { gpt2TensorShapes, gpt2TokenizerJson } from './gpt2-fixture.test-util';
import { ModelLoadError } from './load';
import { referenceLogits } from './reference-forward';
import type { TinyLM } from './tiny-lm';

// ---- the tokenizer.json: 256 byte characters (ids 0..255, GPT-2's order), a few merges, <|endoftext|>
const MERGES = ['h e', 'l l', 'he ll', 'hell o', 'Ġ hello', 'Ġ t', 'Ġt he'];
const tokenizerJson = () => gpt2TokenizerJson(MERGES, { endOfText: true });
const V = 256 + MERGES.length + 1;
const C = 16, L = 2, H = 2, P = 8;

const CONFIG = { model_type: 'gpt2', architectures: ['GPT2LMHeadModel'], n_embd: C, n_layer: L, n_head: H, n_positions: P, n_ctx: P, vocab_size: V, layer_norm_epsilon: 1e-5, activation_function: 'gelu_new', n_inner: null };

/** The file's tensors in Hugging Face's names and shapes (Conv1D [in, out]); attn.bias/masked_bias are GPT-2's mask buffers. */
const hfShapes = () => gpt2TensorShapes({ C, L, P, V }, { maskBuffers: true });

/** Seeded weights: LayerNorm gains near 1, the rest N(0, 0.4²); the mask buffers as GPT-2 saves them. */
function hfWeights(seed: number): Map<string, Float32Array> {
  const m = new Map<string, Float32Array>();
  let s = seed;
  for (const [name, shape] of hfShapes()) {
    const n = shape.reduce((a, b) => a * b, 1);
    if (name.endsWith('.attn.bias')) m.set(name, Float32Array.from({ length: n }, (_, i) => (i % P <= Math.floor(i / P) ? 1 : 0)));
    else if (name.endsWith('masked_bias')) m.set(name, new Float32Array([-1e4]));
    else m.set(name, normalArray(n, s++, /ln_(1|2|f)\.weight$/.test(name) ? 1 : 0, /ln_(1|2|f)\.weight$/.test(name) ? 0.1 : 0.4));
  }
  return m;
}

// ---- 16-bit codes and their values, written out here rather than taken from the loader's code
function f16Code(x: number): number {
  // round to nearest even at 10 mantissa bits (normal range; the weights here are far from the limits)
  const e = Math.floor(Math.log2(Math.abs(x)));
  if (x === 0) return 0;
  const m = Math.round((Math.abs(x) / 2 ** e - 1) * 1024);
  const [ee, mm] = m === 1024 ? [e + 1, 0] : [e, m];
  return (x < 0 ? 0x8000 : 0) | ((ee + 15) << 10) | mm;
}
function f16Value(c: number): number {
  const sign = c & 0x8000 ? -1 : 1, e = (c >> 10) & 31, m = c & 1023;
  return e === 0 ? sign * m * 2 ** -24 : sign * (1 + m / 1024) * 2 ** (e - 15);
}
function bf16Code(x: number): number {
  return new Uint32Array(new Float32Array([x]).buffer)[0] >>> 16; // truncation: any 16-bit code is a valid BF16
}
function bf16Value(c: number): number {
  return new Float32Array(new Uint32Array([c << 16]).buffer)[0];
}

type DType = 'F32' | 'F16' | 'BF16';

/** The safetensors file, and the values the model should see (the 16-bit formats' own values). */
function checkpointFile(weights: Map<string, Float32Array>, o: { dtype?: DType; prefix?: string; edit?: (t: Map<string, SafetensorsTensor>) => void } = {}) {
  const dtype = o.dtype ?? 'F32';
  const seen = new Map<string, Float32Array>();
  const t = new Map<string, SafetensorsTensor>();
  for (const [name, shape] of hfShapes()) {
    const w = weights.get(name)!;
    if (dtype === 'F32' || name.endsWith('.attn.bias') || name.endsWith('masked_bias')) {
      t.set(`${o.prefix ?? ''}${name}`, { dtype: 'F32', shape, data: w });
      seen.set(name, w);
    } else {
      const codes = Uint16Array.from(w, dtype === 'F16' ? f16Code : bf16Code);
      t.set(`${o.prefix ?? ''}${name}`, { dtype, shape, data: codes });
      seen.set(name, Float32Array.from(codes, dtype === 'F16' ? f16Value : bf16Value));
    }
  }
  o.edit?.(t);
  return { bytes: writeSafetensors(t), seen };
}

/** An in-memory file with a Blob's slice(begin, end).arrayBuffer(), recording every read. */
class MemoryFile implements ByteSource {
  reads: [number, number][] = [];
  constructor(private readonly bytes: Uint8Array, readonly name = 'model.safetensors') {}
  get size(): number {
    return this.bytes.length;
  }
  slice(begin: number, end: number) {
    this.reads.push([begin, end]);
    const part = this.bytes.slice(begin, end);
    return { arrayBuffer: async () => part.buffer };
  }
}

// ---- the float64 oracle, against Hugging Face's GPT-2 layout
function hfLayerNorm(x: Float64Array, w: Float32Array, b: Float32Array, eps: number): Float64Array {
  const mean = x.reduce((a, v) => a + v, 0) / x.length;
  const variance = x.reduce((a, v) => a + (v - mean) ** 2, 0) / x.length;
  return x.map((v, i) => ((v - mean) / Math.sqrt(variance + eps)) * w[i] + b[i]);
}
/** transformers' Conv1D: y = x W + b, W [in, out] row-major. */
function conv1d(x: Float64Array, w: Float32Array, b: Float32Array): Float64Array {
  const out = b.length;
  const y = Float64Array.from(b);
  for (let i = 0; i < x.length; i++) for (let o = 0; o < out; o++) y[o] += x[i] * w[i * out + o];
  return y;
}
const geluNew = (x: number) => 0.5 * x * (1 + Math.tanh(Math.sqrt(2 / Math.PI) * (x + 0.044715 * x ** 3)));
const geluExact = (x: number) => { // erf by its Maclaurin series (|x|/√2 stays small here), independent of the model's
  const z = x / Math.SQRT2;
  let term = z, sum = z;
  for (let n = 1; n < 60; n++) { term *= (-z * z) / n; sum += term / (2 * n + 1); }
  return 0.5 * x * (1 + (2 / Math.sqrt(Math.PI)) * sum);
};

function hfLogits(w: Map<string, Float32Array>, tokens: number[], gelu = geluNew): Float64Array[] {
  const W = (n: string) => w.get(n)!;
  const hd = C / H;
  let xs = tokens.map((id, t) => Float64Array.from({ length: C }, (_, i) => W('wte.weight')[id * C + i] + W('wpe.weight')[t * C + i]));
  for (let l = 0; l < L; l++) {
    const p = `h.${l}`;
    const qkv = xs.map((x) => conv1d(hfLayerNorm(x, W(`${p}.ln_1.weight`), W(`${p}.ln_1.bias`), 1e-5), W(`${p}.attn.c_attn.weight`), W(`${p}.attn.c_attn.bias`)));
    const attn = xs.map((_, t) => {
      const y = new Float64Array(C);
      for (let h = 0; h < H; h++) {
        const s = Array.from({ length: t + 1 }, (_, j) => {
          let d = 0;
          for (let k = 0; k < hd; k++) d += qkv[t][h * hd + k] * qkv[j][C + h * hd + k];
          return d / Math.sqrt(hd);
        });
        const mx = Math.max(...s);
        const e = s.map((v) => Math.exp(v - mx));
        const z = e.reduce((a, b) => a + b, 0);
        e.forEach((a, j) => { for (let k = 0; k < hd; k++) y[h * hd + k] += (a / z) * qkv[j][2 * C + h * hd + k]; });
      }
      return y;
    });
    xs = xs.map((x, t) => {
      const a = conv1d(attn[t], W(`${p}.attn.c_proj.weight`), W(`${p}.attn.c_proj.bias`));
      const x1 = x.map((v, i) => v + a[i]);
      const hdn = conv1d(hfLayerNorm(x1, W(`${p}.ln_2.weight`), W(`${p}.ln_2.bias`), 1e-5), W(`${p}.mlp.c_fc.weight`), W(`${p}.mlp.c_fc.bias`)).map(gelu);
      const m = conv1d(hdn, W(`${p}.mlp.c_proj.weight`), W(`${p}.mlp.c_proj.bias`));
      return x1.map((v, i) => v + m[i]);
    });
  }
  const wte = W('wte.weight');
  return xs.map((x) => {
    const f = hfLayerNorm(x, W('ln_f.weight'), W('ln_f.bias'), 1e-5);
    return Float64Array.from({ length: V }, (_, v) => f.reduce((a, fi, i) => a + fi * wte[v * C + i], 0));
  });
}

function maxDiff(got: Float32Array, want: Float64Array[]): number {
  let m = 0;
  want.forEach((row, t) => row.forEach((v, i) => (m = Math.max(m, Math.abs(got[t * V + i] - v)))));
  return m;
}

const weights = hfWeights(500);
const models: TinyLM[] = [];
async function open(bytes: Uint8Array, config: unknown = CONFIG, tokenizer: unknown = tokenizerJson()): Promise<Gpt2Checkpoint> {
  return openGpt2Checkpoint({ config, tokenizer, weights: new MemoryFile(bytes) });
}
async function load(ckpt: Gpt2Checkpoint, o: Parameters<typeof loadGpt2Checkpoint>[2] = {}): Promise<TinyLM> {
  const m = await loadGpt2Checkpoint(tf, ckpt, o);
  models.push(m);
  return m;
}

beforeAll(async () => {
  await tf.setBackend('cpu');
});
afterEach(() => {
  while (models.length) models.pop()!.dispose();
});

describe('loadGpt2Checkpoint: logits against a float64 forward in GPT-2\'s layout', () => {
  const tokens = [72, 256 + 4, 5, 256 + 6, 0, V - 1, 200, 17];

  it('F32, Hugging Face names without a prefix: within 1e-4, and the exact GELU would miss by more than twice that', async () => {
    const { bytes } = checkpointFile(weights);
    const model = await load(await open(bytes));
    const got = await model.logits(tokens);
    expect(maxDiff(got, hfLogits(weights, tokens))).toBeLessThan(1e-4);
    expect(maxDiff(got, hfLogits(weights, tokens, geluExact))).toBeGreaterThan(2e-4);
    expect(model.config.block_size).toBe(P);
    expect(model.config.activation).toBe('gelu_new');
  });

  it.each<DType>(['F16', 'BF16'])('%s with the "transformer." prefix: the format\'s own values, within 1e-4', async (dtype) => {
    const { bytes, seen } = checkpointFile(weights, { dtype, prefix: 'transformer.' });
    const ckpt = await open(bytes);
    expect(ckpt.tensors.filter((t) => t.dtype !== dtype || !t.fileName.startsWith('transformer.')).map((t) => t.fileName)).toEqual([]);
    const model = await load(ckpt);
    const got = await model.logits(tokens.slice(0, 5));
    expect(maxDiff(got, hfLogits(seen, tokens.slice(0, 5)))).toBeLessThan(1e-4);
    // the 16-bit rounding is visible: the F32 weights give other logits
    expect(maxDiff(got, hfLogits(weights, tokens.slice(0, 5)))).toBeGreaterThan(1e-4);
  });

  it('agrees with the course\'s own float64 forward (reference-forward.ts) given activation gelu_new', async () => {
    const { bytes } = checkpointFile(weights);
    const ckpt = await open(bytes);
    const values = new Map<string, Float32Array>();
    for await (const t of readGpt2Weights(ckpt)) values.set(t.name, t.values);
    const model = await load(ckpt);
    const ref = referenceLogits(ckpt.config, values, tokens);
    const got = await model.logits(tokens);
    expect(got.reduce((m, v, i) => Math.max(m, Math.abs(v - ref[i])), 0)).toBeLessThan(1e-4);
  });

  it('generates greedily as the oracle\'s argmax; the fused kernels decline it only for want of WebGPU, not for its tanh GELU', async () => {
    const model = await load(await open(checkpointFile(weights).bytes));
    expect(model.fusedDecoder()).toBe('the backend is not WebGPU');
    expect(await model.megaDecoder()).toBe('the backend is not WebGPU');
    const prompt = [5, 9];
    const got = await model.generate(prompt, 4, { temperature: 0, seed: 1 });
    const ctx = [...prompt];
    for (let i = 0; i < 4; i++) {
      const last = hfLogits(weights, ctx).at(-1)!;
      ctx.push(last.indexOf(Math.max(...last)));
    }
    expect(got).toEqual(ctx.slice(2));
    expect(model.lastDecode?.path).toBe('ops');
  });

  it('takes text through the checkpoint\'s tokenizer (encodeText / decodeIds)', async () => {
    const model = await load(await open(checkpointFile(weights).bytes));
    const text = 'hello the<|endoftext|>';
    const { ids, unknown } = encodeText(model.config, text);
    // "hello" → h e l l o: (h,e) rank 0 → he l l o; (l,l) 1 → he ll o; (he,ll) 2; (hell,o) 3 → hello.
    // " the" → Ġ t h e: (h,e) 0 → Ġ t he; (Ġ,t) 5 → Ġt he; (Ġt,he) 6 → Ġthe.
    expect(ids).toEqual([256 + 3, 256 + 6, V - 1]);
    expect(unknown).toEqual([]);
    expect(decodeIds(model.config, ids)).toBe(text);
    expect((await model.logits(ids)).length).toBe(3 * V);
  });
});

describe('reading in slices, memory first', () => {
  it('reads only the header to open, then each needed tensor in slices of at most chunkBytes, never the mask buffers', async () => {
    const { bytes } = checkpointFile(weights);
    const file = new MemoryFile(bytes);
    const ckpt = await openGpt2Checkpoint({ config: CONFIG, tokenizer: tokenizerJson(), weights: file });
    expect(file.reads.length).toBe(2); // the 8-byte length, then the header
    const headerEnd = file.reads[1][1];
    file.reads = [];
    const progress: number[] = [];
    await load(ckpt, { chunkBytes: 1000, onProgress: (done, total) => { expect(total).toBe(ckpt.memory.readBytes); progress.push(done); } });
    expect(Math.max(...file.reads.map(([a, b]) => b - a))).toBeLessThanOrEqual(1000);
    expect(progress.at(-1)).toBe(ckpt.memory.readBytes);
    // the bytes read are exactly the needed tensors': no mask buffer, nothing twice
    const read = file.reads.reduce((a, [x, y]) => a + y - x, 0);
    expect(read).toBe(ckpt.memory.readBytes);
    const skipped = hfShapes().filter(([n]) => /\.attn\.(bias|masked_bias)$/.test(n));
    const skippedBytes = skipped.reduce((a, [, s]) => a + 4 * s.reduce((x, y) => x * y, 1), 0);
    expect(ckpt.memory.readBytes).toBe(bytes.length - headerEnd - skippedBytes);
  });

  it('reads a Blob the same way', async () => {
    const { bytes } = checkpointFile(weights, { dtype: 'BF16' });
    const ckpt = await openGpt2Checkpoint({ config: CONFIG, tokenizer: tokenizerJson(), weights: new Blob([bytes]) });
    const model = await load(ckpt, { chunkBytes: 512 });
    expect((await model.logits([1, 2])).length).toBe(2 * V);
  });

  it('counts parameters and bytes from the header: GPT-2\'s V·C + P·C + L·(12C² + 13C) + 2C', async () => {
    const ckpt = await open(checkpointFile(weights).bytes);
    const params = V * C + P * C + L * (12 * C * C + 13 * C) + 2 * C;
    const m = ckpt.memory;
    expect(m.parameters).toBe(params);
    expect(m.weightBytes).toBe(4 * params);
    expect(m.maskBytes).toBe(4 * P * P);
    // F32: the largest of wte's bytes and a Conv1D weight's bytes plus its transpose (c_fc, c_proj: 4C·C values)
    expect(m.peakReadBytes).toBe(Math.max(4 * V * C, 2 * 4 * 4 * C * C));
    // The float32 weights the load reads stay while the comparison builds each format beside them.
    expect(m.comparison).toEqual(comparisonMemory(ckpt.config, params));
    expect(m.comparison.maskBytes).toBe(m.maskBytes);
    expect(m.neededBytes).toBe(m.weightBytes + Math.max(m.peakReadBytes, m.comparison.peakBytes));
    expect(m.neededBytes).toBeGreaterThan(m.weightBytes + m.comparison.storeBytes);
    const bf16 = await open(checkpointFile(weights, { dtype: 'BF16' }).bytes);
    // BF16: bytes (2 a value) + float32 (4) + transpose (4) for c_fc, or wte's 2 + 4
    expect(bf16.memory.peakReadBytes).toBe(Math.max(6 * V * C, 10 * 4 * C * C));
    expect(ckpt.ignored).toEqual([]);
  });

  it('sizes GPT-2 small from its header alone: 124,439,808 parameters (V·C + P·C + 12·(12C² + 13C) + 2C with V 50,257, P 1,024, C 768)', async () => {
    // A header with GPT-2 small's shapes over a data section of zeros that is never materialised.
    const Cs = 768, Ls = 12, Vs = 50257, Ps = 1024;
    const shapes: [string, number[]][] = [['wte.weight', [Vs, Cs]], ['wpe.weight', [Ps, Cs]]];
    for (let l = 0; l < Ls; l++) {
      for (const n of ['ln_1', 'ln_2']) shapes.push([`h.${l}.${n}.weight`, [Cs]], [`h.${l}.${n}.bias`, [Cs]]);
      shapes.push([`h.${l}.attn.bias`, [1, 1, Ps, Ps]], [`h.${l}.attn.c_attn.weight`, [Cs, 3 * Cs]], [`h.${l}.attn.c_attn.bias`, [3 * Cs]], [`h.${l}.attn.c_proj.weight`, [Cs, Cs]], [`h.${l}.attn.c_proj.bias`, [Cs]]);
      shapes.push([`h.${l}.mlp.c_fc.weight`, [Cs, 4 * Cs]], [`h.${l}.mlp.c_fc.bias`, [4 * Cs]], [`h.${l}.mlp.c_proj.weight`, [4 * Cs, Cs]], [`h.${l}.mlp.c_proj.bias`, [Cs]]);
    }
    shapes.push(['ln_f.weight', [Cs]], ['ln_f.bias', [Cs]]);
    const header: Record<string, unknown> = {};
    let at = 0;
    for (const [name, shape] of shapes) {
      const bytes = 2 * shape.reduce((a, b) => a * b, 1); // F16
      header[name] = { dtype: 'F16', shape, data_offsets: [at, at + bytes] };
      at += bytes;
    }
    const json = new TextEncoder().encode(JSON.stringify(header));
    const head = new Uint8Array(8 + json.length);
    new DataView(head.buffer).setUint32(0, json.length, true);
    head.set(json, 8);
    const file: ByteSource = { size: head.length + at, slice: (a, b) => ({ arrayBuffer: async () => { const out = new Uint8Array(b - a); out.set(head.subarray(a, Math.min(b, head.length))); return out.buffer; } }) };
    const vocab = tokenizerJson();
    const ckpt = await openGpt2Checkpoint({ config: { ...CONFIG, n_embd: Cs, n_layer: Ls, n_head: 12, n_positions: Ps, n_ctx: Ps, vocab_size: Vs }, tokenizer: vocab, weights: file });
    const m = ckpt.memory;
    expect(m.parameters).toBe(124_439_808);
    expect(m.parameters).toBe(Vs * Cs + Ps * Cs + Ls * (12 * Cs * Cs + 13 * Cs) + 2 * Cs);
    expect(m.readBytes).toBe(2 * m.parameters);
    expect(m.fileBytes).toBe(head.length + 2 * m.parameters + Ls * 2 * Ps * Ps);
    // F16 wte read: its 2 bytes a value and their float32 copy, 6 · V · C
    expect(m.peakReadBytes).toBe(6 * Vs * Cs);
    // The float32 copy (497.8 MB) and the comparison's peak beside it (compare-memory.test.ts: 1,445.0 MB).
    expect(m.comparison.peakBytes).toBeGreaterThan(m.peakReadBytes);
    expect(m.neededBytes).toBe(4 * 124_439_808 + m.comparison.peakBytes);
    expect(() => checkMemoryBudget(m, 1.5e9)).toThrow(CheckpointMemoryError);
    expect(() => checkMemoryBudget(m, 1.5e9)).toThrow(/^This checkpoint does not fit: loading and comparing it needs about 1,942\.8 MB \(124,439,808 parameters as float32, 497\.8 MB, kept while the comparison builds each format, and 1,445 MB beside them at the comparison's peak\), and 1,500 MB is available\.$/);
    expect(() => checkMemoryBudget(m, 2 * 2 ** 30)).not.toThrow(); // a quarter of Chrome's largest reported deviceMemory, 8 GiB
  });

  it('refuses a budget it does not fit, naming both sizes, before any weight is read', async () => {
    const file = new MemoryFile(checkpointFile(weights).bytes);
    const ckpt = await openGpt2Checkpoint({ config: CONFIG, tokenizer: tokenizerJson(), weights: file });
    const need = ckpt.memory.neededBytes;
    const reads = file.reads.length;
    const err = await loadGpt2Checkpoint(tf, ckpt, { budgetBytes: need - 1 }).catch((e) => e);
    expect(err).toBeInstanceOf(CheckpointMemoryError);
    expect(err).toBeInstanceOf(ModelLoadError);
    expect(err.message).toMatch(/^This checkpoint does not fit: loading and comparing it needs about /);
    expect([err.neededBytes, err.budgetBytes]).toEqual([need, need - 1]);
    expect(file.reads.length).toBe(reads);
    expect(() => checkMemoryBudget(ckpt.memory, need)).not.toThrow();
  });

  it('stops when its signal is aborted, leaving nothing uploaded', async () => {
    const file = new MemoryFile(checkpointFile(weights).bytes);
    const ckpt = await openGpt2Checkpoint({ config: CONFIG, tokenizer: tokenizerJson(), weights: file });
    const controller = new AbortController();
    const before = tf.memory().numTensors;
    const err = await load(ckpt, { chunkBytes: 1000, signal: controller.signal, onProgress: (done) => { if (done > 5000) controller.abort(new Error('stopped by the learner')); } }).catch((e) => e);
    expect(err.message).toBe('stopped by the learner');
    expect(tf.memory().numTensors).toBe(before);
    expect(file.reads.reduce((a, [x, y]) => a + y - x, 0)).toBeLessThan(ckpt.memory.readBytes);
  });

  it('disposes what it uploaded when a later tensor fails', async () => {
    const bad = Float32Array.from(weights.get('ln_f.bias')!);
    bad[3] = NaN;
    const { bytes } = checkpointFile(weights, { edit: (t) => t.set('ln_f.bias', { dtype: 'F32', shape: [C], data: bad }) });
    const before = tf.memory().numTensors;
    await expect(load(await open(bytes))).rejects.toThrow('"ln_f.bias" holds NaN at index 3; every weight must be a finite number.');
    expect(tf.memory().numTensors).toBe(before);
  });
});

describe('parseGpt2Config names what the course\'s model cannot run', () => {
  it('reads GPT-2 small\'s config', () => {
    const small = { activation_function: 'gelu_new', architectures: ['GPT2LMHeadModel'], attn_pdrop: 0.1, bos_token_id: 50256, embd_pdrop: 0.1, eos_token_id: 50256, initializer_range: 0.02, layer_norm_epsilon: 1e-5, model_type: 'gpt2', n_ctx: 1024, n_embd: 768, n_head: 12, n_layer: 12, n_positions: 1024, resid_pdrop: 0.1, vocab_size: 50257 };
    expect(parseGpt2Config(small)).toEqual({ vocab_size: 50257, n_layer: 12, n_head: 12, n_embd: 768, block_size: 1024, layer_norm_eps: 1e-5, activation: 'gelu_new' });
    expect(parseGpt2Config({ ...small, n_positions: undefined }).block_size).toBe(1024); // from n_ctx
    expect(parseGpt2Config({ ...small, activation_function: 'gelu' }).activation).toBe('gelu');
  });

  it.each<[string, Record<string, unknown>, string]>([
    ['another architecture', { model_type: 'llama' }, 'config.json says "model_type": "llama"; this loader reads GPT-2-family checkpoints ("gpt2")'],
    ['no model_type', { model_type: undefined }, 'config.json has no "model_type"'],
    ['another activation', { activation_function: 'relu' }, '"activation_function" is "relu"'],
    ['another MLP width', { n_inner: 32 }, '"n_inner" is 32; the course\'s model has GPT-2\'s MLP of 4 · n_embd = 64.'],
    ['an untied head', { tie_word_embeddings: false }, '"tie_word_embeddings": false'],
    ['heads that do not divide the width', { n_head: 3 }, 'n_embd (16) must be divisible by n_head (3).'],
    ['no positions', { n_positions: undefined, n_ctx: undefined }, '"n_positions" must be a positive whole number, got null.'],
    ['a zero epsilon', { layer_norm_epsilon: 0 }, '"layer_norm_epsilon" must be a positive number'],
    ['scaled attention by layer', { scale_attn_by_inverse_layer_idx: true }, 'scale_attn_by_inverse_layer_idx'],
  ])('%s', (_, edit, message) => {
    expect(() => parseGpt2Config({ ...CONFIG, ...edit })).toThrow(ModelLoadError);
    expect(() => parseGpt2Config({ ...CONFIG, ...edit })).toThrow(message);
  });
});

describe('openGpt2Checkpoint names what is wrong with the file', () => {
  const rejects = async (bytes: Uint8Array, message: string | RegExp, o: { config?: unknown; tokenizer?: unknown } = {}) => {
    await expect(open(bytes, o.config ?? CONFIG, o.tokenizer ?? tokenizerJson())).rejects.toThrow(message);
  };
  const edited = (edit: (t: Map<string, SafetensorsTensor>) => void, prefix?: string) => checkpointFile(weights, { edit, prefix }).bytes;

  it('a missing tensor', () => rejects(edited((t) => t.delete('h.1.mlp.c_fc.bias')), 'model.safetensors has no tensor "h.1.mlp.c_fc.bias" (nor "transformer.h.1.mlp.c_fc.bias"), which the config (2 layers) needs.'));

  it('a file of another architecture, by its tensor names', () => {
    const llama = writeSafetensors([['model.embed_tokens.weight', { dtype: 'F32', shape: [V, C], data: new Float32Array(V * C) }]]);
    return rejects(llama, 'None of its 1 tensors has a GPT-2 name (it holds e.g. "model.embed_tokens.weight"): this is not a GPT-2-layout checkpoint.');
  });

  it('a wrong shape', () => rejects(edited((t) => t.set('wpe.weight', { dtype: 'F32', shape: [4, C], data: new Float32Array(4 * C) })), '"wpe.weight" has shape [4, 16]; config.json needs [8, 16].'));

  it('a projection in Linear\'s [out, in] layout', () => rejects(
    edited((t) => (t.get('h.0.attn.c_attn.weight')!.shape = [3 * C, C])),
    '"h.0.attn.c_attn.weight" has shape [48, 16], torch.nn.Linear\'s [out, in]; GPT-2 stores this projection as Conv1D [in, out] = [16, 48].',
  ));

  it('a dtype the loader does not read', () => rejects(edited((t) => t.set('ln_f.weight', { dtype: 'I8', shape: [C], data: new Int8Array(C) })), '"ln_f.weight" is stored as I8; the loader reads F32, F16 or BF16.'));

  it('a truncated file', () => {
    const bytes = checkpointFile(weights).bytes;
    return rejects(bytes.slice(0, bytes.length - 100), /^model\.safetensors is cut short: .* \(100 missing\)\. Download or copy it again\.$/);
  });

  it('a file shorter than its header length', () => rejects(checkpointFile(weights).bytes.slice(0, 50), 'runs past the end of the 50-byte file'));

  it('a tensor under both names', () => rejects(edited((t) => t.set('transformer.wte.weight', t.get('wte.weight')!)), 'model.safetensors holds both "transformer.wte.weight" and "wte.weight"'));

  it('an lm_head that is not wte\'s shape', () => rejects(edited((t) => t.set('lm_head.weight', { dtype: 'F32', shape: [V, C + 1], data: new Float32Array(V * (C + 1)) })), `"lm_head.weight" has shape [${V}, 17]`));

  it('a tokenizer with more ids than the model has', () => rejects(checkpointFile(weights).bytes, `tokenizer.json has ids up to ${V - 1}, but config.json's vocab_size is 200`, { config: { ...CONFIG, vocab_size: 200 } }));

  it('a tokenizer that is not byte-level BPE', async () => {
    const tok = tokenizerJson();
    (tok.model as Record<string, unknown>).type = 'Unigram';
    await expect(open(checkpointFile(weights).bytes, CONFIG, tok)).rejects.toThrow(TokenizerError);
  });

  it('lists tensors the model does not use, but not the mask buffers or a tied lm_head', async () => {
    const bytes = edited((t) => {
      t.set('lm_head.weight', t.get('wte.weight')!);
      t.set('score.weight', { dtype: 'F32', shape: [2, C], data: new Float32Array(2 * C) });
    });
    expect((await open(bytes)).ignored).toEqual(['score.weight']);
  });
});

describe('gpt2FilesFromFolder', () => {
  const text = (name: string, s: string) => new MemoryFile(new TextEncoder().encode(s), name);
  const folder = () => [text('gpt2/config.json', JSON.stringify(CONFIG)), text('gpt2/tokenizer.json', JSON.stringify(tokenizerJson())), new MemoryFile(checkpointFile(weights).bytes, 'gpt2/model.safetensors'), text('gpt2/README.md', '# hi')];

  it('finds the three files by name and parses the JSON ones', async () => {
    const files = await gpt2FilesFromFolder(folder());
    expect(files.config).toEqual(CONFIG);
    const model = await load(await openGpt2Checkpoint(files));
    expect(model.config.vocab_size).toBe(V);
  });

  it.each<[string, (f: MemoryFile[]) => MemoryFile[], string]>([
    ['no tokenizer.json', (f) => f.filter((x) => !x.name.endsWith('tokenizer.json')), 'The files hold no tokenizer.json (found: config.json, model.safetensors, README.md); a GPT-2 checkpoint folder has'],
    ['a sharded checkpoint', (f) => [...f.filter((x) => !x.name.endsWith('.safetensors')), text('model.safetensors.index.json', '{}')], 'split into several safetensors files (sharded)'],
    ['PyTorch weights only', (f) => [...f.filter((x) => !x.name.endsWith('.safetensors')), text('pytorch_model.bin', '')], 'pytorch_model.bin but no model.safetensors'],
    ['a config that is not JSON', (f) => [text('config.json', '{"n_embd": '), ...f.filter((x) => !x.name.endsWith('config.json'))], 'config.json is not valid JSON'],
  ])('%s', async (_, edit, message) => {
    await expect(gpt2FilesFromFolder(edit(folder()))).rejects.toThrow(message);
  });
});
