/**
 * The quantization lab on the GPU: a weight matrix uploaded once, then per setting a cell min/max
 * pass (cached per cell layout), the value histogram (cached per tensor) and one fused
 * quantize-dequantize-error pass whose per-cell sums are folded on the CPU. Per tensor, the pass
 * only sums err² per cell ('sums'), and the error histogram, max |err| and clipped count come from
 * the tensor's sorted values (lib/lab/sorted-errors.ts: the same counts, in about a millisecond),
 * computed while the GPU works; the per-element histogram was about half of the pass's time on a
 * software adapter. The steps between the passes (ranges, calibration, qparams) are lib/quant's
 * own functions, so the result has the same shape and meaning as `runLabReference` and is tested
 * against it (docs/design.md rules 3-4).
 * On WebGL and CPU backends the lab runs the CPU reference instead (`createLabSession`).
 */
import type { Tensor } from '@tensorflow/tfjs-core';
import { CALIBRATION_HISTOGRAM_BINS, calibrateTensorRange } from '../quant/calibration';
import {
  bitsPerWeight,
  cellLayout,
  computeSliceParams,
  errorHistogramInvWidth,
  quantizeSlices,
  runLabReference,
  sliceRanges,
  tensorRange,
  validateLabInput,
  type CellRanges,
  type LabCalibrationInfo,
  type LabFailure,
  type LabResult,
  type SliceRanges,
} from './lab';
import { ERROR_HISTOGRAM_BINS, type CellLayout, type LabSettings, type LabStats, type SliceParams } from './types';
import type { Compute } from '../compute/index';
import { histogramInvWidth, valueHistogram } from '../quant/histogram';
import { CELL_RANGE_FIELDS, FUSED_THREAD_FIELDS, cellMinMaxProgram, fusedCellsPerThread, fusedLabProgram, fusedOutputLayout, sliceCodesProgram, valueHistogramProgram, zeroFillProgram } from '../compute/kernels/cells';
import { sortValues, sortedErrorStats, type SortedErrorStats, type SortedValues } from './sorted-errors';

/** A lab result plus the value histogram every view draws (CALIBRATION_HISTOGRAM_BINS bins over [min, max]). */
export type LabRun = (LabResult & { valueHistogram: Uint32Array; path: 'fused-webgpu' | 'cpu-reference' }) | LabFailure;

export interface LabSession {
  readonly rows: number;
  readonly cols: number;
  readonly path: 'fused-webgpu' | 'cpu-reference';
  run(settings: LabSettings): Promise<LabRun>;
  /** The integer codes of every element with the slices' params and the tensor's finite range. */
  quantize(settings: LabSettings): Promise<LabCodes>;
  /** The integer codes of every element (for tests). */
  codes(settings: LabSettings): Promise<Int32Array>;
  /** Forgets the cached min/max and histogram passes, so the next call measures them again. */
  clearCache(): void;
  dispose(): void;
}

export interface LabCodes {
  codes: Int32Array;
  params: SliceParams;
  tensorMin: number;
  tensorMax: number;
}

const SLICE_MODE = { tensor: 0, channel: 1, group: 2 } as const;

/** (1/scale, scale, zp) per slice as float32, the layout the kernels read. */
export function packSliceParams(params: SliceParams): Float32Array {
  const n = params.scale.length;
  const out = new Float32Array(n * 3);
  for (let s = 0; s < n; s++) {
    out[s * 3] = Math.fround(1 / params.scale[s]);
    out[s * 3 + 1] = params.scale[s];
    out[s * 3 + 2] = params.zeroPoint[s];
  }
  return out;
}

/** What the cell min/max pass leaves per cell besides the ranges: finite count and sum of x^2. */
export interface CellSignal {
  finite: Float32Array;
  sumX2: Float32Array;
}

/**
 * Folds the fused pass's output (see `fusedOutputLayout`; float32 values bit-cast into int32)
 * with the per-cell finite counts and sum x^2 of the min/max pass into LabStats, summing in float64.
 * With `sorted` (a 'sums' pass: `raw` holds only the per-cell sums), the error histogram, max |err|
 * and clipped count are taken from it instead.
 */
export function foldFusedStats(raw: Int32Array, layout: CellLayout, params: SliceParams, signal: CellSignal, nonFinite: number, cellsPerThread: number, sorted?: SortedErrorStats): LabStats {
  const { cells } = layout;
  const out = fusedOutputLayout(cells, cellsPerThread, ERROR_HISTOGRAM_BINS);
  const f32 = new Float32Array(raw.buffer, raw.byteOffset, sorted ? cells : out.length);
  const cellMse = new Float32Array(cells);
  let sumErr2 = 0, sumX2 = 0, maxAbsError = 0, clipped = 0, count = 0;
  for (let c = 0; c < cells; c++) {
    const e2 = f32[c], n = signal.finite[c];
    sumErr2 += e2;
    sumX2 += signal.sumX2[c];
    count += n;
    cellMse[c] = n > 0 ? e2 / n : 0;
  }
  let errorHistogram: Uint32Array;
  if (sorted) {
    maxAbsError = sorted.maxAbsError;
    clipped = sorted.clipped;
    errorHistogram = sorted.errorHistogram;
  } else {
    for (let t = 0; t < out.threads; t++) {
      const o = out.threadOffset + t * FUSED_THREAD_FIELDS;
      if (f32[o] > maxAbsError) maxAbsError = f32[o];
      clipped += raw[o + 1];
    }
    errorHistogram = new Uint32Array(ERROR_HISTOGRAM_BINS);
    for (let b = 0; b < ERROR_HISTOGRAM_BINS; b++) errorHistogram[b] = raw[out.histOffset + b];
  }
  let errorRange = 0;
  for (let s = 0; s < params.scale.length; s++) if (params.scale[s] > errorRange) errorRange = params.scale[s];
  const mse = count > 0 ? sumErr2 / count : 0;
  return {
    count,
    nonFinite,
    mse,
    sqnrDb: mse === 0 ? Infinity : 10 * Math.log10(sumX2 / count / mse),
    maxAbsError,
    clippedFraction: count > 0 ? clipped / count : 0,
    cellMse,
    errorHistogram,
    errorRange,
  };
}

function cellRangesFromPartials(p: Float32Array, cells: number, cellCols: number): { ranges: CellRanges; signal: CellSignal } {
  const min = new Float32Array(cells), max = new Float32Array(cells), nonFinite = new Uint32Array(cells);
  const finite = new Float32Array(cells), sumX2 = new Float32Array(cells);
  for (let c = 0; c < cells; c++) {
    const o = c * CELL_RANGE_FIELDS;
    min[c] = p[o];
    max[c] = p[o + 1];
    nonFinite[c] = p[o + 2];
    finite[c] = cellCols - p[o + 2];
    sumX2[c] = p[o + 3];
  }
  return { ranges: { min, max, nonFinite }, signal: { finite, sumX2 } };
}

class GpuLabSession implements LabSession {
  readonly path = 'fused-webgpu' as const;
  private readonly x: Tensor;
  private readonly cellCache = new Map<number, CellRanges>();
  private readonly signalCache = new Map<number, CellSignal>();
  /** The folds of the cached cell ranges a slider step reuses: tensor range per cell layout, slice ranges per layout and granularity. */
  private readonly tensorRangeCache = new Map<CellRanges, ReturnType<typeof tensorRange>>();
  private readonly sliceRangeCache = new Map<string, SliceRanges>();
  private histogram: { lo: number; hi: number; counts: Uint32Array } | null = null;
  /** The tensor's finite values in ascending order, made on the first per-tensor run. */
  private sorted: SortedValues | null = null;

  constructor(private readonly compute: Compute, private readonly data: Float32Array, readonly rows: number, readonly cols: number) {
    this.x = compute.tf.tensor1d(data, 'float32');
  }

  private get gpu() {
    if (!this.compute.webgpu) throw new Error('the WebGPU backend is not active');
    return this.compute.webgpu;
  }

  private async readInt(info: ReturnType<GpuLabSession['gpu']['runWebGPUProgram']>): Promise<Int32Array> {
    const t = this.compute.tf.engine().makeTensorFromTensorInfo(info);
    try {
      return (await t.data()) as Int32Array;
    } finally {
      t.dispose();
    }
  }

  private async cellRanges(layout: CellLayout): Promise<CellRanges> {
    const cached = this.cellCache.get(layout.cellCols);
    if (cached) return cached;
    const info = this.gpu.runWebGPUProgram(cellMinMaxProgram(layout.cells), [this.x], 'float32', [
      { type: 'int32', data: [layout.cellCols] },
      { type: 'int32', data: [layout.cells] },
    ]);
    const t = this.compute.tf.engine().makeTensorFromTensorInfo(info);
    const partials = (await t.data()) as Float32Array;
    t.dispose();
    const { ranges, signal } = cellRangesFromPartials(partials, layout.cells, layout.cellCols);
    this.cellCache.set(layout.cellCols, ranges);
    this.signalCache.set(layout.cellCols, signal);
    return ranges;
  }

  private async valueHistogram(lo: number, hi: number): Promise<Uint32Array> {
    if (this.histogram && this.histogram.lo === lo && this.histogram.hi === hi) return this.histogram.counts;
    const n = this.rows * this.cols;
    const threads = Math.max(1, Math.min(16384, Math.ceil(n / 256)));
    const chunk = Math.ceil(n / threads);
    const zeros = this.gpu.runWebGPUProgram(zeroFillProgram(CALIBRATION_HISTOGRAM_BINS), [], 'int32');
    const info = this.gpu.runWebGPUProgram(
      valueHistogramProgram(threads, CALIBRATION_HISTOGRAM_BINS),
      [this.x],
      'int32',
      [
        { type: 'int32', data: [n] },
        { type: 'int32', data: [chunk] },
        { type: 'float32', data: [lo] },
        { type: 'float32', data: [histogramInvWidth(lo, hi, CALIBRATION_HISTOGRAM_BINS)] },
      ],
      zeros,
    );
    const counts = Uint32Array.from(await this.readInt(info));
    this.histogram = { lo, hi, counts };
    return counts;
  }

  private uniformsFor(layout: CellLayout, settings: LabSettings, params: SliceParams) {
    return [
      { type: 'int32', data: [layout.cellCols] },
      { type: 'int32', data: [layout.cellsPerRow] },
      { type: 'int32', data: [layout.cells] },
      { type: 'int32', data: [SLICE_MODE[settings.granularity]] },
      { type: 'float32', data: [params.qmin] },
      { type: 'float32', data: [params.qmax] },
    ];
  }

  /** `tensorRange` of cached cell ranges, folded once (the cell ranges never change for a tensor). */
  private tensorRangeOf(cells: CellRanges) {
    let t = this.tensorRangeCache.get(cells);
    if (!t) this.tensorRangeCache.set(cells, (t = tensorRange(cells)));
    return t;
  }

  /** Ranges, calibration and qparams for `settings` from the cell min/max and value histogram. */
  private prepareFrom(settings: LabSettings, layout: CellLayout, cells: CellRanges, histogram: Uint32Array) {
    const t = this.tensorRangeOf(cells);
    const key = `${layout.cellCols}/${settings.granularity}`;
    let ranges = this.sliceRangeCache.get(key);
    if (!ranges) this.sliceRangeCache.set(key, (ranges = sliceRanges(cells, layout, settings)));
    const calibration: LabCalibrationInfo = { method: 'minmax', tensorMin: t.min, tensorMax: t.max, lo: t.min, hi: t.max };
    if (settings.granularity === 'tensor' && settings.calibration !== 'minmax') {
      const r = calibrateTensorRange(settings, t.min, t.max, histogram);
      Object.assign(calibration, { method: settings.calibration, lo: r.lo, hi: r.hi, histogram });
      if (r.clipRatio !== undefined) calibration.clipRatio = r.clipRatio;
      ranges = { min: Float32Array.of(r.lo), max: Float32Array.of(r.hi) };
    }
    return { layout, t, histogram, ranges, calibration, params: computeSliceParams(ranges, settings) };
  }

  /**
   * The same, synchronously, when this tensor's passes for the layout are already cached (every
   * slider step after the first): the fused pass is then submitted before the page re-renders.
   */
  private prepareCached(settings: LabSettings) {
    const layout = cellLayout(this.rows, this.cols, settings);
    const cells = this.cellCache.get(layout.cellCols);
    if (!cells || !this.histogram) return null;
    const t = this.tensorRangeOf(cells);
    if (this.histogram.lo !== t.min || this.histogram.hi !== t.max) return null;
    return this.prepareFrom(settings, layout, cells, this.histogram.counts);
  }

  /** `needHistogram` false: only the min/max pass, unless per-tensor percentile/MSE calibration needs it. */
  private async prepare(settings: LabSettings, needHistogram = true) {
    const cached = this.prepareCached(settings);
    if (cached) return cached;
    const layout = cellLayout(this.rows, this.cols, settings);
    const cells = await this.cellRanges(layout);
    const t = this.tensorRangeOf(cells);
    const calibrating = settings.granularity === 'tensor' && settings.calibration !== 'minmax';
    const histogram = needHistogram || calibrating ? await this.valueHistogram(t.min, t.max) : new Uint32Array(0);
    return this.prepareFrom(settings, layout, cells, histogram);
  }

  clearCache(): void {
    this.cellCache.clear();
    this.signalCache.clear();
    this.tensorRangeCache.clear();
    this.sliceRangeCache.clear();
    this.histogram = null;
  }

  async run(settings: LabSettings): Promise<LabRun> {
    const errors = validateLabInput(this.rows, this.cols, settings);
    if (errors.length > 0) return { ok: false, errors };
    const { layout, t, histogram, ranges, calibration, params } = this.prepareCached(settings) ?? (await this.prepare(settings));
    if (params.scale.some((s) => !Number.isFinite(s))) {
      return { ok: false, errors: ['The values span a range too wide for a float32 scale (close to ±3.4e38 on both sides); rescale the tensor.'] };
    }
    const { tf } = this.compute;
    const packed = tf.tensor1d(packSliceParams(params), 'float32');
    const cellsPerThread = fusedCellsPerThread(layout.cellCols);
    const out = fusedOutputLayout(layout.cells, cellsPerThread, ERROR_HISTOGRAM_BINS);
    const signal = this.signalCache.get(layout.cellCols)!; // filled with the cell ranges by prepare
    // One slice: the pass sums err² per cell only, and the sorted values give the rest (see the file comment).
    const perTensor = params.scale.length === 1;
    // The full pass accumulates with atomics into a zeroed output; the 'sums' pass writes every cell.
    const zeros = perTensor ? undefined : this.gpu.runWebGPUProgram(zeroFillProgram(out.length), [], 'int32');
    let errorRange = 0;
    for (let s = 0; s < params.scale.length; s++) if (params.scale[s] > errorRange) errorRange = params.scale[s];
    try {
      const info = this.gpu.runWebGPUProgram(
        fusedLabProgram(layout.cells, ERROR_HISTOGRAM_BINS, cellsPerThread, layout.cellCols, perTensor ? 'sums' : 'full'),
        [this.x, packed],
        'int32',
        [
          ...this.uniformsFor(layout, settings, params),
          { type: 'float32', data: [-errorRange] },
          { type: 'float32', data: [errorHistogramInvWidth(errorRange)] },
          { type: 'int32', data: [cellsPerThread] },
          { type: 'int32', data: [out.threadOffset] },
          { type: 'int32', data: [out.histOffset] },
          { type: 'int32', data: [t.nonFinite > 0 ? 1 : 0] },
        ],
        zeros,
      );
      // Starting the read submits the recorded passes (tfjs defers submission until a read).
      const reading = this.readInt(info);
      // While the device runs the pass: the per-tensor histogram, max |err| and clipped count.
      const sorted = perTensor
        ? sortedErrorStats((this.sorted ??= sortValues(this.data)), params.scale[0], params.zeroPoint[0], params.qmin, params.qmax, errorRange, ERROR_HISTOGRAM_BINS)
        : undefined;
      const raw = await reading;
      const stats = foldFusedStats(raw, layout, params, signal, t.nonFinite, cellsPerThread, sorted);
      return { ok: true, layout, ranges, params, stats, calibration, bitsPerWeight: bitsPerWeight(settings, layout), valueHistogram: histogram, path: this.path };
    } finally {
      packed.dispose();
    }
  }

  async quantize(settings: LabSettings): Promise<LabCodes> {
    const { layout, params, t } = await this.prepare(settings, false);
    const packed = this.compute.tf.tensor1d(packSliceParams(params), 'float32');
    try {
      const info = this.gpu.runWebGPUProgram(sliceCodesProgram(layout.cells, this.rows * this.cols), [this.x, packed], 'int32', this.uniformsFor(layout, settings, params));
      return { codes: await this.readInt(info), params, tensorMin: t.min, tensorMax: t.max };
    } finally {
      packed.dispose();
    }
  }

  async codes(settings: LabSettings): Promise<Int32Array> {
    return (await this.quantize(settings)).codes;
  }

  dispose(): void {
    this.x.dispose();
    this.cellCache.clear();
    this.signalCache.clear();
    this.sorted = null;
  }
}

class CpuLabSession implements LabSession {
  readonly path = 'cpu-reference' as const;
  private histogram: { lo: number; hi: number; counts: Uint32Array } | null = null;
  constructor(private readonly data: Float32Array, readonly rows: number, readonly cols: number) {}

  async run(settings: LabSettings): Promise<LabRun> {
    const r = runLabReference(this.data, this.rows, this.cols, settings);
    if (!r.ok) return r;
    const { tensorMin: lo, tensorMax: hi } = r.calibration;
    if (!this.histogram || this.histogram.lo !== lo || this.histogram.hi !== hi) {
      this.histogram = { lo, hi, counts: r.calibration.histogram ?? valueHistogram(this.data, lo, hi, CALIBRATION_HISTOGRAM_BINS) };
    }
    return { ...r, valueHistogram: this.histogram.counts, path: this.path };
  }

  async quantize(settings: LabSettings): Promise<LabCodes> {
    const r = runLabReference(this.data, this.rows, this.cols, settings);
    if (!r.ok) throw new Error(r.errors.join(' '));
    return { codes: quantizeSlices(this.data, r.layout, r.params, settings), params: r.params, tensorMin: r.calibration.tensorMin, tensorMax: r.calibration.tensorMax };
  }

  async codes(settings: LabSettings): Promise<Int32Array> {
    return (await this.quantize(settings)).codes;
  }

  clearCache(): void {
    this.histogram = null;
  }

  dispose(): void {}
}

/**
 * A lab session for one tensor on the active backend: the fused WebGPU kernels when WebGPU is
 * active (unless `forceCpu`), else the CPU reference.
 */
export function createLabSession(compute: Compute | null, data: Float32Array, rows: number, cols: number, forceCpu = false): LabSession {
  if (compute?.webgpu && !forceCpu) return new GpuLabSession(compute, data, rows, cols);
  return new CpuLabSession(data, rows, cols);
}
