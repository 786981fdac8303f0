/**
 * The tiny model's config.json: a GPT decoder in nanoGPT's layout with a character
 * tokenizer. Parsing checks every field a learner's or a script's mistake could break and names it.
 * A GPT-2 checkpoint read by gpt2-checkpoint.ts fills the same config, with its byte-level BPE
 * tokenizer and GPT-2's tanh GELU.
 */
import type { BpeTokenizer } from '../text/bpe';

/**
 * The MLP's GELU: 'gelu', the exact x · ½ (1 + erf(x / √2)) (nanoGPT, torch's default);
 * 'gelu_new', the tanh approximation GPT-2 was trained with,
 * x · ½ (1 + tanh(√(2/π) (x + 0.044715 x³))) (Hendrycks & Gimpel 2016; Hugging Face's NewGELUActivation).
 */
export type GeluKind = 'gelu' | 'gelu_new';

export interface TinyLMConfig {
  vocab_size: number;
  n_layer: number;
  n_head: number;
  n_embd: number;
  block_size: number;
  layer_norm_eps: number;
  tokenizer: { type: 'char'; chars: string } | { type: 'byte' } | { type: 'bpe'; bpe: BpeTokenizer };
  /** The MLP's GELU; absent means 'gelu' (the exact form, as the tiny model is trained). */
  activation?: GeluKind;
}

export type ParsedConfig = { ok: true; config: TinyLMConfig } | { ok: false; error: string };

function positiveInt(o: Record<string, unknown>, key: string): number | string {
  const v = o[key];
  return Number.isSafeInteger(v) && (v as number) > 0 ? (v as number) : `"${key}" must be a positive whole number, got ${JSON.stringify(v)}.`;
}

/**
 * Reads a config object: vocab_size, n_layer, n_head, n_embd, block_size (positive integers, n_embd
 * divisible by n_head), layer_norm_eps (default 1e-5), and a tokenizer, either
 * {type: 'char', chars} with exactly vocab_size distinct characters, or {type: 'byte'} with vocab_size 256.
 */
export function parseTinyLMConfig(json: unknown): ParsedConfig {
  if (typeof json !== 'object' || json === null || Array.isArray(json)) return { ok: false, error: 'config.json must be a JSON object.' };
  const o = json as Record<string, unknown>;
  const nums: Record<string, number> = {};
  for (const key of ['vocab_size', 'n_layer', 'n_head', 'n_embd', 'block_size']) {
    const v = positiveInt(o, key);
    if (typeof v === 'string') return { ok: false, error: v };
    nums[key] = v;
  }
  if (nums.n_embd % nums.n_head !== 0) return { ok: false, error: `n_embd (${nums.n_embd}) must be divisible by n_head (${nums.n_head}).` };
  const eps = o.layer_norm_eps ?? 1e-5;
  if (typeof eps !== 'number' || !(eps > 0)) return { ok: false, error: `"layer_norm_eps" must be a positive number, got ${JSON.stringify(eps)}.` };
  const tok = o.tokenizer as Record<string, unknown> | undefined;
  let tokenizer: TinyLMConfig['tokenizer'];
  if (tok && tok.type === 'char' && typeof tok.chars === 'string') {
    const chars = [...tok.chars];
    if (chars.length !== nums.vocab_size) return { ok: false, error: `The tokenizer lists ${chars.length} characters but vocab_size is ${nums.vocab_size}.` };
    if (new Set(chars).size !== chars.length) return { ok: false, error: 'The tokenizer lists a character twice.' };
    tokenizer = { type: 'char', chars: tok.chars };
  } else if (tok && tok.type === 'byte') {
    if (nums.vocab_size !== 256) return { ok: false, error: `A byte-level tokenizer needs vocab_size 256, got ${nums.vocab_size}.` };
    tokenizer = { type: 'byte' };
  } else {
    return { ok: false, error: 'The tokenizer must be {"type": "char", "chars": "..."} or {"type": "byte"}.' };
  }
  return {
    ok: true,
    config: { vocab_size: nums.vocab_size, n_layer: nums.n_layer, n_head: nums.n_head, n_embd: nums.n_embd, block_size: nums.block_size, layer_norm_eps: eps, tokenizer },
  };
}

/** Text to token ids with the config's tokenizer; characters it does not know are reported, not dropped silently. */
export function encodeText(config: TinyLMConfig, text: string): { ids: number[]; unknown: string[] } {
  if (config.tokenizer.type === 'bpe') return { ids: config.tokenizer.bpe.encode(text), unknown: [] }; // byte-level: every text has ids
  if (config.tokenizer.type === 'byte') return { ids: Array.from(new TextEncoder().encode(text)), unknown: [] };
  const index = new Map([...config.tokenizer.chars].map((c, i) => [c, i]));
  const ids: number[] = [];
  const unknown = new Set<string>();
  for (const c of text) {
    const id = index.get(c);
    if (id === undefined) unknown.add(c);
    else ids.push(id);
  }
  return { ids, unknown: [...unknown] };
}

/** The characters of a list, quoted, at most `max` of them then "and N more". */
function quoteChars(chars: readonly string[], max = 8): string {
  const shown = chars.slice(0, max).map((c) => (c.trim() ? `“${c}”` : `U+${c.codePointAt(0)!.toString(16).toUpperCase().padStart(4, '0')}`));
  return shown.join(', ') + (chars.length > max ? ` and ${chars.length - max} more` : '');
}

/**
 * Why a text is too short for the model once encoded because the tokenizer left characters out
 * (encodeText's `unknown`): the message names them, rather than only counting tokens. Null when it
 * has `needed` tokens or nothing was left out. `what` names the text ("The held-out tenth").
 */
export function knownTextShortage(what: string, text: string, encoded: { ids: readonly number[]; unknown: readonly string[] }, needed: number): string | null {
  const n = encoded.ids.length;
  if (n >= needed) return null;
  const chars = [...text].length;
  if (encoded.unknown.length === 0) return null; // nothing left out: the caller's own count of tokens says it
  const known = n === 0 ? 'none of them is one the model knows' : `only ${n.toLocaleString('en-US')} are ones the model knows`;
  return `${what} has ${chars.toLocaleString('en-US')} characters, but ${known}: it never saw ${quoteChars(encoded.unknown)} in training, so they were left out. It needs at least ${needed.toLocaleString('en-US')} known characters — use text written with the characters of its training text.`;
}

/** Token ids back to text. */
export function decodeIds(config: TinyLMConfig, ids: readonly number[]): string {
  if (config.tokenizer.type === 'bpe') return config.tokenizer.bpe.decode(ids);
  if (config.tokenizer.type === 'byte') return new TextDecoder().decode(Uint8Array.from(ids));
  const chars = [...config.tokenizer.chars];
  return ids.map((i) => chars[i] ?? '\uFFFD').join('');
}
