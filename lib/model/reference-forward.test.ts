import { describe, expect, it } from 'vitest';
import { mulberry32 } from '../random';
import { decodeIds, encodeText, parseTinyLMConfig, type TinyLMConfig } from './config';
import { erf, gelu, referenceLogits, tinyLMTensorShapes } from './reference-forward';

const config: TinyLMConfig = { vocab_size: 5, n_layer: 2, n_head: 2, n_embd: 4, block_size: 6, layer_norm_eps: 1e-5, tokenizer: { type: 'char', chars: 'abcde' } };

function randomWeights(c: TinyLMConfig, seed: number, zeroBlocks = false): Map<string, Float32Array> {
  const r = mulberry32(seed);
  const m = new Map<string, Float32Array>();
  for (const [name, shape] of tinyLMTensorShapes(c)) {
    const n = shape.reduce((a, b) => a * b, 1);
    const inBlock = name.startsWith('transformer.h.') && !name.includes('.ln_');
    m.set(name, Float32Array.from({ length: n }, () => (zeroBlocks && inBlock ? 0 : r() * 2 - 1)));
  }
  return m;
}

describe('erf and GELU', () => {
  it('match tabulated values to 2e-7', () => {
    for (const [x, v] of [[0, 0], [0.5, 0.5204998778], [1, 0.8427007929], [-2, -0.995322265], [3, 0.9999779095]]) expect(Math.abs(erf(x) - v)).toBeLessThan(2e-7);
    expect(gelu(1)).toBeCloseTo(0.8413447461, 7);
    expect(gelu(-3)).toBeCloseTo(-0.0040496, 6);
  });
});

describe('referenceLogits', () => {
  it('reduces to LN_f(wte + wpe) · wteᵀ when every block adds zero', () => {
    const w = randomWeights(config, 1, true);
    const logits = referenceLogits(config, w, [3]);
    const wte = w.get('transformer.wte.weight')!, wpe = w.get('transformer.wpe.weight')!;
    const x = [0, 1, 2, 3].map((i) => wte[3 * 4 + i] + wpe[i]);
    const mean = x.reduce((a, b) => a + b) / 4;
    const v = x.reduce((a, b) => a + (b - mean) ** 2, 0) / 4;
    const lw = w.get('transformer.ln_f.weight')!, lb = w.get('transformer.ln_f.bias')!;
    const h = x.map((xi, i) => ((xi - mean) / Math.sqrt(v + 1e-5)) * lw[i] + lb[i]);
    const expected = [0, 1, 2, 3, 4].map((k) => h.reduce((s, hi, i) => s + hi * wte[k * 4 + i], 0));
    expect(Array.from(logits).map((a, k) => a - expected[k]).every((d) => Math.abs(d) < 1e-5)).toBe(true);
  });

  it('is causal: a position never sees later tokens', () => {
    const w = randomWeights(config, 2);
    const full = referenceLogits(config, w, [0, 4, 2, 1, 3]);
    const prefix = referenceLogits(config, w, [0, 4, 2]);
    expect(Array.from(full.subarray(0, 15))).toEqual(Array.from(prefix));
    const changed = referenceLogits(config, w, [0, 4, 2, 2, 2]);
    expect(Array.from(changed.subarray(0, 15))).toEqual(Array.from(prefix));
    expect(Array.from(changed.subarray(15))).not.toEqual(Array.from(full.subarray(15)));
  });

  it('names what is wrong with the weights or the tokens', () => {
    const w = randomWeights(config, 3);
    expect(() => referenceLogits(config, w, [])).toThrow(/1 to 6 tokens/);
    expect(() => referenceLogits(config, w, [5])).toThrow(/outside the vocabulary 0..4/);
    const missing = new Map(w);
    missing.delete('transformer.h.1.mlp.c_fc.bias');
    expect(() => referenceLogits(config, missing, [1])).toThrow(/no tensor "transformer.h.1.mlp.c_fc.bias"/);
  });
});

describe('config and tokenizer', () => {
  it('parses a config and round-trips text, reporting unknown characters', () => {
    const p = parseTinyLMConfig({ vocab_size: 5, n_layer: 2, n_head: 2, n_embd: 4, block_size: 6, tokenizer: { type: 'char', chars: 'abcde' } });
    expect(p).toEqual({ ok: true, config });
    expect(encodeText(config, 'bad?')).toEqual({ ids: [1, 0, 3], unknown: ['?'] });
    expect(decodeIds(config, [4, 0])).toBe('ea');
  });
  it('names a bad field', () => {
    expect(parseTinyLMConfig({ ...config, n_head: 3 })).toEqual({ ok: false, error: 'n_embd (4) must be divisible by n_head (3).' });
    expect(parseTinyLMConfig({ ...config, vocab_size: 0 })).toMatchObject({ ok: false, error: expect.stringMatching(/vocab_size/) });
    expect(parseTinyLMConfig({ ...config, tokenizer: { type: 'char', chars: 'abcd' } })).toMatchObject({ ok: false, error: expect.stringMatching(/4 characters but vocab_size is 5/) });
    expect(parseTinyLMConfig('x')).toMatchObject({ ok: false });
  });
});
