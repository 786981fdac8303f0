/**
 * The tiny GPT on tfjs: the forward pass of nanoGPT's model.py (Karpathy), i.e. GPT-2's
 * decoder (Radford et al. 2019, "Language Models are Unsupervised Multitask Learners": pre-LayerNorm
 * blocks, learned positions, lm_head tied to the token embedding), run as tf ops on the active backend.
 * Weights come from a WeightStore inside tf.tidy, so a quantized store's dequantized copies live only
 * for the forward pass that needs them. reference-forward.ts computes the same function in float64.
 *
 *   x = wte[tokens] + wpe[0..T)
 *   per block:  x += c_proj(attn(LN1(x))),  x += mlp.c_proj(GELU(c_fc(LN2(x))))
 *   logits = LN_f(x) · wteᵀ
 */
import type { Tensor, Tensor1D, Tensor2D, Tensor3D } from '@tensorflow/tfjs-core';
import type { Tfjs } from '../compute';
import { mulberry32 } from '../random';
import type { TinyLMConfig } from './config';
import { dequantLinear, dequantMatMulWeightUnsupported } from '../compute/dequant-matmul-gpu';
import type { MatVecWeight } from '../compute/matvec-gpu';
import { softwareKernelsInstalled } from '../compute/software-kernels';
import { fusedAttentionUnsupported, fusedCausalAttention, fusedGelu, fusedLayerNorm } from '../compute/train-fused-gpu';
import { activeWebGPU, disposeFusedCache, FusedDecoder, geluForm, type FusedKvCache } from './fused-decode';
import { KvCache } from './kv-cache';
import { MegaDecoder } from './mega-decode';
import { sampleOnDevice } from './sample-on-device';
import { tinyLMTensorShapes } from './reference-forward';
import { checkSamplingOptions, tokenProbabilities, type SamplingOptions } from './sampling';
import type { WeightStore } from './weights';

/** Added to attention scores above the diagonal: exp(−1e9 − max) is 0 in float32, as masked_fill(−inf) gives. */
const MASKED = -1e9;

/**
 * Terms added to the outputs of the Linear layers, e.g. LoRA adapters (lib/train/lora.ts). For the
 * Linear `prefix` (nanoGPT's module path, e.g. 'transformer.h.0.attn.c_attn') with input x [N, in],
 * `delta` returns a [N, out] tensor that is added to x Wᵀ + b, or null to leave that layer alone.
 * It runs inside the forward pass's tf.tidy (so its intermediates are freed) and, when training,
 * inside tf.variableGrads (so gradients reach the variables it reads).
 */
export interface LinearAdapters {
  delta(x: Tensor2D, prefix: string): Tensor2D | null;
  /** Replaces the Linear's input before the matmul (e.g. fake-quantized for QAT, lib/train/qat.ts); delta still sees the original x. */
  input?(x: Tensor2D, prefix: string): Tensor2D;
}

/**
 * What a KV cache stores instead of the keys and values themselves, e.g. INT8 or FP8 codes
 * (the serving lesson's KV-cache quantization): `store` maps k or v [T, C] of block `layer` to the values attention
 * will read back. Applied where keys and values enter attention, so the uncached forward and a cached
 * decode see the same numbers.
 */
export interface KvStorage {
  store(x: Tensor2D, which: 'k' | 'v', layer: number): Tensor2D;
}

/** How generate() decodes after the prefill (TinyLM.lastDecode). */
export type DecodePath = 'one-dispatch' | 'fused' | 'ops';

export interface GenerateOptions extends SamplingOptions {
  /** Seeds lib/random's mulberry32, which draws every sampled token: same seed, same text. */
  seed: number;
  /** Called with each new id as the page reads it back (index from 0), in order. */
  onToken?: (index: number, id: number) => void;
  /**
   * How many tokens the backend may run ahead of the page's read-backs (default 1): the step for
   * token i + readAhead is queued before token i is awaited. More hides read-back latency; the ids
   * still arrive in order.
   */
  readAhead?: number;
}

/**
 * The model: a config, a WeightStore (which the model owns and disposes) and a causal mask kept on
 * the backend. Shapes of the store's tensors are checked against the config when it is built.
 */
export class TinyLM {
  private readonly mask: Tensor2D;
  private disposed = false;
  /** Added to the Linear outputs when set (LoRA); null, the default, is the plain model. Not owned: dispose() leaves it alone. */
  adapters: LinearAdapters | null;
  /** How keys and values are held for attention; null, the default, keeps them in float32. Not owned. */
  kvStorage: KvStorage | null = null;
  /**
   * How generate() decodes after the prefill: 'auto' takes the fused WebGPU kernels (fused-decode.ts)
   * when the backend, the store and the model allow (no adapters, no kvStorage), else tfjs ops with
   * the KV cache; 'ops' always the latter.
   */
  decodePath: 'auto' | 'fused' | 'ops' = 'auto';
  /**
   * The path the last generate() decoded on — 'one-dispatch' (mega-decode.ts: a whole step in one
   * WebGPU dispatch), 'fused' (fused-decode.ts: a few kernels a step) or 'ops' (tfjs ops) — and why
   * not a faster one when it did not.
   */
  lastDecode: { path: DecodePath; why: string | null } | null = null;
  /**
   * How the Linear layers multiply over many rows (the prompt's prefill, perplexity windows,
   * training batches). 'fused' reads a packed weight (any format but FP32, on WebGPU) straight from
   * its words with the tiled dequantizing matmul (lib/compute/dequant-matmul-gpu.ts; its gradient
   * too), so no float32 copy is made; 'ops' expands the weight to float32 and uses tf.matMul. 'auto'
   * takes 'fused' except on an adapter that emulates the GPU on the CPU (where the course installs
   * its register-tiled matmul, lib/compute/software-kernels.ts): there, expanding each weight once
   * and multiplying with that matmul measured faster (npm run bench, window.lowbitBench.prefill).
   */
  matmulPath: 'auto' | 'fused' | 'ops' = 'auto';
  /**
   * How a forward over whole windows without a KV cache (training, perplexity, a prefill) computes
   * attention, the GELU and layer norm: 'fused', on WebGPU, with the kernels of
   * lib/compute/train-fused-gpu.ts (a few dispatches each, forward and backward); 'ops' with tfjs
   * ops. 'auto' takes 'fused' on WebGPU.
   */
  batchOps: 'auto' | 'fused' | 'ops' = 'auto';
  private fused: FusedDecoder | string | null = null;
  private mega: Promise<MegaDecoder | string> | null = null;

  constructor(
    readonly tf: Tfjs,
    readonly config: TinyLMConfig,
    readonly store: WeightStore,
    options: { adapters?: LinearAdapters | null } = {},
  ) {
    this.adapters = options.adapters ?? null;
    for (const [name, shape] of tinyLMTensorShapes(config)) {
      let got: readonly number[];
      try {
        got = store.shape(name);
      } catch {
        throw new RangeError(`The weights have no tensor "${name}".`);
      }
      if (got.length !== shape.length || got.some((d, i) => d !== shape[i])) {
        throw new RangeError(`"${name}" has shape [${got.join(', ')}]; the config needs [${shape.join(', ')}].`);
      }
    }
    const B = config.block_size;
    const m = new Float32Array(B * B);
    for (let t = 0; t < B; t++) for (let s = t + 1; s < B; s++) m[t * B + s] = MASKED;
    this.mask = tf.keep(tf.tensor2d(m, [B, B]));
  }

  /** Throws a RangeError unless 1 ≤ length ≤ block_size and every id is in 0..vocab_size − 1. */
  checkTokens(tokens: readonly number[]): void {
    const c = this.config;
    if (tokens.length < 1 || tokens.length > c.block_size) throw new RangeError(`The model reads 1 to ${c.block_size} tokens, got ${tokens.length}.`);
    tokens.forEach((id, t) => {
      if (!Number.isInteger(id) || id < 0 || id >= c.vocab_size) throw new RangeError(`Token ${t} is ${id}, outside the vocabulary 0..${c.vocab_size - 1}.`);
    });
  }

  private checkAlive(): void {
    if (this.disposed) throw new Error('This model has been disposed.');
  }

  /** LN(x) = (x − mean) / √(var + eps) · weight + bias over the last axis, biased variance (torch.nn.LayerNorm). */
  private layerNorm(x: Tensor2D, prefix: string, fused: boolean): Tensor2D {
    const { tf } = this;
    const webgpu = fused ? activeWebGPU(tf) : null;
    if (webgpu) return fusedLayerNorm(tf, webgpu, x, this.store.get(`${prefix}.weight`), this.store.get(`${prefix}.bias`), this.config.layer_norm_eps, this.store.trainable === true);
    const { mean, variance } = tf.moments(x, -1, true);
    const normed = tf.mul(tf.sub(x, mean), tf.rsqrt(tf.add(variance, this.config.layer_norm_eps)));
    return tf.add(tf.mul(normed, this.store.get(`${prefix}.weight`)), this.store.get(`${prefix}.bias`));
  }

  /** y = x Wᵀ + b with W stored [out, in], as torch.nn.Linear (x as the adapters' input hook leaves it); plus the adapters' term for this layer, if any. */
  private linear(x: Tensor2D, prefix: string): Tensor2D {
    const { tf } = this;
    const xin = this.adapters?.input?.(x, prefix) ?? x;
    const packed = this.packedWeight(`${prefix}.weight`, xin.shape[0]);
    const y = packed
      ? dequantLinear(tf, packed.webgpu, xin, packed.weight, this.store.get(`${prefix}.bias`))
      : (tf.add(tf.matMul(xin, this.store.get(`${prefix}.weight`) as Tensor2D, false, true), this.store.get(`${prefix}.bias`)) as Tensor2D);
    const delta = this.adapters?.delta(x, prefix) ?? null;
    return delta ? tf.add(y, delta) : y;
  }

  /** Whether batchOps lets a forward over whole windows take the fused WebGPU ops (the backend is checked where they are used). */
  private fusedBatch(): boolean {
    return this.batchOps !== 'ops';
  }

  /** The weight's packed words and the WebGPU backend when `linear` may multiply `rows` rows by them directly (matmulPath). */
  private packedWeight(name: string, rows: number): { weight: MatVecWeight; webgpu: NonNullable<ReturnType<typeof activeWebGPU>> } | null {
    if (this.matmulPath === 'ops' || this.store.format === 'fp32' || !this.store.matVecWeight) return null;
    if (this.matmulPath === 'auto' && softwareKernelsInstalled(this.tf)) return null;
    const webgpu = activeWebGPU(this.tf);
    const weight = webgpu ? this.store.matVecWeight(name) : null;
    if (!webgpu || !weight || weight.format === 'fp32' || dequantMatMulWeightUnsupported(weight, rows)) return null;
    return { weight, webgpu };
  }

  /**
   * Causal self-attention on h [B·T, C]: q, k, v = split(c_attn(h)); per head
   * y = softmax(q kᵀ / √d_head + mask) v, mask −1e9 above the diagonal; heads merged, then c_proj.
   * With a cache (B = 1), h holds positions p..p+T−1 where p = cache.length: the new keys and values
   * are appended to the cache's and the queries attend over all p + T of them (mask rows p..p+T−1).
   */
  private attention(h: Tensor2D, B: number, T: number, layer: number, cache?: KvCache): Tensor2D {
    const { tf } = this;
    const prefix = `transformer.h.${layer}.attn`;
    const C = this.config.n_embd, H = this.config.n_head, hd = C / H;
    const qkv = this.linear(h, `${prefix}.c_attn`);
    const webgpu = !cache && !this.kvStorage && this.fusedBatch() ? activeWebGPU(tf) : null;
    if (webgpu && !fusedAttentionUnsupported({ B, T, H, hd })) {
      return this.linear(fusedCausalAttention(tf, webgpu, qkv, { B, T, H, hd }, 1 / Math.sqrt(hd)), `${prefix}.c_proj`);
    }
    const [q, k0, v0] = tf.split(qkv, 3, 1) as Tensor2D[];
    const k1 = this.kvStorage ? this.kvStorage.store(k0, 'k', layer) : k0;
    const v1 = this.kvStorage ? this.kvStorage.store(v0, 'v', layer) : v0;
    const heads = (t: Tensor) => tf.reshape(tf.transpose(tf.reshape(t, [B, T, H, hd]), [0, 2, 1, 3]), [B * H, T, hd]) as Tensor3D;
    let k = heads(k1), v = heads(v1);
    const p = cache?.length ?? 0;
    if (cache) {
      const past = cache.get(layer);
      if (past) {
        k = tf.concat([past.k, k], 1);
        v = tf.concat([past.v, v], 1);
      }
      cache.set(layer, { k: tf.keep(k), v: tf.keep(v) });
    }
    const mask = tf.slice(this.mask, [p, 0], [T, p + T]);
    const scores = tf.add(tf.mul(tf.matMul(heads(q), k, false, true), 1 / Math.sqrt(hd)), mask);
    const y = tf.matMul(tf.softmax(scores), v);
    const merged = tf.reshape(tf.transpose(tf.reshape(y, [B, H, T, hd]), [0, 2, 1, 3]), [B * T, C]) as Tensor2D;
    return this.linear(merged, `${prefix}.c_proj`);
  }

  /**
   * The config's GELU (config.ts GeluKind). Exact, the default: x · ½ (1 + erf(x / √2))
   * (torch.nn.functional.gelu, approximate='none'). 'gelu_new', GPT-2's:
   * x · ½ (1 + tanh(√(2/π) (x + 0.044715 x³))) (torch's approximate='tanh').
   */
  private gelu(x: Tensor2D, fused: boolean): Tensor2D {
    const { tf } = this;
    const webgpu = fused ? activeWebGPU(tf) : null;
    if (webgpu) return fusedGelu(tf, webgpu, x, geluForm(this.config));
    if (this.config.activation === 'gelu_new') {
      const inner = tf.mul(tf.add(x, tf.mul(tf.mul(tf.mul(x, x), x), 0.044715)), Math.sqrt(2 / Math.PI)); // x³ as products: pow's shaders go through exp/log
      return tf.mul(tf.mul(x, 0.5), tf.add(tf.tanh(inner), 1));
    }
    return tf.mul(tf.mul(x, 0.5), tf.add(tf.erf(tf.mul(x, Math.SQRT1_2)), 1));
  }

  /**
   * The forward pass on a [B, T] batch (already checked); logits [B·T, V], or [B, V] at the last
   * position only. With a cache (B = 1) the tokens sit at positions cache.length.. and their keys
   * and values are appended to it; `ids` may then be an int32 tensor (a token drawn on the backend).
   */
  private forward(batch: readonly (readonly number[])[] | Tensor, lastOnly: boolean, cache?: KvCache): Tensor2D {
    const { tf, store } = this;
    const c = this.config;
    const ids = Array.isArray(batch) ? tf.tensor1d(batch.flat(), 'int32') : (batch as Tensor);
    const B = Array.isArray(batch) ? batch.length : 1, T = Array.isArray(batch) ? batch[0].length : ids.size, C = c.n_embd;
    const p = cache?.length ?? 0;
    const wte = store.get('transformer.wte.weight') as Tensor2D;
    const tok = tf.gather(wte, tf.reshape(ids, [-1]));
    const pos = tf.slice(store.get('transformer.wpe.weight'), [p, 0], [T, C]);
    let x = tf.reshape(tf.add(tf.reshape(tok, [B, T, C]), pos), [B * T, C]) as Tensor2D;
    const fused = !cache && this.fusedBatch();
    for (let l = 0; l < c.n_layer; l++) {
      const pre = `transformer.h.${l}`;
      x = tf.add(x, this.attention(this.layerNorm(x, `${pre}.ln_1`, fused), B, T, l, cache));
      x = tf.add(x, this.linear(this.gelu(this.linear(this.layerNorm(x, `${pre}.ln_2`, fused), `${pre}.mlp.c_fc`), fused), `${pre}.mlp.c_proj`));
    }
    if (cache) cache.length = p + T;
    if (lastOnly) x = tf.reshape(tf.slice(tf.reshape(x, [B, T, C]), [0, T - 1, 0], [B, 1, C]), [B, C]) as Tensor2D;
    return tf.matMul(this.layerNorm(x, 'transformer.ln_f', fused), wte, false, true);
  }

  /** An empty KV cache for this model (capacity block_size positions); the caller disposes it. */
  newCache(): KvCache {
    return new KvCache(this.config.n_layer, this.config.block_size);
  }

  /**
   * Feeds `tokens` (numbers, or an int32 tensor of ids already on the backend) at the cache's next
   * positions, appends their keys and values, and returns the logits [vocab] after the last of them as a
   * tensor the caller disposes. Prefill is one call with the prompt; each decode step one call with one
   * token. RangeError when the cache would pass block_size positions.
   */
  stepTensor(cache: KvCache, tokens: readonly number[] | Tensor): Tensor1D {
    this.checkAlive();
    const n = Array.isArray(tokens) ? tokens.length : (tokens as Tensor).size;
    if (Array.isArray(tokens)) {
      if (n === 0) throw new RangeError('A step needs at least one token.');
      this.checkTokens(tokens);
    }
    if (cache.length + n > this.config.block_size) throw new RangeError(`The KV cache holds ${cache.length} of ${this.config.block_size} positions; ${n} more do not fit.`);
    return this.tf.tidy(() => this.tf.reshape(this.forward(Array.isArray(tokens) ? [tokens as number[]] : (tokens as Tensor), true, cache), [this.config.vocab_size]) as Tensor1D);
  }

  /**
   * Logits [T, vocab] as a tensor the caller disposes, computed synchronously (queued on the
   * backend). RangeError for an empty or too long sequence or an id outside the vocabulary.
   */
  logitsTensor(tokens: readonly number[]): Tensor2D {
    this.checkAlive();
    this.checkTokens(tokens);
    return this.tf.tidy(() => this.forward([tokens], false));
  }

  /**
   * Logits [B, T, vocab] for B sequences of the same length T (e.g. evaluation windows), as a tensor
   * the caller disposes. Row t of sequence b depends only on tokens 0..t of that sequence.
   */
  logitsBatchTensor(batch: readonly (readonly number[])[]): Tensor3D {
    this.checkAlive();
    if (batch.length === 0) throw new RangeError('The batch holds no sequences.');
    const T = batch[0].length;
    batch.forEach((s, b) => {
      if (s.length !== T) throw new RangeError(`Sequence ${b} has ${s.length} tokens; every sequence of a batch needs ${T}.`);
      this.checkTokens(s);
    });
    return this.tf.tidy(() => this.tf.reshape(this.forward(batch, false), [batch.length, T, this.config.vocab_size]) as Tensor3D);
  }

  /** Logits [T × vocab], row-major float32: row t scores the token that follows tokens[0..t]. */
  async logits(tokens: readonly number[]): Promise<Float32Array> {
    const t = this.logitsTensor(tokens);
    try {
      return (await t.data()) as Float32Array;
    } finally {
      t.dispose();
    }
  }

  /** The logits (length vocab) for the token after `tokens`, the last position only (1..block_size tokens). */
  async nextTokenLogits(tokens: readonly number[]): Promise<Float32Array> {
    this.checkAlive();
    this.checkTokens(tokens);
    const t = this.tf.tidy(() => this.forward([tokens], true));
    try {
      return (await t.data()) as Float32Array;
    } finally {
      t.dispose();
    }
  }

  /** The next-token distribution the sampler draws from (sampling.ts tokenProbabilities) after `tokens`. */
  async nextTokenDistribution(tokens: readonly number[], o: SamplingOptions): Promise<Float64Array> {
    return tokenProbabilities(await this.nextTokenLogits(tokens), o);
  }

  /**
   * Autoregressive generation as nanoGPT's `generate`: n times, crop the context to its last
   * block_size tokens, take the last position's logits and draw one token, then append it. Returns
   * the n new ids (not the prompt). The prompt needs at least one token; a longer one than
   * block_size is cropped the same way.
   *
   * While the context fits in block_size, the prompt is fed once (prefill) and each new token is one
   * position through the KV cache; the token is drawn on the backend (sample-on-device.ts, with u from
   * mulberry32(seed), drawn only when temperature > 0 as `sampleToken` does) and fed back without
   * leaving it, so the page reads back one id per token, one step behind the backend. Once the
   * context passes block_size every position moves, so each further token is a forward pass over the
   * last block_size tokens, as nanoGPT's crop.
   */
  async generate(prompt: readonly number[], n: number, o: GenerateOptions): Promise<number[]> {
    if (!Number.isSafeInteger(n) || n < 0) throw new RangeError(`The number of tokens to generate must be a whole number ≥ 0, got ${n}.`);
    if (prompt.length === 0) throw new RangeError('The prompt needs at least one token.');
    prompt.forEach((id, t) => {
      if (!Number.isInteger(id) || id < 0 || id >= this.config.vocab_size) throw new RangeError(`Token ${t} is ${id}, outside the vocabulary 0..${this.config.vocab_size - 1}.`);
    });
    checkSamplingOptions(this.config.vocab_size, o);
    if (!Number.isInteger(o.seed)) throw new RangeError(`The seed must be a whole number, got ${o.seed}.`);
    this.checkAlive();
    const { tf } = this;
    const B = this.config.block_size;
    const rand = mulberry32(o.seed);
    const draw = () => (o.temperature === 0 ? 0 : rand());
    const readAhead = o.readAhead ?? 1;
    if (!Number.isSafeInteger(readAhead) || readAhead < 1) throw new RangeError(`readAhead must be a whole number ≥ 1, got ${readAhead}.`);
    const ids = [...prompt];
    const reads: Promise<number>[] = [];
    if (n > 0 && prompt.length <= B) {
      const mega = await this.megaDecoder();
      if (typeof mega !== 'string') {
        this.lastDecode = { path: 'one-dispatch', why: null };
        return this.generateOneDispatch(mega, prompt, n, o, draw, readAhead);
      }
    }
    const cache = this.newCache();
    const decoder = this.fusedDecoder();
    const fused = typeof decoder === 'string' ? null : decoder;
    this.lastDecode = { path: fused ? 'fused' : 'ops', why: typeof decoder === 'string' ? decoder : null };
    let fusedCache: FusedKvCache | null = null;
    let logits: Tensor1D | null = null;
    try {
      // The cache serves while the context has not been cropped: every position is where it was fed.
      let cached = prompt.length <= B;
      let fed = prompt.length; // positions in the cache
      if (n > 0 && cached) {
        logits = this.stepTensor(cache, prompt);
        if (fused) fusedCache = fused.fromOpsCache(cache);
      }
      for (let i = 0; i < n; i++) {
        if (!logits) {
          ids.push(...(await Promise.all(reads.splice(0))));
          const context = ids.slice(-B);
          logits = tf.tidy(() => tf.reshape(this.forward([context], true), [this.config.vocab_size]) as Tensor1D);
        }
        const id = fused ? fused.sample(logits, o, draw()) : sampleOnDevice(tf, logits, o, draw());
        logits.dispose();
        logits = null;
        cached &&= fed < B;
        if (i + 1 < n && cached) {
          logits = fused && fusedCache ? fused.step(fusedCache, id) : this.stepTensor(cache, id);
          fed++;
        }
        const index = i;
        reads.push(id.data().then((d) => {
          o.onToken?.(index, d[0]);
          return d[0];
        }).finally(() => id.dispose()));
        // Behind the backend by readAhead tokens: the next steps are queued before this id is awaited.
        if (reads.length > readAhead) ids.push(await reads.shift()!);
      }
      ids.push(...(await Promise.all(reads.splice(0))));
    } finally {
      logits?.dispose();
      cache.dispose();
      if (fusedCache) disposeFusedCache(fusedCache);
      await Promise.allSettled(reads);
    }
    return ids.slice(prompt.length);
  }

  /**
   * generate()'s loop on the one-dispatch path: prefill with tfjs ops, the first token drawn from its
   * logits, then one dispatch per token (step and draw) until the context reaches block_size; past it,
   * nanoGPT's crop as in generate().
   */
  private async generateOneDispatch(mega: MegaDecoder, prompt: readonly number[], n: number, o: GenerateOptions, draw: () => number, readAhead: number): Promise<number[]> {
    const { tf } = this;
    const B = this.config.block_size;
    const ids = [...prompt];
    const reads: Promise<number>[] = [];
    const cache = this.newCache();
    let state: Tensor | null = null;
    let fed = prompt.length;
    try {
      const logits = this.stepTensor(cache, prompt);
      let id: Tensor = sampleOnDevice(tf, logits, o, draw());
      logits.dispose();
      state = mega.init(cache, id);
      cache.dispose();
      for (let i = 0; i < n; i++) {
        if (i > 0) {
          if (fed < B) {
            const next: Tensor = mega.step(state!, fed++, o, draw());
            state!.dispose();
            state = next;
            id = mega.token(next);
          } else {
            ids.push(...(await Promise.all(reads.splice(0))));
            const context = ids.slice(-B);
            const z = tf.tidy(() => tf.reshape(this.forward([context], true), [this.config.vocab_size]) as Tensor1D);
            id = sampleOnDevice(tf, z, o, draw());
            z.dispose();
          }
        }
        const index = i, t = id;
        reads.push(t.data().then((d) => {
          const value = Math.round(d[0]);
          o.onToken?.(index, value);
          return value;
        }).finally(() => t.dispose()));
        if (reads.length > readAhead) ids.push(await reads.shift()!);
      }
      ids.push(...(await Promise.all(reads.splice(0))));
    } finally {
      cache.dispose();
      state?.dispose();
      await Promise.allSettled(reads);
    }
    return ids.slice(prompt.length);
  }

  /**
   * Bytes of weights one decoded token reads. Fused path: every Linear's packed tensors (scales and
   * tables included) and the tied output projection (fused-decode.ts). Ops path: the float32 weight
   * each matmul reads (4 bytes a weight), plus the packed words its expansion reads first when the
   * store holds them packed in a format other than fp32.
   */
  async weightBytesPerToken(): Promise<number> {
    const mega = this.lastDecode?.path === 'one-dispatch' ? await this.megaDecoder() : null;
    if (mega && typeof mega !== 'string') return mega.weightBytesPerToken();
    const d = this.fusedDecoder();
    if (typeof d !== 'string') return d.weightBytesPerToken();
    const names = ['transformer.wte.weight', ...Array.from({ length: this.config.n_layer }, (_, l) => ['attn.c_attn', 'attn.c_proj', 'mlp.c_fc', 'mlp.c_proj'].map((m) => `transformer.h.${l}.${m}.weight`)).flat()];
    let bytes = 0;
    for (const name of names) {
      bytes += 4 * this.store.shape(name).reduce((a, b) => a * b, 1);
      const packed = this.store.residency === 'packed' && this.store.format !== 'fp32' ? this.store.matVecWeight?.(name) : null;
      if (packed && packed.format !== 'fp32') bytes += packed.inputs.reduce((a, t) => a + 4 * t.size, 0);
    }
    return bytes;
  }

  /** The one-dispatch decoder for this model's store, packed once, or why it cannot be used now. */
  async megaDecoder(): Promise<MegaDecoder | string> {
    if (this.decodePath !== 'auto') return `the ${this.decodePath} path was asked for`;
    if (this.adapters) return 'adapters are attached';
    if (this.kvStorage) return 'keys and values are stored in another format';
    this.mega ??= MegaDecoder.create(this.tf, this.config, this.store);
    return this.mega;
  }

  /** The fused decoder for this model's store, built once, or why it cannot be used now. */
  fusedDecoder(): FusedDecoder | string {
    if (this.decodePath === 'ops') return 'the ops path was asked for';
    if (this.adapters) return 'adapters are attached';
    if (this.kvStorage) return 'keys and values are stored in another format';
    this.fused ??= FusedDecoder.create(this.tf, this.config, this.store);
    return this.fused;
  }

  /** Frees the causal mask and the weight store. Later calls throw. */
  dispose(): void {
    if (this.disposed) return;
    this.disposed = true;
    if (this.fused && typeof this.fused !== 'string') this.fused.dispose();
    void this.mega?.then((m) => { if (typeof m !== 'string') m.dispose(); });
    this.mask.dispose();
    this.store.dispose();
  }
}
