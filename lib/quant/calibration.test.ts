import { describe, expect, it } from 'vitest';
import { computeQParams, dequantizeAffine, finiteMinMax, quantizeAffine } from './affine';
import {
  binCentres,
  calibrateTensorRange,
  CALIBRATION_HISTOGRAM_BINS,
  histogramQuantError,
  MSE_CANDIDATES,
  MSE_GRID_PER_HALVING,
  MSE_PERCENTILE_CANDIDATES,
  mseClipRatio,
  mseMinClipRatio,
  mseRange,
  percentileRange,
} from './calibration';
import { valueHistogram } from './histogram';
import type { CalibrationSettings } from './calibration';
import { mulberry32, normalArray } from '../random';
import { syntheticMatrix } from '../tensors/synthetic';

function settings(over: Partial<CalibrationSettings> = {}): CalibrationSettings {
  return { bits: 8, signed: false, symmetric: false, calibration: 'minmax', percentile: 99.9, ...over };
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

function calibrate(x: Float32Array, s: CalibrationSettings) {
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
  it('tries clip ratios 2^(-k/8) from 1 down to one histogram bin, 1/2048', () => {
    expect(MSE_GRID_PER_HALVING).toBe(8);
    expect(MSE_CANDIDATES).toBe(89);
    expect(mseClipRatio(0)).toBe(1);
    expect(mseClipRatio(8)).toBe(0.5);
    expect(mseMinClipRatio()).toBe(1 / 2048);
    expect(mseClipRatio(MSE_CANDIDATES - 1)).toBe(mseMinClipRatio());
  });
  it('picks c < 1 on a Laplace tensor with a few huge outliers (4-bit)', () => {
    const x = laplace(20000, 4, 1);
    x[100] = 40; x[5000] = -40; x[7000] = 35;
    const s = settings({ bits: 4, signed: true, symmetric: true, calibration: 'mse' });
    const r = calibrate(x, s);
    expect(r.clipRatio).toBeLessThan(0.8);
    expect(r.clipRatio).toBeCloseTo((r.hi - r.lo) / (r.max - r.min), 12);
    // It is at least as good as every grid candidate by the histogram estimate.
    const h = valueHistogram(x, r.min, r.max, CALIBRATION_HISTOGRAM_BINS);
    const centres = binCentres(r.min, r.max, CALIBRATION_HISTOGRAM_BINS);
    const chosen = histogramQuantError(s, r.lo, r.hi, centres, h);
    for (let k = 0; k < MSE_CANDIDATES; k++) {
      const c = mseClipRatio(k);
      expect(histogramQuantError(s, c * r.min, c * r.max, centres, h)).toBeGreaterThanOrEqual(chosen);
    }
  });
  it('keeps almost the whole range of a uniform tensor at 8 bits', () => {
    // No tails to cut: the best range clips at most a fraction of the outermost step.
    const rand = mulberry32(17);
    const x = new Float32Array(20000).map(() => rand() * 2 - 1);
    for (const over of [{}, { signed: true, symmetric: true }]) {
      const r = calibrate(x, settings({ calibration: 'mse', ...over }));
      expect(r.clipRatio).toBeGreaterThan(1 - 2 / 255);
      expect(r.clipRatio).toBeLessThanOrEqual(1);
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
    // Many centres, ties of both signs included, against quantizeAffine/dequantizeAffine themselves.
    const rand = mulberry32(5);
    for (const over of [{ bits: 3 }, { bits: 4, signed: true, symmetric: true }, { bits: 8, signed: true }]) {
      const so = settings(over);
      const centres = Float32Array.from({ length: 500 }, (_, i) => (i < 20 ? (i - 10) * 0.25 : rand() * 6 - 3));
      const counts = Uint32Array.from({ length: 500 }, (_, i) => (i % 7 === 0 ? 0 : 1 + (i % 5)));
      const p = computeQParams(-2, 2.5, so);
      const xr = dequantizeAffine(quantizeAffine(centres, p.scale, p.zeroPoint, p.qmin, p.qmax), p.scale, p.zeroPoint);
      let want = 0;
      for (let i = 0; i < 500; i++) want += counts[i] * (xr[i] - centres[i]) ** 2;
      expect(histogramQuantError(so, -2, 2.5, centres, counts)).toBe(want);
    }
  });
});

/**
 * The property the MSE search promises (lib/quant/calibration `mseRange`): on the same histogram,
 * its estimated error is never above that of min–max or of a percentile clip.
 */
describe('MSE is never worse than min–max or percentile on the same histogram', () => {
  const grids: Partial<CalibrationSettings>[] = [
    { signed: true, symmetric: true },
    { signed: false, symmetric: false },
    { signed: true, symmetric: false },
    { signed: false, symmetric: true },
  ];
  const percentiles = [...MSE_PERCENTILE_CANDIDATES, 99.5, 99.95, 99.9999];
  function check(x: Float32Array, label: string) {
    const { min, max } = finiteMinMax(x);
    const h = valueHistogram(x, min, max, CALIBRATION_HISTOGRAM_BINS);
    const centres = binCentres(min, max, CALIBRATION_HISTOGRAM_BINS);
    for (let bits = 2; bits <= 8; bits++) {
      for (const g of grids) {
        const s = settings({ bits, calibration: 'mse', ...g });
        const r = mseRange(s, min, max, h);
        const e = histogramQuantError(s, r.lo, r.hi, centres, h);
        const where = `${label}, ${bits} bits, ${JSON.stringify(g)}`;
        expect(e, `${where}: min–max`).toBeLessThanOrEqual(histogramQuantError(s, min, max, centres, h));
        for (const p of percentiles) {
          const pr = percentileRange(min, max, h, p);
          expect(e, `${where}: percentile ${p}`).toBeLessThanOrEqual(histogramQuantError(s, pr.lo, pr.hi, centres, h));
        }
      }
    }
  }
  it('on the clipping lesson\'s outlier matrix (1024 × 1024, outlier scale 20, seed 1)', () => {
    check(syntheticMatrix({ distribution: 'outliers', rows: 1024, cols: 1024, seed: 1, outlierScale: 20 }), 'outliers 1024');
  });
  it('on random tensors of every distribution, and one-signed ones', () => {
    for (const seed of [2, 3, 4]) {
      for (const distribution of ['normal', 'laplace', 'uniform', 'outliers'] as const) {
        for (const outlierScale of distribution === 'outliers' ? [5, 100] : [20]) {
          check(syntheticMatrix({ distribution, rows: 128, cols: 128, seed, outlierScale }), `${distribution} ×${outlierScale} seed ${seed}`);
        }
      }
      // After a ReLU-like nonlinearity: one-signed, heavy upper tail; and its negative.
      const pos = laplace(16384, seed, 1).map((v) => Math.abs(v) + 0.01);
      check(pos, `|laplace| seed ${seed}`);
      check(pos.map((v) => -v), `-|laplace| seed ${seed}`);
    }
  }, 30000);
});
