import { describe, expect, it } from 'vitest';
import { ARCHITECTURE_PRESETS, CONFIG_FIELD_CAPS, embeddingShare, parameterBreakdown, parseHFConfig, presetArchitecture, totalParameters } from './architectures';

// Published totals: the models' cards / safetensors indexes on the Hugging Face Hub, as quoted in the
// issue (GPT-2 124,439,808 is model.num_parameters() in transformers).
const KNOWN_TOTALS: Record<string, number> = {
  gpt2: 124_439_808,
  'llama-2-7b': 6_738_415_616,
  'llama-2-13b': 13_015_864_320,
  'llama-2-70b': 68_976_648_192,
  'llama-3-8b': 8_030_261_248,
  'mistral-7b': 7_241_732_096,
  'llama-3.2-1b': 1_235_814_400,
  'llama-3-70b': 70_553_706_496,
  'llama-3.1-405b': 405_853_388_800,
};

describe('architecture presets', () => {
  it.each(Object.entries(KNOWN_TOTALS))('%s has the published parameter count', (id, total) => {
    expect(totalParameters(presetArchitecture(id))).toBe(total);
  });

  it('covers every preset in the known totals', () => {
    expect(ARCHITECTURE_PRESETS.map((a) => a.id).sort()).toEqual(Object.keys(KNOWN_TOTALS).sort());
  });

  it('Llama-3-8B keeps 13.1% of its parameters in the embedding and the untied lm_head (2 × 128,256 × 4,096)', () => {
    const e = embeddingShare(presetArchitecture('llama-3-8b'));
    expect(e.parameters).toBe(1_050_673_152);
    expect(e.share).toBeCloseTo(0.1308, 4);
    // Tied (Llama-3.2-1B, GPT-2): the embedding counts once.
    expect(embeddingShare(presetArchitecture('llama-3.2-1b')).parameters).toBe(128_256 * 2048);
    expect(embeddingShare(presetArchitecture('gpt2')).parameters).toBe((50_257 + 1024) * 768);
  });

  it('gives the Llama-3 presets grouped-query attention: 8 KV heads of 128 (64 for Llama-3.2-1B)', () => {
    for (const id of ['llama-3-8b', 'llama-3-70b', 'llama-3.1-405b', 'mistral-7b', 'llama-2-70b']) {
      expect(presetArchitecture(id)).toMatchObject({ kvHeads: 8, headDim: 128 });
    }
    expect(presetArchitecture('llama-3.2-1b')).toMatchObject({ layers: 16, kvHeads: 8, headDim: 64 });
    expect(presetArchitecture('llama-2-7b')).toMatchObject({ layers: 32, kvHeads: 32, headDim: 128 });
  });

  it('gives Llama-2-7B its [out, in] shapes', () => {
    const a = presetArchitecture('llama-2-7b');
    const shapes = Object.fromEntries(a.modules.map((m) => [m.name, [m.out, m.in]]));
    expect(shapes).toEqual({
      q_proj: [4096, 4096], k_proj: [4096, 4096], v_proj: [4096, 4096], o_proj: [4096, 4096],
      gate_proj: [11008, 4096], up_proj: [11008, 4096], down_proj: [4096, 11008],
    });
  });

  it('shrinks k_proj and v_proj of Llama-2-70B to 8 KV heads (GQA): 8192 → 1024', () => {
    const a = presetArchitecture('llama-2-70b');
    expect(a.headDim).toBe(128);
    expect(a.modules.find((m) => m.name === 'k_proj')).toMatchObject({ out: 1024, in: 8192 });
    expect(a.modules.find((m) => m.name === 'v_proj')).toMatchObject({ out: 1024, in: 8192 });
    expect(a.modules.find((m) => m.name === 'o_proj')).toMatchObject({ out: 8192, in: 8192 });
  });

  it('gives GPT-2 its fused c_attn (768 → 2304) and ties lm_head', () => {
    const a = presetArchitecture('gpt2');
    expect(a.modules.map((m) => [m.path, m.out, m.in])).toEqual([
      ['attn.c_attn', 2304, 768], ['attn.c_proj', 768, 768], ['mlp.c_fc', 3072, 768], ['mlp.c_proj', 768, 3072],
    ]);
    expect(a.modules[0].roles).toEqual(['q', 'k', 'v']);
    const b = parameterBreakdown(a);
    expect(b.lmHead).toBe(0);
    expect(b.embeddings).toBe(50257 * 768 + 1024 * 768);
  });

  it('counts an untied lm_head for Llama', () => {
    expect(parameterBreakdown(presetArchitecture('llama-2-7b')).lmHead).toBe(32000 * 4096);
  });

  it('throws for an unknown preset', () => {
    expect(() => presetArchitecture('gpt-5')).toThrow(/No architecture preset "gpt-5"/);
  });
});

// Abridged from the published config.json files on the Hugging Face Hub.
const LLAMA3_8B = `{
  "architectures": ["LlamaForCausalLM"], "hidden_size": 4096, "intermediate_size": 14336,
  "model_type": "llama", "num_attention_heads": 32, "num_hidden_layers": 32, "num_key_value_heads": 8,
  "rms_norm_eps": 1e-05, "rope_theta": 500000.0, "tie_word_embeddings": false, "torch_dtype": "bfloat16",
  "vocab_size": 128256 }`;
const MISTRAL_7B = `{ "architectures": ["MistralForCausalLM"], "hidden_size": 4096, "intermediate_size": 14336,
  "model_type": "mistral", "num_attention_heads": 32, "num_hidden_layers": 32, "num_key_value_heads": 8,
  "sliding_window": 4096, "tie_word_embeddings": false, "vocab_size": 32000 }`;
const GPT2 = `{ "architectures": ["GPT2LMHeadModel"], "model_type": "gpt2", "n_ctx": 1024, "n_embd": 768,
  "n_head": 12, "n_layer": 12, "n_positions": 1024, "vocab_size": 50257 }`;

describe('parseHFConfig', () => {
  it('reads a Llama-3-8B config.json to the preset’s count', () => {
    const p = parseHFConfig(LLAMA3_8B);
    if (!p.ok) throw new Error(p.error);
    expect(p.architecture.label).toBe('LlamaForCausalLM');
    expect(totalParameters(p.architecture)).toBe(8_030_261_248);
    expect(p.architecture.modules).toEqual(presetArchitecture('llama-3-8b').modules);
  });

  it('reads Mistral and GPT-2 configs', () => {
    const m = parseHFConfig(MISTRAL_7B);
    const g = parseHFConfig(GPT2);
    if (!m.ok || !g.ok) throw new Error('did not parse');
    expect(totalParameters(m.architecture)).toBe(7_241_732_096);
    expect(totalParameters(g.architecture)).toBe(124_439_808);
    expect(g.architecture.family).toBe('gpt2');
    expect(g.notes.join(' ')).toMatch(/n_inner not given/);
  });

  it('defaults num_key_value_heads to the heads and head_dim to hidden / heads, and says so', () => {
    const p = parseHFConfig('{"hidden_size": 4096, "intermediate_size": 11008, "num_hidden_layers": 32, "num_attention_heads": 32, "vocab_size": 32000}');
    if (!p.ok) throw new Error(p.error);
    expect(totalParameters(p.architecture)).toBe(6_738_415_616);
    expect(p.architecture.kvHeads).toBe(32);
    expect(p.notes.join(' ')).toMatch(/num_key_value_heads not given/);
  });

  it('honours an explicit head_dim and tied embeddings', () => {
    const p = parseHFConfig('{"hidden_size": 2048, "intermediate_size": 8192, "num_hidden_layers": 2, "num_attention_heads": 8, "num_key_value_heads": 2, "head_dim": 128, "vocab_size": 1000, "tie_word_embeddings": true}');
    if (!p.ok) throw new Error(p.error);
    const q = p.architecture.modules[0];
    expect([q.out, q.in]).toEqual([1024, 2048]);
    expect(parameterBreakdown(p.architecture).lmHead).toBe(0);
  });

  it('names the problem: empty paste, bad JSON, a missing field, an invalid field', () => {
    expect(parseHFConfig('   ')).toMatchObject({ ok: false, kind: 'empty' });
    expect(parseHFConfig('{"hidden_size": 4096,')).toMatchObject({ ok: false, kind: 'json' });
    expect(parseHFConfig('[1, 2]')).toMatchObject({ ok: false, kind: 'json' });
    expect(parseHFConfig('{"foo": 1}')).toMatchObject({ ok: false, kind: 'missing', field: 'hidden_size' });
    const noLayers = parseHFConfig('{"hidden_size": 4096, "intermediate_size": 11008, "num_attention_heads": 32, "vocab_size": 32000}');
    expect(noLayers).toMatchObject({ ok: false, kind: 'missing', field: 'num_hidden_layers', error: 'config.json has no "num_hidden_layers".' });
    expect(parseHFConfig('{"hidden_size": "4096"}')).toMatchObject({ ok: false, kind: 'invalid', field: 'hidden_size' });
    expect(parseHFConfig('{"hidden_size": -1}')).toMatchObject({ ok: false, kind: 'invalid', field: 'hidden_size' });
    expect(parseHFConfig('{"hidden_size": 4096.5}')).toMatchObject({ ok: false, kind: 'invalid', field: 'hidden_size' });
    const gqa = parseHFConfig('{"hidden_size": 4096, "intermediate_size": 11008, "num_hidden_layers": 32, "num_attention_heads": 32, "num_key_value_heads": 5, "vocab_size": 32000}');
    expect(gqa).toMatchObject({ ok: false, kind: 'invalid', field: 'num_key_value_heads' });
    expect(parseHFConfig('{"n_embd": 768, "n_layer": 12, "n_head": 12, "vocab_size": 50257}')).toMatchObject({ ok: false, kind: 'missing', field: 'n_positions' });
    expect(parseHFConfig('{"n_embd": 770, "n_layer": 12, "n_head": 12, "vocab_size": 50257, "n_positions": 1024}')).toMatchObject({ ok: false, kind: 'invalid', field: 'n_embd' });
    expect(parseHFConfig('{"hidden_size": 4096, "intermediate_size": 11008, "num_hidden_layers": 32, "num_attention_heads": 32, "vocab_size": 32000, "tie_word_embeddings": "no"}'))
      .toMatchObject({ ok: false, kind: 'invalid', field: 'tie_word_embeddings' });
  });

  it('refuses sizes no real model has, naming the field and the cap (16,777,216 layers once froze the page)', () => {
    const llama = parseHFConfig('{"hidden_size": 4096, "intermediate_size": 11008, "num_hidden_layers": 16777216, "num_attention_heads": 32, "vocab_size": 32000}');
    expect(llama).toEqual({
      ok: false, kind: 'too-large', field: 'num_hidden_layers',
      error: '"num_hidden_layers" is 16,777,216, more than this widget reads (at most 1,024; real models stay well below).',
    });
    // The largest published sizes are read.
    const big = parseHFConfig('{"hidden_size": 16384, "intermediate_size": 53248, "num_hidden_layers": 126, "num_attention_heads": 128, "num_key_value_heads": 8, "vocab_size": 128256}');
    expect(big.ok).toBe(true);
  });

  it('gives the GPT-2 branch the same bounds: no count past 2^53 shown as exact', () => {
    const gpt2 = parseHFConfig('{"n_embd": 16777216, "n_layer": 16777216, "n_head": 1, "vocab_size": 50257, "n_positions": 1024}');
    expect(gpt2).toMatchObject({ ok: false, kind: 'too-large', field: 'n_embd' });
    // At the caps themselves every count is still exact, in both families.
    const c = CONFIG_FIELD_CAPS;
    const maxGpt2 = parseHFConfig(JSON.stringify({ n_embd: c.n_embd, n_layer: c.n_layer, n_head: c.n_head, vocab_size: c.vocab_size, n_positions: c.n_positions, n_inner: c.n_inner }));
    const maxLlama = parseHFConfig(JSON.stringify({ hidden_size: c.hidden_size, intermediate_size: c.intermediate_size, num_hidden_layers: c.num_hidden_layers, num_attention_heads: c.num_attention_heads, head_dim: c.head_dim, vocab_size: c.vocab_size }));
    for (const p of [maxGpt2, maxLlama]) {
      if (!p.ok) throw new Error(p.error);
      expect(Number.isSafeInteger(totalParameters(p.architecture))).toBe(true);
    }
  });

  it('quotes bad values briefly and refuses a paste past its size cap', () => {
    const longString = parseHFConfig(JSON.stringify({ hidden_size: 'x'.repeat(100_000) }));
    expect(longString.ok === false && longString.error.length).toBeLessThan(200);
    const huge = parseHFConfig(`{"hidden_size": 4096, "pad": "${' '.repeat(10_000_000)}"}`);
    expect(huge).toMatchObject({ ok: false, kind: 'too-large', error: 'This is 10,000,032 characters; a config.json takes at most 200,000. Nothing was read.' });
    const longName = parseHFConfig(JSON.stringify({ architectures: ['M'.repeat(5000)], hidden_size: 64, intermediate_size: 128, num_hidden_layers: 2, num_attention_heads: 4, vocab_size: 100 }));
    expect(longName.ok && longName.architecture.label.length).toBeLessThan(100);
  });

  it('notes a model_type it reads as Llama-style', () => {
    const p = parseHFConfig('{"model_type": "qwen2", "hidden_size": 896, "intermediate_size": 4864, "num_hidden_layers": 24, "num_attention_heads": 14, "num_key_value_heads": 2, "vocab_size": 151936, "tie_word_embeddings": true}');
    if (!p.ok) throw new Error(p.error);
    expect(p.notes.join(' ')).toMatch(/qwen2/);
  });
});
