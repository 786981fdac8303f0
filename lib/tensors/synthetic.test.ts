import { describe, expect, it } from 'vitest';
import { describeSynthetic, isolatedOutliers, MAX_SYNTHETIC_ELEMENTS, outlierColumns, syntheticMatrix, type Distribution, type SyntheticOptions } from './synthetic';

function moments(x: Float32Array): { mean: number; std: number; kurtosis: number } {
  let s = 0;
  for (const v of x) s += v;
  const mean = s / x.length;
  let m2 = 0, m4 = 0;
  for (const v of x) { const d = (v - mean) ** 2; m2 += d; m4 += d * d; }
  m2 /= x.length; m4 /= x.length;
  return { mean, std: Math.sqrt(m2), kurtosis: m4 / (m2 * m2) };
}

const ALL: Distribution[] = ['normal', 'laplace', 'uniform', 'outliers'];

describe('syntheticMatrix', () => {
  it.each(ALL)('%s is deterministic per seed and differs across seeds', (distribution) => {
    const o: SyntheticOptions = { distribution, rows: 64, cols: 256, seed: 7 };
    const a = syntheticMatrix(o);
    expect(a.length).toBe(64 * 256);
    expect(syntheticMatrix(o)).toEqual(a);
    expect(syntheticMatrix({ ...o, seed: 8 })).not.toEqual(a);
    expect(a.every(Number.isFinite)).toBe(true);
  });

  it.each(['normal', 'laplace', 'uniform'] as Distribution[])('%s: empirical std within 2 percent of std over 1M samples', (distribution) => {
    for (const std of [0.02, 1]) {
      const m = moments(syntheticMatrix({ distribution, rows: 1000, cols: 1000, seed: 3, std }));
      expect(Math.abs(m.std / std - 1)).toBeLessThan(0.02);
      expect(Math.abs(m.mean)).toBeLessThan(0.01 * std);
    }
  });

  it('kurtosis: normal ≈ 3, laplace ≈ 6, uniform ≈ 1.8', () => {
    const k = (distribution: Distribution) => moments(syntheticMatrix({ distribution, rows: 1000, cols: 1000, seed: 11 })).kurtosis;
    expect(k('normal')).toBeCloseTo(3, 1);
    expect(Math.abs(k('laplace') - 6)).toBeLessThan(0.3);
    expect(k('uniform')).toBeCloseTo(1.8, 1);
  });

  it('uniform stays within ±√3·std and reaches near both ends', () => {
    const std = 0.05, a = Math.sqrt(3) * std;
    const x = syntheticMatrix({ distribution: 'uniform', rows: 1000, cols: 100, seed: 1, std });
    let mn = Infinity, mx = -Infinity;
    for (const v of x) { if (v < mn) mn = v; if (v > mx) mx = v; }
    expect(mn).toBeGreaterThanOrEqual(Math.fround(-a));
    expect(mx).toBeLessThanOrEqual(Math.fround(a));
    expect(mn).toBeLessThan(-0.999 * a);
    expect(mx).toBeGreaterThan(0.999 * a);
  });

  it('laplace is symmetric and heavy-tailed: P(|x| > 3σ) ≈ e^(−3√2)', () => {
    const x = syntheticMatrix({ distribution: 'laplace', rows: 1000, cols: 1000, seed: 5, std: 1 });
    let tail = 0, neg = 0;
    for (const v of x) { if (Math.abs(v) > 3) tail++; if (v < 0) neg++; }
    expect(tail / x.length).toBeCloseTo(Math.exp(-3 * Math.SQRT2), 3);
    expect(Math.abs(neg / x.length - 0.5)).toBeLessThan(0.002);
  });
});

describe("'outliers'", () => {
  const o: SyntheticOptions = { distribution: 'outliers', rows: 512, cols: 1024, seed: 42 };

  it('outlier columns have a much larger std than the others', () => {
    const x = syntheticMatrix(o);
    const cols = outlierColumns(o);
    expect(cols.length).toBe(4); // default max(1, 1024 / 256)
    expect([...cols].sort((a, b) => a - b)).toEqual(cols);
    expect(new Set(cols).size).toBe(4);
    // Leave out the few isolated outlier weights, which sit in ordinary columns.
    const iso = new Set(isolatedOutliers(o).map((w) => w.row * o.cols + w.col));
    const colStd = (c: number) => {
      let s = 0, n = 0;
      for (let r = 0; r < o.rows; r++) if (!iso.has(r * o.cols + c)) { s += x[r * o.cols + c] ** 2; n++; }
      return Math.sqrt(s / n);
    };
    const outlierSet = new Set(cols);
    let normalMax = 0;
    for (let c = 0; c < o.cols; c++) if (!outlierSet.has(c)) normalMax = Math.max(normalMax, colStd(c));
    for (const c of cols) {
      expect(colStd(c)).toBeGreaterThan(10 * normalMax);
      expect(colStd(c) / 0.02).toBeGreaterThan(20 * 0.85);
      expect(colStd(c) / 0.02).toBeLessThan(20 * 1.15);
    }
  });

  it('is the normal matrix plus scaled columns and a few isolated weights', () => {
    const x = syntheticMatrix(o);
    const base = syntheticMatrix({ ...o, distribution: 'normal' });
    const cols = new Set(outlierColumns(o));
    const iso = isolatedOutliers(o);
    expect(iso.length).toBe(4); // max(1, 512 / 128)
    const isoIdx = new Set(iso.map((w) => w.row * o.cols + w.col));
    for (const w of iso) {
      expect(cols.has(w.col)).toBe(false);
      expect(Math.abs(w.value)).toBeGreaterThanOrEqual(20 * 0.02 * 3 * 0.999);
      expect(Math.abs(w.value)).toBeLessThan(20 * 0.02 * 6);
      expect(x[w.row * o.cols + w.col]).toBe(w.value);
    }
    let mismatches = 0;
    for (let i = 0; i < x.length; i++) {
      if (isoIdx.has(i)) continue;
      if (x[i] !== (cols.has(i % o.cols) ? Math.fround(base[i] * 20) : base[i])) mismatches++;
    }
    expect(mismatches).toBe(0);
  });

  it('columns are chosen from the seed; options are honoured', () => {
    expect(outlierColumns(o)).toEqual(outlierColumns({ ...o }));
    expect(outlierColumns({ ...o, seed: 43 })).not.toEqual(outlierColumns(o));
    expect(outlierColumns({ ...o, outlierChannels: 10 }).length).toBe(10);
    expect(outlierColumns({ ...o, cols: 100 }).length).toBe(1);
    expect(outlierColumns({ ...o, cols: 8, outlierChannels: 8 })).toEqual([0, 1, 2, 3, 4, 5, 6, 7]);
    expect(isolatedOutliers({ ...o, rows: 10 }).length).toBe(1);
    expect(outlierColumns({ ...o, distribution: 'normal' })).toEqual([]);
    expect(isolatedOutliers({ ...o, distribution: 'laplace' })).toEqual([]);
    const big = syntheticMatrix({ ...o, outlierScale: 100, outlierChannels: 1 });
    const c = outlierColumns({ ...o, outlierChannels: 1 })[0];
    let s = 0; for (let r = 0; r < o.rows; r++) s += big[r * o.cols + c] ** 2;
    expect(Math.sqrt(s / o.rows) / 0.02).toBeGreaterThan(85);
  });
});

describe('validation and description', () => {
  it('rejects bad sizes with a RangeError and a clear message', () => {
    const base: SyntheticOptions = { distribution: 'normal', rows: 4, cols: 4, seed: 1 };
    expect(() => syntheticMatrix({ ...base, rows: 0 })).toThrow(/rows must be a positive whole number/);
    expect(() => syntheticMatrix({ ...base, cols: 2.5 })).toThrow(/cols must be a positive whole number/);
    expect(() => syntheticMatrix({ ...base, rows: Number.NaN })).toThrow(RangeError);
    expect(() => syntheticMatrix({ ...base, rows: 4097, cols: 4096 })).toThrow(/at most 16777216 \(16M\)/);
    expect(() => outlierColumns({ ...base, rows: -1 })).toThrow(RangeError);
    expect(() => syntheticMatrix({ ...base, std: 0 })).toThrow(/std/);
    expect(() => syntheticMatrix({ ...base, seed: 1.5 })).toThrow(/seed/);
    expect(() => syntheticMatrix({ ...base, distribution: 'cauchy' as Distribution })).toThrow(/distribution/);
    expect(() => syntheticMatrix({ ...base, distribution: 'outliers', outlierChannels: 5 })).toThrow(/outlierChannels/);
    expect(() => syntheticMatrix({ ...base, distribution: 'outliers', outlierScale: -1 })).toThrow(/outlierScale/);
    expect(MAX_SYNTHETIC_ELEMENTS).toBe(16 * 1024 * 1024);
  });

  it('describes itself', () => {
    expect(describeSynthetic({ distribution: 'normal', rows: 1024, cols: 1024, seed: 1 })).toBe('normal, σ = 0.02, 1024 × 1024, seed 1');
    expect(describeSynthetic({ distribution: 'laplace', rows: 8, cols: 16, seed: 3, std: 0.5 })).toBe('laplace, σ = 0.5, 8 × 16, seed 3');
    expect(describeSynthetic({ distribution: 'outliers', rows: 1024, cols: 1024, seed: 1 })).toBe('outliers, σ = 0.02, 4 outlier columns × 20, 1024 × 1024, seed 1');
  });

  it.each(ALL)('%s: 4M elements in well under a second', (distribution) => {
    syntheticMatrix({ distribution, rows: 64, cols: 64, seed: 0 }); // warm up
    const t0 = performance.now();
    const x = syntheticMatrix({ distribution, rows: 2048, cols: 2048, seed: 0 });
    const ms = performance.now() - t0;
    expect(x.length).toBe(4 * 1024 * 1024);
    expect(ms).toBeLessThan(1000); // target < 300 ms; loose here so a busy CI machine does not flake
  });
});
