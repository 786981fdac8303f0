/**
 * What a notebook cell can use: the names the kernel puts in scope (lib/notebook/library.ts and
 * helpers.ts), typed for the lesson cells' type check (content/cells/tsconfig.json) and documented
 * for learners. Only cell files include this file: the rest of the project does not see these globals.
 */
import '@tensorflow/tfjs-core/dist/public/chained_ops/register_all_chained_ops';
import type * as TF from '@tensorflow/tfjs-core';
import type * as Formats from '../formats';
import type * as Lora from '../lora/params';
import type * as Memory from '../memory';
import type * as Quant from '../quant';
import type { CellHelpers } from './helpers';
import type { IoApi, ModelApi, NotebookFile, random as Random, TrainApi } from './library';

declare global {
  /** TensorFlow.js (tfjs-core) on the course's backend: WebGPU, else WebGL, else the CPU. Tensors a cell does not keep in a name are disposed when it ends; at most 2^24 elements each. */
  const tf: typeof TF;
  /** The course's quantizers, bit-exact with PyTorch, bitsandbytes and ggml: quantize4bit, quantizeGGUF, computeQParams, quantizeMXFP4, … (lib/quant). */
  const quant: typeof Quant;
  /** Number formats: encodeFloat, decodeFloat, roundToFormat, floatFormatInfo for fp32, fp16, bf16, fp8-e4m3, fp8-e5m2, fp4-e2m1 (lib/formats). */
  const formats: typeof Formats;
  /** Memory arithmetic: weightBytes(parameters, format), bitsPerParameter(format), formatBytes(bytes) (lib/memory). */
  const memory: typeof Memory;
  /** LoRA counts: loraMatrixParams(dIn, dOut, r), fineTuneMemory(method, parameters, trainable) (lib/lora). */
  const lora: typeof Lora;
  /** Seeded synthetic arrays: random.normal(n, { std, seed }), uniform, laplace, outlierColumns(rows, cols). */
  const random: typeof Random;
  /** File formats: io.safetensors, io.npy, io.gguf — readers and writers with every malformed case named. */
  const io: IoApi;
  /** The course's tiny GPT: `await model.load("nf4-dq")` gives logits, generate, perplexity and compare (KL, top-1). */
  const model: ModelApi;
  /** Fine-tuning the tiny model: `const t = await train.create({ text, mode: "qlora" })`, then `await t.step()` or t.start(), t.getSnapshot(), t.subscribe(fn). */
  const train: TrainApi;
  /** Files dropped on the notebook, by name: `await files["w.safetensors"].safetensors()`, `.npy()`, `.gguf()`, `.bytes()`. */
  const files: Readonly<Record<string, NotebookFile>>;
  /** Prints values as text in the cell's output. (A function overload: the DOM's window.print has the same name.) */
  function print(...values: unknown[]): void;
  /** A tensor or array as a summary card: shape, dtype, min/max/mean/std, NaN/Inf counts, first values, histogram. */
  const show: CellHelpers['show'];
  /** Rows of objects (or arrays) as a table. */
  const table: CellHelpers['table'];
  /** Charts: plot.line(y, { x, title }), plot.hist(x, { bins }), plot.heatmap(matrix). */
  const plot: CellHelpers['plot'];
  /** A number's bits in a float format, as the bit explorer draws them: bits(0.1, "bf16"). */
  const bits: CellHelpers['bits'];
  /** Offers bytes (or text) as a file to download: download("w.safetensors", bytes). */
  const download: CellHelpers['download'];
  /** Yields to the kernel, so Stop can end a long loop: `await tick()`. */
  const tick: CellHelpers['tick'];
}

export {};
