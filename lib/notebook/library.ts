/**
 * The names every notebook cell can read besides `tf` and the output helpers: the course's own
 * library, the same bit-exact code the widgets use. Documented for learners in api.d.ts.
 *
 * - quant, formats: the lib/quant and lib/formats indexes.
 * - random: seeded synthetic arrays (Float32Array), deterministic for a seed.
 * - io: safetensors, .npy and GGUF readers and writers (lib/io).
 * - model: the course's tiny GPT in any storage format (lib/model).
 * - files: the learner's own files, dropped on the notebook, by name.
 */
import type { Compute } from '../compute';
import * as formats from '../formats';
import * as gguf from '../io/gguf';
import * as npy from '../io/npy';
import * as safetensors from '../io/safetensors';
import { decodeIds, encodeText, type TinyLMConfig } from '../model/config';
import { crossEntropy, evalWindows, klDivergence, perplexity, top1Agreement } from '../model/eval';
import type { TinyLMWeights } from '../model/load';
import { makeWeightStore } from '../model/stores';
import { TinyLM } from '../model/tiny-lm';
import { WEIGHT_FORMATS, type WeightFormat } from '../quant/weight-formats';
import * as lora from '../lora/params';
import * as memory from '../memory';
import * as quant from '../quant';
import { mulberry32, normalArray } from '../random';
import { LORA_TARGETS, type LoraTarget } from '../train/lora';
import { TRAIN_MODES, type TrainMode } from '../train/modes';
import { Trainer } from '../train/trainer';
import { RESOURCE } from './kernel';
import { adoptResource } from './resources';

/** Largest synthetic array random makes (the tensor limit). */
const MAX_RANDOM = 2 ** 24;

function count(shape: number | readonly number[], what: string): number {
  const dims = typeof shape === 'number' ? [shape] : [...shape];
  if (dims.length === 0 || !dims.every((d) => Number.isSafeInteger(d) && d >= 0)) throw new RangeError(`${what}: the size is a whole number or a list of whole numbers, e.g. 1024 or [64, 64].`);
  const n = dims.reduce((a, b) => a * b, 1);
  if (n > MAX_RANDOM) throw new RangeError(`${what}: ${n.toLocaleString('en-US')} values is more than the notebook's limit of ${MAX_RANDOM.toLocaleString('en-US')}.`);
  return n;
}

/** Seeded synthetic values: normal (Box–Muller over mulberry32, as lib/random), uniform, Laplace, and normal weights with outlier columns. */
export const random = {
  /** n (or shape-product) values from N(mean, std²), seeded. */
  normal(shape: number | readonly number[], o: { mean?: number; std?: number; seed?: number } = {}): Float32Array {
    return normalArray(count(shape, 'random.normal'), o.seed ?? 1, o.mean ?? 0, o.std ?? 1);
  },
  /** Uniform on [lo, hi), seeded. */
  uniform(shape: number | readonly number[], o: { lo?: number; hi?: number; seed?: number } = {}): Float32Array {
    const n = count(shape, 'random.uniform');
    const r = mulberry32(o.seed ?? 1);
    const lo = o.lo ?? 0, hi = o.hi ?? 1;
    return Float32Array.from({ length: n }, () => lo + (hi - lo) * r());
  },
  /** Laplace(0, scale): heavier tails than a normal, like many trained weights. */
  laplace(shape: number | readonly number[], o: { scale?: number; seed?: number } = {}): Float32Array {
    const n = count(shape, 'random.laplace');
    const r = mulberry32(o.seed ?? 1);
    const b = o.scale ?? 1;
    return Float32Array.from({ length: n }, () => {
      const u = r() - 0.5;
      return -b * Math.sign(u) * Math.log(1 - 2 * Math.abs(u));
    });
  },
  /** A [rows, cols] normal matrix (std 0.02) whose columns in `columns` are multiplied by `scale`: the lessons' outlier-column stand-in. */
  outlierColumns(rows: number, cols: number, o: { columns?: readonly number[]; scale?: number; seed?: number } = {}): Float32Array {
    const x = normalArray(count([rows, cols], 'random.outlierColumns'), o.seed ?? 1, 0, 0.02);
    const columns = o.columns ?? [Math.floor(cols / 7), Math.floor((3 * cols) / 5)];
    for (const c of columns) {
      if (!Number.isInteger(c) || c < 0 || c >= cols) throw new RangeError(`random.outlierColumns: column ${c} is outside 0 … ${cols - 1}.`);
      for (let i = 0; i < rows; i++) x[i * cols + c] *= o.scale ?? 20;
    }
    return x;
  },
};

/** A tiny GPT loaded in one storage format, as cells use it. */
export interface NotebookModel {
  readonly format: WeightFormat;
  readonly config: TinyLMConfig;
  /** Bytes the backend holds for the weights (tfjs's count). */
  readonly bytesHeld: number;
  encode(text: string): number[];
  decode(ids: readonly number[]): string;
  /** Logits for every position of `text`: [tokens × vocab], row-major. */
  logits(text: string): Promise<Float32Array>;
  /** Continues `prompt` by n characters with seeded sampling. */
  generate(prompt: string, n: number, o?: { seed?: number; temperature?: number; topK?: number }): Promise<string>;
  /** Perplexity on `windows` windows of the held-out books (exp of the mean cross-entropy). */
  perplexity(o?: { windows?: number }): Promise<number>;
  /** KL divergence (nats) of this model's next-character distributions from `reference`'s, and their top-1 agreement, on the same held-out windows. */
  compare(reference: NotebookModel, o?: { windows?: number }): Promise<{ kl: number; top1: number }>;
  dispose(): void;
}

interface ModelSource {
  compute(): Promise<Compute>;
  weights(): Promise<TinyLMWeights>;
  heldout(): Promise<string>;
}

function makeModelApi(src: ModelSource) {
  const windowIds = async (config: TinyLMConfig, windows: number) => {
    if (!Number.isInteger(windows) || windows < 1 || windows > 64) throw new RangeError(`windows must be a whole number from 1 to 64, got ${windows}.`);
    return evalWindows(encodeText(config, await src.heldout()).ids, config.block_size, windows);
  };
  return {
    /** The storage formats model.load accepts. */
    formats: WEIGHT_FORMATS,
    /** Loads the course's tiny model with its Linear weights in `format` (default "fp32"). */
    async load(format: WeightFormat = 'fp32'): Promise<NotebookModel> {
      if (!WEIGHT_FORMATS.includes(format)) throw new RangeError(`model.load: the format is one of ${WEIGHT_FORMATS.join(', ')}; got ${String(format).slice(0, 40)}.`);
      const compute = await src.compute();
      const w = await src.weights();
      const { tf } = compute;
      const before = tf.memory().numBytes;
      // The model's tensors outlive the cell's tfjs scope until dispose(), which the kernel calls
      // when no name holds the model any more.
      const lm = keepCreated(compute, () => new TinyLM(tf, w.config, makeWeightStore(compute, format, w)));
      const config = w.config;
      const bytesHeld = tf.memory().numBytes - before;
      let disposed = false;
      const logitsOf = async (ws: { inputs: readonly number[] }[]) => {
        const t = lm.logitsBatchTensor(ws.map((x) => x.inputs));
        try {
          return (await t.data()) as Float32Array;
        } finally {
          t.dispose();
        }
      };
      const m: NotebookModel & { [RESOURCE]: true } = {
        [RESOURCE]: true,
        format, config, bytesHeld,
        encode: (text) => encodeText(config, text).ids,
        decode: (ids) => decodeIds(config, ids),
        logits: async (text) => lm.logits(encodeText(config, text).ids),
        generate: async (prompt, n, o = {}) => {
          if (!Number.isInteger(n) || n < 0 || n > 2000) throw new RangeError(`generate: n is a whole number from 0 to 2000, got ${n}.`);
          const ids = encodeText(config, prompt).ids;
          if (ids.length === 0) throw new RangeError('generate: the prompt has no character the model knows.');
          const out = await lm.generate(ids, n, { seed: o.seed ?? 1, temperature: o.temperature ?? 0.8, topK: o.topK });
          return decodeIds(config, out);
        },
        perplexity: async (o = {}) => {
          const ws = await windowIds(config, o.windows ?? 8);
          return perplexity(crossEntropy(await logitsOf(ws), config.vocab_size, ws.flatMap((x) => x.targets)));
        },
        compare: async (reference, o = {}) => {
          const ws = await windowIds(config, o.windows ?? 8);
          const p = await (reference as unknown as { logitsOfWindows: typeof logitsOf }).logitsOfWindows(ws);
          const q = await logitsOf(ws);
          return { kl: klDivergence(p, q, config.vocab_size), top1: top1Agreement(p, q, config.vocab_size) };
        },
        dispose: () => {
          if (disposed) return;
          disposed = true;
          lm.dispose();
        },
      };
      Object.defineProperty(m, 'logitsOfWindows', { value: logitsOf, enumerable: false });
      return adoptResource(m);
    },
  };
}

/**
 * Runs `make` and keeps every tensor it creates in the running cell's tfjs scope (tf.keep), for
 * library objects that own tensors until their dispose() — a model, a trainer.
 */
function keepCreated<T>(compute: Compute, make: () => T): T {
  const { tf } = compute;
  const scope = (tf.engine() as unknown as { state: { activeScope: { track: unknown[] } | null } }).state.activeScope;
  const from = scope?.track.length ?? 0;
  const made = make();
  if (scope) for (const t of scope.track.slice(from)) tf.keep(t as Parameters<typeof tf.keep>[0]);
  return made;
}

/** Options of train.create; every one has the QLoRA lesson's default. */
export interface TrainCreateOptions {
  /** The fine-tuning text: its first nine tenths train, the last tenth is held out. */
  text: string;
  mode?: TrainMode;
  r?: number;
  alpha?: number;
  targets?: readonly LoraTarget[];
  lr?: number;
  steps?: number;
  batchSize?: number;
  blockSize?: number;
  seed?: number;
}

function makeTrainApi(src: ModelSource) {
  return {
    /** The training modes: "full", "lora" and "qlora" (an NF4 + DQ base). */
    modes: TRAIN_MODES,
    /**
     * A trainer on the tiny model (lib/train Trainer): `await t.step()`, `t.start()` / `await t.stop()`,
     * `t.subscribe(fn)` and `t.getSnapshot()` (loss curves, memory ledger), `await t.evaluate()`,
     * `await t.sample(prompt, n, seed)`, `await t.exportAdapter()`. Defaults: QLoRA, r 8, α 16, all
     * four block matrices, lr 3e-3, 20 steps of 8 windows of 64 characters.
     */
    async create(o: TrainCreateOptions): Promise<Trainer> {
      if (typeof o?.text !== 'string' || o.text.length < 2000) throw new RangeError('train.create needs { text } of at least 2,000 characters (a tenth of it is held out).');
      if (o.text.length > 2_000_000) throw new RangeError(`train.create: the text is ${o.text.length.toLocaleString('en-US')} characters; at most 2,000,000.`);
      const steps = o.steps ?? 20;
      if (!Number.isInteger(steps) || steps < 1 || steps > 5000) throw new RangeError(`train.create: steps is a whole number from 1 to 5000, got ${steps}.`);
      const compute = await src.compute();
      const weights = await src.weights();
      const cut = Math.floor(o.text.length * 0.9);
      const mode = o.mode ?? 'qlora';
      const lr = o.lr ?? 3e-3;
      const t = keepCreated(compute, () => new Trainer({ compute, weights, train: o.text.slice(0, cut), heldout: o.text.slice(cut) }, {
        mode,
        lora: { r: o.r ?? 8, alpha: o.alpha ?? 16, dropout: 0, targets: [...(o.targets ?? LORA_TARGETS)] },
        lr, weightDecay: 0, batchSize: o.batchSize ?? 8, blockSize: o.blockSize ?? 64, clip: 1,
        seed: o.seed ?? 1, evalEvery: 0, evalWindows: 8, maxSteps: steps,
      }));
      Object.defineProperty(t, RESOURCE, { value: true });
      return adoptResource(t);
    },
  };
}

/** The `train` object cells see. */
export type TrainApi = ReturnType<typeof makeTrainApi>;

/** A file the learner dropped on the notebook, read lazily. */
export interface NotebookFile {
  readonly name: string;
  readonly size: number;
  bytes(): Promise<Uint8Array>;
  text(): Promise<string>;
  /** The tensors of a .safetensors file (lib/io/safetensors: every malformed case named). */
  safetensors(): Promise<Map<string, safetensors.SafetensorsTensor>>;
  /** A .npy array, in C order (lib/io/npy). */
  npy(): Promise<npy.NpyArray>;
  /** A GGUF file's header and tensor table, with tensors read on demand (lib/io/gguf openGGUFBlob). */
  gguf(): ReturnType<typeof gguf.openGGUFBlob>;
}

const MAX_FILE_BYTES = 2 ** 31;

export function notebookFile(name: string, blob: Blob): NotebookFile {
  return {
    name,
    size: blob.size,
    async bytes() {
      if (blob.size > MAX_FILE_BYTES) throw new RangeError(`${name} is ${(blob.size / 2 ** 30).toFixed(1)} GiB; files up to 2 GiB are read whole. Read it in parts with its format's reader.`);
      return new Uint8Array(await blob.arrayBuffer());
    },
    async text() {
      if (blob.size > 64 * 2 ** 20) throw new RangeError(`${name} is too large to read as text (${(blob.size / 2 ** 20).toFixed(0)} MiB; the limit is 64 MiB).`);
      return blob.text();
    },
    async safetensors() {
      return (await safetensors.readSafetensorsBlob(blob)).tensors;
    },
    npy: () => npy.readNpyBlob(blob),
    gguf: () => gguf.openGGUFBlob(blob),
  };
}

/** The `model` object cells see. */
export type ModelApi = ReturnType<typeof makeModelApi>;

/** The `io` object cells see. */
export interface IoApi {
  safetensors: typeof safetensors;
  npy: typeof npy;
  gguf: typeof gguf;
}

/**
 * The library names for the kernel. `files` is a live object: the page's dropped files appear in it
 * by name (setFiles replaces them).
 */
export function createNotebookLibrary(src: ModelSource) {
  const files: Record<string, NotebookFile> = {};
  const library = {
    quant,
    formats,
    memory,
    lora,
    random,
    io: { safetensors, npy, gguf } satisfies IoApi,
    model: makeModelApi(src),
    train: makeTrainApi(src),
    files,
  };
  return {
    library,
    setFiles(list: { name: string; blob: Blob }[]) {
      for (const k of Object.keys(files)) delete files[k];
      for (const f of list) files[f.name] = notebookFile(f.name, f.blob);
    },
  };
}
