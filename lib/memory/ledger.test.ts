import { describe, expect, it } from 'vitest';
import { presetArchitecture } from '../lora/architectures';
import { formatBytes, trimNumber } from './index';
import { formatTokens, memoryChartScale, memoryFormatChoices, memoryLedger, parseWholeNumber } from './ledger';

// Llama-2-7B: 6,738,415,616 parameters; 32 layers, 32 KV heads of 128 values (docs/numerics.md, "Memory").
const LLAMA2_7B_PARAMS = 6_738_415_616;
const GIB = 2 ** 30;

describe('memoryLedger (docs/numerics.md check values)', () => {
  it('Llama-2-7B at 4,096 tokens × 16 in FP16: 0.5 MiB a token, 34.4 GB of cache against 13.5 GB of weights', () => {
    const arch = presetArchitecture('llama-2-7b');
    const l = memoryLedger({ parameters: LLAMA2_7B_PARAMS, attention: arch, kvDtype: 'fp16', context: 4096, batch: 16, formats: ['fp16', 'int4'] });
    expect(l.kvPerToken).toBe(2 * 32 * 32 * 128 * 2); // 524,288 B
    expect(l.kv).toBe(524_288 * 4096 * 16); // 32 GiB
    expect(formatBytes(l.kv)).toBe('34.4 GB');
    expect(l.fp16Weights).toBe(LLAMA2_7B_PARAMS * 2);
    expect(formatBytes(l.fp16Weights)).toBe('13.5 GB');
    expect(trimNumber(l.kvToFp16Weights)).toBe('2.55'); // 34,359,738,368 / 13,476,831,232
    const [fp16, int4] = l.rows;
    expect(fp16).toMatchObject({ format: 'fp16', bits: 16, weights: LLAMA2_7B_PARAMS * 2, total: LLAMA2_7B_PARAMS * 2 + 32 * GIB });
    // 47.8 GB: over a 32 GiB card (34.4 GB), inside a 48 GiB one (51.5 GB); cards 24, 32, 48, 80, 96, 141, 192.
    expect(fp16.fits).toEqual([false, false, true, true, true, true, true]);
    expect(fp16.fitsAnyCard).toBe(true);
    // INT4 counts the codes only: 6.74B × 0.5 B = 3.37 GB, plus the same cache = 37.7 GB, still over 32 GiB.
    expect(int4).toMatchObject({ format: 'int4', bits: 4, weights: LLAMA2_7B_PARAMS / 2 });
    expect(int4.fits).toEqual([false, false, true, true, true, true, true]);
  });

  it('a bare parameter count has no KV cache: weights only', () => {
    const l = memoryLedger({ parameters: 13e9, attention: null, kvDtype: 'fp16', context: 4096, batch: 1, formats: ['fp16', 'fp32', 'nf4-dq'] });
    expect(l.kv).toBe(0);
    expect(l.kvPerToken).toBe(0);
    expect(l.rows.map((r) => r.total)).toEqual([26e9, 52e9, (13e9 * 4.126953125) / 8]);
    // 26 GB = 24.2 GiB: not a 24 GiB card.
    expect(l.rows[0].fits.slice(0, 2)).toEqual([false, true]);
  });

  it('marks what no single card holds: 405B in FP32 is 1.62 TB', () => {
    const l = memoryLedger({ parameters: 405e9, attention: null, kvDtype: 'fp16', context: 1, batch: 1, formats: ['fp32'] });
    expect(l.rows[0].fits.every((f) => !f)).toBe(true);
    expect(l.rows[0].fitsAnyCard).toBe(false);
  });

  it('passes lib/memory\'s range checks on', () => {
    const arch = presetArchitecture('llama-2-7b');
    expect(() => memoryLedger({ parameters: 7e9, attention: arch, kvDtype: 'fp16', context: 2 ** 21, batch: 1, formats: ['fp16'] })).toThrow(RangeError);
    expect(() => memoryLedger({ parameters: 7e9, attention: null, kvDtype: 'fp16', context: 1, batch: 1, formats: ['fp9' as 'fp16'] })).toThrow(/unknown weight format "fp9"/);
  });
});

describe('memoryChartScale', () => {
  it('spans 1.04 × the largest bar, or the smallest card when every bar is smaller', () => {
    expect(memoryChartScale([1e9]).domain).toBe(24 * GIB * 1.04);
    expect(memoryChartScale([]).domain).toBe(24 * GIB * 1.04);
    expect(memoryChartScale([100e9, 300e9]).domain).toBe(300e9 * 1.04);
  });

  it('places the cards inside the domain, spreading crowded labels over three rows', () => {
    const s = memoryChartScale([300e9]); // 312 GB: every card (192 GiB = 206 GB) is inside
    expect(s.markers.map((m) => m.gib)).toEqual([24, 32, 48, 80, 96, 141, 192]);
    expect(s.markers[0].at).toBeCloseTo((100 * 24 * GIB) / 312e9, 12);
    // 24 → 8.26 % (row 0), 32 → 11.0 % (2.75 from row 0's: row 1), 48 → 16.5 % (8.26 and 5.51 away: row 2),
    // 80 → 27.5 % (row 0), 96 → 33.0 % (5.51 from 80: row 1), 141 → 48.5 % and 192 → 66.1 % (row 0).
    expect(s.markers.map((m) => m.row)).toEqual([0, 1, 2, 0, 1, 0, 0]);
    expect(memoryChartScale([20 * GIB]).markers.map((m) => m.gib)).toEqual([24]);
  });
});

describe('memoryFormatChoices', () => {
  it("is the registry's formats with FP16 and BF16 (both 16 bits) in one row, keyed by the short names", () => {
    expect(memoryFormatChoices()).toEqual([
      { format: 'fp32', label: 'FP32', key: 'fp32' },
      { format: 'fp16', label: 'FP16 / BF16', key: 'fp16' },
      { format: 'int8-channel', label: 'INT8', key: 'int8' },
      { format: 'int4-group64', label: 'INT4', key: 'int4' },
      { format: 'nf4-dq', label: 'NF4 + DQ', key: 'nf4-dq' },
    ]);
  });
});

describe('parseWholeNumber and formatTokens', () => {
  it('reads a whole number in range, ignoring separators, and names the range otherwise', () => {
    expect(parseWholeNumber(' 4,096 ', 1, 8192, 'The context length')).toEqual({ ok: true, value: 4096 });
    expect(parseWholeNumber('1_024', 1, 8192, 'x')).toEqual({ ok: true, value: 1024 });
    for (const bad of ['', '2.5', '0', '9000', 'abc']) {
      expect(parseWholeNumber(bad, 1, 8192, 'The batch')).toEqual({ ok: false, error: 'The batch must be a whole number from 1 to 8,192.' });
    }
  });

  it('writes token counts with their k / M shorthand', () => {
    expect(formatTokens(1)).toBe('1 token');
    expect(formatTokens(1000)).toBe('1,000 tokens');
    expect(formatTokens(4096)).toBe('4,096 tokens (4k)');
    expect(formatTokens(3 * 2 ** 20)).toBe('3,145,728 tokens (3M)');
    expect(formatTokens(2 ** 20 + 1024)).toBe('1,049,600 tokens (1025k)');
  });
});
