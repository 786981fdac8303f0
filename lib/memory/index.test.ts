import { describe, expect, it } from 'vitest';
import {
  bitsPerParameter,
  fitsInGpu,
  formatBytes,
  formatParameterCount,
  fourBitBitsPerParameter,
  parseParameterCount,
  weightBytes,
} from './index';

describe('weight memory (NUMERICS.md seed figures)', () => {
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
    // 4 + 8/64 + 32/(64*256) (NUMERICS.md "4-bit blockwise")
    expect(fourBitBitsPerParameter()).toBeCloseTo(4.127, 3);
    expect(fourBitBitsPerParameter()).toBe(4.126953125);
    expect(fourBitBitsPerParameter(64, false)).toBe(4.5);
    expect(bitsPerParameter('nf4-dq')).toBe(4.126953125);
    // QLoRA: 65B -> 33.5 GB of base weights
    expect(formatBytes(weightBytes(65e9, 'nf4-dq'))).toBe('33.5 GB');
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
