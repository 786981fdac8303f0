import { describe, expect, it } from 'vitest';
import { normalArray } from '../random';
import { gptq, gptqHessian, gptqProxyLoss, gptqRoundToNearest } from './gptq';
import { gptqTrace } from './gptq-trace';

// The trace is gptq.ts's arithmetic with one block spanning every column (docs/numerics.md, GPTQ).

function correlatedInputs(n: number, cols: number, seed: number): Float32Array {
  const z = normalArray(n * (cols + 1), seed);
  const x = new Float32Array(n * cols);
  for (let t = 0; t < n; t++) for (let j = 0; j < cols; j++) x[t * cols + j] = (z[t * (cols + 1) + j] + 0.8 * z[t * (cols + 1) + j + 1]) * (1 + (j % 5));
  return x;
}

const rows = 12, cols = 32;
const w = normalArray(rows * cols, 3);
const h = gptqHessian(correlatedInputs(200, cols, 4), [200, cols]);

/** Relative closeness: the dequantized weights are float32, the trace float64. */
const near = (a: number, b: number, rel = 1e-6) => expect(Math.abs(a - b)).toBeLessThanOrEqual(rel * Math.abs(b));

function runAll(o: Parameters<typeof gptqTrace>[3]) {
  const t = gptqTrace(w, [rows, cols], h, o);
  const steps = [...t.steps];
  return { t, steps };
}

describe('gptqTrace', () => {
  for (const o of [
    { bits: 4 },
    { bits: 3, groupSize: 8 },
    { bits: 3, groupSize: 8, actOrder: true },
    { bits: 2, actOrder: true, symmetric: true },
  ]) {
    it(`ends with gptq()'s codes (blockSize = cols) and its proxy loss: ${JSON.stringify(o)}`, () => {
      const { t, steps } = runAll(o);
      const ref = gptq(w, [rows, cols], h, { ...o, blockSize: cols });
      expect(Array.from(t.q)).toEqual(Array.from(ref.q));
      expect(Array.from(t.order)).toEqual(Array.from(ref.order));
      expect(steps.map((s) => s.column)).toEqual(Array.from(ref.order));
      const last = steps[steps.length - 1];
      // Σ err² is the proxy loss with the dampened H, and twice the reference's printed error.
      near(last.loss, gptqProxyLoss(w, ref.weight, [rows, cols], t.dampedHessian));
      near(last.loss, 2 * ref.loss, 1e-12);
      // The current weights are the dequantized ones once every column is done.
      for (let i = 0; i < w.length; i++) expect(t.current[i]).toBeCloseTo(ref.weight[i], 6);
      // RTN's running loss ends at its proxy loss, and GPTQ's is below it.
      near(last.rtnLoss, gptqProxyLoss(w, t.rtnWeight, [rows, cols], t.dampedHessian));
      expect(last.loss).toBeLessThan(last.rtnLoss);
      // Running losses never fall.
      for (let i = 1; i < steps.length; i++) expect(steps[i].loss).toBeGreaterThanOrEqual(steps[i - 1].loss);
    });
  }

  it("without act-order, its RTN is gptqRoundToNearest's", () => {
    const { t } = runAll({ bits: 3, groupSize: 8 });
    expect(Array.from(t.rtnWeight)).toEqual(Array.from(gptqRoundToNearest(w, [rows, cols], { bits: 3, groupSize: 8 }).weight));
  });

  it('pushes each error onto the later columns only', () => {
    const t = gptqTrace(w, [rows, cols], h, { bits: 4 });
    const first = t.steps.next();
    expect(first.done).toBe(false);
    // Column 0 is quantized; the others moved; nothing before it (there is nothing) — and the
    // column's value is now on the grid.
    let moved = 0;
    for (let r = 0; r < rows; r++) for (let j = 1; j < cols; j++) if (t.current[r * cols + j] !== w[r * cols + j]) moved++;
    expect(moved).toBeGreaterThan(0);
    expect(t.q.subarray(0, 1)[0]).toBe((first.value as { codes: Int32Array }).codes[0]);
  });

  it('rejects bad shapes and groups', () => {
    expect(() => gptqTrace(w, [rows, cols + 1], h, { bits: 4 })).toThrow(RangeError);
    expect(() => gptqTrace(w, [rows, cols], h, { bits: 4, groupSize: 5 })).toThrow(/groupSize/);
  });
});
