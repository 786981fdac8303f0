import { describe, expect, it } from 'vitest';
import {
  GPU_CARDS,
  GPU_MEMORY_GIB,
  MAX_KV_BATCH,
  MAX_KV_CONTEXT,
  bitsPerParameter,
  fitsInGpu,
  formatBinaryBytes,
  formatBytesIn,
  kvCacheBytes,
  kvCacheBytesPerToken,
  formatBytes,
  formatParameterCount,
  fourBitBitsPerParameter,
  parseParameterCount,
  weightBytes,
} from './index';

describe('weight memory (docs/numerics.md seed figures)', () => {
  it('65B takes 260 GB in FP32 and 32.5 GB in INT4', () => {
    expect(weightBytes(65e9, 'fp32')).toBe(260e9);
    expect(weightBytes(65e9, 'int4')).toBe(32.5e9);
    expect(formatBytes(weightBytes(65e9, 'fp32'))).toBe('260 GB');
    expect(formatBytes(weightBytes(65e9, 'int4'))).toBe('32.5 GB');
  });
  it('70B takes 140 GB in BF16 and 35 GB in INT4', () => {
    expect(weightBytes(70e9, 'bf16')).toBe(140e9);
    expect(weightBytes(70e9, 'int4')).toBe(35e9);
  });
  it('NF4 with double quantization costs 4.127 bits per parameter at block 64', () => {
    // 4 + 8/64 + 32/(64*256) (docs/numerics.md "4-bit blockwise")
    expect(fourBitBitsPerParameter()).toBeCloseTo(4.127, 3);
    expect(fourBitBitsPerParameter()).toBe(4.126953125);
    expect(fourBitBitsPerParameter(64, false)).toBe(4.5);
    expect(bitsPerParameter('nf4-dq')).toBe(4.126953125);
    // QLoRA: 65B -> 33.5 GB of base weights
    expect(formatBytes(weightBytes(65e9, 'nf4-dq'))).toBe('33.5 GB');
  });
  it("reads the registry's bits per weight, under a format's name or its alias", () => {
    expect(['fp32', 'fp16', 'bf16', 'int8', 'int4', 'nf4-dq'].map((f) => bitsPerParameter(f as 'fp32'))).toEqual([32, 16, 16, 8, 4, 4.126953125]);
    expect(bitsPerParameter('int8-channel')).toBe(8);
    expect(bitsPerParameter('int4-group64')).toBe(4);
    expect(weightBytes(65e9, 'int4-group64')).toBe(weightBytes(65e9, 'int4'));
    expect(() => bitsPerParameter('int3' as 'int4')).toThrow(/unknown weight format "int3"/);
  });
  it('rejects a negative or non-finite parameter count', () => {
    expect(() => weightBytes(-1, 'fp32')).toThrow(RangeError);
    expect(() => weightBytes(Number.NaN, 'fp32')).toThrow(RangeError);
  });
});

describe('GPU fit', () => {
  it('compares against binary GiB capacity', () => {
    // 13B in FP16 = 26 GB = 24.2 GiB: does not fit a 24 GiB card.
    expect(fitsInGpu(weightBytes(13e9, 'fp16'), 24)).toBe(false);
    // 7B in FP16 = 14 GB fits 16 GiB; 80 GiB = 85.9 GB holds 70B in INT8 (70 GB).
    expect(fitsInGpu(weightBytes(7e9, 'fp16'), 16)).toBe(true);
    expect(fitsInGpu(weightBytes(70e9, 'int8'), 80)).toBe(true);
    expect(fitsInGpu(80 * 2 ** 30, 80)).toBe(true);
    expect(fitsInGpu(80 * 2 ** 30 + 1, 80)).toBe(false);
  });
});

describe('GPU cards', () => {
  it('are today\'s: 24/32 GB consumer, 48/96 GB workstation, 80/141/192 GB data centre, ascending', () => {
    expect(GPU_MEMORY_GIB).toEqual([24, 32, 48, 80, 96, 141, 192]);
    expect(GPU_CARDS.map((c) => `${c.name} ${c.gib} ${c.tier}`)).toEqual([
      'RTX 4090 24 consumer',
      'RTX 5090 32 consumer',
      'RTX 6000 Ada 48 workstation',
      'H100 80 data centre',
      'RTX PRO 6000 Blackwell 96 workstation',
      'H200 141 data centre',
      'B200 192 data centre',
    ]);
  });
});

describe('KV cache (docs/numerics.md: 2 × layers × kv_heads × head_dim × bytes × tokens)', () => {
  const llama2_7b = { layers: 32, kvHeads: 32, headDim: 128 };
  it('Llama-2-7B in FP16 keeps 0.5 MiB per token', () => {
    expect(kvCacheBytesPerToken(llama2_7b, 'fp16')).toBe(524_288);
    expect(formatBytesIn(kvCacheBytesPerToken(llama2_7b, 'fp16'), 'MiB')).toBe('0.5 MiB');
    expect(formatBinaryBytes(524_288)).toBe('512 KiB');
  });
  it('Llama-2-7B at 4k context × batch 16 in FP16: 32 GiB ≈ 34 GB, against 13.5 GB of FP16 weights', () => {
    const kv = kvCacheBytes(llama2_7b, 'fp16', 4096, 16);
    expect(kv).toBe(32 * 2 ** 30);
    expect(formatBytes(kv)).toBe('34.4 GB');
    expect(formatBytes(weightBytes(6_738_415_616, 'fp16'))).toBe('13.5 GB');
    expect(kv).toBeGreaterThan(2 * weightBytes(6_738_415_616, 'fp16'));
  });
  it('grouped-query attention and smaller dtypes shrink it: Llama-3-8B (8 KV heads) in FP8 is 1/8 of Llama-2-7B in FP16', () => {
    const llama3_8b = { layers: 32, kvHeads: 8, headDim: 128 };
    expect(kvCacheBytesPerToken(llama3_8b, 'bf16')).toBe(131_072);
    expect(kvCacheBytesPerToken(llama3_8b, 'fp8')).toBe(65_536);
    expect(kvCacheBytesPerToken(llama3_8b, 'int8')).toBe(65_536);
    expect(kvCacheBytesPerToken(llama3_8b, 'int4')).toBe(32_768);
  });
  it('scales with context × batch and rejects sizes out of range', () => {
    expect(kvCacheBytes(llama2_7b, 'fp16', 1, 1)).toBe(524_288);
    expect(kvCacheBytes(llama2_7b, 'fp16', 100, 3)).toBe(300 * 524_288);
    expect(kvCacheBytes(llama2_7b, 'fp16', MAX_KV_CONTEXT, MAX_KV_BATCH)).toBe(2 ** 20 * 1024 * 524_288);
    expect(() => kvCacheBytes(llama2_7b, 'fp16', 0, 1)).toThrow(RangeError);
    expect(() => kvCacheBytes(llama2_7b, 'fp16', 1.5, 1)).toThrow(RangeError);
    expect(() => kvCacheBytes(llama2_7b, 'fp16', MAX_KV_CONTEXT + 1, 1)).toThrow(RangeError);
    expect(() => kvCacheBytes(llama2_7b, 'fp16', 8, MAX_KV_BATCH + 1)).toThrow(RangeError);
    expect(() => kvCacheBytesPerToken({ layers: 0, kvHeads: 8, headDim: 128 }, 'fp16')).toThrow(RangeError);
  });
});

describe('parseParameterCount', () => {
  it.each([
    ['7B', 7e9],
    ['7b', 7e9],
    ['1.5B', 1.5e9],
    ['405 B', 405e9],
    ['350M', 350e6],
    ['7', 7e9],
    ['7e9', 7e9],
    ['7,000,000,000', 7e9],
    ['2T', 2e12],
  ])('%s -> %d', (text, n) => {
    expect(parseParameterCount(text)).toEqual({ ok: true, parameters: n });
  });
  it.each(['', '   ', 'seven', '7GB', '-3B', '0', '1e20'])('rejects %j with a message', (text) => {
    const r = parseParameterCount(text);
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.error.length).toBeGreaterThan(10);
  });
});

describe('formatting', () => {
  it('formats bytes and parameter counts', () => {
    expect(formatBytes(3.24e12)).toBe('3.24 TB');
    expect(formatBytes(500e6)).toBe('500 MB');
    expect(formatBytes(1620e9)).toBe('1.62 TB');
    expect(formatBytes(0)).toBe('0 B');
    expect(formatParameterCount(7e9)).toBe('7B');
    expect(formatParameterCount(1.5e9)).toBe('1.5B');
    expect(formatParameterCount(350e6)).toBe('350M');
    expect(formatParameterCount(405e9)).toBe('405B');
  });
});
