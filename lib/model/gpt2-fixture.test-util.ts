/**
 * Small GPT-2-layout checkpoints for the unit tests, written in the test so nothing is downloaded:
 * a byte-level BPE tokenizer.json (the 256 byte characters in GPT-2's bytes_to_unicode order, the
 * given merges, optionally <|endoftext|>), Hugging Face's tensor names and shapes (Conv1D weights
 * [in, out]; optionally the attention-mask buffers GPT-2 saves) and seeded F32 safetensors bytes.
 * docs/numerics.md, "GPT-2 checkpoints".
 */
import { writeSafetensors, type SafetensorsTensor } from '../io/safetensors';
import { normalArray } from '../random';
import { byteSymbolsInVocabOrder } from '../text/bpe';

export interface Gpt2Shape {
  C: number;
  L: number;
  /** n_positions. */
  P: number;
  /** vocab_size. */
  V: number;
}

/** tokenizer.json with the given merges ("a b"); `endOfText` adds <|endoftext|> after the merges' tokens. */
export function gpt2TokenizerJson(merges: readonly string[], o: { endOfText?: boolean } = {}): Record<string, unknown> {
  const vocab: Record<string, number> = {};
  byteSymbolsInVocabOrder().forEach((c, i) => (vocab[c] = i));
  for (const m of merges) vocab[m.replace(' ', '')] = Object.keys(vocab).length;
  return {
    added_tokens: o.endOfText ? [{ id: Object.keys(vocab).length, content: '<|endoftext|>', special: true }] : [],
    normalizer: null,
    pre_tokenizer: { type: 'ByteLevel', add_prefix_space: false, trim_offsets: true, use_regex: true },
    model: { type: 'BPE', dropout: null, vocab, merges: [...merges] },
  };
}

/** The file's tensors in Hugging Face's order, names and shapes; `maskBuffers` adds attn.bias [1, 1, P, P] and attn.masked_bias []. */
export function gpt2TensorShapes({ C, L, P, V }: Gpt2Shape, o: { maskBuffers?: boolean } = {}): [string, number[]][] {
  const s: [string, number[]][] = [['wte.weight', [V, C]], ['wpe.weight', [P, C]]];
  for (let l = 0; l < L; l++) {
    const p = `h.${l}`;
    s.push([`${p}.ln_1.weight`, [C]], [`${p}.ln_1.bias`, [C]]);
    if (o.maskBuffers) s.push([`${p}.attn.bias`, [1, 1, P, P]], [`${p}.attn.masked_bias`, []]);
    s.push([`${p}.attn.c_attn.weight`, [C, 3 * C]], [`${p}.attn.c_attn.bias`, [3 * C]], [`${p}.attn.c_proj.weight`, [C, C]], [`${p}.attn.c_proj.bias`, [C]]);
    s.push([`${p}.ln_2.weight`, [C]], [`${p}.ln_2.bias`, [C]], [`${p}.mlp.c_fc.weight`, [C, 4 * C]], [`${p}.mlp.c_fc.bias`, [4 * C]], [`${p}.mlp.c_proj.weight`, [4 * C, C]], [`${p}.mlp.c_proj.bias`, [C]]);
  }
  s.push(['ln_f.weight', [C]], ['ln_f.bias', [C]]);
  return s;
}

/** Whether a tensor is a LayerNorm gain (ln_1, ln_2, ln_f weight). */
export const isLayerNormGain = (name: string) => /ln_(1|2|f)\.weight$/.test(name);

/**
 * Seeded F32 safetensors bytes of gpt2TensorShapes (no mask buffers): tensor k (in file order)
 * draws normalArray(n, seed + k, mean, sd) with [mean, sd] = `spread(name)` — by default LayerNorm
 * gains N(1, 0.1²) and the rest N(0, 0.3²); `edit` may change the values before they are written.
 */
export function gpt2CheckpointBytes(shape: Gpt2Shape, seed: number, o: { spread?: (name: string) => [number, number]; edit?: (t: Map<string, SafetensorsTensor>) => void } = {}): Uint8Array<ArrayBuffer> {
  const spread = o.spread ?? ((name: string) => (isLayerNormGain(name) ? [1, 0.1] : [0, 0.3]));
  const t = new Map<string, SafetensorsTensor>();
  let s = seed;
  for (const [name, dims] of gpt2TensorShapes(shape)) {
    const [mean, sd] = spread(name);
    t.set(name, { dtype: 'F32', shape: dims, data: normalArray(dims.reduce((a, b) => a * b, 1), s++, mean, sd) });
  }
  o.edit?.(t);
  return writeSafetensors(t);
}
