import { describe, expect, it } from 'vitest';
import { foldFusedStats } from './gpu';
import { fusedOutputLayout } from '../compute/kernels/cells';
import { ERROR_HISTOGRAM_BINS, type CellLayout, type SliceParams } from './types';

// Two rows of two cells of 4 elements; one slice (scale 0.5).
const layout: CellLayout = { rows: 2, cols: 8, cellCols: 4, cellsPerRow: 2, cells: 4 };
const params: SliceParams = { scale: Float32Array.of(0.5), zeroPoint: Int32Array.of(0), qmin: -8, qmax: 7 };
const signal = { finite: Float32Array.of(4, 4, 3, 4), sumX2: Float32Array.of(1, 2, 3, 4) };
const cellSums = [0.04, 0.08, 0.03, 0];

/** The int32 words of float32 values, as the kernels bit-cast them. */
function bits(values: number[]): number[] {
  return Array.from(new Int32Array(Float32Array.from(values).buffer));
}

describe('foldFusedStats', () => {
  it('a full pass: per-cell sums, then per-thread max |err| and clipped count, then the histogram', () => {
    const cellsPerThread = 2;
    const out = fusedOutputLayout(layout.cells, cellsPerThread, ERROR_HISTOGRAM_BINS);
    const raw = new Int32Array(out.length);
    raw.set(bits(cellSums), 0);
    raw.set([...bits([0.2]), 1, ...bits([0.3]), 2], out.threadOffset); // two threads: (max, clipped)
    raw[out.histOffset + 10] = 9;
    raw[out.histOffset + 40] = 6;
    const s = foldFusedStats(raw, layout, params, signal, 1, cellsPerThread);
    expect(s.count).toBe(15);
    expect(s.nonFinite).toBe(1);
    expect(s.mse).toBeCloseTo((0.04 + 0.08 + 0.03) / 15, 9);
    expect(s.maxAbsError).toBe(Math.fround(0.3));
    expect(s.clippedFraction).toBeCloseTo(3 / 15, 12);
    expect(s.errorHistogram[10]).toBe(9);
    expect(s.errorHistogram[40]).toBe(6);
    expect(Array.from(s.cellMse)).toEqual([0.04 / 4, 0.08 / 4, 0.03 / 3, 0].map(Math.fround));
    expect(s.errorRange).toBe(0.5);
  });

  it('a "sums" pass: only the per-cell sums are read; histogram, max |err| and clipped come from the sorted values', () => {
    const raw = Int32Array.from(bits(cellSums));
    const errorHistogram = new Uint32Array(ERROR_HISTOGRAM_BINS);
    errorHistogram[31] = 15;
    const s = foldFusedStats(raw, layout, params, signal, 1, 2, { errorHistogram, maxAbsError: 0.25, clipped: 5 });
    expect(s.mse).toBeCloseTo((0.04 + 0.08 + 0.03) / 15, 9);
    expect(s.maxAbsError).toBe(0.25);
    expect(s.clippedFraction).toBeCloseTo(5 / 15, 12);
    expect(Array.from(s.errorHistogram)).toEqual(Array.from(errorHistogram));
    expect(Array.from(s.cellMse)).toEqual([0.04 / 4, 0.08 / 4, 0.03 / 3, 0].map(Math.fround));
    expect(s.sqnrDb).toBeCloseTo(10 * Math.log10(10 / 15 / ((0.04 + 0.08 + 0.03) / 15)), 4);
  });
});
