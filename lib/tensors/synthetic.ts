/**
 * Deterministic synthetic weight matrices for the quantization widgets: the same options give the
 * same Float32Array on every machine (docs/design.md rule 7), drawn from lib/random (mulberry32 uniforms,
 * Box-Muller normals). All four distributions have the same standard deviation `std`, so a widget
 * can compare their shapes (tails) at a fixed scale.
 *
 * Layout: row-major [rows, cols]; rows are output channels and columns input features (hidden
 * dimensions), as in lib/lab/types.ts.
 */
import { mulberry32, normalArray } from '../random';

export type Distribution = 'normal' | 'laplace' | 'uniform' | 'outliers';

export interface SyntheticOptions {
  distribution: Distribution;
  rows: number;
  cols: number;
  /** Any whole number; the same seed gives the same matrix. */
  seed: number;
  /** Standard deviation; default 0.02, the order of a trained LLM's weights. */
  std?: number;
  /** For 'outliers': how much larger the outlier columns are; default 20. */
  outlierScale?: number;
  /** For 'outliers': how many input columns are outliers; default max(1, floor(cols / 256)). */
  outlierChannels?: number;
}

/** Largest matrix `syntheticMatrix` makes: 2^24 = 16,777,216 elements (64 MiB of float32). */
export const MAX_SYNTHETIC_ELEMENTS = 2 ** 24;
export const DEFAULT_STD = 0.02;
export const DEFAULT_OUTLIER_SCALE = 20;

/** One isolated outlier weight of an 'outliers' matrix: x[row * cols + col] = value. */
export interface IsolatedOutlier {
  row: number;
  col: number;
  value: number;
}

interface Resolved {
  distribution: Distribution;
  rows: number;
  cols: number;
  seed: number;
  std: number;
  outlierScale: number;
  outlierChannels: number;
}

const DISTRIBUTIONS: readonly Distribution[] = ['normal', 'laplace', 'uniform', 'outliers'];

function resolve(o: SyntheticOptions): Resolved {
  const { distribution, rows, cols, seed } = o;
  if (!DISTRIBUTIONS.includes(distribution)) throw new RangeError(`distribution must be one of ${DISTRIBUTIONS.join(', ')}, got ${String(distribution)}`);
  if (!Number.isInteger(rows) || rows <= 0) throw new RangeError(`rows must be a positive whole number, got ${rows}`);
  if (!Number.isInteger(cols) || cols <= 0) throw new RangeError(`cols must be a positive whole number, got ${cols}`);
  if (rows * cols > MAX_SYNTHETIC_ELEMENTS) {
    throw new RangeError(`a ${rows} × ${cols} matrix has ${rows * cols} elements; at most ${MAX_SYNTHETIC_ELEMENTS} (16M) are allowed`);
  }
  if (!Number.isInteger(seed)) throw new RangeError(`seed must be a whole number, got ${seed}`);
  const std = o.std ?? DEFAULT_STD;
  if (!Number.isFinite(std) || std <= 0) throw new RangeError(`std must be a positive finite number, got ${std}`);
  const outlierScale = o.outlierScale ?? DEFAULT_OUTLIER_SCALE;
  if (!Number.isFinite(outlierScale) || outlierScale <= 0) throw new RangeError(`outlierScale must be a positive finite number, got ${outlierScale}`);
  const outlierChannels = o.outlierChannels ?? Math.max(1, Math.floor(cols / 256));
  if (!Number.isInteger(outlierChannels) || outlierChannels < 0 || outlierChannels > cols) {
    throw new RangeError(`outlierChannels must be a whole number from 0 to cols (${cols}), got ${outlierChannels}`);
  }
  return { distribution, rows, cols, seed, std, outlierScale, outlierChannels };
}

interface OutlierPlan {
  columns: number[];
  isolated: IsolatedOutlier[];
}

/**
 * Where the outliers of an 'outliers' matrix go, from a generator seeded independently of the
 * matrix's normal draws (so the rest of the matrix equals the 'normal' one with the same seed).
 * Columns: `outlierChannels` distinct columns by a partial Fisher-Yates shuffle. Isolated weights:
 * max(1, floor(rows / 128)) distinct positions outside the outlier columns (anywhere when every
 * column is an outlier), each ±outlierScale·std·m with m uniform in [3, 6).
 */
function outlierPlan(r: Resolved): OutlierPlan {
  if (r.distribution !== 'outliers') return { columns: [], isolated: [] };
  const rand = mulberry32((r.seed ^ 0x9e3779b9) >>> 0);
  const pick = (n: number) => Math.min(n - 1, Math.floor(rand() * n));
  const swapped = new Map<number, number>();
  const columns: number[] = [];
  for (let i = 0; i < r.outlierChannels; i++) {
    const j = i + pick(r.cols - i);
    const vj = swapped.get(j) ?? j;
    swapped.set(j, swapped.get(i) ?? i);
    columns.push(vj);
  }
  columns.sort((a, b) => a - b);
  const isOutlierCol = new Set(columns);
  const allowAny = columns.length === r.cols;
  const free = r.rows * (r.cols - (allowAny ? 0 : columns.length));
  const count = Math.min(free, Math.max(1, Math.floor(r.rows / 128)));
  const taken = new Set<number>();
  const isolated: IsolatedOutlier[] = [];
  while (isolated.length < count) {
    const row = pick(r.rows), col = pick(r.cols);
    const index = row * r.cols + col;
    if ((!allowAny && isOutlierCol.has(col)) || taken.has(index)) continue;
    taken.add(index);
    const sign = rand() < 0.5 ? -1 : 1;
    isolated.push({ row, col, value: Math.fround(sign * r.outlierScale * r.std * (3 + 3 * rand())) });
  }
  return { columns, isolated };
}

/**
 * A rows × cols row-major float32 matrix, fully determined by the options:
 * - normal: N(0, std²) (Box-Muller, `normalArray`);
 * - laplace: Laplace(0, b) with b = std / √2 (so its std is `std`), by the inverse CDF
 *   x = −b·sgn(u)·ln(1 − 2|u|), u uniform in (−½, ½); kurtosis 6;
 * - uniform: U(−√3·std, √3·std) (std `std`);
 * - outliers: the 'normal' matrix with the same seed, then `outlierChannels` whole input columns
 *   multiplied by `outlierScale` (LLM.int8(), Dettmers et al. 2022: a handful of hidden dimensions
 *   carry huge values), and max(1, floor(rows / 128)) isolated weights set to
 *   ±outlierScale·std·(3..6). `outlierColumns` and `isolatedOutliers` say where they are.
 * Throws a RangeError for sizes that are not positive whole numbers or exceed 16M elements.
 */
export function syntheticMatrix(o: SyntheticOptions): Float32Array {
  const r = resolve(o);
  const n = r.rows * r.cols;
  if (r.distribution === 'normal' || r.distribution === 'outliers') {
    const x = normalArray(n, r.seed, 0, r.std);
    if (r.distribution === 'outliers') {
      const plan = outlierPlan(r);
      for (const c of plan.columns) for (let i = c; i < n; i += r.cols) x[i] *= r.outlierScale;
      for (const w of plan.isolated) x[w.row * r.cols + w.col] = w.value;
    }
    return x;
  }
  const rand = mulberry32(r.seed);
  const x = new Float32Array(n);
  if (r.distribution === 'uniform') {
    const a = Math.sqrt(3) * r.std;
    for (let i = 0; i < n; i++) x[i] = a * (2 * rand() - 1);
    return x;
  }
  // Laplace: u = rand() + 2^-33 - 1/2 lies strictly inside (-1/2, 1/2) and is symmetric about 0,
  // so the logarithm is always finite.
  const b = r.std / Math.SQRT2;
  const half = 2 ** -33;
  for (let i = 0; i < n; i++) {
    const u = rand() + half - 0.5;
    x[i] = u < 0 ? b * Math.log(1 + 2 * u) : -b * Math.log(1 - 2 * u);
  }
  return x;
}

/** The outlier input columns of an 'outliers' matrix, ascending ([] for other distributions). */
export function outlierColumns(o: SyntheticOptions): number[] {
  return outlierPlan(resolve(o)).columns;
}

/** The isolated outlier weights of an 'outliers' matrix, in the order drawn ([] for other distributions). */
export function isolatedOutliers(o: SyntheticOptions): IsolatedOutlier[] {
  return outlierPlan(resolve(o)).isolated;
}

/**
 * A one-line label, e.g. "normal, σ = 0.02, 1024 × 1024, seed 1", or for outliers
 * "outliers, σ = 0.02, 4 outlier columns × 20, 1024 × 1024, seed 1".
 */
export function describeSynthetic(o: SyntheticOptions): string {
  const r = resolve(o);
  const extra = r.distribution === 'outliers' ? `, ${r.outlierChannels} outlier column${r.outlierChannels === 1 ? '' : 's'} × ${r.outlierScale}` : '';
  return `${r.distribution}, σ = ${r.std}${extra}, ${r.rows} × ${r.cols}, seed ${r.seed}`;
}
