/**
 * A tiny GPT-2-layout checkpoint for the e2e suite, written here so no test downloads anything:
 * config.json (transformers' GPT2Config keys), model.safetensors (an 8-byte little-endian header
 * length, the JSON header, then the raw little-endian F32 data; Conv1D weights [in, out], the mask
 * buffers GPT-2 saves) and tokenizer.json (byte-level BPE: the 256 byte characters in GPT-2's
 * bytes_to_unicode order, a few merges, <|endoftext|>). See docs/numerics.md, "GPT-2 checkpoints".
 */

export const TINY_GPT2 = { n_embd: 32, n_layer: 2, n_head: 2, n_positions: 64 } as const;
const MERGES = ['t h', 'th e', 'Ġ th', 'Ġth e', 'a n', 'Ġ an', 'Ġan d', 'e r', 'i n', 'o u'];

/** GPT-2's byte characters in vocabulary order: the 188 printable Latin-1 bytes as themselves, then the other 68 as U+0100 + n. */
function byteSymbols(): string[] {
  const printable: number[] = [];
  for (let b = 0x21; b <= 0x7e; b++) printable.push(b);
  for (let b = 0xa1; b <= 0xac; b++) printable.push(b);
  for (let b = 0xae; b <= 0xff; b++) printable.push(b);
  const rest: string[] = [];
  let n = 0;
  for (let b = 0; b < 256; b++) if (!printable.includes(b)) rest.push(String.fromCharCode(256 + n++));
  return [...printable.map((b) => String.fromCharCode(b)), ...rest];
}

function tokenizerJson() {
  const vocab: Record<string, number> = {};
  byteSymbols().forEach((c, i) => (vocab[c] = i));
  for (const m of MERGES) vocab[m.replace(' ', '')] = Object.keys(vocab).length;
  const eot = Object.keys(vocab).length;
  return {
    version: '1.0',
    added_tokens: [{ id: eot, content: '<|endoftext|>', single_word: false, lstrip: false, rstrip: false, normalized: true, special: true }],
    normalizer: null,
    pre_tokenizer: { type: 'ByteLevel', add_prefix_space: false, trim_offsets: true, use_regex: true },
    model: { type: 'BPE', dropout: null, vocab, merges: MERGES },
  };
}

export const VOCAB = 256 + MERGES.length + 1;

/** Parameters the model has (the tied head counted once): V·C + P·C + L·(12C² + 13C) + 2C. */
export function tinyGpt2Parameters(): number {
  const { n_embd: C, n_layer: L, n_positions: P } = TINY_GPT2;
  return VOCAB * C + P * C + L * (12 * C * C + 13 * C) + 2 * C;
}

function shapes(): [string, number[]][] {
  const { n_embd: C, n_layer: L, n_positions: P } = TINY_GPT2;
  const s: [string, number[]][] = [['wte.weight', [VOCAB, C]], ['wpe.weight', [P, C]]];
  for (let l = 0; l < L; l++) {
    const p = `h.${l}`;
    s.push([`${p}.ln_1.weight`, [C]], [`${p}.ln_1.bias`, [C]], [`${p}.attn.bias`, [1, 1, P, P]]);
    s.push([`${p}.attn.c_attn.weight`, [C, 3 * C]], [`${p}.attn.c_attn.bias`, [3 * C]], [`${p}.attn.c_proj.weight`, [C, C]], [`${p}.attn.c_proj.bias`, [C]]);
    s.push([`${p}.ln_2.weight`, [C]], [`${p}.ln_2.bias`, [C]], [`${p}.mlp.c_fc.weight`, [C, 4 * C]], [`${p}.mlp.c_fc.bias`, [4 * C]], [`${p}.mlp.c_proj.weight`, [4 * C, C]], [`${p}.mlp.c_proj.bias`, [C]]);
  }
  s.push(['ln_f.weight', [C]], ['ln_f.bias', [C]]);
  return s;
}

/** Seeded weights (a linear congruential generator, uniform in ±0.3; LayerNorm gains 1), F32. */
function safetensors(skip: string | null): Buffer {
  let state = 12345;
  const rand = () => ((state = (state * 1103515245 + 12345) % 2 ** 31) / 2 ** 31 - 0.5) * 0.6;
  const header: Record<string, { dtype: string; shape: number[]; data_offsets: [number, number] }> = {};
  const parts: Buffer[] = [];
  let at = 0;
  for (const [name, shape] of shapes()) {
    if (name === skip) continue;
    const n = shape.reduce((a, b) => a * b, 1);
    const v = new Float32Array(n);
    const P = TINY_GPT2.n_positions;
    for (let i = 0; i < n; i++) v[i] = name.endsWith('.attn.bias') ? Number(i % P <= Math.floor(i / P) % P) : /ln_(1|2|f)\.weight$/.test(name) ? 1 : rand();
    const bytes = Buffer.from(v.buffer);
    header[name] = { dtype: 'F32', shape, data_offsets: [at, at + bytes.length] };
    parts.push(bytes);
    at += bytes.length;
  }
  let json = JSON.stringify(header);
  json += ' '.repeat((8 - (json.length % 8)) % 8);
  const len = Buffer.alloc(8);
  len.writeBigUInt64LE(BigInt(json.length));
  return Buffer.concat([len, Buffer.from(json), ...parts]);
}

/** The three files as Playwright's setInputFiles payloads; `missing` leaves that tensor out of the safetensors file. */
export function tinyGpt2Files(missing: string | null = null) {
  const config = { model_type: 'gpt2', architectures: ['GPT2LMHeadModel'], ...TINY_GPT2, n_ctx: TINY_GPT2.n_positions, vocab_size: VOCAB, layer_norm_epsilon: 1e-5, activation_function: 'gelu_new', n_inner: null };
  return [
    { name: 'config.json', mimeType: 'application/json', buffer: Buffer.from(JSON.stringify(config)) },
    { name: 'tokenizer.json', mimeType: 'application/json', buffer: Buffer.from(JSON.stringify(tokenizerJson())) },
    { name: 'model.safetensors', mimeType: 'application/octet-stream', buffer: safetensors(missing) },
  ];
}
