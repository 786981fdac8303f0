import { describe, expect, it } from 'vitest';
import { computeQParams } from './affine';
import { clipEdges, gridLevels, quantizeOne } from './grid';

describe('grid', () => {
  const p = computeQParams(-1, 2, { bits: 8, signed: false, symmetric: false }); // scale 3/255, zp 85
  it('lists the representable values', () => {
    const g = gridLevels(p.scale, p.zeroPoint, p.qmin, p.qmax);
    expect(g.length).toBe(256);
    expect(g[85]).toBe(0);
    expect(g[0]).toBeCloseTo(-1, 6);
    expect(g[255]).toBeCloseTo(2, 6);
  });
  it('finds the clip edges half a step beyond the end levels', () => {
    const e = clipEdges(p.scale, p.zeroPoint, p.qmin, p.qmax);
    expect(e.lo).toBeCloseTo(-1 - p.scale / 2, 6);
    expect(e.hi).toBeCloseTo(2 + p.scale / 2, 6);
  });
  it('follows one value through: docs/numerics.md 0.5 -> 127 (42.5 ties to 42)', () => {
    expect(quantizeOne(0.5, p.scale, p.zeroPoint, p.qmin, p.qmax)).toMatchObject({ q: 127, clipped: false });
    expect(quantizeOne(0.5, p.scale, p.zeroPoint, p.qmin, p.qmax).xhat).toBeCloseTo(0.49411765, 7);
    expect(quantizeOne(5, p.scale, p.zeroPoint, p.qmin, p.qmax)).toMatchObject({ q: 255, clipped: true });
  });
});
