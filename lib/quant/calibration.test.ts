import { describe, expect, it } from 'vitest';
import { finiteMinMax } from './affine';
import {
  binCentres,
  calibrateTensorRange,
  CALIBRATION_HISTOGRAM_BINS,
  histogramQuantError,
  MSE_CANDIDATES,
  mseClipRatio,
  mseRange,
  percentileRange,
} from './calibration';
import { valueHistogram } from './lab';
import type { LabSettings } from './lab-types';
import { mulberry32, normalArray } from '../random';

function settings(over: Partial<LabSettings> = {}): LabSettings {
  return { bits: 8, signed: false, symmetric: false, granularity: 'tensor', groupSize: 64, calibration: 'minmax', percentile: 99.9, ...over };
}

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

function calibrate(x: Float32Array, s: LabSettings) {
  const { min, max } = finiteMinMax(x);
  return { min, max, ...calibrateTensorRange(s, min, max, valueHistogram(x, min, max, CALIBRATION_HISTOGRAM_BINS)) };
}

describe('min-max', () => {
  it('returns [min, max]', () => {
    expect(calibrateTensorRange(settings(), -2, 3, new Uint32Array(4))).toEqual({ lo: -2, hi: 3 });
  });
});

describe('percentile', () => {
  it('100 gives exactly [min, max]', () => {
    const x = normalArray(10000, 1);
    const r = calibrate(x, settings({ calibration: 'percentile', percentile: 100 }));
    expect(r.lo).toBe(r.min);
    expect(r.hi).toBe(r.max);
  });
  it('reads a known histogram with linear interpolation inside a bin', () => {
    // 10 bins of width 1 over [0, 10], 10 counts each: p = 90 cuts 5 counts per tail, half a bin.
    const flat = new Uint32Array(10).fill(10);
    expect(percentileRange(0, 10, flat, 90)).toEqual({ lo: 0.5, hi: 9.5 });
    // Two spikes of 50 at the ends: p = 98 cuts 1 count per tail, 1/50 of a bin.
    const spikes = new Uint32Array(10);
    spikes[0] = 50; spikes[9] = 50;
    const r = percentileRange(0, 10, spikes, 98);
    expect(r.lo).toBeCloseTo(0.02, 12);
    expect(r.hi).toBeCloseTo(9.98, 12);
    // Cut crossing bins: counts [1, 1, 8, ...], total 100, p = 94 cuts 3: 2 in bins 0-1, 1/8 of bin 2.
    const h = new Uint32Array([1, 1, 8, 20, 20, 20, 20, 5, 4, 1]);
    const r2 = percentileRange(-5, 5, h, 94);
    expect(r2.lo).toBeCloseTo(-5 + 2 + 1 / 8, 12);
    // From the top: 1 + 4 = 5 >= 3 in bin 8: 2 of its 4 counts cut, half a bin: 5 - 1 - 0.5.
    expect(r2.hi).toBeCloseTo(3.5, 12);
  });
  it('clips a normal tensor near its quantiles', () => {
    const x = normalArray(200000, 9);
    const r = calibrate(x, settings({ calibration: 'percentile', percentile: 99 }));
    // N(0,1): the 0.5% and 99.5% quantiles are ∓2.5758.
    expect(r.lo).toBeCloseTo(-2.5758, 1);
    expect(r.hi).toBeCloseTo(2.5758, 1);
    expect(r.lo).toBeGreaterThan(r.min);
    expect(r.hi).toBeLessThan(r.max);
  });
  it('handles an empty histogram and a zero-width range', () => {
    expect(percentileRange(-1, 1, new Uint32Array(8), 99)).toEqual({ lo: -1, hi: 1 });
    const h = new Uint32Array(8);
    h[0] = 100;
    expect(percentileRange(2, 2, h, 99)).toEqual({ lo: 2, hi: 2 });
  });
  it('rejects percentiles outside (50, 100]', () => {
    expect(() => percentileRange(0, 1, new Uint32Array(4), 50)).toThrow(RangeError);
    expect(() => percentileRange(0, 1, new Uint32Array(4), 101)).toThrow(RangeError);
  });
});

describe('MSE', () => {
  it('tries c = 1 - k/40 from 1.0 down to 0.3', () => {
    expect(MSE_CANDIDATES).toBe(29);
    expect(mseClipRatio(0)).toBe(1);
    expect(mseClipRatio(MSE_CANDIDATES - 1)).toBeCloseTo(0.3, 15);
  });
  it('picks c < 1 on a Laplace tensor with a few huge outliers (4-bit)', () => {
    const x = laplace(20000, 4, 1);
    x[100] = 40; x[5000] = -40; x[7000] = 35;
    const s = settings({ bits: 4, calibration: 'mse' });
    const r = calibrate(x, s);
    expect(r.clipRatio).toBeLessThan(0.8);
    expect(r.lo).toBe(r.clipRatio! * r.min);
    expect(r.hi).toBe(r.clipRatio! * r.max);
    // It is the best candidate by the histogram estimate.
    const h = valueHistogram(x, r.min, r.max, CALIBRATION_HISTOGRAM_BINS);
    const centres = binCentres(r.min, r.max, CALIBRATION_HISTOGRAM_BINS);
    const chosen = histogramQuantError(s, r.lo, r.hi, centres, h);
    for (let k = 0; k < MSE_CANDIDATES; k++) {
      const c = mseClipRatio(k);
      expect(histogramQuantError(s, c * r.min, c * r.max, centres, h)).toBeGreaterThanOrEqual(chosen);
    }
  });
  it('keeps c = 1 on a uniform tensor at 8 bits', () => {
    const rand = mulberry32(17);
    const x = new Float32Array(20000).map(() => rand() * 2 - 1);
    for (const over of [{}, { signed: true, symmetric: true }]) {
      expect(calibrate(x, settings({ calibration: 'mse', ...over })).clipRatio).toBe(1);
    }
  });
  it('ties go to the larger c: an all-zero histogram keeps the full range', () => {
    const h = new Uint32Array(16);
    h[0] = 10;
    expect(mseRange(settings({ calibration: 'mse' }), 0, 0, h)).toEqual({ lo: 0, hi: 0, clipRatio: 1 });
  });
  it('estimates the error with quantizeAffine semantics at the bin centres', () => {
    // One bin, centre 0.5, range [0, 1] at 2 bits unsigned affine: scale 1/3, 0.5·3 = 1.5 -> 2 (ties to even) -> 2/3.
    const s = settings({ bits: 2 });
    const e = histogramQuantError(s, 0, 1, binCentres(0, 1, 1), Uint32Array.of(3));
    expect(e).toBeCloseTo(3 * (2 / 3 - 0.5) ** 2, 6);
  });
});
