import { describe, expect, it } from 'vitest';
import { lsqRange } from './qat';
import { staircase, steDescentStep } from './ste';

const r2 = lsqRange(2, true); // codes −2 … 1

describe('staircase', () => {
  it('draws each level between its decision points, clamped at both ends of the view', () => {
    expect(staircase(1, r2, -3, 3)).toEqual([
      { x: -3, y: -2 }, { x: -1.5, y: -2 },
      { x: -1.5, y: -1 }, { x: -0.5, y: -1 },
      { x: -0.5, y: 0 }, { x: 0.5, y: 0 },
      { x: 0.5, y: 1 }, { x: 3, y: 1 },
    ]);
  });

  it('leaves out levels outside the view and rejects a bad step', () => {
    expect(staircase(1, r2, 0, 1)).toEqual([{ x: 0, y: 0 }, { x: 0.5, y: 0 }, { x: 0.5, y: 1 }, { x: 1, y: 1 }]);
    expect(() => staircase(0, r2, 0, 1)).toThrow(/step/);
  });
});

describe('steDescentStep', () => {
  it('inside the grid the STE moves w toward the target, though the true gradient is 0', () => {
    // w = 0.3 rounds to 0; target 1: dL/dŵ = −2, passed through: w ← 0.3 + 0.25 · 2 = 0.8, which rounds to 1.
    const s = steDescentStep(0.3, 1, r2, 1, 0.25);
    expect(s).toMatchObject({ quantized: 0, loss: 1, steGradient: -2, trueGradient: 0, inside: true });
    expect(s.w).toBeCloseTo(0.8, 12);
    expect(steDescentStep(s.w, 1, r2, 1, 0.25).quantized).toBe(1);
    // LSQ's step gradient at w = 0.3: −2 · (0 − 0.3) = 0.6.
    expect(s.stepGradient).toBeCloseTo(0.6, 12);
  });

  it('past the grid’s end the code is clamped and the STE passes nothing: w stays put', () => {
    const s = steDescentStep(2.4, 1, r2, 0, 0.25);
    expect(s).toMatchObject({ quantized: 1, steGradient: 0, w: 2.4, inside: false });
    // The step still learns: dL/ds = 2 · (1 − 0) · qp = 2.
    expect(s.stepGradient).toBe(2);
  });
});
