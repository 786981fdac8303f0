import { describe, expect, it } from 'vitest';
import type { TinyLMConfig } from './config';
import { modelStorage, parameterCount } from './model-memory';

// The shipped model's shape (scripts/pretrain): 4 layers, 4 heads, 128 wide, context 128, 63 characters.
const config: TinyLMConfig = { vocab_size: 63, n_layer: 4, n_head: 4, n_embd: 128, block_size: 128, layer_norm_eps: 1e-5, tokenizer: { type: 'byte' } };

describe('model storage', () => {
  it('counts nanoGPT parameters: 12 C² + 13 C per block plus embeddings and ln_f', () => {
    const C = 128;
    expect(parameterCount(config)).toBe(4 * (12 * C * C + 13 * C) + 63 * C + 128 * C + 2 * C);
  });
  it('splits Linear weights (quantized) from the rest (float32)', () => {
    const fp32 = modelStorage(config, 'fp32');
    expect(fp32.linearParams).toBe(4 * 12 * 128 * 128);
    expect(fp32.linearBytes).toBe(4 * fp32.linearParams);
    expect(fp32.totalBytes).toBe(4 * parameterCount(config));
    expect(modelStorage(config, 'fp16').linearBitsPerWeight).toBe(16);
    // One float32 scale per output row: 384 + 128 + 512 + 128 rows over 12 C² weights a block.
    expect(modelStorage(config, 'int8-channel').linearBitsPerWeight).toBeCloseTo(8 + (32 * 1152) / (12 * 128 * 128), 10);
    expect(modelStorage(config, 'int4-group64').linearBitsPerWeight).toBeCloseTo(4 + 36 / 64, 10);
    const nf4 = modelStorage(config, 'nf4-dq');
    expect(nf4.linearBitsPerWeight).toBeGreaterThan(4.12);
    expect(nf4.linearBitsPerWeight).toBeLessThan(4.14);
    expect(nf4.otherBytes).toBe(fp32.otherBytes);
  });
});
