import { describe, expect, it } from 'vitest';
import { countAxis, countPhrase, formatCount, formatWhole, histogramDomain, paddedDomain } from './axes';

describe('count wording', () => {
  it('formats counts compactly and whole', () => {
    expect(formatCount(12345)).toBe('12.3K');
    expect(formatCount(7)).toBe('7');
    expect(formatWhole(1234567)).toBe('1,234,567');
  });
  it('gives a count, its noun and its share', () => {
    expect(countPhrase(1234, 1_000_000)).toBe('1,234 weights (0.123%)');
    expect(countPhrase(1, 1_000_000)).toBe('1 weight (<0.01%)');
    expect(countPhrase(0, 10)).toBe('0 weights (0%)');
    expect(countPhrase(5, 0, 'values')).toBe('5 values (0%)');
    expect(countPhrase(1, 4, 'values')).toBe('1 value (25%)');
  });
});

describe('countAxis', () => {
  it('linear: count 0 on the baseline, the niced top at the top, whole ticks', () => {
    const a = countAxis(37, false, 10, 210);
    expect(a.y(0)).toBe(210);
    expect(a.ticks).toEqual([0, 10, 20, 30, 40]);
    expect(a.y(40)).toBe(10);
    expect(a.y(20)).toBe(110);
  });
  it('log: count + 1, so 0 sits on the baseline and 1 is above it; ticks 0 and powers of ten', () => {
    const a = countAxis(99_999, true, 0, 100);
    expect(a.y(0)).toBeCloseTo(100, 9);
    expect(a.y(1)).toBeLessThan(100);
    expect(a.y(99_999)).toBeCloseTo(0, 9);
    expect(a.ticks).toEqual([0, 10, 100, 1000, 10000]);
  });
  it('log keeps at most four decades, always including the top one', () => {
    expect(countAxis(10 ** 8, true, 0, 100).ticks).toEqual([0, 100, 10_000, 1_000_000, 100_000_000]);
  });
  it('an empty histogram still has an axis', () => {
    expect(countAxis(0, false, 0, 100).ticks).toEqual([0, 1]);
  });
});

describe('paddedDomain', () => {
  it('pads by 8% of the span, at least padFloor', () => {
    expect(paddedDomain(1, 2, 0.01)).toEqual([1 - 0.08, 2 + 0.08]);
    expect(paddedDomain(1, 1.01, 0.01)).toEqual([0.99, 1.02]);
  });
  it('a flat series at v is padded by 5% of |v|, at zero by 1', () => {
    expect(paddedDomain(4, 4, 0)).toEqual([3.8, 4.2]);
    expect(paddedDomain(0, 0, 0)).toEqual([-1, 1]);
  });
});

describe('histogramDomain', () => {
  it('is the data range when the clip range lies inside it', () => {
    expect(histogramDomain(-1, 3, -0.5, 2)).toEqual({ d0: -1, d1: 3, dataLo: -1, dataHi: 3 });
  });
  it('widens towards a clip bound outside the data by at most half the span', () => {
    // data [0, 2] (span 2); symmetric grid [-2, 2]: widened to -1 (half the span), not -2.
    expect(histogramDomain(0, 2, -2, 2)).toEqual({ d0: -1, d1: 2, dataLo: 0, dataHi: 2 });
    expect(histogramDomain(0, 2, -0.5, 2.5)).toEqual({ d0: -0.5, d1: 2.5, dataLo: 0, dataHi: 2 });
  });
  it('pads a single value and replaces a non-finite range by [-1, 1]', () => {
    const p = histogramDomain(2, 2, NaN, NaN);
    expect(p.d0).toBeCloseTo(1.9, 12);
    expect(p.d1).toBeCloseTo(2.1, 12);
    expect(histogramDomain(NaN, 1, 0, 0)).toEqual({ d0: -1, d1: 1, dataLo: -1, dataHi: 1 });
  });
});
