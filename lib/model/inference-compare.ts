/**
 * The quantized-inference comparison: the same tiny model with its Linear weights stored in
 * each format, measured on the active backend — bytes held, bits per weight, tokens per second,
 * held-out perplexity, the KL divergence of each next-token distribution from FP32's, how often the
 * top-1 token agrees with FP32's, and a sampled continuation with a fixed seed. An engine in the
 * sense of docs/design.md rule 6 (start/stop/subscribe/getSnapshot/dispose): it runs one format at a time,
 * yields between steps, and publishes each result as soon as it is measured.
 */
import { errorMessage } from '../errors';
import type { Compute } from '../compute';
import { createStore } from '../store';
import { PauseGate } from '../engine-lifecycle';
import { decodeIds, encodeText } from './config';
import { crossEntropy, evalWindows, klDivergence, perplexity, top1Agreement } from './eval';
import type { TinyLMWeights } from './fetch-weights';
import { TinyLM, type DecodePath } from './tiny-lm';
import { measureDecodeSpeed } from './decode-speed';
import { scoreBatchWindows } from './compare-memory';
import { FORMAT_LABELS, type WeightFormat } from '../quant/weight-formats';
import type { WeightStore } from './weights';

export interface InferenceResult {
  format: WeightFormat;
  label: string;
  residency: WeightStore['residency'];
  /** Bytes the backend holds for the whole model in this format (tf.memory accounting). */
  bytesHeld: number;
  /** Bits per weight of the quantized Linear weights, constants included. */
  bitsPerWeight: number;
  /** Generated tokens per second after the prompt's prefill: one position per token through the KV cache. */
  tokensPerSecond: number;
  /**
   * 'one-dispatch': a whole step in one WebGPU dispatch (mega-decode.ts); 'fused': a few WebGPU kernels
   * a step (fused-decode.ts) — both multiply from the packed words; 'ops': tfjs ops on a float32 copy of each weight.
   */
  decodePath: DecodePath;
  /** Why the fused decode paths were not taken (TinyLM.lastDecode.why), when the engine says; e.g. a backend other than WebGPU. */
  decodeWhy?: string | null;
  /** Bytes of Linear weights (and the tied output projection) one decoded token reads (TinyLM.weightBytesPerToken). */
  bytesPerToken: number;
  /** GPU dispatches of one decoded token (a step and its draw), counted on WebGPU; null on other backends. */
  dispatchesPerToken: number | null;
  perplexity: number;
  /** Mean over held-out positions of KL(P_fp32 ‖ P_format), in nats; 0 for FP32 itself. */
  klFromFp32: number;
  /** Share of held-out positions whose most likely next token is the same as FP32's. */
  top1Agreement: number;
  /** The prompt's continuation, sampled with the comparison's seed. */
  sample: string;
}

export interface InferenceSnapshot {
  state: 'idle' | 'loading' | 'running' | 'done' | 'stopped' | 'error';
  /** "WebGPU (software)" and the like, once known. */
  backend: string | null;
  results: InferenceResult[];
  /** The format being measured now. */
  current: WeightFormat | null;
  error: string | null;
  /** Held-out tokens (characters for the tiny model) scored per format (windows × window length). */
  scoredTokens: number;
  /** Characters of the prompt the tokenizer does not know, left out of it. */
  droppedCharacters: string[];
}

export const INITIAL_INFERENCE_SNAPSHOT: InferenceSnapshot = { state: 'idle', backend: null, results: [], current: null, error: null, scoredTokens: 0, droppedCharacters: [] };

export interface InferenceOptions {
  formats: readonly WeightFormat[];
  prompt: string;
  /** Tokens to generate, for the sample and the speed. */
  sampleTokens: number;
  seed: number;
  temperature: number;
  topK?: number;
  /** Held-out windows of block_size tokens scored for perplexity, KL and top-1. */
  windows: number;
  /**
   * Tokens per scored window when shorter than the model's block_size (a loaded GPT-2 has 1,024
   * positions: windows of min(block_size, windowTokens) keep the logits of a batch small); a text
   * with fewer tokens is scored as one shorter window.
   */
  windowTokens?: number;
  /** Bytes of logits a scored batch may take (compare-memory.ts SCORE_BATCH_BYTES when absent); windows are scored in batches under it, one at least. */
  scoreBatchBytes?: number;
}

export interface InferenceDeps {
  compute: () => Promise<Compute>;
  backendLabel: (c: Compute) => string;
  weights: () => Promise<TinyLMWeights>;
  heldout: () => Promise<string>;
  makeStore: (compute: Compute, format: WeightFormat, w: TinyLMWeights) => WeightStore;
  now?: () => number;
}

export class InferenceComparison {
  private readonly store = createStore<InferenceSnapshot>(INITIAL_INFERENCE_SNAPSHOT);
  private stopRequested = false;
  private running = false;
  private disposed = false;
  private model: TinyLM | null = null;
  private readonly gate = new PauseGate();

  constructor(private readonly deps: InferenceDeps, private readonly o: InferenceOptions) {}

  readonly subscribe = (listener: () => void) => this.store.subscribe(listener);
  readonly getSnapshot = () => this.store.getSnapshot();

  private patch(p: Partial<InferenceSnapshot>) {
    if (!this.disposed) this.store.set({ ...this.store.getSnapshot(), ...p });
  }

  /** Measures every format in turn (again from the start if it has run before). */
  start(): void {
    if (this.running || this.disposed) return;
    this.stopRequested = false;
    this.running = true;
    void this.run().finally(() => { this.running = false; });
  }

  /** Stops after the current step; results so far stay. */
  stop(): void {
    this.stopRequested = true;
    this.gate.resume(); // a paused run wakes up to stop
  }

  /**
   * Holds the run before its next step (the next format, or its timed generation) until resume():
   * the widget pauses it off screen. A step in progress finishes, so a speed is never timed across a pause.
   */
  pause(): void {
    this.gate.pause();
  }

  resume(): void {
    this.gate.resume();
  }

  dispose(): void {
    this.disposed = true;
    this.stopRequested = true;
    this.gate.resume();
    this.model?.dispose();
    this.model = null;
  }

  private get halted(): boolean {
    return this.stopRequested || this.disposed;
  }

  private async run(): Promise<void> {
    const now = this.deps.now ?? (() => performance.now());
    this.patch({ state: 'loading', results: [], current: null, error: null });
    try {
      const [compute, w, text] = await Promise.all([this.deps.compute(), this.deps.weights(), this.deps.heldout()]);
      const { config } = w;
      this.patch({ backend: this.deps.backendLabel(compute), state: 'running' });
      const ids = encodeText(config, text).ids;
      // With windowTokens (a loaded checkpoint scored on the learner's text), a text shorter than a window
      // is scored as one window of all its tokens but the last two (evalWindows needs blockSize + 2).
      const windowLength = this.o.windowTokens === undefined ? config.block_size : Math.max(1, Math.min(config.block_size, this.o.windowTokens, ids.length - 2));
      const windows = evalWindows(ids, windowLength, this.o.windows);
      const encoded = encodeText(config, this.o.prompt);
      const prompt = encoded.ids;
      this.patch({ droppedCharacters: encoded.unknown });
      if (prompt.length === 0) throw new Error('The prompt has no characters the model knows.');
      this.patch({ scoredTokens: windows.length * windowLength });
      const batch = scoreBatchWindows(windowLength, config.vocab_size, this.o.scoreBatchBytes);
      let reference: Float32Array | null = null;
      for (const format of this.o.formats) {
        await this.gate.wait();
        if (this.halted) break;
        this.patch({ current: format });
        const store = this.deps.makeStore(compute, format, w);
        this.model = new TinyLM(compute.tf, config, store);
        const model = this.model;
        // Held-out windows in batches of logits under scoreBatchBytes: perplexity, and the KL and top-1
        // against FP32's logits, which are kept whole (compare-memory.ts counts what this holds).
        const V = config.vocab_size;
        const own: Float32Array | null = format === 'fp32' && !reference ? new Float32Array(windows.length * windowLength * V) : null;
        const ref = own ?? reference;
        let nll = 0, klSum = 0, same = 0, rows = 0;
        for (let i = 0; i < windows.length && !this.halted; i += batch) {
          const part = windows.slice(i, i + batch);
          const t = model.logitsBatchTensor(part.map((win) => win.inputs));
          const logits = (await t.data()) as Float32Array;
          t.dispose();
          const targets = part.flatMap((win) => win.targets);
          const n = targets.length;
          nll += n * crossEntropy(logits, V, targets);
          own?.set(logits, rows * V);
          if (ref) {
            const r = ref.subarray(rows * V, (rows + n) * V);
            klSum += n * klDivergence(r, logits, V);
            same += n * top1Agreement(r, logits, V);
          }
          rows += n;
        }
        if (this.halted) {
          model.dispose();
          this.model = null;
          break;
        }
        reference ??= own;
        const ppl = perplexity(nll / rows);
        const kl = ref ? klSum / rows : NaN;
        const top1 = ref ? same / rows : NaN;
        // Speed: one warm-up forward (kernels compile), then the timed, seeded generation.
        await this.gate.wait();
        if (this.halted) {
          model.dispose();
          this.model = null;
          break;
        }
        const sampling = { temperature: this.o.temperature, topK: this.o.topK, seed: this.o.seed };
        const speed = await measureDecodeSpeed(model, prompt, this.o.sampleTokens, sampling, now);
        const result: InferenceResult = {
          format,
          label: FORMAT_LABELS[format],
          residency: store.residency,
          bytesHeld: store.bytesHeld(),
          bitsPerWeight: store.bitsPerWeight(),
          tokensPerSecond: speed.tokensPerSecond,
          decodePath: model.lastDecode?.path ?? 'ops',
          decodeWhy: model.lastDecode?.why ?? null,
          bytesPerToken: await model.weightBytesPerToken(),
          dispatchesPerToken: speed.dispatchesPerToken,
          perplexity: ppl,
          klFromFp32: kl,
          top1Agreement: top1,
          sample: decodeIds(config, speed.generated),
        };
        model.dispose();
        this.model = null;
        this.patch({ results: [...this.getSnapshot().results, result] });
      }
      this.patch({ state: this.halted ? 'stopped' : 'done', current: null });
    } catch (e) {
      this.model?.dispose();
      this.model = null;
      this.patch({ state: 'error', current: null, error: errorMessage(e) });
    }
  }
}
