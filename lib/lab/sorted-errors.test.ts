import { describe, expect, it } from 'vitest';
import { computeQParams, integerRange } from '../quant/affine';
import { analyzeReference, cellLayout } from './lab';
import { sortValues, sortedErrorStats, sortedFinite } from './sorted-errors';
import { ERROR_HISTOGRAM_BINS, type LabSettings } from './types';
import { normalArray } from '../random';

function settings(over: Partial<LabSettings> = {}): LabSettings {
  return { bits: 8, signed: false, symmetric: false, granularity: 'tensor', groupSize: 64, calibration: 'minmax', percentile: 99.9, ...over };
}

/** The per-element oracle: analyzeReference with one slice over the whole tensor and the range [lo, hi]. */
function oracle(x: Float32Array, cols: number, s: LabSettings, lo: number, hi: number) {
  const layout = cellLayout(x.length / cols, cols, s);
  const p = computeQParams(lo, hi, s);
  const { qmin, qmax } = integerRange(s.bits, s.signed);
  const params = { scale: Float32Array.of(p.scale), zeroPoint: Int32Array.of(p.zeroPoint), qmin, qmax };
  return { params, stats: analyzeReference(x, layout, params, s) };
}

function check(x: Float32Array, cols: number, s: LabSettings, lo: number, hi: number) {
  const { params, stats } = oracle(x, cols, s, lo, hi);
  const got = sortedErrorStats(sortValues(x), params.scale[0], params.zeroPoint[0], params.qmin, params.qmax, stats.errorRange, ERROR_HISTOGRAM_BINS);
  expect(Array.from(got.errorHistogram)).toEqual(Array.from(stats.errorHistogram));
  expect(got.maxAbsError).toBe(stats.maxAbsError);
  expect(got.clipped).toBe(Math.round(stats.clippedFraction * stats.count));
}

describe('sortedFinite', () => {
  it('sorts the finite values ascending and drops NaN and ±Inf, as a comparison sort does', () => {
    const x = Float32Array.from([3, -1.5, NaN, 0, -0, Infinity, 2e-40, -2e-40, -Infinity, 1e30, -3.4e38, 7, 7]);
    const got = Array.from(sortedFinite(x));
    const want = Array.from(x).filter(Number.isFinite).sort((a, b) => a - b || (Object.is(a, -0) ? -1 : Object.is(b, -0) ? 1 : 0));
    expect(got).toEqual(want);
    expect(Object.is(got[want.indexOf(0)], -0)).toBe(true); // -0 before +0
  });

  it('agrees with a comparison sort on 10,000 seeded normal values', () => {
    const x = normalArray(10_000, 7, 0, 0.02);
    const want = Float32Array.from(x).sort();
    expect(Array.from(sortedFinite(x))).toEqual(Array.from(want));
  });
});

describe('sortedErrorStats: the per-element reference’s histogram, max |err| and clipped count, from sorted values', () => {
  const x = normalArray(64 * 256, 11, 0, 0.02);
  const { min, max } = (() => {
    let a = Infinity, b = -Infinity;
    for (const v of x) { a = Math.min(a, v); b = Math.max(b, v); }
    return { min: a, max: b };
  })();

  for (const bits of [2, 3, 4, 8]) {
    for (const [signed, symmetric] of [[false, false], [true, true], [false, true], [true, false]] as const) {
      it(`${bits} bits, ${signed ? 'signed' : 'unsigned'}, ${symmetric ? 'symmetric' : 'affine'}, min–max range`, () => {
        check(x, 256, settings({ bits, signed, symmetric }), min, max);
      });
    }
  }

  it('a clipped range (40% of the min–max range): clipped values land in the end bins', () => {
    const s = settings({ bits: 4 });
    const { stats } = oracle(x, 256, s, 0.4 * min, 0.4 * max);
    expect(stats.clippedFraction).toBeGreaterThan(0.01);
    check(x, 256, s, 0.4 * min, 0.4 * max);
  });

  it('NaN and ±Inf are skipped; ties at half steps round to even as the reference does', () => {
    const y = Float32Array.from({ length: 64 * 4 }, (_, i) => (i % 7 === 0 ? NaN : i % 11 === 0 ? Infinity : i % 13 === 0 ? -Infinity : (i - 128) / 8));
    check(y, 64, settings({ bits: 3, signed: true, symmetric: true }), -16, 16);
    check(y, 64, settings({ bits: 5 }), -16, 15.875);
  });

  it('a constant tensor and an empty one', () => {
    check(new Float32Array(128).fill(0.25), 64, settings(), 0, 0.25);
    const empty = sortedErrorStats(sortValues(new Float32Array(0)), 1, 0, -128, 127, 1, ERROR_HISTOGRAM_BINS);
    expect(Array.from(empty.errorHistogram).every((c) => c === 0)).toBe(true);
    expect(empty.maxAbsError).toBe(0);
    expect(empty.clipped).toBe(0);
  });
});
