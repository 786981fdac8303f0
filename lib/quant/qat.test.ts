import { describe, expect, it } from 'vitest';
import { dequantizeGroupwise, quantizeGroupwise } from './per-channel';
import { fakeQuantizeWeight, lsq, lsqGradScale, lsqInitialStep, lsqRange } from './qat';
import { syntheticMatrix } from '../tensors/synthetic';

describe('fakeQuantizeWeight', () => {
  it('hand case, 2-bit affine per row: [−1, 0, 0.5, 2] → scale 1, zero 1, [−1, 0, 0, 2] (0.5 ties to the even code)', () => {
    const r = fakeQuantizeWeight(Float32Array.from([-1, 0, 0.5, 2]), [1, 4], { bits: 2, groupSize: -1, symmetric: false });
    expect(Array.from(r.y)).toEqual([-1, 0, 0, 2]);
    expect(Array.from(r.mask)).toEqual([1, 1, 1, 1]);
  });

  it('hand case, 2-bit symmetric: the top of [−1, 0.5, 2] needs code 2 on [−2, 1], clamps, and the STE blocks its gradient', () => {
    const r = fakeQuantizeWeight(Float32Array.from([-1, 0.5, 2]), [1, 3], { bits: 2, groupSize: -1, symmetric: true });
    const s = Math.fround(2 / 1.5);
    expect(Array.from(r.y)).toEqual([-s, 0, s].map(Math.fround));
    expect(Array.from(r.mask)).toEqual([1, 1, 0]);
  });

  it('equals quantize-then-dequantize group by group, at every width and both grids', () => {
    const w = syntheticMatrix({ distribution: 'outliers', rows: 6, cols: 32, seed: 9 });
    for (const symmetric of [false, true]) {
      for (const groupSize of [-1, 8]) {
        const o = { bits: 4, signed: symmetric, symmetric, groupSize: groupSize === -1 ? 32 : groupSize };
        const q = quantizeGroupwise(w, [6, 32], o);
        const want = dequantizeGroupwise(q.q, [6, 32], q.scale, q.zeroPoint, o.groupSize);
        expect(fakeQuantizeWeight(w, [6, 32], { bits: 4, groupSize, symmetric }).y).toEqual(want);
      }
    }
  });

  it('rejects shapes, group sizes and bit widths it cannot use', () => {
    const w = new Float32Array(12);
    expect(() => fakeQuantizeWeight(w, [3, 5], { bits: 4, groupSize: -1, symmetric: true })).toThrow(/needs 15 values/);
    expect(() => fakeQuantizeWeight(w, [3, 4], { bits: 4, groupSize: 3, symmetric: true })).toThrow(/divide/);
    expect(() => fakeQuantizeWeight(w, [3, 4], { bits: 9, groupSize: -1, symmetric: true })).toThrow(/bits/);
  });
});

describe('LSQ', () => {
  it('hand case at 2 bits signed (codes −2 … 1), step 1: values, the STE mask and the step gradient', () => {
    const r = lsqRange(2, true);
    expect(r).toEqual({ qn: 2, qp: 1 });
    const out = lsq([-3, -1.4, 0.5, 0.6, 2], 1, r, [1, 1, 1, 1, 1], 1);
    expect(Array.from(out.y)).toEqual([-2, -1, 0, 1, 1]);
    expect(Array.from(out.dv)).toEqual([0, 1, 1, 1, 0]);
    // −2 (below) + (−1 + 1.4) + (0 − 0.5) + (1 − 0.6) + 1 (above)
    expect(out.ds).toBeCloseTo(-0.7, 12);
  });

  it('scales the step gradient by g, and the initial step and g follow the paper', () => {
    const r = lsqRange(4, true);
    expect(lsq([0.3, 9], 1, r, [1, 1], 0.5).ds).toBeCloseTo(0.5 * ((0 - 0.3) + 7), 12);
    expect(lsqInitialStep([1, -1, 2, -2], r)).toBeCloseTo((2 * 1.5) / Math.sqrt(7), 12);
    expect(lsqGradScale(100, r)).toBeCloseTo(1 / Math.sqrt(700), 12);
    expect(lsqRange(3, false)).toEqual({ qn: 0, qp: 7 });
  });

  it('rejects a step that is not positive and a gradient of the wrong length', () => {
    expect(() => lsq([1], 0, lsqRange(4, true), [1], 1)).toThrow(/step/);
    expect(() => lsq([1, 2], 1, lsqRange(4, true), [1], 1)).toThrow(/dy/);
  });
});
