/**
 * GPT-2's byte-level BPE (OpenAI gpt-2 src/encoder.py; docs/numerics.md, "GPT-2 checkpoints").
 * GPT-2's own tokenizer.json is not in the repo and nothing is downloaded, so the tests build a
 * small vocabulary in GPT-2's layout (the 256 byte characters in bytes_to_unicode's order as ids
 * 0..255, then merged tokens) whose encodings are worked out by hand below.
 */
import { describe, expect, it } from 'vitest';
import { mulberry32 } from '../random';
import { BpeTokenizer, byteSymbolsInVocabOrder, byteToUnicode, bytesToSymbols, parseTokenizerJson, preTokenize, TokenizerError } from './bpe';

const BYTES = byteSymbolsInVocabOrder();

/** The parts of a tokenizer.json the tests edit. */
interface TokenizerJson {
  added_tokens: Record<string, unknown>[];
  normalizer: unknown;
  pre_tokenizer: Record<string, unknown>;
  model: Record<string, unknown> & { vocab: Record<string, number>; merges: unknown[] };
  [key: string]: unknown;
}

/** A tokenizer.json in the tokenizers library's layout: bytes as ids 0..255, then one id per merge, then the added tokens. */
function tokenizerJson(merges: (string | [string, string])[], o: { added?: string[]; edit?: (j: TokenizerJson) => void } = {}): TokenizerJson {
  const vocab: Record<string, number> = {};
  BYTES.forEach((c, i) => (vocab[c] = i));
  for (const m of merges) {
    const [a, b] = typeof m === 'string' ? m.split(' ') : m;
    vocab[a + b] ??= Object.keys(vocab).length;
  }
  const n = Object.keys(vocab).length;
  const j: TokenizerJson = {
    version: '1.0',
    added_tokens: (o.added ?? []).map((content, i) => ({ id: n + i, content, single_word: false, lstrip: false, rstrip: false, normalized: true, special: true })),
    normalizer: null,
    pre_tokenizer: { type: 'ByteLevel', add_prefix_space: false, trim_offsets: true, use_regex: true },
    post_processor: { type: 'ByteLevel', add_prefix_space: true, trim_offsets: false, use_regex: true },
    decoder: { type: 'ByteLevel', add_prefix_space: true, trim_offsets: true, use_regex: true },
    model: { type: 'BPE', dropout: null, unk_token: null, continuing_subword_prefix: '', end_of_word_suffix: '', fuse_unk: false, byte_fallback: false, vocab, merges: [...merges] },
  };
  o.edit?.(j);
  return j;
}

/** Merge rules in rank order, chosen so that the expected encodings can be followed by hand. */
const MERGES = ['l l', 'e ll', 'h ell', 'hell o', 'Ġ hello', 'Ġ t', 'h e', 'Ġt he', 'Ċ Ċ'];
const tok = BpeTokenizer.fromJson(tokenizerJson(MERGES, { added: ['<|endoftext|>'] }));
const id = (t: string) => tok.tokenToId(t)!;

describe('bytes_to_unicode (GPT-2 encoder.py)', () => {
  it('maps printable Latin-1 bytes to themselves and the other 68 to U+0100 + n in byte order', () => {
    const t = byteToUnicode();
    expect(new Set(t).size).toBe(256);
    expect(t[0x21]).toBe('!');
    expect(t[0x7e]).toBe('~');
    expect(t[0xe9]).toBe('é');
    expect(t[0x00]).toBe('\u0100'); // Ā
    expect(t[0x20]).toBe('\u0120'); // Ġ, GPT-2's space
    expect(t[0x0a]).toBe('\u010a'); // Ċ, GPT-2's newline
    expect(t[0x09]).toBe('\u0109'); // ĉ, tab
    expect(t[0x7f]).toBe('\u0121'); // the 34th unprintable byte: 33 below "!", then DEL
    expect(t[0xad]).toBe('\u0143'); // soft hyphen, the last one: 0x100 + 67
  });

  it('turns a piece into those characters byte by byte (" hello" → "Ġhello", "\\n" → "Ċ")', () => {
    expect(bytesToSymbols(' hello')).toBe('Ġhello');
    expect(bytesToSymbols('\n')).toBe('Ċ');
    expect(bytesToSymbols(' \t')).toBe('Ġĉ');
    expect(bytesToSymbols('é')).toBe('Ã©'); // UTF-8 C3 A9
    expect(bytesToSymbols('€')).toBe('âĤ¬'); // E2 82 AC; 0x82 is the 37th unprintable byte (33 below "!", then 0x7f..0x82) → U+0124
  });

  it('orders the byte characters as GPT-2 numbers them: "!" is 0, "Ċ" (newline) 198, "Ġ" (space) 220', () => {
    // bs = printable bytes ascending (188 of them), then the rest ascending: 0x0a is the 11th of those, 0x20 the 33rd.
    expect(BYTES.indexOf('!')).toBe(0);
    expect(BYTES.indexOf('Ċ')).toBe(188 + 10);
    expect(BYTES.indexOf('Ġ')).toBe(188 + 32);
    expect(tok.encode(' ')).toEqual([220]);
    expect(tok.encode('\n')).toEqual([198]);
    expect(tok.encode('!')).toEqual([0]);
  });
});

describe('preTokenize (GPT-2 pattern)', () => {
  it.each([
    ['Hello world', ['Hello', ' world']],
    ["I'm here, don't", ['I', "'m", ' here', ',', ' don', "'t"]],
    ["we'll they've you're it'd", ['we', "'ll", ' they', "'ve", ' you', "'re", ' it', "'d"]],
    ['123abc 45', ['123', 'abc', ' 45']],
    ['hi!! ?', ['hi', '!!', ' ?']],
    // whitespace runs leave their last space to the next word: \s+(?!\S) backs off one character
    ['a  b', ['a', ' ', ' b']],
    ['a\n\nb', ['a', '\n', '\n', 'b']],
    ['end  ', ['end', '  ']],
    ['naïve café', ['naïve', ' café']],
    ['', []],
  ])('%j', (text, pieces) => {
    expect(preTokenize(text)).toEqual(pieces);
    expect(preTokenize(text).join('')).toBe(text);
  });
});

describe('BpeTokenizer.encode (merges by rank, worked by hand)', () => {
  it('merges the lowest-ranked pair first, not the longest token', () => {
    // h e l l o: (l,l) rank 0 → h e ll o; (e,ll) 1 → h ell o; (h,ell) 2 → hell o; (hell,o) 3 → hello.
    // (h,e) has rank 6, so "he" never forms here.
    expect(tok.encode('hello')).toEqual([id('hello')]);
    expect(tok.encode(' hello')).toEqual([id('Ġhello')]);
    // t h e: only (h,e) applies → t he. " the": (Ġ,t) 5 → Ġt h e; (h,e) 6 → Ġt he; (Ġt,he) 7 → Ġthe.
    expect(tok.encode('the')).toEqual([id('t'), id('he')]);
    expect(tok.encode(' the')).toEqual([id('Ġthe')]);
    // h e l l: ll, then ell, then hell; "help": (h,e) is the only rule → he l p.
    expect(tok.encode('hell')).toEqual([id('hell')]);
    expect(tok.encode('help')).toEqual([id('he'), id('l'), id('p')]);
  });

  it('applies a rule at the leftmost place first', () => {
    expect(tok.encode('lll')).toEqual([id('ll'), id('l')]);
    expect(tok.encode('llll')).toEqual([id('ll'), id('ll')]);
  });

  it('encodes each pre-tokenized piece on its own', () => {
    // "hello hello the\n\n": pieces hello, " hello", " the", "\n\n" (one piece: nothing follows) → ĊĊ.
    expect(tok.encode('hello hello the\n\n')).toEqual([id('hello'), id('Ġhello'), id('Ġthe'), id('ĊĊ')]);
    // "the  hello": pieces the, " ", " hello".
    expect(tok.encode('the  hello')).toEqual([id('t'), id('he'), 220, id('Ġhello')]);
  });

  it('reads the added token as its id and the text around it as usual', () => {
    expect(tok.encode('hello<|endoftext|> the')).toEqual([id('hello'), id('<|endoftext|>'), id('Ġthe')]);
    expect(tok.vocabSize).toBe(256 + MERGES.length + 1);
  });

  it('puts a space before each stretch of text when add_prefix_space is set', () => {
    const t = BpeTokenizer.fromJson(tokenizerJson(MERGES, { added: ['<|endoftext|>'], edit: (j) => (j.pre_tokenizer.add_prefix_space = true) }));
    expect(t.encode('hello')).toEqual([id('Ġhello')]);
    expect(t.encode(' hello')).toEqual([id('Ġhello')]);
    expect(t.encode('hello<|endoftext|>hello')).toEqual([id('Ġhello'), id('<|endoftext|>'), id('Ġhello')]);
  });

  it('takes merges written as [left, right] pairs as well as "left right" strings', () => {
    const pairs = BpeTokenizer.fromJson(tokenizerJson(MERGES.map((m) => m.split(' ') as [string, string])));
    expect(pairs.encode('hello the hell')).toEqual(tok.encode('hello the hell'));
  });

  it('refuses a text longer than its bound, naming both sizes', () => {
    expect(() => tok.encode('x'.repeat(11), { maxChars: 10 })).toThrow('The text is 11 characters; the tokenizer takes at most 10 at once.');
  });
});

/** GPT-2's encoder.py `bpe`, as written there: find the lowest-ranked pair, merge every occurrence left to right, repeat. */
function encoderPyBpe(word: string[], ranks: Map<string, number>): string[] {
  let w = [...word];
  for (;;) {
    let best: [string, string] | null = null, bestRank = Infinity;
    for (let i = 0; i + 1 < w.length; i++) {
      const r = ranks.get(`${w[i]}\u0000${w[i + 1]}`);
      if (r !== undefined && r < bestRank) { bestRank = r; best = [w[i], w[i + 1]]; }
    }
    if (!best) return w;
    const out: string[] = [];
    for (let i = 0; i < w.length; ) {
      if (i + 1 < w.length && w[i] === best[0] && w[i + 1] === best[1]) { out.push(best[0] + best[1]); i += 2; }
      else out.push(w[i++]);
    }
    w = out;
  }
}

/** Merges learnt from `text` the way BPE is trained: repeatedly merge the most frequent adjacent pair. */
function trainMerges(words: string[][], n: number): [string, string][] {
  const merges: [string, string][] = [];
  let ws = words.map((w) => [...w]);
  for (let k = 0; k < n; k++) {
    const counts = new Map<string, number>();
    for (const w of ws) for (let i = 0; i + 1 < w.length; i++) counts.set(`${w[i]}\u0000${w[i + 1]}`, (counts.get(`${w[i]}\u0000${w[i + 1]}`) ?? 0) + 1);
    let best = '', c = 0;
    for (const [p, v] of counts) if (v > c) { best = p; c = v; }
    if (!best) break;
    const pair = best.split('\u0000') as [string, string];
    merges.push(pair);
    ws = ws.map((w) => encoderPyBpe(w, new Map([[best, 0]])));
  }
  return merges;
}

describe('BpeTokenizer.bpe against encoder.py', () => {
  it('gives encoder.py\'s result on seeded words with 60 learnt merges', () => {
    const r = mulberry32(19);
    const word = (len: number) => Array.from({ length: len }, () => 'abcd'[Math.floor(r() * 4)]);
    const corpus = Array.from({ length: 200 }, () => word(2 + Math.floor(r() * 12)));
    const merges = trainMerges(corpus, 60);
    expect(merges.length).toBe(60);
    const t = BpeTokenizer.fromJson(tokenizerJson(merges));
    const ranks = new Map(merges.map(([a, b], i) => [`${a}\u0000${b}`, i]));
    for (let k = 0; k < 300; k++) {
      const w = word(1 + Math.floor(r() * 40));
      expect(t.bpe(w)).toEqual(encoderPyBpe(w, ranks));
    }
  });

  it('merges a 200,000-character word (the heap keeps it n log n)', () => {
    const ids = tok.encode('l'.repeat(200_000));
    expect(ids.length).toBe(100_000);
    expect(new Set(ids)).toEqual(new Set([id('ll')]));
  });
});

describe('BpeTokenizer.decode', () => {
  it.each(['hello hello the\n\n', 'naïve café — 東京 🙂', "I'm  here\t<|endoftext|>x", '', '   '])('round-trips %j', (text) => {
    expect(tok.decode(tok.encode(text))).toBe(text);
  });

  it('joins the tokens\' bytes before reading UTF-8, and marks a cut sequence with U+FFFD', () => {
    const ids = tok.encode('é'); // two byte tokens, Ã and ©
    expect(ids).toEqual([BYTES.indexOf('Ã'), BYTES.indexOf('©')]);
    expect(tok.decode(ids)).toBe('é');
    expect(tok.decode(ids.slice(0, 1))).toBe('\uFFFD');
  });

  it('names an id outside the vocabulary', () => {
    expect(() => tok.decode([5, 9999])).toThrow('Token 1 is 9999, which the tokenizer\'s vocabulary does not hold.');
  });
});

describe('parseTokenizerJson names what is wrong', () => {
  const bad = (edit: (j: TokenizerJson) => void) => () => parseTokenizerJson(tokenizerJson(MERGES, { edit }));
  it.each<[string, (j: TokenizerJson) => void, string]>([
    ['another model type', (j) => (j.model.type = 'WordPiece'), 'tokenizer.json\'s model is "WordPiece"; a GPT-2 tokenizer is "BPE".'],
    ['a normalizer', (j) => (j.normalizer = { type: 'NFC' }), 'tokenizer.json has a normalizer ("NFC")'],
    ['another pre-tokenizer', (j) => (j.pre_tokenizer = { type: 'Metaspace' }), 'pre_tokenizer is "Metaspace"'],
    ['dropout', (j) => (j.model.dropout = 0.1), 'dropout 0.1'],
    ['a subword prefix', (j) => (j.model.continuing_subword_prefix = '##'), 'continuing_subword_prefix "##"'],
    ['a missing byte', (j) => Reflect.deleteProperty(j.model.vocab, 'Ċ'), 'has no entry for byte 0x0a ("Ċ")'],
    ['a repeated id', (j) => (j.model.vocab['Ġt'] = 0), 'gives the id 0 to both "!" and "Ġt"'],
    ['a negative id', (j) => (j.model.vocab['Ġt'] = -1), 'gives "Ġt" the id -1'],
    ['a merge with two spaces', (j) => j.model.merges.push('a b c'), 'Merge 9 of tokenizer.json is'],
    ['a merge of an unknown token', (j) => j.model.merges.push('xyz q'), 'needs "xyz", which is not in the vocab'],
    ['a merge whose result is not in the vocab', (j) => j.model.merges.push('q z'), 'needs "qz", which is not in the vocab'],
    ['no merges', (j) => Reflect.deleteProperty(j.model, 'merges'), 'no "merges" list'],
    ['an added token without content', (j) => j.added_tokens.push({ id: 3000 }), 'Added token 0 of tokenizer.json'],
  ])('%s', (_, edit, message) => {
    expect(bad(edit)).toThrow(TokenizerError);
    expect(bad(edit)).toThrow(message);
  });

  it('refuses what is not an object', () => {
    expect(() => parseTokenizerJson([1, 2])).toThrow('tokenizer.json must be a JSON object.');
  });
});

describe('BpeTokenizer.spec', () => {
  it('survives a structured clone (a Web Worker’s copy) and rebuilds the same tokenizer', () => {
    const copy = new BpeTokenizer(structuredClone(tok.spec));
    const text = 'In the beginning God created the heaven and the earth.<|endoftext|> Hello, world!';
    expect(copy.encode(text)).toEqual(tok.encode(text));
    expect(copy.vocabSize).toBe(tok.vocabSize);
  });
});
