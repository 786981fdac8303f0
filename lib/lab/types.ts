/**
 * The quantization lab's contract: the settings a learner chooses, how a weight matrix is cut into
 * slices (one scale and zero-point each) and into heatmap cells, and what statistics come back.
 * The CPU reference (lib/lab/lab.ts) and the fused WebGPU kernels (lib/lab/gpu.ts)
 * both implement exactly this, and tests compare the two (docs/design.md rule 3).
 *
 * Layout: a row-major matrix [rows, cols]. Rows are output channels (PyTorch's default ch_axis = 0
 * for weights); a row is one dot product's weights, so groups run along a row (the reduction axis).
 */
import type { QuantOptions } from '../quant/affine';
import type { Calibration } from '../quant/calibration';

export type Granularity = 'tensor' | 'channel' | 'group';
export type { Calibration };

export interface LabSettings extends QuantOptions {
  granularity: Granularity;
  /** Elements per group along a row, for 'group' (32, 64 or 128 in the widgets); must divide cols. */
  groupSize: number;
  /** Per-tensor only: 'percentile' and 'mse' pick a clipping range from the value histogram. */
  calibration: Calibration;
  /** For 'percentile': the share of values kept inside the range, e.g. 99.9. */
  percentile: number;
}

/**
 * A heatmap cell is a run of `cellCols` consecutive elements of one row. For 'group', cellCols is
 * the group size (a cell is a group); otherwise it is min(cols, 64). cellCols divides cols.
 * Cell c covers row floor(c / cellsPerRow), columns (c % cellsPerRow) * cellCols ... + cellCols - 1.
 */
export const DEFAULT_CELL_COLS = 64;

export interface CellLayout {
  rows: number;
  cols: number;
  cellCols: number;
  cellsPerRow: number;
  cells: number;
}

/** Slice count: 1 (tensor), rows (channel) or rows * cols / groupSize (group). */
export interface SliceParams {
  /** One per slice, float32 values. */
  scale: Float32Array;
  zeroPoint: Int32Array;
  qmin: number;
  qmax: number;
}

/** Bins of the error histogram: `bins` equal bins over [-range, range]; errors outside go to the end bins. */
export const ERROR_HISTOGRAM_BINS = 64;

/**
 * What one quantize -> dequantize pass measures. x' = scale * (q - zp) with q as in
 * docs/numerics.md; err = x' - x, over finite elements only (NaN/Inf are counted and skipped).
 */
export interface LabStats {
  /** Finite elements measured. */
  count: number;
  /** NaN or infinite elements, excluded from everything else. */
  nonFinite: number;
  /** mean(err^2). */
  mse: number;
  /** 10 log10(mean(x^2) / mse): Infinity when mse is 0. */
  sqnrDb: number;
  maxAbsError: number;
  /** Share of finite elements whose unclamped code zp + round(x / scale) fell outside [qmin, qmax]. */
  clippedFraction: number;
  /** Per heatmap cell: mean(err^2) over its finite elements (0 for a cell with none). */
  cellMse: Float32Array;
  /** Error histogram: counts in ERROR_HISTOGRAM_BINS bins over [-errorRange, errorRange]. */
  errorHistogram: Uint32Array;
  errorRange: number;
}

/** Signed 8-bit symmetric, per tensor, min–max: the plain INT8 that the check, self-test and benchmark start from. */
export const INT8_PER_TENSOR: LabSettings = {
  bits: 8,
  signed: true,
  symmetric: true,
  granularity: 'tensor',
  groupSize: 64,
  calibration: 'minmax',
  percentile: 99.9,
};
