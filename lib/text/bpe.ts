/**
 * GPT-2's byte-level BPE tokenizer (Radford et al. 2019, "Language Models are Unsupervised
 * Multitask Learners", section 2.2; OpenAI's gpt-2 `src/encoder.py`), read from a Hugging Face
 * `tokenizer.json` (the `tokenizers` library's format: model.type "BPE" with `vocab` and `merges`,
 * pre_tokenizer "ByteLevel"). docs/numerics.md, "GPT-2 checkpoints", states the rules and checks.
 *
 *   1. Split the text on the added (special) tokens, e.g. "<|endoftext|>", which map to their ids.
 *   2. Split the rest with GPT-2's pattern
 *        's|'t|'re|'ve|'m|'ll|'d| ?\p{L}+| ?\p{N}+| ?[^\s\p{L}\p{N}]+|\s+(?!\S)|\s+
 *   3. Each piece's UTF-8 bytes become characters by bytes_to_unicode (byte b → itself when b is a
 *      printable Latin-1 character, else U+0100 + n in byte order: " " → "Ġ", "\n" → "Ċ").
 *   4. Merge adjacent symbols, always the pair whose merge rule comes first in `merges` (lowest
 *      rank), until no pair has a rule; each symbol is then a vocabulary entry.
 *
 * Decoding joins the tokens' strings and maps each character back to its byte, then reads the
 * bytes as UTF-8 (a broken sequence becomes U+FFFD, as the tokenizers library's lossy decode does).
 */

/** A tokenizer.json this reader cannot use; the message names the field and what is wrong. */
export class TokenizerError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'TokenizerError';
  }
}

/** GPT-2's pre-tokenizer pattern (encoder.py `self.pat`, the tokenizers library's ByteLevel regex), with JavaScript's Unicode property escapes. */
export const GPT2_SPLIT_PATTERN = /'s|'t|'re|'ve|'m|'ll|'d| ?\p{L}+| ?\p{N}+| ?[^\s\p{L}\p{N}]+|\s+(?!\S)|\s+/gu;

/** The most characters encode() takes by default (about two megabytes of text). */
export const BPE_MAX_INPUT_CHARS = 2_000_000;

/** Bounds on a tokenizer.json's tables: GPT-2 has 50,257 entries and 50,000 merges; larger vocabularies reach a few hundred thousand. */
export const BPE_MAX_VOCAB = 1_000_000;

/**
 * GPT-2's bytes_to_unicode (encoder.py): the 188 bytes that are printable Latin-1 characters
 * ("!".."~", "¡".."¬", "®".."ÿ") stand for themselves; the other 68 map, in byte order, to
 * U+0100, U+0101, … Returns the character of each byte 0..255.
 */
export function byteToUnicode(): string[] {
  const table = new Array<string>(256);
  let n = 0;
  for (let b = 0; b < 256; b++) {
    const printable = (b >= 0x21 && b <= 0x7e) || (b >= 0xa1 && b <= 0xac) || (b >= 0xae && b <= 0xff);
    table[b] = String.fromCharCode(printable ? b : 256 + n++);
  }
  return table;
}

/**
 * The 256 byte characters in bytes_to_unicode's own order (its list `bs`: the printable bytes
 * ascending, then the rest ascending) — the order in which GPT-2's vocabulary gives them ids 0..255.
 */
export function byteSymbolsInVocabOrder(): string[] {
  const table = byteToUnicode();
  const printable = table.filter((c) => c.charCodeAt(0) < 256);
  const rest = table.filter((c) => c.charCodeAt(0) >= 256);
  return [...printable, ...rest];
}

const BYTE_CHARS = byteToUnicode();
const CHAR_BYTE = new Map(BYTE_CHARS.map((c, b) => [c, b]));
const UTF8 = new TextEncoder();

/** GPT-2's pre-tokenization: the pieces GPT2_SPLIT_PATTERN matches, in order (they cover the text). */
export function preTokenize(text: string): string[] {
  return text.match(GPT2_SPLIT_PATTERN) ?? [];
}

/** A piece's UTF-8 bytes as bytes_to_unicode characters (" hello" → "Ġhello", "\n" → "Ċ"). */
export function bytesToSymbols(piece: string): string {
  let s = '';
  for (const b of UTF8.encode(piece)) s += BYTE_CHARS[b];
  return s;
}

/** A special token: its text, matched exactly in the input, and its id. */
export interface AddedToken {
  id: number;
  content: string;
  special: boolean;
}

export interface BpeTokenizerSpec {
  /** Token string (in bytes_to_unicode characters) → id. */
  vocab: Map<string, number>;
  /** Merge rules in rank order: [left, right]. */
  merges: [string, string][];
  addedTokens: AddedToken[];
  /** ByteLevel's add_prefix_space: a space is put before text that does not start with one. */
  addPrefixSpace: boolean;
}

function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function quote(s: string): string {
  return JSON.stringify(s.length > 40 ? `${s.slice(0, 40)}…` : s);
}

/** The ByteLevel pre-tokenizer of tokenizer.json (directly, or inside a "Sequence" as its only step), or a message. */
function byteLevelPreTokenizer(pre: unknown): { addPrefixSpace: boolean } | string {
  if (!isObject(pre)) return 'tokenizer.json has no "pre_tokenizer"; a GPT-2 tokenizer splits text with the "ByteLevel" pre-tokenizer.';
  let p = pre;
  if (p.type === 'Sequence' && Array.isArray(p.pretokenizers) && p.pretokenizers.length === 1 && isObject(p.pretokenizers[0])) p = p.pretokenizers[0];
  if (p.type !== 'ByteLevel') return `tokenizer.json's pre_tokenizer is ${JSON.stringify(p.type)}; this reader handles GPT-2's "ByteLevel" only.`;
  if (p.use_regex === false) return 'tokenizer.json\'s ByteLevel pre_tokenizer has "use_regex": false; this reader splits with GPT-2\'s pattern only.';
  return { addPrefixSpace: p.add_prefix_space === true };
}

/**
 * Reads and checks a parsed tokenizer.json. Throws a TokenizerError naming the first problem:
 * not an object; model.type other than "BPE"; a normalizer; a pre_tokenizer other than ByteLevel;
 * dropout, a continuing-subword prefix or an end-of-word suffix (GPT-2 has none); a vocab id that is
 * not a whole number ≥ 0 or is used twice; a byte character missing from the vocab (a byte-level
 * vocabulary holds all 256, so every text can be encoded); a merge that is not "a b" (one space) or
 * [a, b], or whose parts or result are not in the vocab (the tokenizers library refuses these too);
 * an added token without a whole-number id and non-empty content.
 */
export function parseTokenizerJson(json: unknown): BpeTokenizerSpec {
  if (!isObject(json)) throw new TokenizerError('tokenizer.json must be a JSON object.');
  const model = json.model;
  if (!isObject(model)) throw new TokenizerError('tokenizer.json has no "model" object.');
  if (model.type !== 'BPE') throw new TokenizerError(`tokenizer.json's model is ${JSON.stringify(model.type ?? null)}; a GPT-2 tokenizer is "BPE".`);
  if (json.normalizer !== null && json.normalizer !== undefined) {
    const t = isObject(json.normalizer) ? json.normalizer.type : json.normalizer;
    throw new TokenizerError(`tokenizer.json has a normalizer (${JSON.stringify(t)}); GPT-2's tokenizer has none and this reader applies none.`);
  }
  const pre = byteLevelPreTokenizer(json.pre_tokenizer);
  if (typeof pre === 'string') throw new TokenizerError(pre);
  if (model.dropout !== null && model.dropout !== undefined && model.dropout !== 0) throw new TokenizerError(`tokenizer.json's BPE has dropout ${JSON.stringify(model.dropout)}; GPT-2 encodes deterministically (dropout null).`);
  for (const key of ['continuing_subword_prefix', 'end_of_word_suffix']) {
    const v = model[key];
    if (v !== null && v !== undefined && v !== '') throw new TokenizerError(`tokenizer.json's BPE has ${key} ${JSON.stringify(v)}; GPT-2's has none.`);
  }

  if (!isObject(model.vocab)) throw new TokenizerError('tokenizer.json\'s model has no "vocab" object (token → id).');
  const entries = Object.entries(model.vocab);
  if (entries.length === 0) throw new TokenizerError('tokenizer.json\'s vocab is empty.');
  if (entries.length > BPE_MAX_VOCAB) throw new TokenizerError(`tokenizer.json's vocab has ${entries.length.toLocaleString('en-US')} entries, more than the ${BPE_MAX_VOCAB.toLocaleString('en-US')} this reader takes.`);
  const vocab = new Map<string, number>();
  const byId = new Map<number, string>();
  for (const [token, id] of entries) {
    if (!Number.isSafeInteger(id) || (id as number) < 0) throw new TokenizerError(`tokenizer.json's vocab gives ${quote(token)} the id ${JSON.stringify(id)}; ids are whole numbers ≥ 0.`);
    const other = byId.get(id as number);
    if (other !== undefined) throw new TokenizerError(`tokenizer.json's vocab gives the id ${id} to both ${quote(other)} and ${quote(token)}.`);
    byId.set(id as number, token);
    vocab.set(token, id as number);
  }
  const missing = BYTE_CHARS.findIndex((c) => !vocab.has(c));
  if (missing >= 0) {
    throw new TokenizerError(`tokenizer.json's vocab has no entry for byte 0x${missing.toString(16).padStart(2, '0')} (${quote(BYTE_CHARS[missing])}); a byte-level vocabulary holds all 256 bytes, so that every text can be encoded.`);
  }

  if (!Array.isArray(model.merges)) throw new TokenizerError('tokenizer.json\'s model has no "merges" list.');
  if (model.merges.length > BPE_MAX_VOCAB) throw new TokenizerError(`tokenizer.json has ${model.merges.length.toLocaleString('en-US')} merges, more than the ${BPE_MAX_VOCAB.toLocaleString('en-US')} this reader takes.`);
  const merges: [string, string][] = model.merges.map((m: unknown, i: number): [string, string] => {
    let pair: string[] | null = null;
    if (typeof m === 'string') {
      const parts = m.split(' ');
      if (parts.length === 2) pair = parts;
    } else if (Array.isArray(m) && m.length === 2 && m.every((x) => typeof x === 'string')) {
      pair = m as string[];
    }
    if (!pair || pair[0] === '' || pair[1] === '') throw new TokenizerError(`Merge ${i} of tokenizer.json is ${JSON.stringify(m)?.slice(0, 60) ?? String(m)}; a merge is "left right" (one space) or ["left", "right"].`);
    for (const part of [pair[0], pair[1], pair[0] + pair[1]]) {
      if (!vocab.has(part)) throw new TokenizerError(`Merge ${i} of tokenizer.json (${quote(pair[0])} + ${quote(pair[1])}) needs ${quote(part)}, which is not in the vocab.`);
    }
    return [pair[0], pair[1]];
  });

  const added = json.added_tokens ?? [];
  if (!Array.isArray(added)) throw new TokenizerError('tokenizer.json\'s "added_tokens" must be a list.');
  const addedTokens = added.map((a: unknown, i: number): AddedToken => {
    if (!isObject(a) || !Number.isSafeInteger(a.id) || (a.id as number) < 0 || typeof a.content !== 'string' || a.content === '') {
      throw new TokenizerError(`Added token ${i} of tokenizer.json must have a whole-number "id" and a non-empty "content".`);
    }
    const other = byId.get(a.id as number);
    if (other !== undefined && other !== a.content) throw new TokenizerError(`Added token ${quote(a.content)} has the id ${a.id}, which the vocab gives to ${quote(other)}.`);
    return { id: a.id as number, content: a.content, special: a.special === true };
  });
  return { vocab, merges, addedTokens, addPrefixSpace: pre.addPrefixSpace };
}

/** A min-heap of numbers (key = rank · 2^24 + position: lowest rank first, then leftmost). */
class MinHeap {
  private readonly a: number[] = [];
  get size(): number {
    return this.a.length;
  }
  push(v: number): void {
    const a = this.a;
    let i = a.push(v) - 1;
    while (i > 0) {
      const p = (i - 1) >> 1;
      if (a[p] <= v) break;
      a[i] = a[p];
      i = p;
    }
    a[i] = v;
  }
  pop(): number {
    const a = this.a;
    const top = a[0];
    const last = a.pop()!;
    if (a.length > 0) {
      let i = 0;
      for (;;) {
        const l = 2 * i + 1, r = l + 1;
        let m = i, mv = last;
        if (l < a.length && a[l] < mv) { m = l; mv = a[l]; }
        if (r < a.length && a[r] < mv) { m = r; mv = a[r]; }
        if (m === i) break;
        a[i] = a[m];
        i = m;
      }
      a[i] = last;
    }
    return top;
  }
}

const POSITIONS = 2 ** 24;
const WORD_CACHE_ENTRIES = 10_000;

/**
 * GPT-2's byte-level BPE. Build it with `BpeTokenizer.fromJson(parsed tokenizer.json)`.
 * `encode(text)` → ids; `decode(ids)` → text; `decode(encode(t)) === t` for every string t
 * (lone surrogates aside, which UTF-8 cannot hold).
 */
export class BpeTokenizer {
  /** Ids run from 0 to vocabSize − 1 (the largest id + 1, added tokens included). */
  readonly vocabSize: number;
  private readonly vocab: Map<string, number>;
  private readonly tokens: Map<number, string>;
  /** left → right → rank. */
  private readonly ranks = new Map<string, Map<string, number>>();
  private readonly added: AddedToken[];
  private readonly addedById = new Map<number, AddedToken>();
  private readonly addedPattern: RegExp | null;
  private readonly cache = new Map<string, number[]>();
  readonly addPrefixSpace: boolean;
  /**
   * What it was built from: plain data (maps, arrays) that structured clone copies, so another realm
   * (a Web Worker) rebuilds the same tokenizer with `new BpeTokenizer(spec)`.
   */
  readonly spec: BpeTokenizerSpec;

  constructor(spec: BpeTokenizerSpec) {
    this.spec = spec;
    this.vocab = spec.vocab;
    this.tokens = new Map([...spec.vocab].map(([t, id]) => [id, t]));
    spec.merges.forEach(([a, b], rank) => {
      let m = this.ranks.get(a);
      if (!m) this.ranks.set(a, (m = new Map()));
      if (!m.has(b)) m.set(b, rank); // a repeated rule keeps its first rank
    });
    this.added = [...spec.addedTokens].sort((x, y) => y.content.length - x.content.length); // longest first
    for (const t of spec.addedTokens) this.addedById.set(t.id, t);
    this.addedPattern = this.added.length ? new RegExp(this.added.map((t) => t.content.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')).join('|'), 'gu') : null;
    this.addPrefixSpace = spec.addPrefixSpace;
    let max = -1;
    for (const id of this.tokens.keys()) max = Math.max(max, id);
    for (const id of this.addedById.keys()) max = Math.max(max, id);
    this.vocabSize = max + 1;
  }

  /** parseTokenizerJson then the tokenizer (TokenizerError for a bad file). */
  static fromJson(json: unknown): BpeTokenizer {
    return new BpeTokenizer(parseTokenizerJson(json));
  }

  /** The id of a token string (in bytes_to_unicode characters, or an added token's text), or undefined. */
  tokenToId(token: string): number | undefined {
    return this.vocab.get(token) ?? this.added.find((t) => t.content === token)?.id;
  }

  /** The token string of an id (added tokens by their text), or undefined. */
  idToToken(id: number): string | undefined {
    return this.addedById.get(id)?.content ?? this.tokens.get(id);
  }

  /** The rank of merging `a` then `b`, or undefined when no rule merges them. */
  private rank(a: string, b: string): number | undefined {
    return this.ranks.get(a)?.get(b);
  }

  /**
   * BPE on one piece's symbols: repeatedly merge the adjacent pair of lowest rank (the leftmost
   * when a rule applies in several places), as encoder.py's `bpe`. A heap of candidate pairs keeps
   * it O(n log n) in the piece's length; a stale candidate (a side already merged) is skipped.
   */
  bpe(symbols: readonly string[]): string[] {
    const n = symbols.length;
    if (n < 2) return [...symbols];
    const sym = [...symbols];
    const next = Int32Array.from({ length: n }, (_, i) => (i + 1 < n ? i + 1 : -1));
    const prev = Int32Array.from({ length: n }, (_, i) => i - 1);
    const alive = new Uint8Array(n).fill(1);
    const heap = new MinHeap();
    const consider = (i: number) => {
      const j = next[i];
      if (j < 0) return;
      const r = this.rank(sym[i], sym[j]);
      if (r !== undefined) heap.push(r * POSITIONS + i);
    };
    for (let i = 0; i + 1 < n; i++) consider(i);
    while (heap.size > 0) {
      const key = heap.pop();
      const r = Math.floor(key / POSITIONS), i = key - r * POSITIONS;
      const j = next[i];
      if (!alive[i] || j < 0 || this.rank(sym[i], sym[j]) !== r) continue; // stale
      sym[i] += sym[j];
      alive[j] = 0;
      next[i] = next[j];
      if (next[j] >= 0) prev[next[j]] = i;
      if (prev[i] >= 0) consider(prev[i]);
      consider(i);
    }
    const out: string[] = [];
    for (let i = 0; i >= 0; i = next[i]) out.push(sym[i]);
    return out;
  }

  /** Ids of one pre-tokenized piece (cached: text repeats its words). */
  private encodePiece(piece: string): number[] {
    const hit = this.cache.get(piece);
    if (hit) return hit;
    const symbols = this.bpe([...bytesToSymbols(piece)]);
    const ids = symbols.map((s) => {
      const id = this.vocab.get(s);
      // parseTokenizerJson checked that every byte and every merge result is in the vocab.
      if (id === undefined) throw new TokenizerError(`The vocab has no entry for ${quote(s)}.`);
      return id;
    });
    if (this.cache.size >= WORD_CACHE_ENTRIES) this.cache.clear();
    this.cache.set(piece, ids);
    return ids;
  }

  /**
   * Token ids of `text`: added tokens matched first (longest first), the rest pre-tokenized,
   * byte-mapped and merged (module comment). RangeError over `maxChars` characters
   * (BPE_MAX_INPUT_CHARS by default).
   */
  encode(text: string, o: { maxChars?: number } = {}): number[] {
    const max = o.maxChars ?? BPE_MAX_INPUT_CHARS;
    if (text.length > max) throw new RangeError(`The text is ${text.length.toLocaleString('en-US')} characters; the tokenizer takes at most ${max.toLocaleString('en-US')} at once.`);
    const ids: number[] = [];
    // The tokenizers library's ByteLevel puts the prefix space before each stretch between added tokens.
    const plain = (s: string) => {
      if (s === '') return;
      const t = this.addPrefixSpace && !s.startsWith(' ') ? ` ${s}` : s;
      for (const piece of preTokenize(t)) for (const id of this.encodePiece(piece)) ids.push(id);
    };
    if (!this.addedPattern) {
      plain(text);
      return ids;
    }
    let at = 0;
    for (const m of text.matchAll(this.addedPattern)) {
      plain(text.slice(at, m.index));
      ids.push(this.added.find((t) => t.content === m[0])!.id);
      at = m.index + m[0].length;
    }
    plain(text.slice(at));
    return ids;
  }

  /**
   * Text of token ids: each token's characters mapped back to bytes, read as UTF-8 (invalid
   * sequences → U+FFFD); added tokens as their text. RangeError for an id the vocabulary lacks.
   */
  decode(ids: readonly number[]): string {
    let out = '';
    let bytes: number[] = [];
    const flush = () => {
      if (bytes.length) out += new TextDecoder('utf-8').decode(Uint8Array.from(bytes));
      bytes = [];
    };
    ids.forEach((id, k) => {
      const added = this.addedById.get(id);
      if (added) {
        flush();
        out += added.content;
        return;
      }
      const token = this.tokens.get(id);
      if (token === undefined) throw new RangeError(`Token ${k} is ${id}, which the tokenizer's vocabulary does not hold.`);
      for (const c of token) {
        const b = CHAR_BYTE.get(c);
        if (b === undefined) throw new RangeError(`Token ${id} (${quote(token)}) holds ${quote(c)}, which is not a byte-level character.`);
        bytes.push(b);
      }
    });
    flush();
    return out;
  }
}
