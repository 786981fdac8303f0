import { describe, expect, it } from 'vitest';
import { parameterBreakdown, presetArchitecture } from '../lora/architectures';
import { loraTrainableParams } from '../lora/params';
import { weightBytes } from '../memory';
import { baseFlopsPerToken, mergedServing, separateServing } from './adapters';

// Hu et al. 2021 (LoRA), Sheng et al. 2023 (S-LoRA); docs/numerics.md, "Serving".
describe('serving LoRA adapters', () => {
  const a = presetArchitecture('llama-2-7b');
  const o = { targets: ['q', 'v'] as const, r: 8, adapters: 10, format: 'fp16' as const, adapterBytes: 2 };
  it('merged: one full copy of the model per adapter, no extra FLOPs', () => {
    const m = mergedServing(a, o);
    expect(m.bytes).toBe(10 * weightBytes(6_738_415_616, 'fp16'));
    expect(m.extraFlopsPerToken).toBe(0);
  });
  it('separate: the base once plus r·(in + out) per adapted Linear per adapter; 2 FLOPs per adapter parameter', () => {
    const s = separateServing(a, o);
    expect(loraTrainableParams(a, ['q', 'v'], 8)).toBe(4_194_304);
    expect(s.bytes).toBe(weightBytes(6_738_415_616, 'fp16') + 10 * 4_194_304 * 2);
    expect(s.extraFlopsPerToken).toBe(8_388_608);
    expect(s.flopsPerToken).toBe(baseFlopsPerToken(a) + 8_388_608);
  });
  it('the base model does 2 FLOPs per Linear weight and per lm_head weight per token', () => {
    const b = parameterBreakdown(a);
    expect(baseFlopsPerToken(a)).toBe(2 * (b.linear + 32000 * 4096));
    expect(baseFlopsPerToken(a)).toBe(2 * (6_738_415_616 - 32000 * 4096 - (2 * 32 + 1) * 4096));
  });
  it('rejects bad counts', () => {
    expect(() => separateServing(a, { ...o, adapters: 0 })).toThrow(RangeError);
    expect(() => mergedServing(a, { ...o, r: 0 })).toThrow(RangeError);
  });
});
