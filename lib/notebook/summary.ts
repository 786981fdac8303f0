/**
 * Summaries of numbers for output cards and plots, computed in one pass in float64 (framework-free).
 */
import type { TensorSummary } from './outputs';

export const SUMMARY_HEAD = 8;
export const SUMMARY_BINS = 32;

export type NumericArray = Float32Array | Float64Array | Int8Array | Uint8Array | Int16Array | Uint16Array | Int32Array | Uint32Array | Uint8ClampedArray | readonly number[];

/**
 * Shape, statistics over the finite values (mean and population standard deviation, Welford's
 * update), NaN and ±Inf counts, the first SUMMARY_HEAD values and a SUMMARY_BINS-bin histogram of
 * the finite values over [min, max] (all in the last bin when min = max).
 */
export function summarize(values: NumericArray, shape: readonly number[], dtype: string, label: string | null = null): TensorSummary {
  let n = 0, mean = 0, m2 = 0, min = Infinity, max = -Infinity, nan = 0, inf = 0;
  for (let i = 0; i < values.length; i++) {
    const v = values[i];
    if (Number.isNaN(v)) { nan++; continue; }
    if (!Number.isFinite(v)) { inf++; continue; }
    n++;
    const d = v - mean;
    mean += d / n;
    m2 += d * (v - mean);
    if (v < min) min = v;
    if (v > max) max = v;
  }
  let histogram: TensorSummary['histogram'] = null;
  if (n > 0) {
    const counts = new Array<number>(SUMMARY_BINS).fill(0);
    const width = (max - min) / SUMMARY_BINS;
    for (let i = 0; i < values.length; i++) {
      const v = values[i];
      if (!Number.isFinite(v)) continue;
      const b = width > 0 ? Math.min(SUMMARY_BINS - 1, Math.floor((v - min) / width)) : SUMMARY_BINS - 1;
      counts[b]++;
    }
    histogram = { lo: min, hi: max, counts };
  }
  const head: number[] = [];
  for (let i = 0; i < Math.min(SUMMARY_HEAD, values.length); i++) head.push(Number(values[i]));
  return {
    label, shape: [...shape], dtype, size: values.length,
    min: n > 0 ? min : null, max: n > 0 ? max : null, mean: n > 0 ? mean : null, std: n > 0 ? Math.sqrt(m2 / n) : null,
    nanCount: nan, infCount: inf, head, histogram,
  };
}

/**
 * A [rows, cols] matrix averaged down to at most maxRows × maxCols cells (each output cell the
 * mean of the finite source values it covers; NaN where it covers none), for heatmaps.
 */
export function downsampleMatrix(values: NumericArray, rows: number, cols: number, maxRows = 128, maxCols = 128): { rows: number; cols: number; values: Float32Array } {
  const r = Math.min(rows, maxRows), c = Math.min(cols, maxCols);
  const sum = new Float64Array(r * c), count = new Uint32Array(r * c);
  for (let i = 0; i < rows; i++) {
    const oi = Math.floor((i * r) / rows);
    for (let j = 0; j < cols; j++) {
      const v = values[i * cols + j];
      if (!Number.isFinite(v)) continue;
      const k = oi * c + Math.floor((j * c) / cols);
      sum[k] += v;
      count[k]++;
    }
  }
  const out = new Float32Array(r * c);
  for (let k = 0; k < out.length; k++) out[k] = count[k] > 0 ? sum[k] / count[k] : NaN;
  return { rows: r, cols: c, values: out };
}
