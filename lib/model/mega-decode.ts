/**
 * The one-dispatch decode step (lib/compute/kernels/decode-mega.ts) for the tiny GPT: the store's
 * tensors are read back once and packed into one int32 buffer at the offsets of a MegaPlan; the
 * step's state (KV cache, the drawn token, the logits) is one tensor that each step replaces. The
 * packed buffer is a second copy of the weights on the device (`deviceBytes`), in the store's format.
 */
import type { Tensor, Tensor1D } from '@tensorflow/tfjs-core';
import type { WebGPUBackend } from '@tensorflow/tfjs-backend-webgpu';
import type { Tfjs } from '../compute';
import { megaDecodeProgram, megaStateSize, megaTokenSlot, megaUnsupported, type MegaPlan, type MegaWeight } from '../compute/kernels/decode-mega';
import type { MatVecWeight } from '../compute/matvec-gpu';
import type { TinyLMConfig } from './config';
import { activeWebGPU, geluForm } from './fused-decode';
import type { KvCache } from './kv-cache';
import type { SamplingOptions } from './sampling';
import type { WeightStore } from './weights';

const LINEARS = { attn: 'attn.c_attn', proj: 'attn.c_proj', fc: 'mlp.c_fc', proj2: 'mlp.c_proj' } as const;

/**
 * A name for a plan's shader: its shape in clear text (layers, heads, width, capacity, vocabulary,
 * GELU) and FNV-1a (32-bit) over the whole plan, so the same model in the same format gets the same
 * shader name and a second run reuses the compiled pipeline, and two plans of different shapes can
 * never share a name by a hash collision.
 */
export function megaPlanKey(plan: MegaPlan): string {
  let h = 0x811c9dc5;
  for (const ch of JSON.stringify(plan)) h = Math.imul(h ^ ch.charCodeAt(0), 0x01000193) >>> 0;
  return `${plan.nLayer}_${plan.nHead}_${plan.C}_${plan.capacity}_${plan.vocab}_${plan.gelu}_${h.toString(36)}`;
}

export class MegaDecoder {
  private constructor(
    private readonly tf: Tfjs,
    private readonly webgpu: WebGPUBackend,
    private readonly config: TinyLMConfig,
    private readonly plan: MegaPlan,
    private readonly model: Tensor,
    private readonly key: string,
  ) {}

  /** Bytes of the packed model buffer on the device. */
  get deviceBytes(): number {
    return this.model.size * 4;
  }

  /** Bytes of weights a step reads: every Linear's packed words and constants, and wte for the output projection. */
  weightBytesPerToken(): number {
    let words = this.config.vocab_size * this.config.n_embd;
    for (const l of this.plan.layers) for (const w of [l.attn, l.proj, l.fc, l.proj2]) words += w.words;
    return 4 * words;
  }

  /**
   * Packs the store for the one-dispatch step, or says why it cannot: not WebGPU, no packed
   * weights, or a model larger than one workgroup's memory.
   */
  static async create(tf: Tfjs, config: TinyLMConfig, store: WeightStore): Promise<MegaDecoder | string> {
    const webgpu = activeWebGPU(tf);
    if (!webgpu) return 'the backend is not WebGPU';
    if (!store.matVecWeight) return 'the weight store has no packed weights to hand out';
    const C = config.n_embd;
    const why = megaUnsupported({ nLayer: config.n_layer, nHead: config.n_head, C, capacity: config.block_size, vocab: config.vocab_size });
    if (why) return why;
    // Offsets follow from the tensors' sizes alone, so every read-back is queued at once and awaited
    // together at the end: one wait for the device instead of one per tensor.
    const reads: Promise<void>[] = [];
    const all: { offset: number; words: Int32Array }[] = [];
    let length = 0;
    const put = (t: Tensor, dispose = false): number => {
      const offset = length;
      length += t.size;
      reads.push(
        t.data().then((d) => {
          const words = d instanceof Int32Array ? d : new Int32Array(Float32Array.from(d as Float32Array).buffer);
          all.push({ offset, words });
        }).finally(() => { if (dispose) t.dispose(); }),
      );
      return offset;
    };
    const tensor = async (name: string) => put(store.get(name), true);
    const norm = async (name: string) => {
      const off = await tensor(`${name}.weight`);
      await tensor(`${name}.bias`);
      return off;
    };
    let format: MatVecWeight['format'] | null = null;
    let tables = 0;
    const weight = async (name: string): Promise<MegaWeight | string> => {
      const w = store.matVecWeight!(`${name}.weight`);
      if (!w) return `"${name}.weight" is held as float32 for its format`;
      if (format !== null && w.format !== format) return 'the Linear weights are not all in one format';
      format = w.format;
      const [rows, cols] = w.shape;
      const parts: number[] = [];
      let words = 0;
      for (const [i, t] of w.inputs.entries()) {
        if (w.format === 'nf4-dq' && i === 3) {
          if (!tables) tables = put(t);
          continue;
        }
        parts.push(put(t));
        words += t.size;
      }
      const bias = await tensor(`${name}.bias`);
      const m: MegaWeight = { rows, cols, codes: parts[0], bias, words };
      if (w.format === 'int8-channel') m.scales = parts[1];
      if (w.format === 'int4-group64') Object.assign(m, { scales: parts[1], zeros: parts[2], groupSize: w.layout.groupSize, groupsPerRow: w.layout.groupsPerRow });
      if (w.format === 'nf4-dq') Object.assign(m, { absmaxCodes: parts[1], absmax2: parts[2], offset: w.layout.offset, blockSize: w.layout.blockSize, dqBlockSize: w.layout.dqBlockSize });
      return m;
    };
    const wte = await tensor('transformer.wte.weight');
    const wpe = await tensor('transformer.wpe.weight');
    const lnf = await norm('transformer.ln_f');
    const layers: MegaPlan['layers'] = [];
    for (let l = 0; l < config.n_layer; l++) {
      const p = `transformer.h.${l}`;
      const ln1 = await norm(`${p}.ln_1`);
      const ln2 = await norm(`${p}.ln_2`);
      const ws: Partial<Record<keyof typeof LINEARS, MegaWeight>> = {};
      for (const [k, m] of Object.entries(LINEARS) as [keyof typeof LINEARS, string][]) {
        const w = await weight(`${p}.${m}`);
        if (typeof w === 'string') return w;
        ws[k] = w;
      }
      layers.push({ ln1, ln2, attn: ws.attn!, proj: ws.proj!, fc: ws.fc!, proj2: ws.proj2! });
    }
    const packed = new Int32Array(length);
    try {
      await Promise.all(reads);
    } catch (e) {
      await Promise.allSettled(reads);
      throw e;
    }
    for (const { offset, words } of all) packed.set(words, offset);
    const plan: MegaPlan = {
      format: format ?? 'fp32', nLayer: config.n_layer, nHead: config.n_head, C, capacity: config.block_size, vocab: config.vocab_size,
      eps: config.layer_norm_eps, gelu: geluForm(config), wte, wpe, lnf, tables, layers,
    };
    return new MegaDecoder(tf, webgpu, config, plan, tf.keep(tf.tensor1d(packed, 'int32')), megaPlanKey(plan));
  }

  /** The first state: the prefill's cache in the state's layout, and the first drawn token (an int32 tensor of one id). */
  init(cache: KvCache, token: Tensor): Tensor1D {
    const { tf } = this;
    const { n_layer: L, block_size: P, n_embd: C, vocab_size: V } = this.config;
    return tf.tidy(() => {
      const layers: Tensor[] = [];
      for (let l = 0; l < L; l++) {
        const kv = cache.get(l);
        if (!kv) throw new Error('The prefill left no keys and values.');
        const rows = (t: Tensor) => tf.reshape(tf.transpose(t, [1, 0, 2]), [cache.length, C]);
        layers.push(tf.reshape(tf.pad(tf.stack([rows(kv.k), rows(kv.v)]), [[0, 0], [0, P - cache.length], [0, 0]]), [-1]));
      }
      return tf.concat([...layers, tf.cast(tf.reshape(token, [1]), 'float32'), tf.zeros([V])]) as Tensor1D;
    });
  }

  /** The next state: the token in `state` fed at position `pos`, the next one drawn with u; one dispatch. */
  step(state: Tensor, pos: number, o: SamplingOptions, u: number): Tensor1D {
    if (state.size !== megaStateSize(this.plan)) throw new RangeError('This state belongs to another model.');
    const info = this.webgpu.runWebGPUProgram(megaDecodeProgram(this.plan, this.key), [this.model, state], 'float32', [
      { type: 'int32', data: [pos] },
      { type: 'int32', data: [o.topK ?? 0] },
      { type: 'float32', data: [o.temperature] },
      { type: 'float32', data: [u] },
    ]);
    return this.tf.engine().makeTensorFromTensorInfo(info) as Tensor1D;
  }

  /** The token id a state holds, as a float32 tensor of one value (one slice). */
  token(state: Tensor): Tensor1D {
    return this.tf.slice(state, [megaTokenSlot(this.plan)], [1]) as Tensor1D;
  }

  /** `state` with its token replaced by `token` (an id, to feed a given text rather than the drawn one); a new tensor. */
  withToken(state: Tensor, token: number): Tensor1D {
    const { tf } = this;
    const slot = megaTokenSlot(this.plan);
    return tf.tidy(() => tf.concat([tf.slice(state, [0], [slot]), tf.tensor1d([token]), tf.slice(state, [slot + 1], [this.config.vocab_size])]) as Tensor1D);
  }

  /** The logits the step that made `state` computed. */
  logits(state: Tensor): Tensor1D {
    return this.tf.slice(state, [megaTokenSlot(this.plan) + 1], [this.config.vocab_size]) as Tensor1D;
  }

  dispose(): void {
    this.model.dispose();
  }
}
