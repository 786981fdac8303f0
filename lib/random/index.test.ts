import { describe, expect, it } from 'vitest';
import { mulberry32, normalArray } from './index';

describe('mulberry32', () => {
  it('is deterministic per seed and differs across seeds', () => {
    const a = mulberry32(42), b = mulberry32(42), c = mulberry32(43);
    const xs = Array.from({ length: 5 }, a);
    expect(Array.from({ length: 5 }, b)).toEqual(xs);
    expect(Array.from({ length: 5 }, c)).not.toEqual(xs);
    for (const x of xs) expect(x >= 0 && x < 1).toBe(true);
  });
});

describe('normalArray', () => {
  it('has the requested mean and standard deviation', () => {
    const x = normalArray(200_001, 7, 1.5, 0.5);
    expect(x.length).toBe(200_001);
    let s = 0, s2 = 0;
    for (const v of x) { s += v; s2 += v * v; }
    const mean = s / x.length;
    const std = Math.sqrt(s2 / x.length - mean * mean);
    expect(mean).toBeCloseTo(1.5, 2);
    expect(std).toBeCloseTo(0.5, 2);
    expect(x.every(Number.isFinite)).toBe(true);
  });
  it('is reproducible', () => {
    expect(normalArray(9, 3)).toEqual(normalArray(9, 3));
  });
});
