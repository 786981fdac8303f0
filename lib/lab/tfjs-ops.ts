/**
 * The quantization lab's per-tensor min–max pass written as a chain of stock tfjs ops — the
 * baseline the benchmark (`npm run bench`, app/bench) measures the fused WebGPU kernels of
 * lab-gpu.ts against (docs/design.md rule 4 says hot paths are fused; this file is the evidence).
 * It computes the same statistics as `runLabReference` (lib/lab/lab.ts) for granularity
 * 'tensor' with 'minmax' calibration, on whichever tfjs backend is active:
 *
 *   lo, hi = min(x), max(x)                                   (tf ops, two floats read back)
 *   scale, zp = computeQParams(lo, hi, settings)             (lib/quant/affine, on the CPU)
 *   u = round(x · fround(1/scale)) + zp                      (round: half to even, as WGSL)
 *   q = clip(u, qmin, qmax); clipped = sum(u ≠ q)
 *   x' = (q − zp) · scale; err = x' − x
 *   sum(err²), sum(x²), max|err|  →  mse, sqnrDb, maxAbsError, clippedFraction
 *   error histogram: bin = clip(floor((err + range) · fround(bins / 2range)), 0, bins − 1),
 *     counted by tf.bincount (float32 weights: the WebGPU kernel accumulates with float atomics)
 *
 * Only the small results (four scalars and the histogram) are read back; every intermediate is
 * disposed by tf.tidy. Sums are float32 reductions on the device (the reference sums in float64),
 * so statistics agree to about 1e-7 relative or better, not bit for bit. Like the fused session, the session
 * measures the tensor's range once and reuses it for later settings.
 * Not computed: the per-cell MSE of the lab's heatmap (`cellMse` is empty). The fused pass gets it
 * for free; as ops (tf.sum over [cells, cellCols] on axis 1) it made this chain 3–5× slower on the
 * software adapter, so the baseline leaves it out rather than flatter the fused kernels.
 * Input must be finite (NaN/±Inf are not counted or skipped here, unlike the fused kernels).
 */
import type { Scalar, Tensor1D } from '@tensorflow/tfjs-core';
import { computeQParams } from '../quant/affine';
import { cellLayout, errorHistogramInvWidth, validateLabInput, type LabFailure } from './lab';
import { ERROR_HISTOGRAM_BINS, type CellLayout, type LabSettings, type LabStats, type SliceParams } from './types';
import type { Compute } from '../compute/index';

export interface TfjsOpsLabResult {
  ok: true;
  layout: CellLayout;
  params: SliceParams;
  /** As the reference's, except `cellMse`, which is empty (not computed) and `nonFinite`, always 0. */
  stats: LabStats;
  /** The tensor's min and max, as measured by tf.min / tf.max. */
  range: { min: number; max: number };
  path: 'tfjs-ops';
}

export type TfjsOpsLabRun = TfjsOpsLabResult | LabFailure;

export interface TfjsOpsLabSession {
  readonly rows: number;
  readonly cols: number;
  readonly path: 'tfjs-ops';
  run(settings: LabSettings): Promise<TfjsOpsLabRun>;
  dispose(): void;
}

/** Problems that this op chain has beyond `validateLabInput`: it does per-tensor min–max only. */
export function tfjsOpsUnsupported(settings: LabSettings): string[] {
  const errors: string[] = [];
  if (settings.granularity !== 'tensor') errors.push(`The tfjs-ops baseline quantizes per tensor only; got granularity "${settings.granularity}".`);
  if (settings.calibration !== 'minmax') errors.push(`The tfjs-ops baseline uses min–max calibration only; got "${settings.calibration}".`);
  return errors;
}

class OpsSession implements TfjsOpsLabSession {
  readonly path = 'tfjs-ops' as const;
  private readonly x: Tensor1D;
  private range: { min: number; max: number } | null = null;

  constructor(private readonly compute: Compute, data: Float32Array, readonly rows: number, readonly cols: number) {
    if (data.length !== rows * cols) throw new RangeError(`the tensor has ${data.length} values; a ${rows} x ${cols} matrix needs ${rows * cols}`);
    this.x = compute.tf.tensor1d(data, 'float32');
  }

  private async tensorRange(): Promise<{ min: number; max: number }> {
    if (this.range) return this.range;
    const { tf } = this.compute;
    const both = tf.tidy(() => tf.stack([tf.min(this.x), tf.max(this.x)]));
    try {
      const [min, max] = await both.data();
      this.range = { min, max };
      return this.range;
    } finally {
      both.dispose();
    }
  }

  async run(settings: LabSettings): Promise<TfjsOpsLabRun> {
    const errors = [...validateLabInput(this.rows, this.cols, settings), ...tfjsOpsUnsupported(settings)];
    if (errors.length > 0) return { ok: false, errors };
    const { tf } = this.compute;
    const range = await this.tensorRange();
    if (!Number.isFinite(range.min) || !Number.isFinite(range.max)) {
      return { ok: false, errors: ['The tfjs-ops baseline needs a finite tensor (it does not skip NaN or ±Inf).'] };
    }
    const layout = cellLayout(this.rows, this.cols, settings);
    const qp = computeQParams(range.min, range.max, settings);
    const { scale, zeroPoint: zp, qmin, qmax } = qp;
    const inv = Math.fround(1 / scale);
    const errorRange = scale;
    const hInv = errorHistogramInvWidth(errorRange);
    const bins = ERROR_HISTOGRAM_BINS;
    const x = this.x;

    // Three scopes, so that at most a few full-size intermediates are alive at once (16M elements
    // are 64 MiB each); each returns only what the next needs.
    const [q, clippedT] = tf.tidy(() => {
      const u = tf.add(tf.round(tf.mul(x, inv)), zp);
      const qq = tf.clipByValue(u, qmin, qmax);
      return [qq, tf.sum(tf.cast(tf.notEqual(u, qq), 'float32'))] as [Tensor1D, Scalar];
    });
    const err = tf.tidy(() => tf.sub(tf.mul(tf.sub(q, zp), scale), x));
    q.dispose();
    const outs = tf.tidy(() => {
      const scalars = tf.stack([tf.sum(tf.square(err)), tf.sum(tf.square(x)), tf.max(tf.abs(err)), clippedT]);
      const idx = tf.cast(tf.clipByValue(tf.floor(tf.mul(tf.add(err, errorRange), hInv)), 0, bins - 1), 'int32') as Tensor1D;
      const histogram = tf.bincount(idx, tf.tensor1d([], 'float32'), bins);
      return [scalars, histogram];
    });
    err.dispose();
    clippedT.dispose();
    try {
      const [scalars, hist] = await Promise.all(outs.map((t) => t.data() as Promise<Float32Array>));
      const [sumErr2, sumX2, maxAbsError, clipped] = scalars;
      const count = this.rows * this.cols;
      const errorHistogram = new Uint32Array(bins);
      for (let b = 0; b < bins; b++) errorHistogram[b] = hist[b];
      const mse = sumErr2 / count;
      const stats: LabStats = {
        count,
        nonFinite: 0,
        mse,
        sqnrDb: mse === 0 ? Infinity : 10 * Math.log10(sumX2 / count / mse),
        maxAbsError,
        clippedFraction: clipped / count,
        cellMse: new Float32Array(0),
        errorHistogram,
        errorRange,
      };
      const params: SliceParams = { scale: Float32Array.of(scale), zeroPoint: Int32Array.of(zp), qmin, qmax };
      return { ok: true, layout, params, stats, range, path: this.path };
    } finally {
      for (const t of outs) t.dispose();
    }
  }

  dispose(): void {
    this.x.dispose();
    this.range = null;
  }
}

/** A tfjs-ops lab session for one [rows, cols] tensor, uploaded once, on the active tfjs backend. */
export function createTfjsOpsLabSession(compute: Compute, data: Float32Array, rows: number, cols: number): TfjsOpsLabSession {
  return new OpsSession(compute, data, rows, cols);
}
