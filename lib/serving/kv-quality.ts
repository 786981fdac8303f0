/**
 * The KV-cache quantization comparison of the serving lesson: the shipped tiny model with its
 * keys and values stored in float32, FP8 E4M3, INT8 and INT4 (kv-storage.ts), scored on held-out
 * windows — perplexity, and the mean KL divergence of each next-token distribution from the
 * float32-KV model's. Weights stay float32, so only the cache's rounding is measured. An engine in
 * the sense of docs/design.md rule 6: one storage at a time, pausable, each result published as it
 * is measured.
 */
import type { Compute } from '../compute';
import { errorMessage } from '../errors';
import { PauseGate } from '../engine-lifecycle';
import { encodeText } from '../model/config';
import { crossEntropy, evalWindows, klDivergence, perplexity, top1Agreement } from '../model/eval';
import type { TinyLMWeights } from '../model/fetch-weights';
import { TinyLM } from '../model/tiny-lm';
import type { WeightStore } from '../model/weights';
import { createStore } from '../store';
import { createKvStorage, KV_STORAGE_BITS, KV_STORAGE_LABELS, type KvStorageKind } from './kv-storage';

export interface KvQualityResult {
  kind: KvStorageKind;
  label: string;
  bits: number;
  perplexity: number;
  /** Mean over held-out positions of KL(P_fp32-KV ‖ P_kind), in nats; 0 for FP32. */
  klFromFp32: number;
  /** Share of positions whose most likely next token matches the FP32-KV model's. */
  top1Agreement: number;
}

export interface KvQualitySnapshot {
  state: 'idle' | 'loading' | 'running' | 'done' | 'stopped' | 'error';
  backend: string | null;
  results: KvQualityResult[];
  current: KvStorageKind | null;
  /** Held-out characters scored per storage (windows × block_size). */
  scoredTokens: number;
  error: string | null;
}

export const INITIAL_KV_QUALITY: KvQualitySnapshot = { state: 'idle', backend: null, results: [], current: null, scoredTokens: 0, error: null };

export interface KvQualityDeps {
  compute: () => Promise<Compute>;
  backendLabel: (c: Compute) => string;
  weights: () => Promise<TinyLMWeights>;
  heldout: () => Promise<string>;
  /** The float32 weight store (lib/model/float32-store). */
  makeStore: (compute: Compute, w: TinyLMWeights) => WeightStore;
}

export interface KvQualityOptions {
  /** Measured in this order; the first must be 'fp32' (the KL reference). */
  kinds: readonly KvStorageKind[];
  /** Held-out windows of block_size characters. */
  windows: number;
}

export class KvQualityComparison {
  private readonly store = createStore<KvQualitySnapshot>(INITIAL_KV_QUALITY);
  private readonly gate = new PauseGate();
  private running = false;
  private halted = false;
  private model: TinyLM | null = null;
  private disposed = false;

  constructor(private readonly deps: KvQualityDeps, private readonly o: KvQualityOptions) {
    if (o.kinds[0] !== 'fp32') throw new RangeError('The first storage measured must be fp32, the reference.');
  }

  readonly subscribe = (listener: () => void) => this.store.subscribe(listener);
  readonly getSnapshot = () => this.store.getSnapshot();

  private patch(p: Partial<KvQualitySnapshot>) {
    if (!this.disposed) this.store.set({ ...this.store.getSnapshot(), ...p });
  }

  start(): void {
    if (this.running) return;
    this.halted = false;
    this.running = true;
    void this.run().finally(() => { this.running = false; });
  }

  stop(): void {
    this.halted = true;
    this.gate.resume();
  }

  pause(): void {
    this.gate.pause();
  }

  resume(): void {
    this.gate.resume();
  }

  dispose(): void {
    this.stop();
    this.disposed = true;
    this.model?.dispose();
    this.model = null;
  }

  private async run(): Promise<void> {
    this.patch({ state: 'loading', results: [], current: null, error: null });
    try {
      const [compute, w, text] = await Promise.all([this.deps.compute(), this.deps.weights(), this.deps.heldout()]);
      if (this.halted) return;
      const { config } = w;
      const windows = evalWindows(encodeText(config, text).ids, config.block_size, this.o.windows);
      const targets = windows.flatMap((win) => win.targets);
      this.patch({ backend: this.deps.backendLabel(compute), state: 'running', scoredTokens: targets.length });
      this.model = new TinyLM(compute.tf, config, this.deps.makeStore(compute, w));
      const model = this.model;
      let reference: Float32Array | null = null;
      for (const kind of this.o.kinds) {
        await this.gate.wait();
        if (this.halted) break;
        this.patch({ current: kind });
        model.kvStorage = createKvStorage(compute.tf, kind, config.n_head);
        const t = model.logitsBatchTensor(windows.map((win) => win.inputs));
        const logits = (await t.data()) as Float32Array;
        t.dispose();
        reference ??= logits;
        const result: KvQualityResult = {
          kind,
          label: KV_STORAGE_LABELS[kind],
          bits: KV_STORAGE_BITS[kind],
          perplexity: perplexity(crossEntropy(logits, config.vocab_size, targets)),
          klFromFp32: klDivergence(reference, logits, config.vocab_size),
          top1Agreement: top1Agreement(reference, logits, config.vocab_size),
        };
        this.patch({ results: [...this.getSnapshot().results, result] });
      }
      this.patch({ state: this.halted ? 'stopped' : 'done', current: null });
    } catch (e) {
      this.patch({ state: 'error', current: null, error: errorMessage(e) });
    } finally {
      this.model?.dispose();
      this.model = null;
    }
  }
}
