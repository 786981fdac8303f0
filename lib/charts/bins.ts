/**
 * Pure binning helpers for the lab charts (components/charts): merging a fine histogram into fewer
 * display bins, averaging a large grid into display blocks, and choosing legend ticks. No DOM, no
 * React (docs/design.md rule 1), so the charts stay cheap to redraw and the math is unit-tested.
 */

export interface MergedBins {
  /** Count of each display bin. */
  counts: Float64Array;
  /**
   * Fine-bin index where each display bin starts, plus one final entry equal to the number of fine
   * bins: display bin i covers fine bins [starts[i], starts[i + 1]).
   */
  starts: Int32Array;
  /** Fine bins per display bin (the last display bin may hold fewer). */
  group: number;
  /** Sum of all counts. */
  total: number;
  /** Largest display-bin count. */
  max: number;
}

/**
 * Merges a fine histogram into at most `target` display bins of whole fine bins. Each display bin
 * holds `group = ceil(n / target)` consecutive fine bins, so all display bins have the same width
 * except possibly the last, which holds the remainder. Merging never splits a fine bin, so every
 * count lands in exactly one display bin and the total is kept.
 */
export function mergeBins(counts: ArrayLike<number>, target: number): MergedBins {
  const n = counts.length;
  const t = Math.max(1, Math.floor(Number.isFinite(target) ? target : 1));
  const group = n === 0 ? 1 : Math.ceil(n / Math.min(t, n));
  const m = n === 0 ? 0 : Math.ceil(n / group);
  const out = new Float64Array(m);
  const starts = new Int32Array(m + 1);
  let total = 0;
  let max = 0;
  for (let i = 0; i < m; i++) {
    const a = i * group;
    const b = Math.min(n, a + group);
    starts[i] = a;
    let s = 0;
    for (let k = a; k < b; k++) s += counts[k];
    out[i] = s;
    total += s;
    if (s > max) max = s;
  }
  starts[m] = n;
  return { counts: out, starts, group, total, max };
}

/** The value at fine-bin edge `index` of `n` uniform bins over [lo, hi]. */
export function binEdge(lo: number, hi: number, n: number, index: number): number {
  return index >= n ? hi : lo + ((hi - lo) * index) / n;
}

/**
 * Index of the display bin of `merged` (built from `n` uniform fine bins over [lo, hi]) holding
 * `value`, or -1 outside [lo, hi]. The value hi itself belongs to the last bin.
 */
export function mergedBinIndex(merged: MergedBins, lo: number, hi: number, value: number): number {
  const n = merged.starts[merged.starts.length - 1];
  const m = merged.counts.length;
  if (m === 0 || !(value >= lo && value <= hi) || !(hi > lo)) return -1;
  const fine = Math.min(n - 1, Math.floor(((value - lo) / (hi - lo)) * n));
  return Math.min(m - 1, Math.floor(fine / merged.group));
}

export interface DownsampledGrid {
  /** Row-major block means: `rows` x `cols`. NaN for a block with no finite value. */
  values: Float32Array;
  rows: number;
  cols: number;
  /** Source rows / columns per block (edge blocks may hold fewer). */
  blockRows: number;
  blockCols: number;
}

/**
 * Averages a row-major `rows` x `cols` grid into at most `maxRows` x `maxCols` blocks of
 * `ceil(rows / maxRows)` x `ceil(cols / maxCols)` cells. Edge blocks average only the cells they
 * hold. Non-finite cells are left out of a block's mean; a block with none finite is NaN.
 * A grid already small enough comes back as a copy with blocks of 1 x 1.
 */
export function downsampleGrid(values: ArrayLike<number>, rows: number, cols: number, maxRows: number, maxCols: number): DownsampledGrid {
  if (!Number.isInteger(rows) || !Number.isInteger(cols) || rows < 0 || cols < 0 || values.length !== rows * cols) {
    throw new RangeError(`downsampleGrid: ${values.length} values do not make a ${rows} x ${cols} grid`);
  }
  const mr = Math.max(1, Math.floor(maxRows));
  const mc = Math.max(1, Math.floor(maxCols));
  const blockRows = Math.max(1, Math.ceil(rows / mr));
  const blockCols = Math.max(1, Math.ceil(cols / mc));
  const outRows = Math.ceil(rows / blockRows);
  const outCols = Math.ceil(cols / blockCols);
  const sums = new Float64Array(outRows * outCols);
  const ns = new Uint32Array(outRows * outCols);
  for (let r = 0; r < rows; r++) {
    const base = Math.floor(r / blockRows) * outCols;
    const off = r * cols;
    for (let c = 0; c < cols; c++) {
      const v = values[off + c];
      if (Number.isFinite(v)) {
        const k = base + Math.floor(c / blockCols);
        sums[k] += v;
        ns[k]++;
      }
    }
  }
  const out = new Float32Array(outRows * outCols);
  for (let k = 0; k < out.length; k++) out[k] = ns[k] > 0 ? sums[k] / ns[k] : NaN;
  return { values: out, rows: outRows, cols: outCols, blockRows, blockCols };
}

/** Source indices [start, end) covered by block `index` of size `block` along an axis of `total` cells. */
export function blockRange(index: number, block: number, total: number): [number, number] {
  const start = Math.min(total, index * block);
  return [start, Math.min(total, start + block)];
}

export interface Extent {
  /** Smallest and largest finite value; NaN when there is none. */
  min: number;
  max: number;
  /** Smallest finite value > 0; NaN when there is none. */
  minPositive: number;
  /** How many values are finite and <= 0, and how many are not finite. */
  nonPositive: number;
  nonFinite: number;
}

/** One pass over `values`: finite extent, smallest positive value, and counts of the awkward ones. */
export function extentOf(values: ArrayLike<number>): Extent {
  let min = Infinity;
  let max = -Infinity;
  let minPositive = Infinity;
  let nonPositive = 0;
  let nonFinite = 0;
  for (let i = 0; i < values.length; i++) {
    const v = values[i];
    if (!Number.isFinite(v)) {
      nonFinite++;
      continue;
    }
    if (v < min) min = v;
    if (v > max) max = v;
    if (v > 0) {
      if (v < minPositive) minPositive = v;
    } else nonPositive++;
  }
  const fin = (x: number) => (Number.isFinite(x) ? x : NaN);
  return { min: fin(min), max: fin(max), minPositive: fin(minPositive), nonPositive, nonFinite };
}

/** Evenly thins an ascending list to at most `count` entries, keeping the first and last. */
function thin(xs: number[], count: number): number[] {
  if (xs.length <= count) return xs;
  const out: number[] = [];
  for (let i = 0; i < count; i++) out.push(xs[Math.round((i * (xs.length - 1)) / (count - 1))]);
  return [...new Set(out)];
}

/** Values m x 10^e (m in `mantissas`) inside [lo, hi], ascending. */
function niceLogValues(lo: number, hi: number, mantissas: number[]): number[] {
  const out: number[] = [];
  const tol = 1e-9;
  for (let e = Math.floor(Math.log10(lo)) - 1; e <= Math.ceil(Math.log10(hi)) + 1; e++) {
    for (const m of mantissas) {
      const v = Number(`${m}e${e}`);
      if (v >= lo * (1 - tol) && v <= hi * (1 + tol)) out.push(v);
    }
  }
  return out;
}

/**
 * Up to `count` (>= 2, default 5) tick values for a log axis over [lo, hi] (0 < lo <= hi), aiming
 * for at least three: whole powers of ten when at least four fit, else 1-3-10 steps, else 1-2-5
 * steps, else `count` geometrically even values from lo to hi. Ascending, each within [lo, hi].
 */
export function logAxisTicks(lo: number, hi: number, count = 5): number[] {
  if (!(lo > 0) || !(hi >= lo) || !Number.isFinite(hi)) return [];
  if (hi === lo) return [lo];
  const n = Math.max(2, Math.floor(count));
  const decades = niceLogValues(lo, hi, [1]);
  if (decades.length >= Math.min(4, n)) return thin(decades, n);
  for (const mantissas of [[1, 3], [1, 2, 5]]) {
    const vs = niceLogValues(lo, hi, mantissas);
    if (vs.length >= Math.min(3, n)) return thin(vs, n);
  }
  const out: number[] = [];
  const ratio = hi / lo;
  for (let i = 0; i < n; i++) out.push(i === n - 1 ? hi : lo * ratio ** (i / (n - 1)));
  return out;
}
