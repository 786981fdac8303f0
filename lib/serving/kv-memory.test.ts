import { describe, expect, it } from 'vitest';
import { presetArchitecture, totalParameters } from '../lora/architectures';
import { kvCacheBytes, kvCacheBytesPerToken, weightBytes } from '../memory';
import { kvCrossoverContext, kvCurve } from './kv-memory';

// docs/numerics.md, "Serving": bytes = 2 × layers × KV heads × head_dim × bytes per value × context × batch.
describe('KV cache against the weights', () => {
  const llama2 = presetArchitecture('llama-2-7b');
  it('Llama-2-7B in FP16 keeps 0.5 MiB per token: 2 × 32 × 32 × 128 × 2 bytes', () => {
    expect(kvCacheBytesPerToken(llama2, 'fp16')).toBe(2 * 32 * 32 * 128 * 2);
    expect(kvCacheBytesPerToken(llama2, 'fp16')).toBe(0.5 * 2 ** 20);
  });
  it('GQA: Llama-3-8B keeps 8 KV heads of 32, a quarter of Llama-2-7B’s cache', () => {
    const l3 = presetArchitecture('llama-3-8b');
    expect(l3.kvHeads).toBeLessThan(l3.heads);
    expect(kvCacheBytesPerToken(l3, 'fp16') * 4).toBe(kvCacheBytesPerToken(llama2, 'fp16'));
  });
  it('the crossover context is the first at which the cache reaches the weights', () => {
    const w = weightBytes(totalParameters(llama2), 'fp16');
    expect(w).toBe(13_476_831_232);
    const c = kvCrossoverContext(llama2, 'fp16', 1, 'fp16')!;
    expect(c).toBe(25_706);
    expect(kvCacheBytes(llama2, 'fp16', c, 1)).toBeGreaterThanOrEqual(w);
    expect(kvCacheBytes(llama2, 'fp16', c - 1, 1)).toBeLessThan(w);
    // 16 sequences reach it 16× sooner; an FP8 cache takes twice the context.
    expect(kvCrossoverContext(llama2, 'fp16', 16, 'fp16')).toBe(Math.ceil(w / (524_288 * 16)));
    expect(kvCrossoverContext(llama2, 'fp8', 1, 'fp16')).toBe(Math.ceil(w / 262_144));
  });
  it('null when the cache never reaches the weights within the longest context', () => {
    expect(kvCrossoverContext(presetArchitecture('llama-3.1-405b'), 'int4', 1, 'fp16')).toBeNull();
  });
  it('the curve doubles with each doubling of context', () => {
    const pts = kvCurve(llama2, 'fp16', 2, 7, 9);
    expect(pts.map((p) => p.context)).toEqual([128, 256, 512]);
    expect(pts.map((p) => p.bytes)).toEqual([128, 256, 512].map((c) => c * 2 * 524_288));
  });
});
