import { computeQParams, dequantizeAffine, finiteMinMax, quantizeAffine, roundHalfEven, scaledByInverse, type QParams, type QuantOptions } from '@/lib/quant/affine';
import { CALIBRATION_HISTOGRAM_BINS, MSE_CANDIDATES, MSE_GRID_PER_HALVING, MSE_PERCENTILE_CANDIDATES, MSE_REFINE_STEPS, mseClipRatio, mseMinClipRatio } from '@/lib/quant/calibration';
import { bitsPerWeight, cellLayout, runLabReference } from '@/lib/lab/lab';
import { makeLabTensor } from '@/lib/lab/tensor';
import type { Calibration, Granularity, LabSettings } from '@/lib/lab/types';
import type { LabSize } from '@/lib/lab/view';
import { exactDecimal, shortNumber } from '@/lib/formats/display';

/**
 * Figures about affine quantization quoted in lesson prose, computed by lib/quant rather than typed
 * by hand (docs/design.md, rule 7). Formulas: docs/numerics.md "Affine (integer)
 * quantization".
 */

/** The range a figure is about: the finite min and max of `x`, or `min`/`max` given directly. */
export interface RangeProps extends QuantOptions {
  x?: readonly number[];
  min?: number;
  max?: number;
}

/** The observed range of a figure's props, in float32 as the observer sees it. */
export function observedRange({ x, min, max }: Pick<RangeProps, 'x' | 'min' | 'max'>): { min: number; max: number } {
  if (x) {
    const r = finiteMinMax(Float32Array.from(x));
    return { min: r.min, max: r.max };
  }
  if (min === undefined || max === undefined) throw new Error('A quantization figure needs either x or both min and max');
  return { min, max };
}

/** The (scale, zero-point) of the min/max observer for a figure's props (lib/quant/affine `computeQParams`). */
export function figureQParams(props: RangeProps): QParams {
  const { min, max } = observedRange(props);
  return computeQParams(min, max, { bits: props.bits, signed: props.signed, symmetric: props.symmetric });
}


function format(v: number, digits: number, exact: boolean): string {
  return exact ? exactDecimal(v) : shortNumber(v, digits);
}

type QParamFact = 'scale' | 'zeroPoint' | 'qmin' | 'qmax' | 'halfStep' | 'min' | 'max';

/**
 * One quantization parameter of a range, for prose:
 * `<QParam x={[-1, 0, 0.5, 2]} bits={8} signed={false} symmetric={false} show="scale" />` renders
 * "0.011764706"; `show="zeroPoint"` renders "85"; `show="halfStep"` the error bound s/2;
 * `show="min"`/`"max"` the observed range. `exact` writes the float32 value's full decimal expansion.
 */
export function QParam({ show, digits = 8, exact = false, ...range }: RangeProps & { show: QParamFact; digits?: number; exact?: boolean }) {
  const p = figureQParams(range);
  const r = observedRange(range);
  const v = show === 'halfStep' ? p.scale / 2 : show === 'min' ? r.min : show === 'max' ? r.max : p[show];
  return <span className="figure">{format(v, digits, exact)}</span>;
}

type ValueFact = 'scaled' | 'rounded' | 'q' | 'xhat' | 'error';

/**
 * What happens to one value under a range's quantizer, for prose:
 * `<QuantizedValue x={[-1, 0, 0.5, 2]} bits={8} signed={false} symmetric={false} value={0.5} show="q" />`
 * renders "127"; `show="scaled"` gives x/s as PyTorch computes it (x × (1/s) in float32: "42.5"),
 * `"rounded"` that rounded half to even ("42"), `"xhat"` the dequantized value, `"error"` x̂ − x.
 */
export function QuantizedValue({ value, show, digits = 8, exact = false, ...range }: RangeProps & { value: number; show: ValueFact; digits?: number; exact?: boolean }) {
  const p = figureQParams(range);
  const x = Float32Array.of(value);
  const q = quantizeAffine(x, p.scale, p.zeroPoint, p.qmin, p.qmax);
  const xhat = dequantizeAffine(q, p.scale, p.zeroPoint)[0];
  const scaled = scaledByInverse(value, p.scale);
  const v = show === 'scaled' ? scaled : show === 'rounded' ? roundHalfEven(scaled) : show === 'q' ? q[0] : show === 'xhat' ? xhat : xhat - x[0];
  return <span className="figure">{format(v, digits, exact)}</span>;
}

/**
 * Bits a weight costs in the quantization lab's accounting, scales included (lib/lab/lab
 * `bitsPerWeight`: one float32 scale per slice, plus a `bits`-bit zero-point when asymmetric), for
 * a rows × cols matrix (default 4096 × 4096, a 7B-class projection):
 * `<LabBitsPerWeight bits={4} symmetric granularity="group" groupSize={64} />` renders "4.5".
 */
export function LabBitsPerWeight({ bits, symmetric = true, granularity, groupSize = 128, rows = 4096, cols = 4096 }: {
  bits: number;
  symmetric?: boolean;
  granularity: Granularity;
  groupSize?: number;
  rows?: number;
  cols?: number;
}) {
  const settings: LabSettings = { bits, signed: true, symmetric, granularity, groupSize, calibration: 'minmax', percentile: 100 };
  return <span className="figure">{shortNumber(bitsPerWeight(settings, cellLayout(rows, cols, settings)), 6)}</span>;
}

type CalibrationFactName =
  | 'histogramBins'
  | 'candidates'
  | 'perHalving'
  | 'largestClipRatio'
  | 'smallestClipRatio'
  | 'clipRatioFactor'
  | 'refineSteps'
  | 'percentileCandidates'
  /** @deprecated the grid is geometric now: renders `clipRatioFactor`; say "each 0.917 times the last". */
  | 'clipRatioStep';

/**
 * A constant of the course's MSE calibration (lib/quant/calibration `mseRange`):
 * `histogramBins` (2048, as PyTorch's HistogramObserver); the grid of clip ratios c_k = 2^(-k/8):
 * its size `candidates` (89), `perHalving` (8), `largestClipRatio` (1), `smallestClipRatio`
 * (1/2048 = 0.000488281, one histogram bin), `clipRatioFactor` between neighbours (2^(-1/8) =
 * 0.917004); `refineSteps` (24 golden-section steps); `percentileCandidates` ("99, 99.9, 99.99
 * and 99.999", the percentile ranges also tried).
 */
export function CalibrationFact({ fact }: { fact: CalibrationFactName }) {
  if (fact === 'percentileCandidates') {
    const p = MSE_PERCENTILE_CANDIDATES.map(String);
    return <span className="figure">{`${p.slice(0, -1).join(', ')} and ${p[p.length - 1]}`}</span>;
  }
  const values: Record<Exclude<CalibrationFactName, 'percentileCandidates'>, number> = {
    histogramBins: CALIBRATION_HISTOGRAM_BINS,
    candidates: MSE_CANDIDATES,
    perHalving: MSE_GRID_PER_HALVING,
    largestClipRatio: mseClipRatio(0),
    smallestClipRatio: mseMinClipRatio(CALIBRATION_HISTOGRAM_BINS),
    clipRatioFactor: mseClipRatio(1),
    refineSteps: MSE_REFINE_STEPS,
    clipRatioStep: mseClipRatio(1),
  };
  const v = values[fact];
  if (v === undefined) throw new Error(`CalibrationFact: unknown fact "${String(fact)}"`);
  return <span className="figure">{shortNumber(v, 6)}</span>;
}

type LabCalibrationShow = 'mse' | 'clipRatio' | 'lo' | 'hi' | 'clipped';

/**
 * A result of the quantization lab's CPU reference (lib/lab/lab `runLabReference`) on one of its
 * synthetic tensors with per-tensor calibration, for prose comparing calibrations on the widget's
 * own matrix: `<LabCalibrationResult calibration="mse" bits={4} />` renders the measured MSE of
 * MSE clipping on the clipping lesson's 1024 × 1024 outlier matrix at 4 bits ("0.000318");
 * `calibration="percentile"` (99.9 % by default) "0.000356"; `calibration="minmax"` "0.000432". `show`: 'mse' (default), 'clipRatio' (for MSE: the share of [min, max] kept),
 * 'lo' / 'hi' (the chosen range), 'clipped' (fraction of weights clipped, as a percentage).
 * Defaults: signed symmetric grid, outliers ×20, 1024 × 1024, seed 1 (the lesson's QuantLab).
 */
export function LabCalibrationResult({
  calibration,
  bits,
  show = 'mse',
  percentile = 99.9,
  signed = true,
  symmetric = true,
  distribution = 'outliers',
  outlierScale = 20,
  size = '1024x1024',
  seed = 1,
  digits = 3,
}: {
  calibration: Calibration;
  bits: number;
  show?: LabCalibrationShow;
  percentile?: number;
  signed?: boolean;
  symmetric?: boolean;
  distribution?: 'normal' | 'laplace' | 'uniform' | 'outliers';
  outlierScale?: number;
  size?: LabSize;
  seed?: number;
  digits?: number;
}) {
  const t = makeLabTensor({ distribution, size, seed, outlierScale, corrupt: false });
  const r = runLabReference(t.data, t.rows, t.cols, { bits, signed, symmetric, granularity: 'tensor', groupSize: 64, calibration, percentile });
  if (!r.ok) throw new Error(`LabCalibrationResult: ${r.errors.join('; ')}`);
  const c = r.calibration;
  const v =
    show === 'mse'
      ? r.stats.mse
      : show === 'clipRatio'
        ? (c.clipRatio ?? 1)
        : show === 'lo'
          ? c.lo
          : show === 'hi'
            ? c.hi
            : 100 * r.stats.clippedFraction;
  return <span className="figure">{shortNumber(v, digits)}</span>;
}
