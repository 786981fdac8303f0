import { describe, expect, it } from 'vitest';
import { readHeaderLength } from '../io/safetensors';
import { gpt2Architecture, presetArchitecture, totalParameters } from './architectures';
import { formatBytes } from '../memory';
import {
  ALL_ROLES_MASK,
  QLORA_BASE_BYTES_PER_PARAM,
  activationBytesEstimate,
  baseParameters,
  adapterFileSize,
  fineTuneMemory,
  loraMatrixParams,
  loraTrainableParams,
  maskToRoles,
  rolesToMask,
  targetedModules,
  trainablePercent,
} from './params';

const llama7 = presetArchitecture('llama-2-7b');

describe('LoRA trainable parameters (docs/numerics.md "LoRA and QLoRA")', () => {
  it('4096 × 4096 at r = 8 → 65,536 per matrix', () => {
    expect(loraMatrixParams(4096, 4096, 8)).toBe(65_536);
  });

  it('Llama-2-7B, q and v, r = 8 → 4,194,304 (the docs/numerics.md check)', () => {
    expect(loraTrainableParams(llama7, ['q', 'v'], 8)).toBe(4_194_304);
    expect(trainablePercent(4_194_304, totalParameters(llama7))).toBeCloseTo(0.062244, 5);
  });

  it('all-linear adapts every Linear of every layer: Llama-2-7B r = 64 (the QLoRA recipe)', () => {
    // Per layer: 4 · 64 · 8192 + 3 · 64 · (4096 + 11008) = 2,097,152 + 2,899,968; × 32.
    expect(loraTrainableParams(llama7, 'all-linear', 64)).toBe(32 * (4 * 64 * 8192 + 3 * 64 * (4096 + 11008)));
    expect(loraTrainableParams(llama7, 'all-linear', 64)).toBe(159_907_840);
  });

  it('GQA makes k and v adapters smaller: Llama-2-70B k at r = 8 is 8 · (8192 + 1024) per layer', () => {
    expect(loraTrainableParams(presetArchitecture('llama-2-70b'), ['k'], 8)).toBe(80 * 8 * (8192 + 1024));
  });

  it('GPT-2: q or v adapt the fused c_attn, once; gate adapts nothing', () => {
    const g = presetArchitecture('gpt2');
    expect(targetedModules(g, ['q', 'v']).map((m) => m.path)).toEqual(['attn.c_attn']);
    expect(loraTrainableParams(g, ['q', 'v'], 8)).toBe(12 * 8 * (768 + 2304));
    expect(loraTrainableParams(g, ['q'], 8)).toBe(loraTrainableParams(g, ['q', 'k', 'v'], 8));
    expect(loraTrainableParams(g, ['gate'], 8)).toBe(0);
  });

  it('rejects a rank that is not a whole number ≥ 1', () => {
    expect(() => loraTrainableParams(llama7, ['q'], 0)).toThrow(RangeError);
    expect(() => loraMatrixParams(4096, 4096, 2.5)).toThrow(RangeError);
    expect(() => trainablePercent(1, 0)).toThrow(RangeError);
  });

  it('round-trips roles through a URL bitmask', () => {
    expect(rolesToMask(['q', 'v'])).toBe(0b101);
    expect(maskToRoles(0b101)).toEqual(['q', 'v']);
    expect(maskToRoles(ALL_ROLES_MASK)).toHaveLength(7);
  });
});

describe('adapter file size', () => {
  it('data bytes are exact: trainable × 4 in fp32, × 2 in fp16 and bf16', () => {
    expect(adapterFileSize(llama7, ['q', 'v'], 8, 'fp32').dataBytes).toBe(4_194_304 * 4);
    expect(adapterFileSize(llama7, ['q', 'v'], 8, 'bf16').dataBytes).toBe(4_194_304 * 2);
    expect(adapterFileSize(llama7, ['q', 'v'], 8, 'fp16').tensors).toBe(128);
  });

  it('estimates the header by writing it: matches the header of a real safetensors file with the same tensors', async () => {
    const { writeSafetensors } = await import('../io/safetensors');
    const tiny = gpt2Architecture('t', 't', { hidden: 16, layers: 2, heads: 2, vocab: 10, positions: 8 });
    const est = adapterFileSize(tiny, ['q', 'down'], 4, 'fp32');
    const entries: [string, { dtype: 'F32'; shape: number[]; data: Float32Array }][] = [];
    for (let l = 0; l < 2; l++) {
      for (const m of targetedModules(tiny, ['q', 'down'])) {
        entries.push([`base_model.model.transformer.h.${l}.${m.path}.lora_A.weight`, { dtype: 'F32', shape: [4, m.in], data: new Float32Array(4 * m.in) }]);
        entries.push([`base_model.model.transformer.h.${l}.${m.path}.lora_B.weight`, { dtype: 'F32', shape: [m.out, 4], data: new Float32Array(4 * m.out) }]);
      }
    }
    const file = writeSafetensors(entries, { format: 'pt' });
    expect(est.totalBytes).toBe(file.length);
    expect(est.headerBytes).toBe(8 + readHeaderLength(file.subarray(0, 8), file.length));
  });
});

describe('fine-tuning memory (docs/numerics.md, ZeRO)', () => {
  const P = totalParameters(llama7);
  const T = 4_194_304;

  it('full fine-tuning: 16 bytes per parameter', () => {
    const m = fineTuneMemory('full', P, T);
    expect(m.totalBytes).toBe(16 * P);
    expect(m.baseBytes).toBe(2 * P);
  });

  it('LoRA: 2 bytes per base parameter + 16 per adapter parameter', () => {
    expect(fineTuneMemory('lora', P, T).totalBytes).toBe(2 * P + 16 * T);
  });

  it('QLoRA given a bare count: 4.127 bits = 0.516 bytes per parameter; 65B → 33.5 GB', () => {
    expect(QLORA_BASE_BYTES_PER_PARAM).toBeCloseTo(0.516, 3);
    expect(fineTuneMemory('qlora', 65e9, 0).baseBytes / 1e9).toBeCloseTo(33.5, 1);
    expect(fineTuneMemory('qlora', P, T).totalBytes).toBeCloseTo(QLORA_BASE_BYTES_PER_PARAM * P + 16 * T, 0);
  });

  it('QLoRA keeps the embedding, lm_head and norms in 16 bits: Llama-2-7B all-linear r = 64 needs 6.42 GB, not 6.03', () => {
    const split = baseParameters(llama7);
    expect(split).toEqual({ total: 6_738_415_616, quantized: 6_476_005_376 });
    // What stays 16-bit: token embedding + lm_head (2 × 32,000 × 4,096) + 65 RMSNorm weights of 4,096.
    expect(split.total - split.quantized).toBe(2 * 32_000 * 4096 + 65 * 4096);
    const all = loraTrainableParams(llama7, 'all-linear', 64);
    expect(all).toBe(159_907_840);
    const m = fineTuneMemory('qlora', split, all);
    expect(m.baseBytes).toBe(QLORA_BASE_BYTES_PER_PARAM * 6_476_005_376 + 2 * 262_410_240);
    expect(formatBytes(m.baseBytes)).toBe('3.87 GB');
    expect(formatBytes(m.totalBytes)).toBe('6.42 GB');
    // Full fine-tuning and LoRA read only the total.
    expect(fineTuneMemory('full', split, all).totalBytes).toBe(16 * P);
    expect(fineTuneMemory('lora', split, T).totalBytes).toBe(2 * P + 16 * T);
  });

  it('QLoRA on GPT-2: the fused c_attn and the other Conv1D weights are NF4, their biases and the tied embeddings 16-bit', () => {
    const gpt2 = presetArchitecture('gpt2');
    const split = baseParameters(gpt2);
    expect(split.quantized).toBe(12 * (3 * 768 * 768 + 768 * 768 + 2 * 4 * 768 * 768));
    expect(split.total).toBe(124_439_808);
  });

  it('rejects a split whose quantized part exceeds the total', () => {
    expect(() => fineTuneMemory('qlora', { total: 10, quantized: 11 }, 0)).toThrow(RangeError);
  });

  it('rejects a non-positive model', () => {
    expect(() => fineTuneMemory('full', 0, 0)).toThrow(RangeError);
  });
});

describe('activation estimate (Korthikanti et al. 2022, eq. 1)', () => {
  it('is layers · s·b·h · (34 + 5as/h)', () => {
    // Llama-2-7B, batch 1, 2048 tokens: 32 · 2048 · 4096 · (34 + 5 · 32 · 2048 / 4096) = 32 · 2048 · 4096 · 114.
    expect(activationBytesEstimate({ layers: 32, hidden: 4096, heads: 32, batch: 1, seq: 2048 })).toBe(32 * 2048 * 4096 * 114);
  });

  it('grows linearly with batch and faster than linearly with sequence length', () => {
    const base = { layers: 2, hidden: 64, heads: 4, batch: 1, seq: 128 };
    expect(activationBytesEstimate({ ...base, batch: 4 })).toBe(4 * activationBytesEstimate(base));
    expect(activationBytesEstimate({ ...base, seq: 256 })).toBeGreaterThan(2 * activationBytesEstimate(base));
  });

  it('rejects zero or fractional sizes', () => {
    expect(() => activationBytesEstimate({ layers: 1, hidden: 64, heads: 4, batch: 0, seq: 8 })).toThrow(/batch/);
  });
});
