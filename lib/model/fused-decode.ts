/**
 * The tiny GPT's decode step on WebGPU as a handful of fused kernels rather than tfjs's chain of
 * small ops: per block, LayerNorm + c_attn (+ bias) in one dequantize-and-multiply that reads the
 * packed weight (kernels/matvec.ts), the KV cache's append, attention of the one query over the cache
 * (kernels/decode.ts), c_proj + bias + residual, LayerNorm + c_fc + bias + GELU (the config's: exact,
 * or GPT-2's tanh form for 'gelu_new'; `geluForm`), c_proj + bias + residual; then LayerNorm + the
 * tied output projection, and the draw of the next token on the device. 1 + 6 · n_layer + 2 dispatches a token, no float32 copy of any weight.
 *
 * The prompt is prefilled by tiny-lm.ts's tfjs forward (all positions at once), whose keys and
 * values are laid out once into this cache: per block one tensor [2, block_size, C] (keys, then
 * values; heads side by side). The float64 oracle is reference-forward.ts; decode-reference.ts holds the
 * kernels' twins.
 */
import type { Tensor, Tensor1D, Tensor3D } from '@tensorflow/tfjs-core';
import type { WebGPUBackend } from '@tensorflow/tfjs-backend-webgpu';
import type { Compute, Tfjs } from '../compute';
import { attendOneQueryProgram, ATTEND_MAX_CONTEXT, embedProgram, kvAppendProgram, sampleTokenProgram } from '../compute/kernels/decode';
import { layerNormParams, matVecWeightUnsupported, runMatVec, type MatVecWeight } from '../compute/matvec-gpu';
import type { GeluForm } from '../compute/kernels/decode-wgsl';
import type { TinyLMConfig } from './config';
import type { KvCache } from './kv-cache';
import type { SamplingOptions } from './sampling';
import type { WeightStore } from './weights';
import { activeWebGPU } from '../compute/fake-quant-gpu';

/** The Linear layers of block l, as nanoGPT names them. */
const LINEARS = ['attn.c_attn', 'attn.c_proj', 'mlp.c_fc', 'mlp.c_proj'] as const;

/** Dispatches of one fused decode step: embedding, six per block, the output projection and the draw. */
export function fusedDispatchesPerToken(nLayer: number): number {
  return 1 + 6 * nLayer + 2;
}

/** The fused path's KV cache: per block [2, capacity, C]; `length` positions written. */
export interface FusedKvCache {
  layers: Tensor3D[];
  length: number;
}

/** The kernels' GELU for a config's activation: GPT-2's 'gelu_new' is the tanh form, else the exact (erf) one. */
export function geluForm(config: Pick<TinyLMConfig, 'activation'>): GeluForm {
  return config.activation === 'gelu_new' ? 'tanh' : 'erf';
}

/** The WebGPU backend when it is tfjs's active backend, else null (lib/compute's). */
export { activeWebGPU };

export class FusedDecoder {
  private readonly compute: Compute;
  private readonly weights = new Map<string, MatVecWeight>();
  /** Each LayerNorm's γ and β in one tensor, as the matvec prologue reads them (owned). */
  private readonly norms = new Map<string, Tensor1D>();

  private constructor(private readonly tf: Tfjs, webgpu: WebGPUBackend, private readonly config: TinyLMConfig, private readonly store: WeightStore) {
    this.compute = { tf, webgpu, backend: 'webgpu', software: false };
  }

  /**
   * A decoder for the model's store on the active backend, or the reason there is none: not WebGPU,
   * a store without packed weights, a weight or size the kernels do not take.
   */
  static create(tf: Tfjs, config: TinyLMConfig, store: WeightStore): FusedDecoder | string {
    const webgpu = activeWebGPU(tf);
    if (!webgpu) return 'the backend is not WebGPU';
    if (!store.matVecWeight) return 'the weight store has no packed weights to hand out';
    if (config.block_size > ATTEND_MAX_CONTEXT) return `a context of ${config.block_size} positions is more than the attention kernel holds (${ATTEND_MAX_CONTEXT})`;
    const d = new FusedDecoder(tf, webgpu, config, store);
    const names = ['transformer.wte.weight', ...Array.from({ length: config.n_layer }, (_, l) => LINEARS.map((m) => `transformer.h.${l}.${m}.weight`)).flat()];
    for (const name of names) {
      const w = store.matVecWeight(name);
      if (!w) return `"${name}" is held as float32 for its format`;
      const why = matVecWeightUnsupported(w);
      if (why) return `"${name}": ${why}`;
      d.weights.set(name, w);
    }
    const norms = ['transformer.ln_f', ...Array.from({ length: config.n_layer }, (_, l) => [`transformer.h.${l}.ln_1`, `transformer.h.${l}.ln_2`]).flat()];
    for (const name of norms) d.norms.set(name, tf.tidy(() => layerNormParams(tf, store.get(`${name}.weight`), store.get(`${name}.bias`))));
    return d;
  }

  /** This decoder's cache holding what the tfjs forward's cache holds (positions 0..length−1), zeros after. */
  fromOpsCache(cache: KvCache): FusedKvCache {
    const { tf } = this;
    const { n_layer, block_size: P, n_embd: C } = this.config;
    const layers = Array.from({ length: n_layer }, (_, l) => {
      const kv = cache.get(l);
      if (!kv) throw new Error('The prefill left no keys and values.');
      return tf.tidy(() => {
        const rows = (t: Tensor3D) => tf.reshape(tf.transpose(t, [1, 0, 2]), [cache.length, C]);
        return tf.pad(tf.stack([rows(kv.k), rows(kv.v)]), [[0, 0], [0, P - cache.length], [0, 0]]) as Tensor3D;
      });
    });
    return { layers, length: cache.length };
  }

  /**
   * Feeds one token (an int32 tensor of one id, on the device) at position cache.length and returns the
   * logits [vocab] after it, a tensor the caller disposes; the cache's tensors are replaced (each old
   * layer freed as its successor is made, so the step holds one extra layer, 8 · capacity · C bytes).
   */
  step(cache: FusedKvCache, token: Tensor): Tensor1D {
    const { tf, store } = this;
    const { n_layer, n_head: H, n_embd: C, block_size: P, layer_norm_eps: eps } = this.config;
    const webgpu = this.compute.webgpu as WebGPUBackend;
    const pos = cache.length;
    if (pos >= P) throw new RangeError(`The KV cache holds ${pos} of ${P} positions; no more fit.`);
    const run = <T extends Tensor>(program: Parameters<WebGPUBackend['runWebGPUProgram']>[0], inputs: Tensor[], dtype: 'float32' | 'int32', uniforms: { type: string; data: number[] }[]) =>
      tf.engine().makeTensorFromTensorInfo(webgpu.runWebGPUProgram(program, inputs, dtype, uniforms)) as T;
    const next: Tensor3D[] = [];
    const layers = () => tf.tidy(() => {
      const ln = (name: string) => ({ params: this.norms.get(name) as Tensor1D, eps });
      const lin = (l: number, m: (typeof LINEARS)[number]) => this.weights.get(`transformer.h.${l}.${m}.weight`) as MatVecWeight;
      const bias = (l: number, m: (typeof LINEARS)[number]) => store.get(`transformer.h.${l}.${m}.bias`);
      const ids = tf.reshape(token, [1]);
      let x: Tensor = run(embedProgram(C), [store.get('transformer.wte.weight'), store.get('transformer.wpe.weight'), ids], 'float32', [
        { type: 'int32', data: [C] },
        { type: 'int32', data: [pos] },
      ]);
      for (let l = 0; l < n_layer; l++) {
        const qkv = runMatVec(this.compute, lin(l, 'attn.c_attn'), x, { layerNorm: ln(`transformer.h.${l}.ln_1`), bias: bias(l, 'attn.c_attn') });
        const kv = run<Tensor3D>(kvAppendProgram(P, C), [cache.layers[l], qkv], 'float32', [
          { type: 'int32', data: [2 * P * C] },
          { type: 'int32', data: [P] },
          { type: 'int32', data: [C] },
          { type: 'int32', data: [pos] },
        ]);
        next.push(tf.keep(kv));
        // The old layer is read by this append only: freeing it now holds one layer's copy at a time, not the whole cache twice.
        cache.layers[l].dispose();
        const att = run(attendOneQueryProgram(C, H), [qkv, kv], 'float32', [
          { type: 'int32', data: [C] },
          { type: 'int32', data: [C / H] },
          { type: 'int32', data: [P] },
          { type: 'int32', data: [pos] },
          { type: 'float32', data: [1 / Math.sqrt(C / H)] },
        ]);
        x = runMatVec(this.compute, lin(l, 'attn.c_proj'), att, { bias: bias(l, 'attn.c_proj'), residual: x });
        const h = runMatVec(this.compute, lin(l, 'mlp.c_fc'), x, { layerNorm: ln(`transformer.h.${l}.ln_2`), bias: bias(l, 'mlp.c_fc'), gelu: geluForm(this.config) });
        x = runMatVec(this.compute, lin(l, 'mlp.c_proj'), h, { bias: bias(l, 'mlp.c_proj'), residual: x });
      }
      return runMatVec(this.compute, this.weights.get('transformer.wte.weight') as MatVecWeight, x, { layerNorm: ln('transformer.ln_f') });
    });
    let logits: Tensor1D;
    try {
      logits = layers();
    } catch (e) {
      // Some old layers may be freed already: the cache is spent.
      tf.dispose(next);
      for (const t of cache.layers) t.dispose();
      cache.layers = [];
      throw e;
    }
    cache.layers = next;
    cache.length = pos + 1;
    return logits;
  }

  /**
   * The next token drawn on the device from `logits` with uniform u (kernels/decode.ts
   * `sampleTokenProgram`, sampling.ts `sampleToken`'s draw): an int32 tensor [1] the caller disposes.
   */
  sample(logits: Tensor1D, o: SamplingOptions, u: number): Tensor1D {
    const webgpu = this.compute.webgpu as WebGPUBackend;
    const info = webgpu.runWebGPUProgram(sampleTokenProgram(), [logits], 'int32', [
      { type: 'int32', data: [logits.size] },
      { type: 'int32', data: [o.topK ?? 0] },
      { type: 'float32', data: [o.temperature] },
      { type: 'float32', data: [u] },
    ]);
    return this.tf.engine().makeTensorFromTensorInfo(info) as Tensor1D;
  }

  /** Frees the decoder's own tensors (the packed LayerNorm parameters); the store's are the store's. */
  dispose(): void {
    for (const t of this.norms.values()) t.dispose();
    this.norms.clear();
  }

  /** Bytes of weights one decode step reads: every Linear's packed tensors and the tied output projection. */
  weightBytesPerToken(): number {
    let bytes = 0;
    for (const w of this.weights.values()) for (const t of w.inputs) bytes += t.size * 4;
    return bytes;
  }
}

/** Frees a fused cache's tensors. */
export function disposeFusedCache(cache: FusedKvCache): void {
  for (const t of cache.layers) t.dispose();
  cache.layers = [];
}
