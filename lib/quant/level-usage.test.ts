import { describe, expect, it } from 'vitest';
import { levelMse, levelSets } from './four-bit-compare';
import { sampleRow } from './four-bit-samples';
import { levelShares, nearestIndex, scaledByBlockAbsmax } from './level-usage';

describe('scaledByBlockAbsmax', () => {
  it('divides each block by its absmax and leaves zero blocks at 0', () => {
    const s = scaledByBlockAbsmax(new Float32Array([1, -2, 0.5, 0, 0, 0]), 2);
    expect(Array.from(s)).toEqual([0.5, -1, 1, 0, 0, 0]);
  });
});

describe('nearestIndex', () => {
  it('finds the nearest level and takes the lower one on a tie', () => {
    expect(nearestIndex([-1, 0, 1], 0.49)).toBe(1);
    expect(nearestIndex([-1, 0, 1], 0.5)).toBe(1);
    expect(nearestIndex([-1, 0, 1], 0.51)).toBe(2);
    expect(nearestIndex([-1, 0, 1], -7)).toBe(0);
  });
});

describe('levelShares', () => {
  it('spreads normal weights more evenly over NF4 levels than over INT4 levels (QLoRA eq. 4)', () => {
    const x = sampleRow('normal', 65536, 3);
    const sets = levelSets();
    const spread = (shares: Float64Array) => Math.max(...shares) / (1 / shares.length);
    const nf4 = levelShares(x, levelMse(x, 'nf4').dequantized, sets.nf4, 64);
    const int4 = levelShares(x, levelMse(x, 'int4').dequantized, sets.int4, 64);
    expect(nf4.reduce((a, b) => a + b, 0)).toBeCloseTo(1, 12);
    expect(spread(nf4)).toBeLessThan(spread(int4));
    // The absmax weight of every block lands on ±1: at least 1/64 of the weights sit on the two end levels.
    expect(nf4[0] + nf4[15]).toBeGreaterThanOrEqual(1 / 64);
  });
  it('rejects mismatched lengths', () => {
    expect(() => levelShares(new Float32Array(2), new Float32Array(3), [0], 2)).toThrow(/2 values/);
  });
});
