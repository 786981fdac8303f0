import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-cpu';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { Compute } from '../compute';
import { readSafetensors, writeSafetensors, type SafetensorsTensor } from '../io/safetensors';
import type { TinyLMConfig } from '../model/config';
import { crossEntropy } from '../model/eval';
import { createFloat32Store } from '../model/float32-store';
import type { TinyLMWeights } from '../model/load';
import { createQuantizedStore } from '../model/quantized-store';
import { tinyLMTensorShapes } from '../model/reference-forward';
import { TinyLM } from '../model/tiny-lm';
import { mulberry32, normalArray } from '../random';
import { LORA_TARGETS, LoraAdapters, type LoraConfig, type LoraWeightsData } from './lora';
import { dequantizedBaseWeights, exportPeftAdapter, importPeftAdapter, mergeLora, parsePeftAdapterConfig, peftTensorName, targetsFromPeft } from './peft';

const model: TinyLMConfig = { vocab_size: 9, n_layer: 2, n_head: 2, n_embd: 16, block_size: 16, layer_norm_eps: 1e-5, tokenizer: { type: 'char', chars: 'abcdefghi' } };
const compute = { tf, backend: 'cpu', webgpu: null, software: false } as unknown as Compute;

function weights(seed = 1): TinyLMWeights {
  const values = new Map<string, Float32Array>();
  let s = seed;
  for (const [name, shape] of tinyLMTensorShapes(model)) {
    const gain = /ln_(1|2|f)\.weight$/.test(name);
    values.set(name, normalArray(shape.reduce((a, b) => a * b, 1), s++, gain ? 1 : 0, gain ? 0.1 : 0.4));
  }
  return { config: model, values, shapes: tinyLMTensorShapes(model) };
}

const owned: { dispose(): void }[] = [];
function keep<T extends { dispose(): void }>(x: T): T {
  owned.push(x);
  return x;
}

/** Adapter weights as after some training: A from the initialiser, B seeded and non-zero. */
async function trainedAdapter(config: LoraConfig, seed: number): Promise<LoraWeightsData> {
  const lora = new LoraAdapters(tf, model, config, { seed });
  const data = await lora.read();
  lora.dispose();
  for (const [i, m] of data.modules.entries()) m.B = normalArray(m.B.length, seed * 100 + i, 0, 0.2);
  return data;
}

/** Mean cross-entropy of a model on fixed random windows (lib/model/eval, float64). */
async function heldoutLoss(m: TinyLM): Promise<number> {
  const r = mulberry32(77);
  const seqs = Array.from({ length: 6 }, () => Array.from({ length: 17 }, () => Math.floor(r() * model.vocab_size)));
  const t = m.logitsBatchTensor(seqs.map((s) => s.slice(0, 16)));
  const logits = (await t.data()) as Float32Array;
  t.dispose();
  return crossEntropy(logits, model.vocab_size, seqs.flatMap((s) => s.slice(1)));
}

const config: LoraConfig = { r: 4, alpha: 8, dropout: 0.05, targets: ['c_attn', 'mlp.c_proj'] };

beforeAll(async () => {
  await tf.setBackend('cpu');
});

afterEach(() => {
  while (owned.length) owned.pop()!.dispose();
});

describe('PEFT export', () => {
  it('writes base_model.model.<path>.lora_A/B.weight, A [r, in] and B [out, r] in F32, and PEFT’s adapter_config fields', async () => {
    const data = await trainedAdapter(config, 1);
    const { safetensors, adapterConfig } = exportPeftAdapter(data, 'kjv-char-4l');
    const { tensors } = readSafetensors(safetensors);
    expect([...tensors.keys()].sort()).toEqual(
      [0, 1].flatMap((l) => [`transformer.h.${l}.attn.c_attn`, `transformer.h.${l}.mlp.c_proj`]).flatMap((p) => [`base_model.model.${p}.lora_A.weight`, `base_model.model.${p}.lora_B.weight`]).sort(),
    );
    expect(peftTensorName('transformer.h.0.attn.c_attn', 'A')).toBe('base_model.model.transformer.h.0.attn.c_attn.lora_A.weight');
    expect(tensors.get('base_model.model.transformer.h.1.attn.c_attn.lora_A.weight')).toMatchObject({ dtype: 'F32', shape: [4, 16] });
    expect(tensors.get('base_model.model.transformer.h.1.attn.c_attn.lora_B.weight')).toMatchObject({ dtype: 'F32', shape: [48, 4] });
    expect(tensors.get('base_model.model.transformer.h.0.mlp.c_proj.lora_A.weight')).toMatchObject({ dtype: 'F32', shape: [4, 64] });
    expect(adapterConfig).toMatchObject({
      peft_type: 'LORA',
      task_type: 'CAUSAL_LM',
      r: 4,
      lora_alpha: 8,
      lora_dropout: 0.05,
      target_modules: ['c_attn', 'mlp.c_proj'],
      bias: 'none',
      use_rslora: false,
      base_model_name_or_path: 'kjv-char-4l',
      fan_in_fan_out: false,
    });
  });

  it('round-trips exactly through export and import', async () => {
    const data = await trainedAdapter({ ...config, rsLoRA: true, targets: LORA_TARGETS }, 2);
    const { safetensors, adapterConfig } = exportPeftAdapter(data, 'base');
    const back = importPeftAdapter(model, safetensors, JSON.stringify(adapterConfig));
    expect(back.baseModel).toBe('base');
    expect(back.config).toEqual({ ...data.config, targets: [...LORA_TARGETS] });
    expect(back.modules).toHaveLength(data.modules.length);
    back.modules.forEach((m, i) => {
      const d = data.modules[i];
      expect([m.path, m.in, m.out]).toEqual([d.path, d.in, d.out]);
      expect(new Uint32Array(m.A.buffer)).toEqual(new Uint32Array(d.A.buffer.slice(d.A.byteOffset, d.A.byteOffset + d.A.byteLength)));
      expect(Array.from(m.B)).toEqual(Array.from(d.B));
    });
  });
});

describe('PEFT import', () => {
  async function files(edit: (t: Map<string, SafetensorsTensor>) => void, cfg: Record<string, unknown> = {}) {
    const { safetensors, adapterConfig } = exportPeftAdapter(await trainedAdapter(config, 3), 'base');
    const t = readSafetensors(safetensors).tensors;
    edit(t);
    return [writeSafetensors(t), { ...adapterConfig, ...cfg }] as const;
  }
  const A0 = 'base_model.model.transformer.h.0.attn.c_attn.lora_A.weight';
  const B1 = 'base_model.model.transformer.h.1.mlp.c_proj.lora_B.weight';

  it('names a missing half of a pair and a missing module', async () => {
    const [f1, c1] = await files((t) => t.delete(B1));
    expect(() => importPeftAdapter(model, f1, c1)).toThrow(/"transformer\.h\.1\.mlp\.c_proj" has lora_A but no lora_B/);
    expect(() => importPeftAdapter(model, f1, c1)).toThrow(expect.objectContaining({ name: 'PeftImportError', problem: 'missing-pair' }));
    const [f2, c2] = await files((t) => {
      t.delete(A0);
      t.delete(A0.replace('lora_A', 'lora_B'));
    });
    expect(() => importPeftAdapter(model, f2, c2)).toThrow(expect.objectContaining({ problem: 'missing-module', message: expect.stringMatching(/no lora_A or lora_B for "transformer\.h\.0\.attn\.c_attn"/) }));
  });

  it('names an r that disagrees with adapter_config.json and a shape that disagrees with the base', async () => {
    const [f, c] = await files(() => undefined, { r: 8 });
    expect(() => importPeftAdapter(model, f, c)).toThrow(expect.objectContaining({ problem: 'r-mismatch', message: expect.stringMatching(/lora_A\.weight" has rank 4 .* says r = 8/) }));
    const [g, d] = await files((t) => t.set(A0, { dtype: 'F32', shape: [4, 12], data: new Float32Array(48) }));
    expect(() => importPeftAdapter(model, g, d)).toThrow(expect.objectContaining({ problem: 'shape-mismatch', message: expect.stringMatching(/has shape \[4, 12\]; the base model's transformer\.h\.0\.attn\.c_attn \[48, 16\] needs \[4, 16\]/) }));
    // An adapter for a bigger model: more layers than the base has.
    const [h, e] = await files((t) => t.set('base_model.model.transformer.h.2.attn.c_attn.lora_A.weight', { dtype: 'F32', shape: [4, 16], data: new Float32Array(64) }));
    expect(() => importPeftAdapter(model, h, e)).toThrow(expect.objectContaining({ problem: 'unknown-tensor' }));
  });

  it('names a bad adapter_config.json, and reads target_modules as PEFT matches them', async () => {
    const [f, c] = await files(() => undefined);
    expect(() => importPeftAdapter(model, f, { ...c, peft_type: 'IA3' })).toThrow(/peft_type "IA3"/);
    expect(() => importPeftAdapter(model, f, { ...c, target_modules: ['q_proj'] })).toThrow(/“q_proj”, which is not a Linear module/);
    expect(() => importPeftAdapter(model, f, '{')).toThrow(/not valid JSON/);
    expect(() => importPeftAdapter(model, f, { ...c, fan_in_fan_out: true })).toThrow(/fan_in_fan_out/);
    expect(targetsFromPeft(['c_proj'])).toEqual(['attn.c_proj', 'mlp.c_proj']);
    expect(targetsFromPeft(['attn.c_attn', 'mlp.c_fc'])).toEqual(['c_attn', 'c_fc']);
    expect(parsePeftAdapterConfig({ peft_type: 'LORA', r: 8, lora_alpha: 16, target_modules: ['c_fc'] }).config).toEqual({ r: 8, alpha: 16, dropout: 0, targets: ['c_fc'], rsLoRA: false });
    // Extra modules selected by target_modules but absent from the file.
    expect(() => importPeftAdapter(model, f, { ...c, target_modules: ['c_attn', 'c_proj'] })).toThrow(/no lora_A or lora_B for "transformer\.h\.0\.attn\.c_proj"/);
  });
});

describe('merging', () => {
  it('W0 + scale·BA gives the adapter model’s held-out loss (fp32 base), within 1e-4', async () => {
    const w = weights();
    const data = await trainedAdapter(config, 4);
    const lora = keep(new LoraAdapters(tf, model, config, { weights: data }));
    const adapted = keep(new TinyLM(tf, model, createFloat32Store(tf, w.values, w.shapes), { adapters: lora }));
    const merged = mergeLora(w, data);
    expect(merged.values.get('transformer.wte.weight')).toBe(w.values.get('transformer.wte.weight'));
    expect(merged.values.get('transformer.h.0.attn.c_attn.weight')).not.toEqual(w.values.get('transformer.h.0.attn.c_attn.weight'));
    const plain = keep(new TinyLM(tf, model, createFloat32Store(tf, merged.values, merged.shapes)));
    const a = await heldoutLoss(adapted), b = await heldoutLoss(plain);
    const base = await heldoutLoss(keep(new TinyLM(tf, model, createFloat32Store(tf, w.values, w.shapes))));
    expect(Math.abs(a - base)).toBeGreaterThan(1e-2); // the adapter matters…
    expect(Math.abs(a - b)).toBeLessThan(1e-4); // …and merging keeps it
  });

  it('merges into the dequantized NF4 + DQ base for QLoRA, within 1e-4', async () => {
    const w = weights(5);
    const data = await trainedAdapter({ ...config, targets: LORA_TARGETS }, 5);
    const lora = keep(new LoraAdapters(tf, model, data.config, { weights: data }));
    const adapted = keep(new TinyLM(tf, model, createQuantizedStore(compute, w.values, w.shapes, 'nf4-dq'), { adapters: lora }));
    const deq = dequantizedBaseWeights(w, 'nf4-dq');
    expect(deq.values.get('transformer.ln_f.weight')).toBe(w.values.get('transformer.ln_f.weight'));
    expect(deq.values.get('transformer.h.0.mlp.c_fc.weight')).not.toEqual(w.values.get('transformer.h.0.mlp.c_fc.weight'));
    const merged = mergeLora(deq, data);
    const plain = keep(new TinyLM(tf, model, createFloat32Store(tf, merged.values, merged.shapes)));
    expect(Math.abs((await heldoutLoss(adapted)) - (await heldoutLoss(plain)))).toBeLessThan(1e-4);
  });

  it('names a base that does not fit', async () => {
    const data = await trainedAdapter(config, 6);
    const w = weights();
    const shapes = new Map(w.shapes).set('transformer.h.0.attn.c_attn.weight', [16, 48]);
    expect(() => mergeLora({ ...w, shapes }, data)).toThrow(/is \[16, 48\] but the adapter is for \[48, 16\]/);
  });
});
