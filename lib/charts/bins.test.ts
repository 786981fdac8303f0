import { describe, expect, it } from 'vitest';
import { binEdge, blockRange, downsampleGrid, extentOf, logAxisTicks, mergeBins, mergedBinIndex } from './bins';

describe('mergeBins', () => {
  it('merges 2048 fine bins into 128 bins of 16, keeping every count', () => {
    const fine = new Uint32Array(2048);
    for (let i = 0; i < fine.length; i++) fine[i] = i % 7;
    const m = mergeBins(fine, 128);
    expect(m.group).toBe(16);
    expect(m.counts.length).toBe(128);
    expect(m.starts.length).toBe(129);
    expect(m.starts[0]).toBe(0);
    expect(m.starts[128]).toBe(2048);
    let want = 0;
    for (let k = 16; k < 32; k++) want += fine[k];
    expect(m.counts[1]).toBe(want);
    const total = fine.reduce((a, b) => a + b, 0);
    expect(m.total).toBe(total);
    expect(m.counts.reduce((a, b) => a + b, 0)).toBe(total);
    expect(m.max).toBe(Math.max(...m.counts));
  });

  it('merges whole fine bins when the count does not divide: the last bin holds the remainder', () => {
    const fine = Uint32Array.from({ length: 10 }, (_, i) => i + 1); // 1..10, total 55
    const m = mergeBins(fine, 4);
    expect(m.group).toBe(3);
    expect(Array.from(m.starts)).toEqual([0, 3, 6, 9, 10]);
    expect(Array.from(m.counts)).toEqual([1 + 2 + 3, 4 + 5 + 6, 7 + 8 + 9, 10]);
    expect(m.total).toBe(55);
  });

  it('keeps a histogram that is already small enough, and survives empty input and bad targets', () => {
    const fine = Uint32Array.from([3, 0, 5]);
    const m = mergeBins(fine, 128);
    expect(m.group).toBe(1);
    expect(Array.from(m.counts)).toEqual([3, 0, 5]);
    const empty = mergeBins(new Uint32Array(0), 64);
    expect(empty.counts.length).toBe(0);
    expect(Array.from(empty.starts)).toEqual([0]);
    expect(mergeBins(fine, 0).counts.length).toBe(1);
    expect(mergeBins(fine, Number.NaN).counts.length).toBe(1);
  });

  it('finds the display bin of a value, with hi in the last bin and outside values at -1', () => {
    const m = mergeBins(new Uint32Array(2048), 128); // 128 bins over [-1, 1], each 1/64 wide
    expect(mergedBinIndex(m, -1, 1, -1)).toBe(0);
    expect(mergedBinIndex(m, -1, 1, 1)).toBe(127);
    expect(mergedBinIndex(m, -1, 1, 0)).toBe(64);
    expect(mergedBinIndex(m, -1, 1, -1e-9)).toBe(63);
    expect(mergedBinIndex(m, -1, 1, 1.0001)).toBe(-1);
    expect(mergedBinIndex(m, -1, 1, Number.NaN)).toBe(-1);
    expect(binEdge(-1, 1, 2048, m.starts[64])).toBe(0);
    expect(binEdge(-1, 1, 2048, 2048)).toBe(1);
  });
});

describe('downsampleGrid', () => {
  it('averages blocks, including partial edge blocks', () => {
    // 3 x 5 grid, values r * 10 + c; at most 2 x 2 blocks -> blocks of 2 x 3.
    const rows = 3;
    const cols = 5;
    const v = Float32Array.from({ length: rows * cols }, (_, i) => Math.floor(i / cols) * 10 + (i % cols));
    const d = downsampleGrid(v, rows, cols, 2, 2);
    expect(d).toMatchObject({ rows: 2, cols: 2, blockRows: 2, blockCols: 3 });
    const mean = (xs: number[]) => xs.reduce((a, b) => a + b, 0) / xs.length;
    expect(d.values[0]).toBeCloseTo(mean([0, 1, 2, 10, 11, 12]), 6);
    expect(d.values[1]).toBeCloseTo(mean([3, 4, 13, 14]), 6);
    expect(d.values[2]).toBeCloseTo(mean([20, 21, 22]), 6);
    expect(d.values[3]).toBeCloseTo(mean([23, 24]), 6);
  });

  it('maps 2048 x 16 to 128 x 16 blocks of 16 x 1 and keeps a small grid as is', () => {
    const v = new Float32Array(2048 * 16).fill(2);
    const d = downsampleGrid(v, 2048, 16, 128, 64);
    expect(d).toMatchObject({ rows: 128, cols: 16, blockRows: 16, blockCols: 1 });
    expect(d.values.every((x) => x === 2)).toBe(true);
    const small = downsampleGrid(Float32Array.from([1, 2, 3, 4]), 2, 2, 128, 64);
    expect(Array.from(small.values)).toEqual([1, 2, 3, 4]);
    expect(small.blockRows).toBe(1);
  });

  it('leaves non-finite cells out of a block mean; an all-NaN block is NaN', () => {
    const v = Float32Array.from([1, Number.NaN, 3, Infinity, Number.NaN, Number.NaN]);
    const d = downsampleGrid(v, 3, 2, 2, 1); // blocks: rows 0-1, row 2
    expect(d.values[0]).toBeCloseTo(2, 6);
    expect(Number.isNaN(d.values[1])).toBe(true);
  });

  it('rejects a grid whose size does not match', () => {
    expect(() => downsampleGrid(new Float32Array(5), 2, 3, 8, 8)).toThrow(RangeError);
  });

  it('gives each block its source range', () => {
    expect(blockRange(0, 16, 2048)).toEqual([0, 16]);
    expect(blockRange(1, 3, 5)).toEqual([3, 5]);
  });
});

describe('extentOf', () => {
  it('finds min, max, smallest positive, and counts of non-positive and non-finite values', () => {
    const e = extentOf(Float32Array.from([0, 3, -1, 0.5, Number.NaN, Infinity]));
    expect(e).toEqual({ min: -1, max: 3, minPositive: 0.5, nonPositive: 2, nonFinite: 2 });
    const none = extentOf(Float32Array.from([Number.NaN]));
    expect(Number.isNaN(none.min) && Number.isNaN(none.max) && Number.isNaN(none.minPositive)).toBe(true);
  });
});

describe('logAxisTicks', () => {
  it('uses whole decades when four or more fit, thinned evenly to the count', () => {
    expect(logAxisTicks(2e-9, 3e-5)).toEqual([1e-8, 1e-7, 1e-6, 1e-5]);
    const wide = logAxisTicks(1e-12, 1, 5);
    expect(wide).toEqual([1e-12, 1e-9, 1e-6, 1e-3, 1]);
  });

  it('steps by 1-3-10 or 1-2-5 when fewer decades fit, so the legend still has three or more numbers', () => {
    expect(logAxisTicks(1.05e-7, 4.4e-5)).toEqual([3e-7, 1e-6, 3e-6, 1e-5, 3e-5]);
    expect(logAxisTicks(1.5, 25)).toEqual([2, 5, 10, 20]);
  });

  it('falls back to geometrically even values inside a narrow range', () => {
    const t = logAxisTicks(2.1, 3.9, 3);
    expect(t[0]).toBe(2.1);
    expect(t[1]).toBeCloseTo(Math.sqrt(2.1 * 3.9), 12);
    expect(t[2]).toBe(3.9);
    expect(logAxisTicks(5, 5)).toEqual([5]);
    expect(logAxisTicks(0, 5)).toEqual([]);
  });

  it('keeps every tick inside the range and ascending', () => {
    for (const [a, b] of [[1e-9, 1e-8], [0.37, 0.41], [3e-7, 9e-3], [1, 1e6]]) {
      const t = logAxisTicks(a, b);
      expect(t.length).toBeGreaterThanOrEqual(2);
      expect(t.length).toBeLessThanOrEqual(5);
      for (let i = 0; i < t.length; i++) {
        expect(t[i]).toBeGreaterThanOrEqual(a * (1 - 1e-9));
        expect(t[i]).toBeLessThanOrEqual(b * (1 + 1e-9));
        if (i > 0) expect(t[i]).toBeGreaterThan(t[i - 1]);
      }
    }
  });
});
