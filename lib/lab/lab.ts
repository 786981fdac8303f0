/**
 * The quantization lab's CPU reference (docs/design.md rule 3): cut a row-major [rows, cols] weight
 * matrix into heatmap cells and slices (lab-types.ts), find each slice's range, compute its
 * (scale, zero-point), quantize, dequantize and measure the error. The fused WebGPU kernels
 * (lib/lab/gpu.ts) compute exactly the same numbers in float32 and are tested against
 * these functions, so every step that the GPU does in float32 is written here with Math.fround
 * where it happens; sums and everything else are float64.
 *
 * Formulas: docs/numerics.md "Affine (integer) quantization" (PyTorch semantics: quantize
 * q = clamp(zp + roundHalfEven(x · fround(1/scale)), qmin, qmax), dequantize x' = scale · (q - zp),
 * the min/max observer, per-channel and group-wise slices).
 *
 * Cell/slice geometry: cell c is the run x[c·cellCols, (c+1)·cellCols) — row floor(c / cellsPerRow)
 * — and each cell lies inside exactly one slice, so per-slice work can be done cell by cell.
 */
import { computeQParams, integerRange, quantizeAffine, roundHalfEven } from '../quant/affine';
import { CALIBRATION_HISTOGRAM_BINS, calibrateTensorRange } from '../quant/calibration';
import { histogramBin, histogramInvWidth, valueHistogram } from '../quant/histogram';
import { DEFAULT_CELL_COLS, ERROR_HISTOGRAM_BINS } from './types';
import type { Calibration, CellLayout, LabSettings, LabStats, SliceParams } from './types';

const f = Math.fround;

/** Lab widgets offer 2- to 8-bit codes (docs/numerics.md ranges: signed [-2^(b-1), 2^(b-1)-1], unsigned [0, 2^b-1]). */
export const LAB_MIN_BITS = 2;
export const LAB_MAX_BITS = 8;

function isPositiveInt(n: number): boolean {
  return Number.isInteger(n) && n > 0;
}

/** Largest divisor of n that is <= limit (1 at least). */
function largestDivisorAtMost(n: number, limit: number): number {
  for (let d = Math.min(n, limit); d > 1; d--) if (n % d === 0) return d;
  return 1;
}

/**
 * Heatmap cells of a [rows, cols] matrix:
 *   cellCols = groupSize for 'group' (a cell is a group); otherwise min(cols, DEFAULT_CELL_COLS),
 *   or — when that does not divide cols — the largest divisor of cols that is <= 64;
 *   cellsPerRow = cols / cellCols; cells = rows · cellsPerRow.
 * Throws a RangeError for non-positive rows/cols and for a group size that does not divide cols
 * (the slices would not be groups); `validateLabInput` gives the learner-facing message first.
 */
export function cellLayout(rows: number, cols: number, settings: LabSettings): CellLayout {
  if (!isPositiveInt(rows) || !isPositiveInt(cols)) throw new RangeError(`rows and cols must be positive whole numbers, got ${rows} x ${cols}`);
  let cellCols: number;
  if (settings.granularity === 'group') {
    cellCols = settings.groupSize;
    if (!isPositiveInt(cellCols) || cols % cellCols !== 0) throw new RangeError(`group size ${cellCols} does not divide ${cols} columns`);
  } else {
    cellCols = Math.min(cols, DEFAULT_CELL_COLS);
    if (cols % cellCols !== 0) cellCols = largestDivisorAtMost(cols, DEFAULT_CELL_COLS);
  }
  const cellsPerRow = cols / cellCols;
  return { rows, cols, cellCols, cellsPerRow, cells: rows * cellsPerRow };
}

const CALIBRATION_NAMES: Record<Calibration, string> = { minmax: 'Min–max', percentile: 'Percentile', mse: 'MSE' };

/**
 * Learner-facing problems with a lab run (empty array = valid):
 * bits a whole number in [2, 8]; rows and cols positive whole numbers; for 'group' a positive
 * whole group size that divides cols; for 'percentile' calibration a percentile in (50, 100]
 * (the field is ignored, so not checked, by other calibrations); calibration other than 'minmax'
 * only with granularity 'tensor' (percentile/MSE act on the whole tensor's histogram, see
 * calibration.ts).
 */
export function validateLabInput(rows: number, cols: number, settings: LabSettings): string[] {
  const errors: string[] = [];
  const { bits, granularity, calibration } = settings;
  if (!Number.isInteger(bits) || bits < LAB_MIN_BITS || bits > LAB_MAX_BITS) {
    errors.push(`Bits must be a whole number from ${LAB_MIN_BITS} to ${LAB_MAX_BITS}; got ${bits}.`);
  }
  if (!isPositiveInt(rows)) errors.push(`The number of rows must be a positive whole number; got ${rows}.`);
  if (!isPositiveInt(cols)) errors.push(`The number of columns must be a positive whole number; got ${cols}.`);
  if (granularity !== 'tensor' && granularity !== 'channel' && granularity !== 'group') {
    errors.push(`Granularity must be per-tensor, per-channel or group-wise; got "${String(granularity)}".`);
  }
  if (granularity === 'group') {
    if (!isPositiveInt(settings.groupSize)) {
      errors.push(`The group size must be a positive whole number; got ${settings.groupSize}.`);
    } else if (isPositiveInt(cols) && cols % settings.groupSize !== 0) {
      errors.push(`A group of ${settings.groupSize} does not divide a row of ${cols} weights.`);
    }
  }
  if (!Object.hasOwn(CALIBRATION_NAMES, calibration)) {
    errors.push(`Calibration must be min–max, percentile or MSE; got "${String(calibration)}".`);
  } else if (calibration !== 'minmax') {
    if (calibration === 'percentile' && !(settings.percentile > 50 && settings.percentile <= 100)) {
      errors.push(`The percentile must be above 50 and at most 100; got ${settings.percentile}.`);
    }
    if (granularity === 'channel' || granularity === 'group') {
      errors.push(
        `${CALIBRATION_NAMES[calibration]} calibration picks one range from the whole tensor's histogram, so it works per tensor only; ` +
          `per-channel and group-wise ranges use the min–max of each slice. Choose per-tensor granularity or min–max calibration.`,
      );
    }
  }
  return errors;
}

/** Number of slices (one scale and zero-point each): 1 for 'tensor', rows for 'channel', cells (= groups) for 'group'. */
export function sliceCount(layout: CellLayout, settings: LabSettings): number {
  return settings.granularity === 'tensor' ? 1 : settings.granularity === 'channel' ? layout.rows : layout.cells;
}

/** The slice a cell belongs to: 0 ('tensor'), its row floor(cell / cellsPerRow) ('channel'), the cell itself ('group'). */
export function sliceOfCell(cell: number, layout: CellLayout, settings: LabSettings): number {
  return settings.granularity === 'tensor' ? 0 : settings.granularity === 'channel' ? Math.floor(cell / layout.cellsPerRow) : cell;
}

function checkLength(x: Float32Array, layout: CellLayout): void {
  if (x.length !== layout.rows * layout.cols) {
    throw new RangeError(`the tensor has ${x.length} values; a ${layout.rows} x ${layout.cols} matrix needs ${layout.rows * layout.cols}`);
  }
}

export interface CellRanges {
  /** Finite min per cell; +Infinity for a cell with no finite element. */
  min: Float32Array;
  /** Finite max per cell; -Infinity for a cell with no finite element. */
  max: Float32Array;
  /** NaN/±Inf elements per cell. */
  nonFinite: Uint32Array;
}

/** Per cell c (elements x[c·cellCols, (c+1)·cellCols)): finite min, finite max and count of NaN/Inf (as affine.ts `finiteMinMax`). */
export function cellMinMax(x: Float32Array, layout: CellLayout): CellRanges {
  checkLength(x, layout);
  const { cells, cellCols } = layout;
  const min = new Float32Array(cells);
  const max = new Float32Array(cells);
  const nonFinite = new Uint32Array(cells);
  for (let c = 0; c < cells; c++) {
    let lo = Infinity, hi = -Infinity, bad = 0;
    const end = (c + 1) * cellCols;
    for (let i = c * cellCols; i < end; i++) {
      const v = x[i];
      if (!Number.isFinite(v)) { bad++; continue; }
      if (v < lo) lo = v;
      if (v > hi) hi = v;
    }
    min[c] = lo;
    max[c] = hi;
    nonFinite[c] = bad;
  }
  return { min, max, nonFinite };
}

export interface SliceRanges {
  min: Float32Array;
  max: Float32Array;
}

/** Folds cell ranges into slice ranges: min/max over the slice's cells; a slice with no finite element gets [0, 0]. */
export function sliceRanges(cells: CellRanges, layout: CellLayout, settings: LabSettings): SliceRanges {
  const n = sliceCount(layout, settings);
  const min = new Float32Array(n).fill(Infinity);
  const max = new Float32Array(n).fill(-Infinity);
  for (let c = 0; c < layout.cells; c++) {
    const s = sliceOfCell(c, layout, settings);
    if (cells.min[c] < min[s]) min[s] = cells.min[c];
    if (cells.max[c] > max[s]) max[s] = cells.max[c];
  }
  for (let s = 0; s < n; s++) if (min[s] > max[s]) { min[s] = 0; max[s] = 0; }
  return { min, max };
}

/** The whole tensor's finite [min, max] ([0, 0] if it has no finite element) and its NaN/Inf count, from the cell ranges. */
export function tensorRange(cells: CellRanges): { min: number; max: number; nonFinite: number } {
  let min = Infinity, max = -Infinity, nonFinite = 0;
  for (let c = 0; c < cells.min.length; c++) {
    if (cells.min[c] < min) min = cells.min[c];
    if (cells.max[c] > max) max = cells.max[c];
    nonFinite += cells.nonFinite[c];
  }
  if (min > max) return { min: 0, max: 0, nonFinite };
  return { min, max, nonFinite };
}

/**
 * (scale, zero-point) per slice from its range by the min/max observer of docs/numerics.md
 * (`computeQParams`: widen to hold 0, scale = max(eps, (hi - lo)/(qmax - qmin)) or the symmetric
 * form). Scales are stored as float32 (they already are float32 values), zero-points as int32.
 */
export function computeSliceParams(ranges: SliceRanges, settings: LabSettings): SliceParams {
  const n = ranges.min.length;
  const { qmin, qmax } = integerRange(settings.bits, settings.signed);
  const scale = new Float32Array(n);
  const zeroPoint = new Int32Array(n);
  for (let s = 0; s < n; s++) {
    const p = computeQParams(ranges.min[s], ranges.max[s], settings);
    scale[s] = p.scale;
    zeroPoint[s] = p.zeroPoint;
  }
  return { scale, zeroPoint, qmin, qmax };
}

/**
 * Codes of every element with its slice's (scale, zp), as `quantizeAffine` (docs/numerics.md):
 * q = clamp(zp + roundHalfEven(fround(x · fround(1/scale))), qmin, qmax); NaN → zp, ±Inf → qmax/qmin.
 */
export function quantizeSlices(x: Float32Array, layout: CellLayout, params: SliceParams, settings: LabSettings): Int32Array {
  checkLength(x, layout);
  const out = new Int32Array(x.length);
  const { cellCols } = layout;
  for (let c = 0; c < layout.cells; c++) {
    const s = sliceOfCell(c, layout, settings);
    const start = c * cellCols;
    out.set(quantizeAffine(x.subarray(start, start + cellCols), params.scale[s], params.zeroPoint[s], params.qmin, params.qmax), start);
  }
  return out;
}

/**
 * Float32 reciprocal bin width of the error histogram: fround(ERROR_HISTOGRAM_BINS / (2 · errorRange))
 * (0 when that is not finite and positive, putting everything in bin 0).
 */
export function errorHistogramInvWidth(errorRange: number): number {
  return histogramInvWidth(-errorRange, errorRange, ERROR_HISTOGRAM_BINS);
}

/**
 * One quantize → dequantize pass with the slices' params, measured over finite elements
 * (NaN/±Inf are counted in `nonFinite` and skipped). Per element, with its slice's (scale, zp):
 *   inv = fround(1/scale); t = fround(x · inv); r = roundHalfEven(t); u = zp + r (unclamped code);
 *   q = clamp(u, qmin, qmax), clipped when u < qmin or u > qmax;
 *   x' = fround(scale · (q - zp)); err = fround(x' - x)                       (float32, as the GPU)
 * and in float64: sumErr2 += err², sumX2 += x², maxAbsError = max |err|, per-cell sums.
 *   mse = sumErr2 / count; sqnrDb = 10 · log10((sumX2 / count) / mse), Infinity when mse = 0;
 *   cellMse[c] = cell sumErr2 / cell count (0 for a cell with no finite element), stored float32;
 *   errorRange = max over slices of scale (float32) — unclipped errors lie within ±scale/2;
 *   errorHistogram: ERROR_HISTOGRAM_BINS bins over [-errorRange, errorRange],
 *     bin = floor(fround(fround(err + errorRange) · fround(bins / (2 · errorRange)))) clamped to [0, bins - 1].
 * A tensor with no finite element (count = 0) gives mse = 0, sqnrDb = Infinity, maxAbsError = 0,
 * clippedFraction = 0 and an all-zero histogram; widgets read count = 0 and say so.
 */
export function analyzeReference(x: Float32Array, layout: CellLayout, params: SliceParams, settings: LabSettings): LabStats {
  checkLength(x, layout);
  const { cells, cellCols } = layout;
  const { qmin, qmax } = params;
  let errorRange = 0;
  for (let s = 0; s < params.scale.length; s++) if (params.scale[s] > errorRange) errorRange = params.scale[s];
  const bins = ERROR_HISTOGRAM_BINS;
  const hInv = errorHistogramInvWidth(errorRange);
  const errorHistogram = new Uint32Array(bins);
  const cellMse = new Float32Array(cells);
  let count = 0, nonFinite = 0, clipped = 0, sumErr2 = 0, sumX2 = 0, maxAbsError = 0;
  for (let c = 0; c < cells; c++) {
    const s = sliceOfCell(c, layout, settings);
    const scale = params.scale[s];
    const zp = params.zeroPoint[s];
    const inv = f(1 / scale);
    let cellErr2 = 0, cellCount = 0;
    const end = (c + 1) * cellCols;
    for (let i = c * cellCols; i < end; i++) {
      const v = x[i];
      if (!Number.isFinite(v)) { nonFinite++; continue; }
      const u = zp + roundHalfEven(f(v * inv));
      let q = u;
      if (u < qmin) { q = qmin; clipped++; } else if (u > qmax) { q = qmax; clipped++; }
      const xr = f(scale * (q - zp));
      const err = f(xr - v);
      const e2 = err * err;
      cellErr2 += e2;
      cellCount++;
      sumX2 += v * v;
      const a = Math.abs(err);
      if (a > maxAbsError) maxAbsError = a;
      errorHistogram[histogramBin(err, -errorRange, hInv, bins)]++;
    }
    sumErr2 += cellErr2;
    count += cellCount;
    cellMse[c] = cellCount > 0 ? cellErr2 / cellCount : 0;
  }
  const mse = count > 0 ? sumErr2 / count : 0;
  const sqnrDb = mse === 0 ? Infinity : 10 * Math.log10(sumX2 / count / mse);
  return {
    count,
    nonFinite,
    mse,
    sqnrDb,
    maxAbsError,
    clippedFraction: count > 0 ? clipped / count : 0,
    cellMse,
    errorHistogram,
    errorRange,
  };
}

/**
 * True storage cost in bits per weight: bits + overhead / (rows · cols), where each slice stores a
 * float32 scale (32 bits) and, for asymmetric quantization, a `bits`-bit zero-point (symmetric
 * zero-points are implied and cost nothing). E.g. 4-bit, group 64, symmetric: 4 + 32/64 = 4.5.
 */
export function bitsPerWeight(settings: LabSettings, layout: CellLayout): number {
  const perSlice = 32 + (settings.symmetric ? 0 : settings.bits);
  return settings.bits + (sliceCount(layout, settings) * perSlice) / (layout.rows * layout.cols);
}

/** How the per-tensor range was chosen (see calibration.ts). */
export interface LabCalibrationInfo {
  /** The calibration applied ('minmax' for per-channel and group-wise). */
  method: Calibration;
  /** Finite min and max of the whole tensor ([0, 0] if none). */
  tensorMin: number;
  tensorMax: number;
  /**
   * Range quantized to for 'tensor' granularity (the clipped range for percentile/MSE, else
   * [tensorMin, tensorMax]). For 'channel' and 'group' it is [tensorMin, tensorMax] and each
   * slice uses its own min–max (`ranges`).
   */
  lo: number;
  hi: number;
  /** For 'mse': the chosen clip ratio c. */
  clipRatio?: number;
  /** The value histogram (CALIBRATION_HISTOGRAM_BINS bins over [tensorMin, tensorMax]) read by percentile/MSE. */
  histogram?: Uint32Array;
}

export interface LabResult {
  ok: true;
  layout: CellLayout;
  /** Range per slice that the params were computed from (after calibration). */
  ranges: SliceRanges;
  params: SliceParams;
  stats: LabStats;
  calibration: LabCalibrationInfo;
  bitsPerWeight: number;
}

export interface LabFailure {
  ok: false;
  /** Learner-facing messages. */
  errors: string[];
}

/**
 * The whole lab pipeline on the CPU (the widgets' fallback and the GPU's oracle):
 * validateLabInput (plus x.length = rows · cols) → cellLayout → cellMinMax → sliceRanges →
 * for per-tensor percentile/MSE: valueHistogram over the tensor's [min, max] with
 * CALIBRATION_HISTOGRAM_BINS bins and calibrateTensorRange → computeSliceParams →
 * analyzeReference, plus bitsPerWeight. Bad input returns { ok: false, errors } instead of throwing,
 * as does a range too wide for a finite float32 scale (values near ±3.4e38 of both signs).
 */
export function runLabReference(x: Float32Array, rows: number, cols: number, settings: LabSettings): LabResult | LabFailure {
  const errors = validateLabInput(rows, cols, settings);
  if (errors.length === 0 && x.length !== rows * cols) {
    errors.push(`The tensor has ${x.length} values, but a ${rows} × ${cols} matrix needs ${rows * cols}.`);
  }
  if (errors.length > 0) return { ok: false, errors };
  const layout = cellLayout(rows, cols, settings);
  const cells = cellMinMax(x, layout);
  const t = tensorRange(cells);
  let ranges = sliceRanges(cells, layout, settings);
  const calibration: LabCalibrationInfo = { method: 'minmax', tensorMin: t.min, tensorMax: t.max, lo: t.min, hi: t.max };
  if (settings.granularity === 'tensor' && settings.calibration !== 'minmax') {
    const histogram = valueHistogram(x, t.min, t.max, CALIBRATION_HISTOGRAM_BINS);
    const r = calibrateTensorRange(settings, t.min, t.max, histogram);
    calibration.method = settings.calibration;
    calibration.lo = r.lo;
    calibration.hi = r.hi;
    calibration.histogram = histogram;
    if (r.clipRatio !== undefined) calibration.clipRatio = r.clipRatio;
    ranges = { min: Float32Array.of(r.lo), max: Float32Array.of(r.hi) };
  }
  const params = computeSliceParams(ranges, settings);
  if (params.scale.some((s) => !Number.isFinite(s))) {
    return { ok: false, errors: ['The values span a range too wide for a float32 scale (close to ±3.4e38 on both sides); rescale the tensor.'] };
  }
  const stats = analyzeReference(x, layout, params, settings);
  return { ok: true, layout, ranges, params, stats, calibration, bitsPerWeight: bitsPerWeight(settings, layout) };
}
