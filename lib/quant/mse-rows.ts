/**
 * Round-to-nearest with each row's range chosen by the MSE search: the best calibration this
 * course's post-training quantizers have (the clipping lesson), applied per output row of a Linear
 * weight. Each row gets an affine unsigned b-bit grid (affine.ts computeQParams, the range widened
 * to hold 0) over the range that `mseRange` (calibration.ts) picks from the row's 2048-bin
 * histogram (histogram.ts valueHistogram over [min, max]); the row is then fake-quantized on it
 * (fake-quantize.ts). With min–max ranges this is plain round-to-nearest on the same grid family.
 * docs/numerics.md "Affine (integer) quantization" and "Calibration".
 */
import { computeQParams, finiteMinMax } from './affine';
import { CALIBRATION_HISTOGRAM_BINS, mseRange } from './calibration';
import { fakeQuantize } from './fake-quantize';
import { valueHistogram } from './histogram';
import { checkBits, checkMatrix } from './input-checks';

/** Every row of w [rows, cols] fake-quantized on its MSE-chosen affine b-bit range; also each row's clip ratio. */
export function mseClippedRows(w: Float32Array, shape: [number, number], bits: number): { weight: Float32Array; clipRatios: Float32Array } {
  checkMatrix(w, shape, 'w');
  checkBits(bits);
  const [rows, cols] = shape;
  const settings = { bits, signed: false, symmetric: false, calibration: 'mse' as const, percentile: 100 };
  const weight = new Float32Array(w.length);
  const clipRatios = new Float32Array(rows);
  for (let r = 0; r < rows; r++) {
    const row = w.subarray(r * cols, (r + 1) * cols);
    const { min, max, nonFinite } = finiteMinMax(row);
    if (nonFinite > 0) throw new RangeError(`row ${r} holds ${nonFinite} values that are not finite`);
    const range = mseRange(settings, min, max, valueHistogram(row, min, max, CALIBRATION_HISTOGRAM_BINS));
    const p = computeQParams(range.lo, range.hi, settings);
    weight.set(fakeQuantize(row, p.scale, p.zeroPoint, p.qmin, p.qmax).y, r * cols);
    clipRatios[r] = range.clipRatio;
  }
  return { weight, clipRatios };
}
