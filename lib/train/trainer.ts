/**
 * Fine-tuning the tiny GPT in the browser: an engine in the sense of docs/design.md rule 6
 * (start/stop/subscribe/getSnapshot/dispose) that runs AdamW steps on a text and measures held-out
 * loss as it goes, in one of three modes:
 *
 *   'full'   every weight a trainable float32 tf.Variable (createVariableStore);
 *   'lora'   the float32 base frozen (createFloat32Store) plus LoRA adapters (lora.ts);
 *   'qlora'  the base frozen in NF4 + double quantization (createQuantizedStore 'nf4-dq': packed at
 *            about half a byte per weight on WebGPU, dequantized by a WGSL kernel for each matmul)
 *            plus LoRA adapters — Dettmers et al. 2023's recipe, with float32 compute; optionally
 *            with the base and adapters initialised by LoftQ (loraInit 'loftq', lora.ts);
 *   'qat'    as 'full', with every Linear weight (and optionally input) fake-quantized in the
 *            forward pass and the straight-through estimator in the backward (qat.ts).
 *
 * One step: a seeded batch of random windows (batches.ts), the mean next-token cross-entropy
 * (F.cross_entropy, as nanoGPT trains) and its gradients by tf.variableGrads with respect to the
 * trainable variables only, global-norm clipping and an AdamW update (adamw.ts). The loss is read
 * back once per step, which also waits for the backend, so the step time is real.
 */
import type { Scalar, Variable } from '@tensorflow/tfjs-core';
import type { Compute } from '../compute';
import { deviceMemory, type DeviceMemory } from '../compute/device-memory';
import { errorMessage } from '../errors';
import { createStore } from '../store';
import { decodeIds, encodeText, knownTextShortage } from '../model/config';
import { crossEntropy } from '../model/eval';
import { createFloat32Store } from '../model/float32-store';
import type { TinyLMWeights } from '../model/load';
import { createQuantizedStore } from '../model/quantized-store';
import { TinyLM, type LinearAdapters } from '../model/tiny-lm';
import { TINY_MODEL_NAME } from '../model/tiny-model';
import type { WeightFormat, WeightStore } from '../model/weights';
import { mulberry32 } from '../random';
import './gradients';
import { TRAIN_MODES, type TrainMode } from './modes';
import { AdamW, checkAdamWOptions, TORCH_ADAMW_DEFAULTS, type AdamWParam } from './adamw';
import { heldoutBatch, WindowSampler, type Batch } from './batches';
import { nextTokenLoss } from './loss';
import { checkLoraConfig, loftqLoraWeights, LORA_INITS, LoraAdapters, type LoraConfig, type LoraInit, type LoraWeightsData } from './lora';
import { exportPeftAdapter, importPeftAdapter, mergeLora, type PeftAdapterConfig } from './peft';
import { createVariableStore, type VariableWeightStore } from './variable-store';
import { createQatStore, QAT_DEFAULTS, type QatOptions, type QatStore } from './qat';

export { TRAIN_MODE_LABELS, TRAIN_MODES, type TrainMode } from './modes';

export interface TrainerDeps {
  compute: Compute;
  weights: TinyLMWeights;
  /** The fine-tuning text; characters the tokenizer does not know are left out (and listed in the snapshot). */
  train: string;
  heldout: string;
  /** Milliseconds; performance.now by default. */
  now?: () => number;
  /** What the loop awaits between steps; a macrotask (setTimeout 0) by default, so the page stays responsive. */
  yieldToEventLoop?: () => Promise<void>;
}

export interface TrainerOptions {
  mode: TrainMode;
  /** The adapters (ignored in 'full' and 'qat' modes). */
  lora: LoraConfig;
  /** Quantization-aware training's grid ('qat' mode; QAT_DEFAULTS when left out). */
  qat?: QatOptions;
  /**
   * How the adapters start (default 'zero': Kaiming A, B = 0, as PEFT). 'loftq' (QLoRA mode only)
   * sets A, B and the NF4 base of each adapted weight by LoftQ (lora.ts loftqLoraWeights).
   */
  loraInit?: LoraInit;
  /** LoftQ's alternating steps T with loraInit 'loftq' (default 1, as PEFT). */
  loftqIterations?: number;
  lr: number;
  /** AdamW's decoupled weight decay λ: LoRA A and B; in full mode the 2-D weights only (nanoGPT's rule). */
  weightDecay: number;
  batchSize: number;
  /** Tokens per training and held-out window, 1 … block_size (default block_size). */
  blockSize?: number;
  /** Global gradient-norm clip (clip_grad_norm_); null for none. */
  clip: number | null;
  /** Seeds the adapters' A (zero-B init), the batches and the dropout masks. */
  seed: number;
  /** Held-out loss every this many steps (and before the first and after the last step of a run); 0 never by itself. */
  evalEvery: number;
  /** Held-out windows scored by evaluate() (evalWindows picks them evenly through the text). */
  evalWindows: number;
  /** start() stops after this many steps in all. */
  maxSteps: number;
  /** AdamW β1, β2 and ε; PyTorch's defaults (0.9, 0.999, 1e-8) when left out. */
  beta1?: number;
  beta2?: number;
  eps?: number;
}

export interface StepResult {
  /** Steps taken after this one (1 for the first). */
  step: number;
  /** Mean cross-entropy of the batch before the update, nats per token. */
  loss: number;
  /** Global gradient norm before clipping. */
  gradNorm: number;
  /** Tokens the step trained on: batch size × window length. */
  tokens: number;
  /** Wall time of the step, loss read back included. */
  ms: number;
}

/** What the run keeps in memory, in bytes (activations not counted). */
export interface MemoryLedger {
  /** The base weights as held by the backend (WeightStore.bytesHeld; in full mode the trainable float32 weights). */
  baseBytes: number;
  /** The same weights in float32, for comparison: 4 × base parameters. */
  fp32BaseBytes: number;
  baseFormat: WeightFormat;
  /** 'packed' when the backend holds the format itself; 'float32' off WebGPU for NF4 (the numbers are NF4's, the memory is not). */
  residency: WeightStore['residency'];
  baseParams: number;
  trainableParams: number;
  /** The adapters' own weights, 4 × trainable (0 in full mode, where the trainable weights are the base). */
  adapterBytes: number;
  /** One float32 gradient per trainable parameter: 4 × trainable. */
  gradientBytes: number;
  /** AdamW's m and v: 8 × trainable. */
  optimizerBytes: number;
  totalBytes: number;
}

/** One point of a loss curve: the loss (nats per character) after `step` optimizer steps. Charts draw these (components/charts/LossChart). */
export interface LossPoint {
  step: number;
  loss: number;
}

export interface TrainerSnapshot {
  state: 'idle' | 'running' | 'stopped' | 'done' | 'error';
  mode: TrainMode;
  step: number;
  maxSteps: number;
  /** The batch loss of every step. */
  trainLoss: LossPoint[];
  /** Held-out loss measurements (step 0 is the model before training). */
  heldoutLoss: LossPoint[];
  lastStep: StepResult | null;
  /** Over the last steps (step time only, evaluation and pauses excluded); null before the first step. */
  tokensPerSecond: number | null;
  stepsPerSecond: number | null;
  memory: MemoryLedger;
  /** What the backend holds on the device now, as tfjs counts it (live tensors, and all it allocated); nulls on the CPU. */
  device: DeviceMemory;
  /** Characters of the texts the tokenizer does not know, left out. */
  droppedCharacters: string[];
  error: string | null;
}

/** Steps the throughput is averaged over. */
const SPEED_WINDOW = 20;
/** Held-out windows per forward pass in evaluate(). */
const EVAL_CHUNK = 16;

function checkOptions(o: TrainerOptions, blockSize: number, maxBlock: number): void {
  if (!TRAIN_MODES.includes(o.mode)) throw new RangeError(`The mode must be one of ${TRAIN_MODES.join(', ')}, got ${String(o.mode)}.`);
  if (!Number.isSafeInteger(blockSize) || blockSize < 1 || blockSize > maxBlock) throw new RangeError(`The window length must be a whole number from 1 to ${maxBlock}, got ${blockSize}.`);
  if (!Number.isSafeInteger(o.batchSize) || o.batchSize < 1) throw new RangeError(`The batch size must be a whole number ≥ 1, got ${o.batchSize}.`);
  if (o.clip !== null && !(o.clip > 0)) throw new RangeError(`The clipping norm must be > 0 (or null for none), got ${o.clip}.`);
  if (!Number.isInteger(o.seed)) throw new RangeError(`The seed must be a whole number, got ${o.seed}.`);
  if (!Number.isSafeInteger(o.evalEvery) || o.evalEvery < 0) throw new RangeError(`evalEvery must be a whole number ≥ 0, got ${o.evalEvery}.`);
  if (!Number.isSafeInteger(o.evalWindows) || o.evalWindows < 1) throw new RangeError(`evalWindows must be a whole number ≥ 1, got ${o.evalWindows}.`);
  if (!Number.isSafeInteger(o.maxSteps) || o.maxSteps < 0) throw new RangeError(`maxSteps must be a whole number ≥ 0, got ${o.maxSteps}.`);
  const init = o.loraInit ?? 'zero';
  if (!LORA_INITS.includes(init)) throw new RangeError(`The adapter initialisation must be one of ${LORA_INITS.join(', ')}, got ${String(init)}.`);
  if (init === 'loftq' && o.mode !== 'qlora') throw new RangeError(`LoftQ initialisation fits the adapters to the NF4 base's error, so it needs the 'qlora' mode, not '${o.mode}'.`);
}

const macrotask = () => new Promise<void>((resolve) => setTimeout(resolve, 0));

export class Trainer {
  readonly blockSize: number;
  private readonly model: TinyLM;
  private readonly lora: LoraAdapters | null;
  /** The fake-quantizing store in 'qat' mode (null otherwise). */
  private readonly qat: QatStore | null = null;
  private readonly optimizer: AdamW;
  private readonly trainable: Variable[];
  private readonly sampler: WindowSampler;
  private readonly heldout: Batch;
  private readonly dropoutSeeds: () => number;
  private readonly now: () => number;
  private readonly pause: () => Promise<void>;
  private readonly store: ReturnType<typeof createStore<TrainerSnapshot>>;
  private chain: Promise<unknown> = Promise.resolve();
  private loop: Promise<void> | null = null;
  private stopRequested = false;
  private disposed = false;
  private recent: StepResult[] = [];

  constructor(private readonly deps: TrainerDeps, readonly options: TrainerOptions) {
    const { compute, weights } = deps;
    const { tf } = compute;
    const { config } = weights;
    this.blockSize = options.blockSize ?? config.block_size;
    checkOptions(options, this.blockSize, config.block_size);
    const train = encodeText(config, deps.train);
    const held = encodeText(config, deps.heldout);
    // Name characters the model does not know instead of only counting tokens (batches need T + 1, evalWindows T + 2).
    const short = knownTextShortage('The training text', deps.train, train, this.blockSize + 1) ?? knownTextShortage('The held-out tenth', deps.heldout, held, this.blockSize + 2);
    if (short) throw new RangeError(short);
    this.sampler = new WindowSampler(train.ids, this.blockSize, options.batchSize, (options.seed ^ 0x5bd1e995) | 0);
    this.heldout = heldoutBatch(held.ids, this.blockSize, options.evalWindows);
    this.dropoutSeeds = mulberry32((options.seed ^ 0x27d4eb2f) | 0);
    this.now = deps.now ?? (() => performance.now());
    this.pause = deps.yieldToEventLoop ?? macrotask;
    const adamw = { lr: options.lr, weightDecay: options.weightDecay, beta1: options.beta1 ?? TORCH_ADAMW_DEFAULTS.beta1, beta2: options.beta2 ?? TORCH_ADAMW_DEFAULTS.beta2, eps: options.eps ?? TORCH_ADAMW_DEFAULTS.eps };

    checkAdamWOptions(adamw);
    const adapterMode = options.mode === 'lora' || options.mode === 'qlora';
    if (adapterMode) checkLoraConfig(options.lora);
    let store: WeightStore | null = null;
    let lora: LoraAdapters | null = null;
    let model: TinyLM | null = null;
    let inputs: LinearAdapters | null = null;
    try {
      let params: AdamWParam[];
      if (options.mode === 'full') {
        const vs: VariableWeightStore = createVariableStore(tf, weights.values, weights.shapes);
        store = vs;
        params = [...vs.variables.values()].map((variable) => ({ variable, decay: variable.shape.length >= 2 }));
        this.trainable = [...vs.variables.values()];
      } else if (options.mode === 'qat') {
        const vs: VariableWeightStore = createVariableStore(tf, weights.values, weights.shapes);
        store = vs;
        const qs = createQatStore(tf, vs, config, options.qat ?? QAT_DEFAULTS, weights.values);
        store = qs;
        this.qat = qs;
        inputs = qs.inputs;
        params = [...vs.variables.values()].map((variable) => ({ variable, decay: variable.shape.length >= 2 }));
        params.push(...[...qs.steps.values()].map((variable) => ({ variable, decay: false })));
        this.trainable = params.map((p) => p.variable);
      } else {
        // LoftQ: the store quantizes what LoftQ's last step quantized, so it holds LoftQ's base Q_T.
        const loftq = options.loraInit === 'loftq' ? loftqLoraWeights(config, options.lora, weights.values, options.loftqIterations) : null;
        if (options.mode === 'lora') store = createFloat32Store(tf, weights.values, weights.shapes);
        else store = createQuantizedStore(compute, loftq ? loftq.baseValues : weights.values, weights.shapes, 'nf4-dq');
        lora = new LoraAdapters(tf, config, options.lora, loftq ? { weights: loftq.adapter } : { seed: options.seed });
        params = lora.variables().map((variable) => ({ variable, decay: true }));
        this.trainable = lora.variables();
      }
      model = new TinyLM(tf, config, store, { adapters: lora ?? inputs });
      this.optimizer = new AdamW(tf, params, adamw);
      this.model = model;
    } catch (e) {
      lora?.dispose();
      if (model) model.dispose(); // frees the store too
      else store?.dispose();
      throw e;
    }
    this.lora = lora;

    const baseParams = [...weights.values.values()].reduce((s, v) => s + v.length, 0);
    const trainableParams = this.optimizer.paramCount();
    const baseBytes = store.bytesHeld();
    const adapterBytes = lora ? 4 * trainableParams : 0;
    const memory: MemoryLedger = {
      baseBytes,
      fp32BaseBytes: 4 * baseParams,
      baseFormat: store.format,
      residency: store.residency,
      baseParams,
      trainableParams,
      adapterBytes,
      gradientBytes: 4 * trainableParams,
      optimizerBytes: this.optimizer.stateBytes(),
      totalBytes: baseBytes + adapterBytes + 4 * trainableParams + this.optimizer.stateBytes(),
    };
    this.store = createStore<TrainerSnapshot>({
      state: 'idle',
      mode: options.mode,
      step: 0,
      maxSteps: options.maxSteps,
      trainLoss: [],
      heldoutLoss: [],
      lastStep: null,
      tokensPerSecond: null,
      stepsPerSecond: null,
      memory,
      device: deviceMemory(tf.memory()),
      droppedCharacters: [...new Set([...train.unknown, ...held.unknown])],
      error: null,
    });
  }

  readonly subscribe = (listener: () => void) => this.store.subscribe(listener);
  readonly getSnapshot = () => this.store.getSnapshot();

  /** The model being trained (LoRA applied through its adapters hook); owned by the trainer. */
  get tinyLM(): TinyLM {
    return this.model;
  }

  /** The static activation ranges of 'qat' mode by Linear module path (empty in other modes, or without static ranges). */
  activationRanges(): Promise<Map<string, { lo: number; hi: number }>> {
    return this.exclusive(async () => (this.qat ? this.qat.activationRanges() : new Map()));
  }

  /** The LoRA adapters (null in full mode); owned by the trainer. */
  get adapters(): LoraAdapters | null {
    return this.lora;
  }

  private patch(p: Partial<TrainerSnapshot>): void {
    if (!this.disposed) this.store.set({ ...this.store.getSnapshot(), ...p });
  }

  private checkAlive(): void {
    if (this.disposed) throw new Error('This trainer has been disposed.');
  }

  /** Runs `f` after every earlier step, evaluation, sample or export has finished. */
  private exclusive<T>(f: () => Promise<T>): Promise<T> {
    const p = this.chain.then(() => {
      this.checkAlive();
      return f();
    });
    this.chain = p.catch(() => undefined);
    return p;
  }

  /** One optimizer step on a fresh batch. Rejects after dispose, and if the loss is not finite. */
  step(): Promise<StepResult> {
    return this.exclusive(async () => {
      const { tf } = this.deps.compute;
      const batch = this.sampler.next();
      const t0 = this.now();
      this.lora?.beginTraining(Math.floor(this.dropoutSeeds() * 2 ** 32));
      this.qat?.beginTraining();
      let value: Scalar, grads;
      try {
        ({ value, grads } = tf.variableGrads(() => nextTokenLoss(tf, this.model, batch.inputs, batch.targets), this.trainable));
      } finally {
        this.lora?.endTraining();
        this.qat?.endTraining();
      }
      const norm = this.optimizer.step(grads, this.options.clip);
      tf.dispose(grads);
      let loss: number, gradNorm: number;
      try {
        loss = (await value.data())[0];
        gradNorm = (await norm.data())[0];
      } finally {
        value.dispose();
        norm.dispose();
      }
      const ms = this.now() - t0;
      const step = this.optimizer.steps;
      const result: StepResult = { step, loss, gradNorm, tokens: batch.inputs.length * this.blockSize, ms };
      if (!Number.isFinite(loss)) throw new Error(`The training loss became ${loss} at step ${step}: the learning rate may be too high.`);
      this.recent = [...this.recent, result].slice(-SPEED_WINDOW);
      const seconds = this.recent.reduce((s, r) => s + r.ms, 0) / 1000;
      const tokens = this.recent.reduce((s, r) => s + r.tokens, 0);
      this.patch({
        step,
        lastStep: result,
        trainLoss: [...this.getSnapshot().trainLoss, { step, loss }],
        tokensPerSecond: seconds > 0 ? tokens / seconds : null,
        stepsPerSecond: seconds > 0 ? this.recent.length / seconds : null,
        device: deviceMemory(this.deps.compute.tf.memory()),
      });
      return result;
    });
  }

  /**
   * Mean cross-entropy (nats per token) of the current model on the held-out windows, computed in
   * float64 from the logits (lib/model/eval crossEntropy), and recorded at the current step.
   */
  evaluate(): Promise<number> {
    return this.exclusive(async () => {
      const V = this.model.config.vocab_size;
      const { inputs, targets } = this.heldout;
      let total = 0;
      for (let i = 0; i < inputs.length; i += EVAL_CHUNK) {
        const t = this.model.logitsBatchTensor(inputs.slice(i, i + EVAL_CHUNK));
        let logits: Float32Array;
        try {
          logits = (await t.data()) as Float32Array;
        } finally {
          t.dispose();
        }
        const ys = targets.slice(i, i + EVAL_CHUNK).flat();
        total += crossEntropy(logits, V, ys) * ys.length;
      }
      const loss = total / (inputs.length * this.blockSize);
      const step = this.optimizer.steps;
      this.patch({ heldoutLoss: [...this.getSnapshot().heldoutLoss.filter((p) => p.step !== step), { step, loss }] });
      return loss;
    });
  }

  /** Steps until maxSteps or stop(), evaluating every evalEvery steps and yielding to the event loop between steps. */
  start(): void {
    if (this.loop || this.disposed) return;
    this.stopRequested = false;
    this.loop = this.run().finally(() => {
      this.loop = null;
    });
  }

  /** Asks the loop to stop after the current step; resolves when it has. */
  stop(): Promise<void> {
    this.stopRequested = true;
    return this.loop ?? Promise.resolve();
  }

  private get halted(): boolean {
    return this.stopRequested || this.disposed;
  }

  private async run(): Promise<void> {
    const { evalEvery, maxSteps } = this.options;
    this.patch({ state: 'running', error: null });
    try {
      const measured = (s: number) => this.getSnapshot().heldoutLoss.some((p) => p.step === s);
      if (evalEvery > 0 && !measured(this.optimizer.steps)) await this.evaluate();
      while (!this.halted && this.optimizer.steps < maxSteps) {
        const { step } = await this.step();
        if (this.disposed) return;
        if (evalEvery > 0 && (step % evalEvery === 0 || step === maxSteps)) await this.evaluate();
        await this.pause();
      }
      this.patch({ state: this.optimizer.steps >= maxSteps ? 'done' : 'stopped' });
    } catch (e) {
      this.patch({ state: 'error', error: errorMessage(e) });
    }
  }

  /**
   * A continuation of `prompt` by the current model (adapters applied, no dropout), n characters,
   * sampled with mulberry32(seed) (TinyLM.generate); with `base`, by the frozen base alone (LoRA and
   * QLoRA: the adapters switched off for this sample; an Error in the other modes). Characters the
   * tokenizer does not know are left out of the prompt; RangeError if none is left.
   */
  sample(prompt: string, n: number, seed: number, o: { temperature?: number; topK?: number; base?: boolean } = {}): Promise<string> {
    return this.exclusive(async () => {
      const { config } = this.model;
      const encoded = encodeText(config, prompt);
      const ids = encoded.ids;
      if (ids.length === 0) throw new RangeError(knownTextShortage('The prompt', prompt, encoded, 1)!);
      if (o.base && !this.lora) throw new Error('Only LoRA and QLoRA have adapters to switch off: in this mode the base itself trains.');
      // base: the frozen base alone, adapters switched off for this sample (lib/train/stages beforeSampleFromBase).
      const adapters = this.model.adapters;
      if (o.base) this.model.adapters = null;
      try {
        const out = await this.model.generate(ids, n, { temperature: o.temperature ?? 1, topK: o.topK, seed });
        return decodeIds(config, out);
      } finally {
        this.model.adapters = adapters;
      }
    });
  }

  /** The adapters' current A and B (LoRA and QLoRA modes). */
  adapterWeights(): Promise<LoraWeightsData> {
    return this.exclusive(async () => {
      if (!this.lora) throw new Error('Full fine-tuning has no adapters to export.');
      return this.lora.read();
    });
  }

  /**
   * Loads a PEFT adapter (adapter_model.safetensors bytes and adapter_config.json's parsed JSON) into
   * this trainer's adapters, replacing A and B (peft.ts importPeftAdapter validates names, shapes and
   * rank against the model). The trainer must have been built with the adapter's r and targets —
   * `parsePeftAdapterConfig` reads them — and its optimizer state is left as it was.
   */
  importAdapter(safetensors: Uint8Array, adapterConfig: unknown): Promise<void> {
    return this.exclusive(async () => {
      if (!this.lora) throw new Error('Full fine-tuning has no adapters to load an adapter into.');
      this.lora.load(importPeftAdapter(this.model.config, safetensors, adapterConfig));
    });
  }

  /** The adapters as PEFT's adapter_model.safetensors and adapter_config.json (LoRA and QLoRA modes). */
  async exportAdapter(baseModel = TINY_MODEL_NAME): Promise<{ safetensors: Uint8Array<ArrayBuffer>; adapterConfig: PeftAdapterConfig }> {
    return exportPeftAdapter(await this.adapterWeights(), baseModel);
  }

  /**
   * Float32 weights of the current model as one plain model: the base as the backend holds it
   * (QLoRA: NF4 + DQ dequantized; full: the trained weights) with the adapters merged in,
   * W' = W0 + scale · B A (peft.ts mergeLora).
   */
  mergedWeights(): Promise<TinyLMWeights> {
    return this.exclusive(async () => {
      const { weights } = this.deps;
      const values = new Map<string, Float32Array>();
      for (const name of weights.values.keys()) {
        const t = this.model.store.get(name);
        try {
          values.set(name, ((await t.data()) as Float32Array).slice());
        } finally {
          t.dispose();
        }
      }
      const base: TinyLMWeights = { config: weights.config, values, shapes: weights.shapes };
      return this.lora ? mergeLora(base, await this.lora.read()) : base;
    });
  }

  /** Stops the loop and frees the model, the adapters and the optimizer state. Later calls reject. */
  dispose(): void {
    if (this.disposed) return;
    this.disposed = true;
    this.stopRequested = true;
    this.model.dispose();
    this.lora?.dispose();
    this.optimizer.dispose();
  }
}
