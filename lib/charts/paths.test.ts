import { describe, expect, it } from 'vitest';
import { barsPath, levelsPath } from './paths';

describe('barsPath', () => {
  const x = (i: number) => i * 10;
  const y = (c: number) => 100 - c;
  it('draws one closed bar per non-empty bin, inset 0.4 per side', () => {
    expect(barsPath([0, 5, 0], x, y, 100)).toBe('M10.40,100V95.00H19.60V100Z');
  });
  it('leaves out skipped bins and keeps a lone count one unit tall', () => {
    expect(barsPath([1, 5], x, (c) => 100 - c / 1000, 100, (i) => i === 1)).toBe('M0.40,100V99.00H9.60V100Z');
  });
  it('widens a bar narrower than 1.5 units about its centre', () => {
    expect(barsPath([3], (i) => i, y, 100)).toBe('M-0.25,100V97.00H1.25V100Z');
  });
});

describe('levelsPath', () => {
  it('draws the levels inside the domain and counts them', () => {
    const r = levelsPath(Float32Array.from([-2, -1, 0, 1, 2]), -1, 1, (v) => 10 * v + 50, 5, 95);
    expect(r.inView).toBe(3);
    expect(r.path).toBe('M40.00,5V95M50.00,5V95M60.00,5V95');
  });
  it('skips NaN levels', () => {
    expect(levelsPath([NaN, 0], -1, 1, (v) => v, 0, 1).inView).toBe(1);
  });
});
