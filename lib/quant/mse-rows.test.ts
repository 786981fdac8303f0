import { describe, expect, it } from 'vitest';
import { computeQParams } from './affine';
import { fakeQuantize } from './fake-quantize';
import { mseClippedRows } from './mse-rows';
import { syntheticMatrix } from '../tensors/synthetic';

function rowMse(a: Float32Array, b: Float32Array, r: number, cols: number): number {
  let s = 0;
  for (let j = r * cols; j < (r + 1) * cols; j++) s += (a[j] - b[j]) ** 2;
  return s / cols;
}

describe('mseClippedRows', () => {
  it('never does worse than min–max round-to-nearest on a row, and clips the rows an outlier stretches', () => {
    const rows = 32, cols = 128;
    const w = syntheticMatrix({ distribution: 'laplace', rows, cols, seed: 4 });
    const out = mseClippedRows(w, [rows, cols], 3);
    let clipped = 0;
    for (let r = 0; r < rows; r++) {
      const row = w.subarray(r * cols, (r + 1) * cols);
      const p = computeQParams(Math.min(...row), Math.max(...row), { bits: 3, signed: false, symmetric: false });
      const minmax = new Float32Array(w.length);
      minmax.set(fakeQuantize(row, p.scale, p.zeroPoint, p.qmin, p.qmax).y, r * cols);
      // The search scores ranges on the histogram, so allow a hair above min–max's exact error.
      expect(rowMse(out.weight, w, r, cols)).toBeLessThanOrEqual(rowMse(minmax, w, r, cols) * 1.001);
      if (out.clipRatios[r] < 1) clipped++;
    }
    expect(clipped).toBeGreaterThan(rows / 2); // heavy tails: most rows are better clipped at 3 bits
  });

  it('rejects bad bits and shapes', () => {
    expect(() => mseClippedRows(new Float32Array(4), [2, 2], 1)).toThrow(RangeError);
    expect(() => mseClippedRows(new Float32Array(4), [3, 2], 4)).toThrow(RangeError);
  });
});
