import { describe, expect, it } from 'vitest';
import { computeQParams, dequantizeAffine, finiteMinMax, quantizeAffine, roundHalfEven, QPARAM_EPS } from '../quant/affine';
import {
  analyzeReference,
  bitsPerWeight,
  cellLayout,
  cellMinMax,
  computeSliceParams,
  quantizeSlices,
  runLabReference,
  sliceCount,
  sliceOfCell,
  sliceRanges,
  tensorRange,
  validateLabInput,
} from './lab';
import { histogramBin, histogramInvWidth, valueHistogram } from '../quant/histogram';
import { ERROR_HISTOGRAM_BINS } from './types';
import type { LabSettings } from './types';
import { mulberry32, normalArray } from '../random';

function settings(over: Partial<LabSettings> = {}): LabSettings {
  return { bits: 8, signed: false, symmetric: false, granularity: 'tensor', groupSize: 64, calibration: 'minmax', percentile: 99.9, ...over };
}

function pipeline(x: Float32Array, rows: number, cols: number, s: LabSettings) {
  const layout = cellLayout(rows, cols, s);
  const cells = cellMinMax(x, layout);
  const ranges = sliceRanges(cells, layout, s);
  const params = computeSliceParams(ranges, s);
  return { layout, cells, ranges, params, q: quantizeSlices(x, layout, params, s), stats: analyzeReference(x, layout, params, s) };
}

function sum(a: ArrayLike<number>): number {
  let t = 0;
  for (let i = 0; i < a.length; i++) t += a[i];
  return t;
}

describe('cellLayout / slices', () => {
  it('uses 64-column cells, the largest divisor <= 64 when 64 does not divide, and groups for group-wise', () => {
    expect(cellLayout(16, 1024, settings())).toEqual({ rows: 16, cols: 1024, cellCols: 64, cellsPerRow: 16, cells: 256 });
    expect(cellLayout(3, 8, settings()).cellCols).toBe(8);
    expect(cellLayout(2, 100, settings({ granularity: 'channel' })).cellCols).toBe(50);
    expect(cellLayout(2, 97, settings()).cellCols).toBe(1);
    expect(cellLayout(4, 1024, settings({ granularity: 'group', groupSize: 128 }))).toEqual({ rows: 4, cols: 1024, cellCols: 128, cellsPerRow: 8, cells: 32 });
    expect(() => cellLayout(4, 1024, settings({ granularity: 'group', groupSize: 48 }))).toThrow(RangeError);
  });
  it('maps cells to slices: tensor -> 0, channel -> row, group -> cell', () => {
    const l = cellLayout(3, 256, settings());
    expect(l.cellsPerRow).toBe(4);
    expect(sliceCount(l, settings())).toBe(1);
    expect(sliceCount(l, settings({ granularity: 'channel' }))).toBe(3);
    expect([0, 3, 4, 11].map((c) => sliceOfCell(c, l, settings({ granularity: 'channel' })))).toEqual([0, 0, 1, 2]);
    expect([0, 3, 4, 11].map((c) => sliceOfCell(c, l, settings()))).toEqual([0, 0, 0, 0]);
    const g = cellLayout(3, 256, settings({ granularity: 'group', groupSize: 32 }));
    expect(sliceCount(g, settings({ granularity: 'group', groupSize: 32 }))).toBe(24);
    expect(sliceOfCell(17, g, settings({ granularity: 'group', groupSize: 32 }))).toBe(17);
  });
});

describe('validateLabInput', () => {
  it('accepts valid settings', () => {
    expect(validateLabInput(4, 1024, settings())).toEqual([]);
    expect(validateLabInput(4, 1024, settings({ bits: 2, granularity: 'group', groupSize: 128 }))).toEqual([]);
    expect(validateLabInput(4, 1024, settings({ calibration: 'percentile', percentile: 100 }))).toEqual([]);
    // The percentile field is not read by other calibrations.
    expect(validateLabInput(4, 1024, settings({ calibration: 'mse', percentile: 0 }))).toEqual([]);
  });
  it('rejects 1-bit, 9-bit and fractional bits', () => {
    expect(validateLabInput(4, 64, settings({ bits: 9 }))).toEqual(['Bits must be a whole number from 2 to 8; got 9.']);
    expect(validateLabInput(4, 64, settings({ bits: 1 }))).toEqual(['Bits must be a whole number from 2 to 8; got 1.']);
    expect(validateLabInput(4, 64, settings({ bits: 4.5 }))).toHaveLength(1);
  });
  it('rejects a group size that does not divide the row', () => {
    expect(validateLabInput(4, 1024, settings({ granularity: 'group', groupSize: 48 }))).toEqual(['A group of 48 does not divide a row of 1024 weights.']);
    expect(validateLabInput(4, 1024, settings({ granularity: 'group', groupSize: 0 }))[0]).toMatch(/group size/);
  });
  it('rejects bad shapes and percentiles', () => {
    expect(validateLabInput(0, 64, settings())[0]).toMatch(/rows.*got 0/);
    expect(validateLabInput(4, 2.5, settings())[0]).toMatch(/columns.*got 2\.5/);
    expect(validateLabInput(4, 64, settings({ calibration: 'percentile', percentile: 50 }))[0]).toMatch(/percentile.*got 50/);
    expect(validateLabInput(4, 64, settings({ calibration: 'percentile', percentile: 100.5 }))).toHaveLength(1);
  });
  it('allows percentile and MSE calibration per tensor only', () => {
    const e = validateLabInput(4, 64, settings({ granularity: 'channel', calibration: 'mse' }));
    expect(e).toHaveLength(1);
    expect(e[0]).toMatch(/per tensor only/);
    expect(e[0]).toMatch(/per-channel and group-wise ranges use the min–max/);
    expect(validateLabInput(4, 64, settings({ granularity: 'group', groupSize: 32, calibration: 'percentile' }))[0]).toMatch(/^Percentile/);
  });
});

describe('quantizeSlices (docs/numerics.md affine check)', () => {
  it('[-1, 0, 0.5, 2], unsigned 8-bit affine, 1x4 per tensor: scale 3/255, zp 85, q = [0, 85, 127, 255]', () => {
    const x = new Float32Array([-1, 0, 0.5, 2]);
    const { params, q, stats } = pipeline(x, 1, 4, settings());
    expect(params.scale[0]).toBe(Math.fround(3 / 255));
    expect(params.zeroPoint[0]).toBe(85);
    expect(Array.from(q)).toEqual([0, 85, 127, 255]);
    // x' = [-1, 0, 0.49411765, 2]: the largest error is 0.5 - 0.49411765.
    expect(stats.maxAbsError).toBeCloseTo(0.5 - 0.49411765, 7);
    expect(stats.clippedFraction).toBe(0);
  });
  it('signed 8-bit symmetric: q = [-64, 0, 32, 127], with no clipping', () => {
    const x = new Float32Array([-1, 0, 0.5, 2]);
    const { params, q, stats } = pipeline(x, 1, 4, settings({ signed: true, symmetric: true }));
    expect(params.scale[0]).toBe(Math.fround(2 / 127.5));
    expect(Array.from(q)).toEqual([-64, 0, 32, 127]);
    // 2 / scale would be 127.5, but in float32 2 · fround(1/scale) = 127.49999237 rounds to 127: not clipped.
    expect(stats.clippedFraction).toBe(0);
  });
});

// A 2 x 8 matrix, 2-bit unsigned affine (qmin 0, qmax 3), hand-computed.
const M = new Float32Array([
  0, 1, 2, 3, -1.5, -1, -0.5, 0,
  0, 0.25, 0.5, 0.75, -6, 0, 3, 6,
]);
const TWO_BIT = settings({ bits: 2 });

describe('per-channel and group-wise slices (2 x 8, 2-bit unsigned affine)', () => {
  it('group-wise, groups of 4: each group gets its own scale and zero-point', () => {
    const s = { ...TWO_BIT, granularity: 'group' as const, groupSize: 4 };
    const { layout, ranges, params, q, stats } = pipeline(M, 2, 8, s);
    expect(layout.cells).toBe(4);
    expect(Array.from(ranges.min)).toEqual([0, -1.5, 0, -6]);
    expect(Array.from(ranges.max)).toEqual([3, 0, 0.75, 6]);
    // [0,3]: 3/3 = 1, zp 0; [-1.5,0]: 0.5, zp 0 - round(-3) = 3; [0,0.75]: 0.25, zp 0; [-6,6]: 12/3 = 4, zp 0 - round(-1.5) = 2.
    expect(Array.from(params.scale)).toEqual([1, 0.5, 0.25, 4]);
    expect(Array.from(params.zeroPoint)).toEqual([0, 3, 0, 2]);
    // Last group: t = [-1.5, 0, 0.75, 1.5] -> r = [-2, 0, 1, 2] -> u = [0, 2, 3, 4] -> q = [0, 2, 3, 3] (4 clipped).
    expect(Array.from(q)).toEqual([0, 1, 2, 3, 0, 1, 2, 3, 0, 1, 2, 3, 0, 2, 3, 3]);
    // x' of the last group = [-8, 0, 4, 4], err = [-2, 0, 1, -2]; all other groups are exact.
    expect(stats.count).toBe(16);
    expect(stats.clippedFraction).toBe(1 / 16);
    expect(stats.mse).toBe(9 / 16);
    expect(stats.maxAbsError).toBe(2);
    expect(Array.from(stats.cellMse)).toEqual([0, 0, 0, 9 / 4]);
    const sumX2 = 17.5 + 81.875;
    expect(stats.sqnrDb).toBeCloseTo(10 * Math.log10(sumX2 / 16 / (9 / 16)), 12);
    // errorRange = max scale = 4; 64 bins over [-4, 4] of width 1/8: err -2 -> bin 16, 0 -> 32, 1 -> 40.
    expect(stats.errorRange).toBe(4);
    const h = Array.from(stats.errorHistogram);
    expect(h[16]).toBe(2);
    expect(h[32]).toBe(13);
    expect(h[40]).toBe(1);
    expect(sum(h)).toBe(16);
  });
  it('per-channel: one scale and zero-point per row', () => {
    const s = { ...TWO_BIT, granularity: 'channel' as const };
    const { ranges, params, q, stats } = pipeline(M, 2, 8, s);
    expect(Array.from(ranges.min)).toEqual([-1.5, -6]);
    expect(Array.from(ranges.max)).toEqual([3, 6]);
    // Row 0: [-1.5, 3] -> scale 4.5/3 = 1.5, zp = 0 - round(-1) = 1; row 1: scale 4, zp 2.
    expect(Array.from(params.scale)).toEqual([1.5, 4]);
    expect(Array.from(params.zeroPoint)).toEqual([1, 2]);
    // Row 0: x/1.5 = [0, .67, 1.33, 2, -1, -.67, -.33, 0] -> r = [0, 1, 1, 2, -1, -1, 0, 0] -> q = r + 1.
    // Row 1: x/4 = [0, .0625, .125, .1875, -1.5, 0, .75, 1.5] -> r = [0, 0, 0, 0, -2, 0, 1, 2] -> u = r + 2, 4 clipped to 3.
    expect(Array.from(q)).toEqual([1, 2, 2, 3, 0, 0, 1, 1, 2, 2, 2, 2, 0, 2, 3, 3]);
    expect(stats.clippedFraction).toBe(1 / 16);
    expect(stats.errorRange).toBe(4);
    expect(sum(stats.errorHistogram)).toBe(16);
  });
  it('per-tensor: one range [-6, 6] for everything', () => {
    const { params, q } = pipeline(M, 2, 8, TWO_BIT);
    expect(Array.from(params.scale)).toEqual([4]);
    expect(Array.from(params.zeroPoint)).toEqual([2]);
    expect(Array.from(q.subarray(8))).toEqual([2, 2, 2, 2, 0, 2, 3, 3]);
  });
  it('matches quantizeAffine/dequantizeAffine slice by slice on a random matrix', () => {
    const rows = 6, cols = 96;
    const x = normalArray(rows * cols, 7, 0, 0.05);
    for (let r = 0; r < rows; r++) x[r * cols + 5] *= 1 + 4 * r; // rows of different spread
    for (const s of [settings({ bits: 4, granularity: 'channel' }), settings({ bits: 3, signed: true, symmetric: true, granularity: 'group', groupSize: 32 })]) {
      const { layout, params, q, stats } = pipeline(x, rows, cols, s);
      const slice = s.granularity === 'channel' ? cols : s.groupSize;
      let sumErr2 = 0, clipped = 0;
      for (let k = 0; k < (rows * cols) / slice; k++) {
        const part = x.subarray(k * slice, (k + 1) * slice);
        const mm = finiteMinMax(part);
        const p = computeQParams(mm.min, mm.max, s);
        expect(params.scale[k]).toBe(p.scale);
        expect(params.zeroPoint[k]).toBe(p.zeroPoint);
        const qk = quantizeAffine(part, p.scale, p.zeroPoint, p.qmin, p.qmax);
        expect(Array.from(q.subarray(k * slice, (k + 1) * slice))).toEqual(Array.from(qk));
        const xr = dequantizeAffine(qk, p.scale, p.zeroPoint);
        const err = new Float32Array(slice);
        for (let i = 0; i < slice; i++) err[i] = xr[i] - part[i];
        for (let i = 0; i < slice; i++) {
          sumErr2 += err[i] * err[i];
          const u = p.zeroPoint + roundHalfEven(Math.fround(part[i] * Math.fround(1 / p.scale)));
          if (u < p.qmin || u > p.qmax) clipped++;
        }
      }
      expect(stats.mse).toBeCloseTo(sumErr2 / (rows * cols), 15);
      expect(stats.clippedFraction).toBe(clipped / (rows * cols));
      expect(stats.cellMse.length).toBe(layout.cells);
      expect(sum(stats.errorHistogram)).toBe(rows * cols);
      // Unclipped errors are within half a scale.
      expect(stats.maxAbsError).toBeLessThanOrEqual(Math.max(...params.scale) / 2 + 1e-7);
    }
  });
});

describe('bad values', () => {
  it('excludes and counts NaN and infinities everywhere', () => {
    const x = new Float32Array([1, Number.NaN, -1, Infinity, 0.5, -Infinity, 0, 0.25]);
    const s = settings({ bits: 4 });
    const { cells, ranges, params, q, stats } = pipeline(x, 2, 4, s);
    expect(Array.from(cells.nonFinite)).toEqual([2, 1]);
    expect(tensorRange(cells)).toEqual({ min: -1, max: 1, nonFinite: 3 });
    expect(Array.from(ranges.min)).toEqual([-1]);
    expect(Array.from(ranges.max)).toEqual([1]);
    const zp = params.zeroPoint[0];
    expect(q[1]).toBe(zp);
    expect(q[3]).toBe(15);
    expect(q[5]).toBe(0);
    expect(stats.count).toBe(5);
    expect(stats.nonFinite).toBe(3);
    expect(Number.isFinite(stats.mse)).toBe(true);
    expect(Number.isFinite(stats.sqnrDb)).toBe(true);
    expect(stats.clippedFraction).toBe(0);
    expect(sum(stats.errorHistogram)).toBe(5);
  });
  it('a cell with no finite value has min +Inf, max -Inf; its slice gets [0, 0]', () => {
    const x = new Float32Array([Number.NaN, Infinity, 2, 3]);
    const s = settings({ granularity: 'channel' });
    const layout = cellLayout(2, 2, s);
    const cells = cellMinMax(x, layout);
    expect(cells.min[0]).toBe(Infinity);
    expect(cells.max[0]).toBe(-Infinity);
    const r = sliceRanges(cells, layout, s);
    expect(Array.from(r.min)).toEqual([0, 2]);
    expect(Array.from(r.max)).toEqual([0, 3]);
    const stats = analyzeReference(x, layout, computeSliceParams(r, s), s);
    expect(Array.from(stats.cellMse)[0]).toBe(0);
    expect(stats.count).toBe(2);
  });
  it('an all-zero tensor: scale falls back to eps, no NaN anywhere, mse 0, SQNR Infinity', () => {
    const x = new Float32Array(16);
    for (const g of ['tensor', 'channel', 'group'] as const) {
      const s = settings({ bits: 4, signed: true, granularity: g, groupSize: 4 });
      const { params, q, stats } = pipeline(x, 2, 8, s);
      expect(params.scale.every((v) => v === Math.fround(QPARAM_EPS))).toBe(true);
      expect(q.every((v) => v === params.zeroPoint[0])).toBe(true);
      expect(stats.mse).toBe(0);
      expect(stats.maxAbsError).toBe(0);
      expect(stats.sqnrDb).toBe(Infinity);
      expect(stats.cellMse.every((v) => v === 0)).toBe(true);
      expect(stats.errorRange).toBe(QPARAM_EPS);
      expect(stats.errorHistogram[ERROR_HISTOGRAM_BINS / 2]).toBe(16);
    }
  });
  it('an all-equal non-zero tensor quantizes without NaN (range widened to hold 0)', () => {
    const x = new Float32Array(8).fill(0.3);
    const { params, stats } = pipeline(x, 1, 8, settings());
    expect(params.scale[0]).toBe(Math.fround(Math.fround(0.3) / 255));
    expect(stats.mse).toBeLessThan(1e-12);
    expect(Number.isNaN(stats.sqnrDb)).toBe(false);
    expect(stats.sqnrDb).toBeGreaterThan(100);
  });
  it('a tensor with no finite value: count 0, mse 0, SQNR Infinity (documented)', () => {
    const r = runLabReference(new Float32Array([Number.NaN, Number.NaN, Infinity, -Infinity]), 2, 2, settings({ calibration: 'mse' }));
    expect(r.ok).toBe(true);
    if (!r.ok) return;
    expect(r.stats.count).toBe(0);
    expect(r.stats.nonFinite).toBe(4);
    expect(r.stats.mse).toBe(0);
    expect(r.stats.sqnrDb).toBe(Infinity);
    expect(r.stats.clippedFraction).toBe(0);
    expect(sum(r.stats.errorHistogram)).toBe(0);
  });
  it('clipping is counted when a calibrated range is narrower than the data', () => {
    const x = new Float32Array([-1.2, -0.5, 0, 0.5, 1, 10]);
    const s = settings({ bits: 4, signed: true, symmetric: true });
    const layout = cellLayout(1, 6, s);
    const params = computeSliceParams({ min: Float32Array.of(-1), max: Float32Array.of(1) }, s);
    const stats = analyzeReference(x, layout, params, s);
    // scale = fround(1/7.5), 1/scale = 7.4999995 in float32: -1.2 -> -9 < -8 and 10 -> 75 > 7 are clipped; 1 -> 7 fits.
    expect(params.scale[0]).toBe(Math.fround(1 / 7.5));
    expect(stats.clippedFraction).toBe(2 / 6);
    expect(stats.maxAbsError).toBeCloseTo(10 - 7 * Math.fround(1 / 7.5), 5);
    // Errors beyond ±errorRange land in the end bins: 10 -> x' = 0.93 (err -9.07), -1.2 -> x' = -1.07 (err +0.13 = +scale).
    expect(stats.errorRange).toBe(params.scale[0]);
    expect(stats.errorHistogram[0]).toBe(1);
    expect(stats.errorHistogram[ERROR_HISTOGRAM_BINS - 1]).toBe(1);
    expect(sum(stats.errorHistogram)).toBe(6);
  });
});

describe('valueHistogram', () => {
  it('bins finite values with float32 arithmetic, clamping the top edge into the last bin', () => {
    const x = new Float32Array([0, 0.5, 1.49, 2.5, 3.99, 4, Number.NaN, Infinity]);
    expect(Array.from(valueHistogram(x, 0, 4, 4))).toEqual([2, 1, 1, 2]);
    expect(Array.from(valueHistogram(x, 2, 2, 3))).toEqual([6, 0, 0]);
    expect(histogramInvWidth(0, 4, 4)).toBe(1);
    expect(histogramInvWidth(1, 1, 4)).toBe(0);
    expect(histogramBin(-5, 0, 1, 4)).toBe(0);
    expect(histogramBin(Number.NaN, 0, 1, 4)).toBe(0);
  });
  it('sums to the finite count', () => {
    const x = normalArray(5000, 3);
    const mm = finiteMinMax(x);
    expect(sum(valueHistogram(x, mm.min, mm.max, 2048))).toBe(5000);
  });
});

describe('bitsPerWeight', () => {
  it('adds a float32 scale per slice and a b-bit zero-point when asymmetric', () => {
    const g = settings({ bits: 4, symmetric: true, granularity: 'group', groupSize: 64 });
    expect(bitsPerWeight(g, cellLayout(4096, 4096, g))).toBe(4.5);
    const ga = { ...g, symmetric: false };
    expect(bitsPerWeight(ga, cellLayout(4096, 4096, ga))).toBe(4 + 36 / 64);
    const g128 = { ...g, groupSize: 128 };
    expect(bitsPerWeight(g128, cellLayout(4096, 4096, g128))).toBe(4.25);
    const c = settings({ bits: 8, granularity: 'channel' });
    expect(bitsPerWeight(c, cellLayout(4096, 4096, c))).toBe(8 + 40 / 4096);
    const t = settings({ bits: 8, symmetric: true });
    expect(bitsPerWeight(t, cellLayout(1024, 1024, t))).toBe(8 + 32 / 2 ** 20);
  });
});

describe('runLabReference', () => {
  it('returns messages instead of throwing on bad input', () => {
    const r = runLabReference(new Float32Array(8), 2, 4, settings({ bits: 1 }));
    expect(r).toEqual({ ok: false, errors: ['Bits must be a whole number from 2 to 8; got 1.'] });
    const r2 = runLabReference(new Float32Array(7), 2, 4, settings());
    expect(r2.ok).toBe(false);
    if (!r2.ok) expect(r2.errors[0]).toMatch(/7 values.*needs 8/);
  });
  it('runs the whole pipeline: min-max matches the step-by-step functions', () => {
    const x = normalArray(8 * 128, 11, 0, 0.02);
    const s = settings({ bits: 4, symmetric: true, signed: true, granularity: 'group', groupSize: 32 });
    const r = runLabReference(x, 8, 128, s);
    expect(r.ok).toBe(true);
    if (!r.ok) return;
    const p = pipeline(x, 8, 128, s);
    expect(r.params).toEqual(p.params);
    expect(r.stats).toEqual(p.stats);
    expect(r.bitsPerWeight).toBe(5);
    expect(r.calibration.method).toBe('minmax');
    expect(r.calibration.histogram).toBeUndefined();
  });
  it('percentile 100 quantizes exactly as min-max', () => {
    const x = normalArray(4 * 64, 5);
    const a = runLabReference(x, 4, 64, settings({ calibration: 'percentile', percentile: 100 }));
    const b = runLabReference(x, 4, 64, settings());
    expect(a.ok && b.ok).toBe(true);
    if (!a.ok || !b.ok) return;
    expect(a.params).toEqual(b.params);
    expect(a.stats).toEqual(b.stats);
    expect(a.calibration.lo).toBe(b.calibration.tensorMin);
    expect(sum(a.calibration.histogram!)).toBe(256);
  });
  it('MSE calibration lowers the measured error on a heavy-tailed tensor with outliers (4-bit)', () => {
    const n = 64 * 64;
    const x = laplace(n, 21, 1);
    x[10] = 40; x[2000] = -40; x[3000] = 38;
    const s = settings({ bits: 4 });
    const mse = runLabReference(x, 64, 64, { ...s, calibration: 'mse' });
    const mm = runLabReference(x, 64, 64, s);
    expect(mse.ok && mm.ok).toBe(true);
    if (!mse.ok || !mm.ok) return;
    expect(mse.calibration.clipRatio!).toBeLessThan(1);
    expect(mse.stats.mse).toBeLessThan(mm.stats.mse);
    expect(mse.stats.clippedFraction).toBeGreaterThan(0);
  });
});

/** Laplace(0, b) samples: -b · sign(u) · ln(1 - 2|u|), u uniform in (-1/2, 1/2). */
function laplace(n: number, seed: number, b: number): Float32Array {
  const rand = mulberry32(seed);
  const out = new Float32Array(n);
  for (let i = 0; i < n; i++) {
    const u = rand() - 0.5;
    out[i] = -b * Math.sign(u) * Math.log(1 - 2 * Math.abs(u));
  }
  return out;
}
