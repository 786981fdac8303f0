/**
 * The exact shapes of real decoder architectures, as LoRA sees them: every Linear module of a
 * transformer layer with its [out, in] shape, and the model's total parameter count (embeddings,
 * norms, biases and an untied lm_head included). Presets for GPT-2 small, Llama-2 7B/13B/70B,
 * Llama-3 8B/70B, Llama-3.1 405B, Llama-3.2 1B and Mistral 7B, and a reader for a pasted Hugging
 * Face config.json.
 *
 * Sources: Hugging Face transformers `modeling_llama.py` / `modeling_mistral.py` (q/k/v/o_proj,
 * gate/up/down_proj, RMSNorm weights, defaults num_key_value_heads = num_attention_heads,
 * head_dim = hidden_size / num_attention_heads, tie_word_embeddings = false, no biases) and
 * `modeling_gpt2.py` (Conv1D c_attn with fused q, k, v; attn.c_proj; mlp.c_fc; mlp.c_proj; LayerNorm
 * weight and bias; learned position embeddings; lm_head tied to wte; n_inner default 4 · n_embd).
 * The presets' values are those of the models' published config.json files.
 */

import { INPUT_LIMITS, inputTooLong, quoteInput, shortenInput } from '../text/input';
import { errorMessage } from '../errors';

/** The roles a LoRA target can play, named as in Llama's modules (PEFT target_modules). */
export type ModuleRole = 'q' | 'k' | 'v' | 'o' | 'gate' | 'up' | 'down';

export const MODULE_ROLES: readonly ModuleRole[] = ['q', 'k', 'v', 'o', 'gate', 'up', 'down'];

/** Llama's module name for each role. */
export const ROLE_MODULE_NAMES: Readonly<Record<ModuleRole, string>> = {
  q: 'q_proj', k: 'k_proj', v: 'v_proj', o: 'o_proj', gate: 'gate_proj', up: 'up_proj', down: 'down_proj',
};

/** One Linear module of a transformer layer. Its weight is [out, in] (PyTorch nn.Linear layout). */
export interface LinearModule {
  /** The module's name in the model, e.g. "q_proj" or "c_attn". */
  name: string;
  /** Its path inside a layer, as PEFT names it: "self_attn.q_proj", "attn.c_attn". */
  path: string;
  /** The LoRA target roles it serves: GPT-2's fused c_attn serves q, k and v at once. */
  roles: ModuleRole[];
  out: number;
  in: number;
  bias: boolean;
}

export type ArchitectureFamily = 'llama' | 'gpt2';

export interface Architecture {
  /** A preset id, or "pasted". */
  id: string;
  label: string;
  family: ArchitectureFamily;
  hidden: number;
  intermediate: number;
  layers: number;
  heads: number;
  kvHeads: number;
  headDim: number;
  vocab: number;
  /** Learned position embeddings (GPT-2's wpe), 0 for rotary models. */
  positions: number;
  tiedEmbeddings: boolean;
  /** The Linear modules of one layer, in the order a token meets them. */
  modules: LinearModule[];
  /** Where the layers live in the module tree: "model.layers" (Llama) or "transformer.h" (GPT-2). */
  layerPrefix: string;
}

export interface ParameterBreakdown {
  /** Token embedding (and GPT-2's position embedding). */
  embeddings: number;
  /** The Linear weights and biases of all layers. */
  linear: number;
  /** Norm weights (and LayerNorm biases), the final norm included. */
  norms: number;
  /** The output projection when it is not tied to the embedding, else 0. */
  lmHead: number;
  total: number;
}

/**
 * Parameters of an architecture, counted from its tensor shapes:
 * embeddings (vocab·hidden, plus positions·hidden for GPT-2) + layers · (Σ modules out·in (+ out if
 * biased) + norms) + final norm + lm_head (vocab·hidden unless tied). Norms: Llama's RMSNorm has a
 * weight (hidden), two per layer; GPT-2's LayerNorm a weight and a bias (2·hidden), two per layer.
 * Checks (published totals): GPT-2 124,439,808; Llama-2-7B 6,738,415,616; Llama-3-8B 8,030,261,248.
 */
export function parameterBreakdown(a: Architecture): ParameterBreakdown {
  const embeddings = a.vocab * a.hidden + a.positions * a.hidden;
  const perLayerLinear = a.modules.reduce((s, m) => s + m.out * m.in + (m.bias ? m.out : 0), 0);
  const normSize = a.family === 'gpt2' ? 2 * a.hidden : a.hidden;
  const norms = (2 * a.layers + 1) * normSize;
  const linear = a.layers * perLayerLinear;
  const lmHead = a.tiedEmbeddings ? 0 : a.vocab * a.hidden;
  return { embeddings, linear, norms, lmHead, total: embeddings + linear + norms + lmHead };
}

/**
 * The share of a model's parameters in its embeddings: (token embedding (+ GPT-2's position
 * embedding) + an untied lm_head) / total, from `parameterBreakdown`. A tied lm_head shares the
 * embedding's tensor and adds nothing. Check: Llama-3-8B, 2 × 128,256 × 4,096 = 1,050,673,152 of
 * 8,030,261,248 parameters = 13.1 %.
 */
export function embeddingShare(a: Architecture): { parameters: number; share: number } {
  const b = parameterBreakdown(a);
  const parameters = b.embeddings + b.lmHead;
  return { parameters, share: parameters / b.total };
}

/** The total parameter count (parameterBreakdown(a).total). */
export function totalParameters(a: Architecture): number {
  return parameterBreakdown(a).total;
}

export interface LlamaShape {
  hidden: number;
  intermediate: number;
  layers: number;
  heads: number;
  /** Default: heads (no grouped-query attention). */
  kvHeads?: number;
  /** Default: hidden / heads. */
  headDim?: number;
  vocab: number;
  /** Default false (LlamaConfig, MistralConfig). */
  tiedEmbeddings?: boolean;
  attentionBias?: boolean;
  mlpBias?: boolean;
}

/**
 * A Llama-style decoder (Llama, Mistral): q_proj [heads·headDim, hidden], k_proj and v_proj
 * [kvHeads·headDim, hidden] (grouped-query attention shrinks them), o_proj [hidden, heads·headDim],
 * gate_proj and up_proj [intermediate, hidden], down_proj [hidden, intermediate].
 */
export function llamaArchitecture(id: string, label: string, s: LlamaShape): Architecture {
  const kvHeads = s.kvHeads ?? s.heads;
  const headDim = s.headDim ?? s.hidden / s.heads;
  const q = s.heads * headDim;
  const kv = kvHeads * headDim;
  const ab = s.attentionBias ?? false;
  const mb = s.mlpBias ?? false;
  const mod = (name: string, group: string, role: ModuleRole, out: number, inn: number, bias: boolean): LinearModule => ({
    name, path: `${group}.${name}`, roles: [role], out, in: inn, bias,
  });
  return {
    id, label, family: 'llama', hidden: s.hidden, intermediate: s.intermediate, layers: s.layers, heads: s.heads, kvHeads, headDim,
    vocab: s.vocab, positions: 0, tiedEmbeddings: s.tiedEmbeddings ?? false, layerPrefix: 'model.layers',
    modules: [
      mod('q_proj', 'self_attn', 'q', q, s.hidden, ab),
      mod('k_proj', 'self_attn', 'k', kv, s.hidden, ab),
      mod('v_proj', 'self_attn', 'v', kv, s.hidden, ab),
      mod('o_proj', 'self_attn', 'o', s.hidden, q, ab),
      mod('gate_proj', 'mlp', 'gate', s.intermediate, s.hidden, mb),
      mod('up_proj', 'mlp', 'up', s.intermediate, s.hidden, mb),
      mod('down_proj', 'mlp', 'down', s.hidden, s.intermediate, mb),
    ],
  };
}

export interface GPT2Shape {
  hidden: number;
  layers: number;
  heads: number;
  vocab: number;
  positions: number;
  /** Default 4 · hidden (GPT2Config n_inner = None). */
  intermediate?: number;
}

/**
 * A GPT-2 decoder. Its Conv1D weights are stored [in, out]; here every module is written [out, in]
 * like nn.Linear. c_attn fuses q, k and v: [3·hidden, hidden], so adapting it adapts all three
 * (PEFT's target_modules=["c_attn"]); attn.c_proj plays o_proj, mlp.c_fc up_proj and mlp.c_proj
 * down_proj; there is no gate. All have biases; lm_head is tied to wte.
 */
export function gpt2Architecture(id: string, label: string, s: GPT2Shape): Architecture {
  const inner = s.intermediate ?? 4 * s.hidden;
  return {
    id, label, family: 'gpt2', hidden: s.hidden, intermediate: inner, layers: s.layers, heads: s.heads, kvHeads: s.heads,
    headDim: s.hidden / s.heads, vocab: s.vocab, positions: s.positions, tiedEmbeddings: true, layerPrefix: 'transformer.h',
    modules: [
      { name: 'c_attn', path: 'attn.c_attn', roles: ['q', 'k', 'v'], out: 3 * s.hidden, in: s.hidden, bias: true },
      { name: 'c_proj', path: 'attn.c_proj', roles: ['o'], out: s.hidden, in: s.hidden, bias: true },
      { name: 'c_fc', path: 'mlp.c_fc', roles: ['up'], out: inner, in: s.hidden, bias: true },
      { name: 'c_proj', path: 'mlp.c_proj', roles: ['down'], out: s.hidden, in: inner, bias: true },
    ],
  };
}

/** The presets, values from each model's published config.json on the Hugging Face Hub. */
export const ARCHITECTURE_PRESETS: readonly Architecture[] = [
  gpt2Architecture('gpt2', 'GPT-2 small (124M)', { hidden: 768, layers: 12, heads: 12, vocab: 50257, positions: 1024 }),
  llamaArchitecture('llama-2-7b', 'Llama-2-7B', { hidden: 4096, intermediate: 11008, layers: 32, heads: 32, vocab: 32000 }),
  llamaArchitecture('llama-2-13b', 'Llama-2-13B', { hidden: 5120, intermediate: 13824, layers: 40, heads: 40, vocab: 32000 }),
  llamaArchitecture('llama-2-70b', 'Llama-2-70B', { hidden: 8192, intermediate: 28672, layers: 80, heads: 64, kvHeads: 8, vocab: 32000 }),
  llamaArchitecture('llama-3-8b', 'Llama-3-8B', { hidden: 4096, intermediate: 14336, layers: 32, heads: 32, kvHeads: 8, vocab: 128256 }),
  llamaArchitecture('mistral-7b', 'Mistral-7B', { hidden: 4096, intermediate: 14336, layers: 32, heads: 32, kvHeads: 8, vocab: 32000 }),
  llamaArchitecture('llama-3.2-1b', 'Llama-3.2-1B', { hidden: 2048, intermediate: 8192, layers: 16, heads: 32, kvHeads: 8, headDim: 64, vocab: 128256, tiedEmbeddings: true }),
  llamaArchitecture('llama-3-70b', 'Llama-3-70B', { hidden: 8192, intermediate: 28672, layers: 80, heads: 64, kvHeads: 8, vocab: 128256 }),
  llamaArchitecture('llama-3.1-405b', 'Llama-3.1-405B', { hidden: 16384, intermediate: 53248, layers: 126, heads: 128, kvHeads: 8, vocab: 128256 }),
];

export const PRESET_IDS: readonly string[] = ARCHITECTURE_PRESETS.map((a) => a.id);

/** The preset with this id; throws for an unknown one. */
export function presetArchitecture(id: string): Architecture {
  const a = ARCHITECTURE_PRESETS.find((p) => p.id === id);
  if (!a) throw new RangeError(`No architecture preset "${id}"; the presets are ${PRESET_IDS.join(', ')}.`);
  return a;
}

/** Why a pasted config.json could not be read: empty paste, bad JSON, a missing or an invalid field, a field or a paste too large. */
export type ConfigErrorKind = 'empty' | 'json' | 'missing' | 'invalid' | 'too-large';

export type ParsedArchitecture =
  | { ok: true; architecture: Architecture; notes: string[] }
  | { ok: false; kind: ConfigErrorKind; field?: string; error: string };

type Fail = Extract<ParsedArchitecture, { ok: false }>;

/** Longest model name kept from a paste (architectures[0] or model_type), for the label and the picker. */
const LABEL_MAX_CHARS = 60;

function fail(kind: ConfigErrorKind, error: string, field?: string): Fail {
  return field === undefined ? { ok: false, kind, error } : { ok: false, kind, field, error };
}

/**
 * The largest value read for each size field of a pasted config.json: about four times (for layers,
 * eight times) the largest published model's (Llama 3.1 405B: 126 layers, hidden 16,384,
 * intermediate 53,248, 128 heads; vocabularies up to 262,144), so any real model is read, while a
 * mistyped 16,777,216 layers is refused at once instead of freezing the page (the adapter's tensor
 * names are listed per layer). Within these caps every count this widget shows is an exact integer
 * in float64 (largest ≈ 1,024 · 9 · 65,536 · 262,144 + … < 2^53).
 */
export const CONFIG_FIELD_CAPS: Readonly<Record<string, number>> = {
  hidden_size: 65_536, n_embd: 65_536,
  intermediate_size: 262_144, n_inner: 262_144,
  num_hidden_layers: 1_024, n_layer: 1_024,
  num_attention_heads: 1_024, n_head: 1_024, num_key_value_heads: 1_024,
  head_dim: 4_096,
  vocab_size: 1_048_576,
  n_positions: 1_048_576, n_ctx: 1_048_576,
};

function readInt(o: Record<string, unknown>, key: string, fallback?: number): number | Fail {
  const v = o[key];
  if (v === undefined || v === null) {
    if (fallback !== undefined) return fallback;
    return fail('missing', `config.json has no "${key}".`, key);
  }
  if (typeof v !== 'number' || !Number.isSafeInteger(v) || v <= 0) {
    return fail('invalid', `"${key}" must be a positive whole number, got ${shortenInput(JSON.stringify(v) ?? String(v))}.`, key);
  }
  const cap = CONFIG_FIELD_CAPS[key];
  if (cap !== undefined && v > cap) {
    return fail('too-large', `"${key}" is ${v.toLocaleString('en-US')}, more than this widget reads (at most ${cap.toLocaleString('en-US')}; real models stay well below).`, key);
  }
  return v;
}

function readBool(o: Record<string, unknown>, key: string, fallback: boolean): boolean | Fail {
  const v = o[key];
  if (v === undefined || v === null) return fallback;
  if (typeof v !== 'boolean') return fail('invalid', `"${key}" must be true or false, got ${shortenInput(JSON.stringify(v) ?? String(v))}.`, key);
  return v;
}

const isFail = (v: unknown): v is Fail => typeof v === 'object' && v !== null && (v as Fail).ok === false;

/**
 * Reads a pasted Hugging Face config.json. Llama/Mistral style (LlamaForCausalLM,
 * MistralForCausalLM): hidden_size, intermediate_size, num_hidden_layers, num_attention_heads,
 * vocab_size required; num_key_value_heads (default num_attention_heads), head_dim (default
 * hidden_size / num_attention_heads), tie_word_embeddings (default false), attention_bias and
 * mlp_bias (default false) optional. GPT-2 style (recognised by n_embd): n_embd, n_layer, n_head,
 * vocab_size, n_positions (or n_ctx) required, n_inner optional (default 4·n_embd).
 * Every problem comes back as an error naming the field; `notes` list assumptions made.
 */
export function parseHFConfig(text: string): ParsedArchitecture {
  const long = inputTooLong(text, INPUT_LIMITS.configJson, 'a config.json');
  if (long) return fail('too-large', long);
  if (text.trim() === '') return fail('empty', 'The box is empty: paste the contents of a model’s config.json.');
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (e) {
    return fail('json', `This is not valid JSON (${shortenInput(errorMessage(e), 120)}).`);
  }
  if (typeof json !== 'object' || json === null || Array.isArray(json)) return fail('json', 'config.json must be a JSON object, {…}.');
  const o = json as Record<string, unknown>;
  const notes: string[] = [];
  const archs = Array.isArray(o.architectures) ? o.architectures.filter((x): x is string => typeof x === 'string') : [];
  const modelType = typeof o.model_type === 'string' ? o.model_type : undefined;
  const name = shortenInput(archs[0] ?? modelType ?? 'Pasted model', LABEL_MAX_CHARS);

  if ('n_embd' in o || modelType === 'gpt2') {
    const hidden = readInt(o, 'n_embd');
    if (isFail(hidden)) return hidden;
    const layers = readInt(o, 'n_layer');
    if (isFail(layers)) return layers;
    const heads = readInt(o, 'n_head');
    if (isFail(heads)) return heads;
    const vocab = readInt(o, 'vocab_size');
    if (isFail(vocab)) return vocab;
    const positionsKey = o.n_positions !== undefined ? 'n_positions' : o.n_ctx !== undefined ? 'n_ctx' : 'n_positions';
    const positions = readInt(o, positionsKey);
    if (isFail(positions)) return positions;
    const inner = readInt(o, 'n_inner', 4 * hidden);
    if (isFail(inner)) return inner;
    if (hidden % heads !== 0) return fail('invalid', `n_embd (${hidden}) must be divisible by n_head (${heads}).`, 'n_embd');
    const tied = readBool(o, 'tie_word_embeddings', true);
    if (isFail(tied)) return tied;
    if (!tied) notes.push('tie_word_embeddings is false, but GPT-2 always ties lm_head to wte: counted as tied.');
    if (o.n_inner === undefined || o.n_inner === null) notes.push(`n_inner not given: the MLP is 4 × n_embd = ${inner}.`);
    return exactly(gpt2Architecture('pasted', name, { hidden, layers, heads, vocab, positions, intermediate: inner }), notes);
  }

  if (!('hidden_size' in o)) {
    return fail('missing', 'config.json has neither "hidden_size" (Llama/Mistral style) nor "n_embd" (GPT-2 style).', 'hidden_size');
  }
  const hidden = readInt(o, 'hidden_size');
  if (isFail(hidden)) return hidden;
  const intermediate = readInt(o, 'intermediate_size');
  if (isFail(intermediate)) return intermediate;
  const layers = readInt(o, 'num_hidden_layers');
  if (isFail(layers)) return layers;
  const heads = readInt(o, 'num_attention_heads');
  if (isFail(heads)) return heads;
  const kvHeads = readInt(o, 'num_key_value_heads', heads);
  if (isFail(kvHeads)) return kvHeads;
  if (heads % kvHeads !== 0) {
    return fail('invalid', `num_attention_heads (${heads}) must be a multiple of num_key_value_heads (${kvHeads}).`, 'num_key_value_heads');
  }
  if ((o.head_dim === undefined || o.head_dim === null) && hidden % heads !== 0) {
    return fail('invalid', `hidden_size (${hidden}) must be divisible by num_attention_heads (${heads}), or head_dim must be given.`, 'head_dim');
  }
  const headDim = readInt(o, 'head_dim', hidden / heads);
  if (isFail(headDim)) return headDim;
  const vocab = readInt(o, 'vocab_size');
  if (isFail(vocab)) return vocab;
  const tied = readBool(o, 'tie_word_embeddings', false);
  if (isFail(tied)) return tied;
  const attentionBias = readBool(o, 'attention_bias', false);
  if (isFail(attentionBias)) return attentionBias;
  const mlpBias = readBool(o, 'mlp_bias', false);
  if (isFail(mlpBias)) return mlpBias;
  if (modelType !== undefined && modelType !== 'llama' && modelType !== 'mistral') {
    notes.push(`model_type ${quoteInput(modelType)} is read as a Llama-style decoder; biases or extra norms it may have are not counted.`);
  }
  if (o.num_key_value_heads === undefined) notes.push('num_key_value_heads not given: every head has its own keys and values.');
  const architecture = llamaArchitecture('pasted', name, {
    hidden, intermediate, layers, heads, kvHeads, headDim, vocab, tiedEmbeddings: tied, attentionBias, mlpBias,
  });
  return exactly(architecture, notes);
}

/** The architecture, unless its parameter count is past 2^53, where float64 stops counting exactly (both families). */
function exactly(architecture: Architecture, notes: string[]): ParsedArchitecture {
  if (!Number.isSafeInteger(totalParameters(architecture))) return fail('invalid', 'These sizes give more parameters than can be counted exactly.');
  return { ok: true, notes, architecture };
}
