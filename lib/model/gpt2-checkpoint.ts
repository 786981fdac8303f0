/**
 * A GPT-2-family checkpoint from disk — Hugging Face's folder of config.json, model.safetensors
 * (F32, F16 or BF16) and tokenizer.json — as the course's model (tiny-lm.ts), which is GPT-2's
 * decoder in nanoGPT's layout. docs/numerics.md, "GPT-2 checkpoints", gives the mapping and the
 * memory figures.
 *
 * Hugging Face's GPT2Model (transformers, models/gpt2/modeling_gpt2.py) names the tensors
 * wte, wpe, h.N.{ln_1, attn.c_attn, attn.c_proj, ln_2, mlp.c_fc, mlp.c_proj}, ln_f (with a
 * "transformer." prefix when saved from GPT2LMHeadModel), and stores its four projections as Conv1D,
 * y = x W + b with W [in, out]; the course's model stores Linear weights [out, in] (torch.nn.Linear,
 * y = x Wᵀ + b), so those four are transposed on reading. lm_head is tied to wte; the attention
 * mask buffers (attn.bias, attn.masked_bias) are not weights and are skipped.
 *
 * Opening reads config.json, tokenizer.json and the safetensors header only, checks every tensor the
 * config needs (present, shape, dtype) and computes the memory the load needs, so a page can show it
 * and refuse a file that does not fit before a byte of weights is read. Loading then reads the file
 * tensor by tensor in slices (`slice(begin, end).arrayBuffer()`, as a browser File offers), widens
 * each to float32, uploads it and lets the host copy go. Every fault is a ModelLoadError (or a
 * SafetensorsError / TokenizerError for a malformed file) whose message names it.
 */
import type { Tensor } from '@tensorflow/tfjs-core';
import type { Tfjs } from '../compute';
import { errorMessage } from '../errors';
import { decodeFloat } from '../formats';
import { parseHeader, readHeaderLength, tensorFromBytes, tensorToFloat32, type SafetensorsDType } from '../io/safetensors';
import { BpeTokenizer } from '../text/bpe';
import type { GeluKind, TinyLMConfig } from './config';
import { float32StoreOf } from './float32-store';
import { comparisonMemory, type ComparisonMemory } from './compare-memory';
import { ModelLoadError } from './load';
import { tinyLMTensorShapes } from './reference-forward';
import { TinyLM } from './tiny-lm';

/** What the loader reads a file through: a Blob or File, or anything with its size and slice(begin, end).arrayBuffer(). */
export interface ByteSource {
  readonly size: number;
  slice(begin: number, end: number): { arrayBuffer(): Promise<ArrayBuffer> };
}

/** A file of a picked or dropped folder: a File, or any ByteSource with a name. */
export interface NamedByteSource extends ByteSource {
  readonly name: string;
}

/** The load does not fit in the memory the caller allows; `neededBytes` and `budgetBytes` say by how much. */
export class CheckpointMemoryError extends ModelLoadError {
  constructor(message: string, readonly neededBytes: number, readonly budgetBytes: number) {
    super(message);
    this.name = 'CheckpointMemoryError';
  }
}

/** GPT-2's GELU names in config.json's activation_function, as the course's model computes them. */
const ACTIVATIONS: Record<string, GeluKind> = { gelu_new: 'gelu_new', gelu_pytorch_tanh: 'gelu_new', gelu: 'gelu' };

function fail(message: string): never {
  throw new ModelLoadError(message);
}

function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/** The model part of the course's config a GPT-2 config.json gives (the tokenizer comes from tokenizer.json). */
export type Gpt2ModelConfig = Omit<TinyLMConfig, 'tokenizer'> & { activation: GeluKind };

/**
 * Reads a parsed GPT-2 config.json (transformers' GPT2Config): model_type "gpt2"; n_embd, n_layer,
 * n_head, vocab_size and n_positions (or the older n_ctx) positive whole numbers, n_embd divisible
 * by n_head; layer_norm_epsilon > 0 (default 1e-5); activation_function "gelu_new" (the default;
 * "gelu_pytorch_tanh" is the same function) or "gelu"; n_inner absent, null or 4·n_embd. Refused by
 * name, since the course's model does not compute them: untied embeddings (tie_word_embeddings
 * false), scale_attn_weights false, scale_attn_by_inverse_layer_idx, cross-attention.
 */
export function parseGpt2Config(json: unknown): Gpt2ModelConfig {
  if (!isObject(json)) fail('config.json must be a JSON object.');
  const o = json;
  if (o.model_type !== 'gpt2') {
    fail(o.model_type === undefined
      ? 'config.json has no "model_type"; a GPT-2 checkpoint says "model_type": "gpt2".'
      : `config.json says "model_type": ${JSON.stringify(o.model_type)}; this loader reads GPT-2-family checkpoints ("gpt2"), whose layout the course's model shares.`);
  }
  const int = (key: string, v: unknown = o[key]): number => {
    if (!Number.isSafeInteger(v) || (v as number) <= 0) fail(`config.json: "${key}" must be a positive whole number, got ${JSON.stringify(v ?? null)}.`);
    return v as number;
  };
  const n_embd = int('n_embd'), n_layer = int('n_layer'), n_head = int('n_head'), vocab_size = int('vocab_size');
  const block_size = o.n_positions !== undefined || o.n_ctx === undefined ? int('n_positions') : int('n_ctx');
  if (n_embd % n_head !== 0) fail(`config.json: n_embd (${n_embd}) must be divisible by n_head (${n_head}).`);
  const eps = o.layer_norm_epsilon ?? 1e-5;
  if (typeof eps !== 'number' || !(eps > 0) || !Number.isFinite(eps)) fail(`config.json: "layer_norm_epsilon" must be a positive number, got ${JSON.stringify(eps)}.`);
  const act = o.activation_function ?? 'gelu_new';
  const activation = typeof act === 'string' ? ACTIVATIONS[act] : undefined;
  if (!activation) fail(`config.json: "activation_function" is ${JSON.stringify(act)}; the course's model computes GPT-2's "gelu_new" (tanh GELU) or the exact "gelu".`);
  if (o.n_inner !== undefined && o.n_inner !== null && o.n_inner !== 4 * n_embd) fail(`config.json: "n_inner" is ${JSON.stringify(o.n_inner)}; the course's model has GPT-2's MLP of 4 · n_embd = ${4 * n_embd}.`);
  if (o.tie_word_embeddings === false) fail('config.json sets "tie_word_embeddings": false; the course\'s model ties the output layer to the token embedding (wte), as GPT-2 does.');
  if (o.scale_attn_weights === false) fail('config.json sets "scale_attn_weights": false; the course\'s model divides attention scores by √d_head, as GPT-2 does.');
  if (o.scale_attn_by_inverse_layer_idx === true) fail('config.json sets "scale_attn_by_inverse_layer_idx": true, which the course\'s model does not compute.');
  if (o.add_cross_attention === true) fail('config.json sets "add_cross_attention": true; the course\'s model is a decoder without cross-attention.');
  return { vocab_size, n_layer, n_head, n_embd, block_size, layer_norm_eps: eps, activation };
}

/** The four projections GPT-2 stores as Conv1D [in, out]; the course's model holds them [out, in]. */
const CONV1D = /\.(attn\.c_attn|attn\.c_proj|mlp\.c_fc|mlp\.c_proj)\.weight$/;

/** Tensors of a GPT-2 file that are not weights of the model (the causal-mask buffers) or are tied (lm_head). */
const SKIPPED = /(^|\.)attn\.(bias|masked_bias)$|^lm_head\.weight$/;

/** One tensor to read: where it is in the file and what the course's model calls it. */
export interface Gpt2TensorRead {
  /** The course's name (tiny-lm.ts), e.g. 'transformer.h.0.attn.c_attn.weight'. */
  name: string;
  /** The name in the file, e.g. 'h.0.attn.c_attn.weight'. */
  fileName: string;
  dtype: 'F32' | 'F16' | 'BF16';
  /** The course's shape; the file holds the reverse when `transpose`. */
  shape: number[];
  /** A Conv1D weight, stored [in, out]. */
  transpose: boolean;
  /** Byte range in the file, [begin, end). */
  begin: number;
  end: number;
}

/** What loading a checkpoint takes, in bytes, from its header alone. */
export interface Gpt2MemoryNeeds {
  /** Parameters of the model (tied lm_head counted once): Σ over the course's tensors. */
  parameters: number;
  /** The safetensors file's size. */
  fileBytes: number;
  /** Bytes of the tensors the load reads (skipped buffers and extra tensors left out). */
  readBytes: number;
  /** 4 · parameters: every weight as float32 on the backend. */
  weightBytes: number;
  /** The causal mask TinyLM keeps: 4 · n_positions². */
  maskBytes: number;
  /**
   * The most the reading of one tensor holds at once besides what is uploaded: its bytes, its float32
   * values when the file stores F16/BF16, and its transpose for a Conv1D weight.
   */
  peakReadBytes: number;
  /**
   * What lesson 7's comparison holds at its peak besides the float32 weights the load read, which it
   * keeps while it builds each format's store (compare-memory.ts; the mask included).
   */
  comparison: ComparisonMemory;
  /**
   * weightBytes + max(peakReadBytes, comparison.peakBytes): the float32 copy of the weights on the
   * host, plus the larger of the read's transient and what the comparison builds beside that copy.
   * What the budget is compared with.
   */
  neededBytes: number;
}

/** An opened checkpoint: checked config, tokenizer and tensor list, and its memory needs; no weight read yet. */
export interface Gpt2Checkpoint {
  config: TinyLMConfig & { activation: GeluKind; tokenizer: { type: 'bpe'; bpe: BpeTokenizer } };
  tokenizer: BpeTokenizer;
  tensors: Gpt2TensorRead[];
  /** Tensors of the file the model does not use (besides the mask buffers and a tied lm_head). */
  ignored: string[];
  memory: Gpt2MemoryNeeds;
  weights: ByteSource;
}

async function readBytes(src: ByteSource, begin: number, end: number, what: string): Promise<Uint8Array> {
  let buf: ArrayBuffer;
  try {
    buf = await src.slice(begin, end).arrayBuffer();
  } catch (e) {
    fail(`${what} could not be read (${errorMessage(e)}).`);
  }
  if (buf.byteLength !== end - begin) fail(`${what} ended early: bytes ${begin.toLocaleString('en-US')}–${end.toLocaleString('en-US')} were asked for and ${buf.byteLength.toLocaleString('en-US')} came back. The file may have changed or be cut short; pick it again.`);
  return new Uint8Array(buf);
}

/**
 * Before the safetensors reader's checks: a file whose header places data past its end was cut short
 * (an interrupted download or copy), which deserves that name rather than an offset error.
 */
function checkNotTruncated(headerBytes: Uint8Array, fileSize: number): void {
  let json: unknown;
  try {
    json = JSON.parse(new TextDecoder().decode(headerBytes));
  } catch {
    return; // parseHeader names it
  }
  if (!isObject(json)) return;
  const dataSize = fileSize - 8 - headerBytes.length;
  let last = 0;
  for (const [name, v] of Object.entries(json)) {
    if (name === '__metadata__' || !isObject(v) || !Array.isArray(v.data_offsets)) continue;
    const end = v.data_offsets[1];
    if (typeof end === 'number' && Number.isFinite(end)) last = Math.max(last, end);
  }
  if (last > dataSize) {
    fail(`model.safetensors is cut short: its header places tensor data up to byte ${(8 + headerBytes.length + last).toLocaleString('en-US')}, but the file has ${fileSize.toLocaleString('en-US')} bytes (${(last - dataSize).toLocaleString('en-US')} missing). Download or copy it again.`);
  }
}

/** A hint for a file without GPT-2's names: what its tensors are called instead. */
function notGpt2Hint(names: readonly string[]): string {
  const gpt2 = names.some((n) => /(^|\.)(wte|wpe)\.weight$|(^|\.)h\.\d+\./.test(n));
  if (gpt2 || names.length === 0) return '';
  return ` None of its ${names.length} tensors has a GPT-2 name (it holds e.g. "${names[0]}"): this is not a GPT-2-layout checkpoint.`;
}

function fmtMB(bytes: number): string {
  return `${(bytes / 1e6).toLocaleString('en-US', { maximumFractionDigits: 1 })} MB`;
}

/**
 * Opens a checkpoint: parses config.json (parseGpt2Config) and tokenizer.json (BpeTokenizer.fromJson;
 * its ids must lie below config.vocab_size), reads model.safetensors' header (two slices), maps each
 * tensor the course's model needs to its GPT-2 name (with or without "transformer."), and checks its
 * dtype (F32, F16, BF16) and shape (Conv1D weights [in, out]). Computes the memory the load needs
 * (Gpt2MemoryNeeds). Reads no weights.
 */
export async function openGpt2Checkpoint(files: { config: unknown; tokenizer: unknown; weights: ByteSource }): Promise<Gpt2Checkpoint> {
  const model = parseGpt2Config(files.config);
  const tokenizer = BpeTokenizer.fromJson(files.tokenizer);
  if (tokenizer.vocabSize > model.vocab_size) {
    fail(`tokenizer.json has ids up to ${tokenizer.vocabSize - 1}, but config.json's vocab_size is ${model.vocab_size}: the tokenizer belongs to another model.`);
  }
  const config = { ...model, tokenizer: { type: 'bpe' as const, bpe: tokenizer } };

  const src = files.weights;
  const n = readHeaderLength(await readBytes(src, 0, Math.min(8, src.size), 'model.safetensors'), src.size);
  const headerBytes = await readBytes(src, 8, 8 + n, 'The header of model.safetensors');
  checkNotTruncated(headerBytes, src.size);
  const header = parseHeader(headerBytes, src.size);
  const byName = new Map(header.tensors.map((t) => [t.name, t]));
  const names = header.tensors.map((t) => t.name);

  const tensors: Gpt2TensorRead[] = [];
  const used = new Set<string>();
  for (const [name, shape] of tinyLMTensorShapes(config)) {
    const bare = name.replace(/^transformer\./, '');
    const withPrefix = byName.get(name), without = byName.get(bare);
    if (withPrefix && without) fail(`model.safetensors holds both "${name}" and "${bare}"; a checkpoint names each tensor once.`);
    const entry = withPrefix ?? without;
    if (!entry) fail(`model.safetensors has no tensor "${bare}" (nor "${name}"), which the config (${model.n_layer} layers) needs.${notGpt2Hint(names)}`);
    used.add(entry.name);
    const transpose = CONV1D.test(name);
    const fileShape = transpose ? [...shape].reverse() : shape;
    const same = (a: readonly number[], b: readonly number[]) => a.length === b.length && a.every((d, i) => d === b[i]);
    if (!same(entry.shape, fileShape)) {
      if (transpose && same(entry.shape, shape)) {
        fail(`"${entry.name}" has shape [${entry.shape.join(', ')}], torch.nn.Linear's [out, in]; GPT-2 stores this projection as Conv1D [in, out] = [${fileShape.join(', ')}]. The file is not in Hugging Face's GPT-2 layout (a nanoGPT checkpoint?).`);
      }
      fail(`"${entry.name}" has shape [${entry.shape.join(', ')}]; config.json needs [${fileShape.join(', ')}].`);
    }
    if (entry.dtype !== 'F32' && entry.dtype !== 'F16' && entry.dtype !== 'BF16') fail(`"${entry.name}" is stored as ${entry.dtype}; the loader reads F32, F16 or BF16.`);
    const [b, e] = entry.dataOffsets;
    tensors.push({ name, fileName: entry.name, dtype: entry.dtype, shape, transpose, begin: header.dataStart + b, end: header.dataStart + e });
  }
  const wte = tensors[0];
  const head = byName.get('lm_head.weight');
  if (head && (head.shape.length !== 2 || head.shape[0] !== wte.shape[0] || head.shape[1] !== wte.shape[1])) {
    fail(`"lm_head.weight" has shape [${head.shape.join(', ')}]; tied to the token embedding it would be [${wte.shape.join(', ')}].`);
  }
  const ignored = names.filter((x) => !used.has(x) && !SKIPPED.test(x.replace(/^transformer\./, '')));
  tensors.sort((a, b) => a.begin - b.begin); // read in file order

  let parameters = 0, readBytesTotal = 0, peakReadBytes = 0;
  for (const t of tensors) {
    const count = t.shape.reduce((a, b) => a * b, 1);
    parameters += count;
    readBytesTotal += t.end - t.begin;
    const peak = (t.end - t.begin) + (t.dtype === 'F32' ? 0 : 4 * count) + (t.transpose ? 4 * count : 0);
    peakReadBytes = Math.max(peakReadBytes, peak);
  }
  const weightBytes = 4 * parameters, maskBytes = 4 * model.block_size ** 2;
  const comparison = comparisonMemory(model, parameters);
  return {
    config,
    tokenizer,
    tensors,
    ignored,
    memory: { parameters, fileBytes: src.size, readBytes: readBytesTotal, weightBytes, maskBytes, peakReadBytes, comparison, neededBytes: weightBytes + Math.max(peakReadBytes, comparison.peakBytes) },
    weights: src,
  };
}

/** Throws a CheckpointMemoryError, naming both sizes, when the load needs more than `budgetBytes`. */
export function checkMemoryBudget(memory: Gpt2MemoryNeeds, budgetBytes: number): void {
  if (!(budgetBytes >= 0)) throw new RangeError(`The memory budget must be a number of bytes ≥ 0, got ${budgetBytes}.`);
  if (memory.neededBytes <= budgetBytes) return;
  throw new CheckpointMemoryError(
    `This checkpoint does not fit: loading and comparing it needs about ${fmtMB(memory.neededBytes)} (${memory.parameters.toLocaleString('en-US')} parameters as float32, ${fmtMB(memory.weightBytes)}, kept while the comparison builds each format, and ${fmtMB(Math.max(memory.peakReadBytes, memory.comparison.peakBytes))} beside them at the comparison's peak), and ${fmtMB(budgetBytes)} is available.`,
    memory.neededBytes,
    budgetBytes,
  );
}

const LITTLE_ENDIAN = new Uint8Array(new Uint16Array([1]).buffer)[0] === 1;
let fp16Table: Float32Array | null = null;

/** float32 values of a tensor's raw little-endian bytes (a fresh buffer): F32 as is, F16 by a table of the 65,536 IEEE binary16 values (lib/formats), BF16 as the top half of a float32. */
function toFloat32(dtype: 'F32' | 'F16' | 'BF16', bytes: Uint8Array): Float32Array {
  if (!LITTLE_ENDIAN || bytes.byteOffset % 4 !== 0) return tensorToFloat32({ dtype, shape: [], data: tensorFromBytes(dtype as SafetensorsDType, bytes) });
  if (dtype === 'F32') return new Float32Array(bytes.buffer, bytes.byteOffset, bytes.length / 4);
  const codes = new Uint16Array(bytes.buffer, bytes.byteOffset, bytes.length / 2);
  const out = new Float32Array(codes.length);
  if (dtype === 'BF16') {
    const bits = new Uint32Array(out.buffer);
    for (let i = 0; i < codes.length; i++) bits[i] = codes[i] << 16;
    return out;
  }
  if (!fp16Table) {
    fp16Table = new Float32Array(65536);
    for (let c = 0; c < 65536; c++) fp16Table[c] = decodeFloat('fp16', c);
  }
  for (let i = 0; i < codes.length; i++) out[i] = fp16Table[codes[i]];
  return out;
}

/** W [rows, cols] row-major → Wᵀ [cols, rows]. */
function transpose(w: Float32Array, rows: number, cols: number): Float32Array {
  const out = new Float32Array(w.length);
  for (let r = 0; r < rows; r++) {
    const base = r * cols;
    for (let c = 0; c < cols; c++) out[c * rows + r] = w[base + c];
  }
  return out;
}

export interface ReadOptions {
  /** Largest slice read at once (default 4 MiB). */
  chunkBytes?: number;
  /** Bytes of tensor data read so far, of memory.readBytes. */
  onProgress?: (done: number, total: number) => void;
  /** Stops between slices with the signal's reason (an AbortError by default). */
  signal?: AbortSignal;
}

/**
 * The checkpoint's weights in the course's names and layout, one tensor at a time in file order:
 * read in slices of at most chunkBytes, widened to float32, Conv1D weights transposed to [out, in];
 * a value that is not finite is a ModelLoadError naming the tensor and index.
 */
export async function* readGpt2Weights(ckpt: Gpt2Checkpoint, o: ReadOptions = {}): AsyncGenerator<{ name: string; shape: number[]; values: Float32Array }> {
  const chunk = o.chunkBytes ?? 4 * 1024 * 1024;
  if (!Number.isSafeInteger(chunk) || chunk < 1) throw new RangeError(`chunkBytes must be a positive whole number, got ${chunk}.`);
  let done = 0;
  for (const t of ckpt.tensors) {
    const bytes = new Uint8Array(t.end - t.begin);
    for (let at = t.begin; at < t.end; at += chunk) {
      o.signal?.throwIfAborted();
      const end = Math.min(t.end, at + chunk);
      bytes.set(await readBytes(ckpt.weights, at, end, `model.safetensors (tensor "${t.fileName}")`), at - t.begin);
      done += end - at;
      o.onProgress?.(done, ckpt.memory.readBytes);
    }
    let values = toFloat32(t.dtype, bytes);
    if (t.transpose) values = transpose(values, t.shape[1], t.shape[0]);
    const bad = values.findIndex((x) => !Number.isFinite(x));
    if (bad >= 0) fail(`"${t.fileName}" holds ${values[bad]} at index ${bad}; every weight must be a finite number.`);
    yield { name: t.name, shape: t.shape, values };
  }
}

/**
 * Loads an opened checkpoint onto tfjs's active backend as the course's model (a TinyLM with a
 * float32 WeightStore): each tensor is uploaded as soon as it is read (readGpt2Weights), so the host
 * never holds more than one tensor's arrays. With `budgetBytes`, checkMemoryBudget runs first, before
 * any weight is read. On failure everything uploaded is disposed. The model's config carries the
 * tokenizer (encodeText / decodeIds in config.ts use it) and activation 'gelu_new'.
 */
export async function loadGpt2Checkpoint(tf: Tfjs, ckpt: Gpt2Checkpoint, o: ReadOptions & { budgetBytes?: number } = {}): Promise<TinyLM> {
  if (o.budgetBytes !== undefined) checkMemoryBudget(ckpt.memory, o.budgetBytes);
  const stored = new Map<string, Tensor>();
  const before = tf.memory().numBytes;
  try {
    for await (const { name, shape, values } of readGpt2Weights(ckpt, o)) stored.set(name, tf.keep(tf.tensor(values, shape, 'float32')));
    return new TinyLM(tf, ckpt.config, float32StoreOf(tf, stored, tf.memory().numBytes - before));
  } catch (e) {
    for (const t of stored.values()) t.dispose();
    throw e;
  }
}

/** The largest config.json and tokenizer.json read: GPT-2's are 0.7 kB and 1.4 MB. */
export const CHECKPOINT_JSON_MAX_BYTES = { config: 1_000_000, tokenizer: 64_000_000 } as const;

async function readJson(file: NamedByteSource, max: number): Promise<unknown> {
  if (file.size > max) fail(`${file.name} is ${fmtMB(file.size)}; the loader reads at most ${fmtMB(max)} for it.`);
  const text = new TextDecoder().decode(await readBytes(file, 0, file.size, file.name));
  try {
    return JSON.parse(text);
  } catch (e) {
    fail(`${file.name} is not valid JSON (${errorMessage(e)}).`);
  }
}

/**
 * The three files of a checkpoint folder from the files a learner picked or dropped (matched by
 * name, any folder), with config.json and tokenizer.json parsed: what openGpt2Checkpoint takes.
 * Names what is missing, and says so for a sharded checkpoint (model.safetensors.index.json) or a
 * PyTorch-only one (pytorch_model.bin), which this loader does not read.
 */
export async function gpt2FilesFromFolder(files: Iterable<NamedByteSource>): Promise<{ config: unknown; tokenizer: unknown; weights: NamedByteSource }> {
  const list = [...files];
  const base = (f: NamedByteSource) => f.name.replace(/^.*[\\/]/, '');
  const find = (name: string) => list.find((f) => base(f) === name);
  const found = list.map(base);
  const shown = found.length ? ` (found: ${found.slice(0, 8).join(', ')}${found.length > 8 ? ` and ${found.length - 8} more` : ''})` : '';
  const weights = find('model.safetensors');
  if (!weights) {
    if (find('model.safetensors.index.json') || found.some((n) => /^model-\d+-of-\d+\.safetensors$/.test(n))) fail('This checkpoint is split into several safetensors files (sharded); the loader reads a single model.safetensors.');
    if (find('pytorch_model.bin')) fail('This checkpoint has pytorch_model.bin but no model.safetensors; the loader reads safetensors only (a PyTorch pickle can run code when loaded).');
    fail(`The files hold no model.safetensors${shown}.`);
  }
  for (const name of ['config.json', 'tokenizer.json']) if (!find(name)) fail(`The files hold no ${name}${shown}; a GPT-2 checkpoint folder has config.json, model.safetensors and tokenizer.json.`);
  const config = await readJson(find('config.json')!, CHECKPOINT_JSON_MAX_BYTES.config);
  const tokenizer = await readJson(find('tokenizer.json')!, CHECKPOINT_JSON_MAX_BYTES.tokenizer);
  return { config, tokenizer, weights };
}
