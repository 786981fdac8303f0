/**
 * Quantization-aware training's quantizers, as plain TypeScript references for lib/train's tfjs ops
 * (docs/numerics.md "Quantization-aware training"):
 *
 * - Weight fake quantization with min/max ranges per row or per group (PyTorch's `FakeQuantize` with
 *   a per-channel min/max observer, its ranges re-read from the current weights at every forward):
 *   y = (clamp(zp + round(w · (1/scale)), qmin, qmax) − zp) · scale, and the straight-through
 *   estimator's mask (1 where the unclamped code is inside [qmin, qmax]).
 * - LSQ, Learned Step Size Quantization (Esser et al. 2019, "Learned Step Size Quantization", ICLR
 *   2020, eqs. 1–5): v̂ = round(clamp(v/s, −Qn, Qp)) · s with a trained step s; the gradients
 *   ∂v̂/∂v = 1 inside (−Qn, Qp), 0 outside (the STE), and ∂v̂/∂s = round(v/s) − v/s inside, −Qn below,
 *   Qp above, the step's gradient multiplied by g = 1/√(N · Qp) (N: values sharing the step).
 *   Initial step 2 · mean|v| / √Qp.
 */
import { computeQParams, integerRange, roundHalfEven, type QuantOptions } from './affine';
import { fakeQuantize } from './fake-quantize';

export interface WeightFakeQuantOptions {
  /** Bits per code, 2–8. */
  bits: number;
  /** Columns per group along a row, or −1 for one range per row (per output channel). Must divide cols. */
  groupSize: number;
  /** Symmetric signed grid (zero point 0, scale = absmax/((qmax − qmin)/2)), else affine unsigned. */
  symmetric: boolean;
}

/** The affine options a weight grid uses: signed when symmetric (e.g. [−8, 7] at 4 bits), unsigned [0, 2^b − 1] otherwise. */
export function weightGrid(o: WeightFakeQuantOptions): QuantOptions {
  if (!Number.isInteger(o.bits) || o.bits < 2 || o.bits > 8) throw new RangeError(`bits must be a whole number from 2 to 8, got ${o.bits}`);
  return { bits: o.bits, signed: o.symmetric, symmetric: o.symmetric };
}

/**
 * Fake-quantizes a weight [rows, cols] row-major per row (groupSize −1) or per group of groupSize
 * columns: each slice's min/max (widened to hold 0) gives scale and zero point (affine.ts
 * computeQParams), then fake-quantize.ts `fakeQuantize`. Returns y and the STE mask (a min/max range
 * clips nothing, except the top code a symmetric grid cannot reach).
 */
export function fakeQuantizeWeight(w: Float32Array, shape: [number, number], o: WeightFakeQuantOptions): { y: Float32Array; mask: Uint8Array } {
  const [rows, cols] = shape;
  if (!Number.isInteger(rows) || !Number.isInteger(cols) || rows < 1 || cols < 1 || rows * cols !== w.length) throw new RangeError(`shape [${rows}, ${cols}] needs ${rows * cols} values, got ${w.length}`);
  const width = o.groupSize === -1 ? cols : o.groupSize;
  if (!Number.isInteger(width) || width < 1 || cols % width !== 0) throw new RangeError(`groupSize must divide the ${cols} columns (or be −1 for one range per row), got ${o.groupSize}`);
  const grid = weightGrid(o);
  const y = new Float32Array(w.length);
  const mask = new Uint8Array(w.length);
  for (let start = 0; start < w.length; start += width) {
    const slice = w.subarray(start, start + width);
    let mn = Infinity, mx = -Infinity;
    for (const v of slice) {
      if (v < mn) mn = v;
      if (v > mx) mx = v;
    }
    const p = computeQParams(mn, mx, grid);
    const r = fakeQuantize(slice, p.scale, p.zeroPoint, p.qmin, p.qmax);
    y.set(r.y, start);
    mask.set(r.mask, start);
  }
  return { y, mask };
}

export interface LsqRange {
  /** Codes run from −qn to qp: signed b-bit qn = 2^(b−1), qp = 2^(b−1) − 1; unsigned qn = 0, qp = 2^b − 1. */
  qn: number;
  qp: number;
}

/** LSQ's code range for b bits (signed for weights, unsigned for non-negative activations). */
export function lsqRange(bits: number, signed: boolean): LsqRange {
  const { qmin, qmax } = integerRange(bits, signed);
  return { qn: -qmin + 0, qp: qmax }; // + 0: no −0
}

/** LSQ's initial step: 2 · mean(|v|) / √Qp (Esser et al. 2019, §2.1). */
export function lsqInitialStep(v: ArrayLike<number>, r: LsqRange): number {
  let s = 0;
  for (let i = 0; i < v.length; i++) s += Math.abs(v[i]);
  const step = (2 * (s / Math.max(1, v.length))) / Math.sqrt(r.qp);
  return step > 0 ? step : 1e-8;
}

/** LSQ's gradient scale g = 1/√(N · Qp) for a step shared by N values. */
export function lsqGradScale(n: number, r: LsqRange): number {
  return 1 / Math.sqrt(n * r.qp);
}

/**
 * LSQ forward and backward for values v sharing one step s, given the upstream gradient dy:
 * y = round(clamp(v/s, −qn, qp)) · s; dv = dy where −qn < v/s < qp, else 0; ds = g · Σ dy · ∂y/∂s
 * with ∂y/∂s = round(v/s) − v/s inside, −qn at or below −qn, qp at or above qp. Round half to even.
 * float64.
 */
export function lsq(v: ArrayLike<number>, s: number, r: LsqRange, dy: ArrayLike<number>, g: number): { y: Float64Array; dv: Float64Array; ds: number } {
  if (!(s > 0) || !Number.isFinite(s)) throw new RangeError(`the step must be a positive finite number, got ${s}`);
  if (dy.length !== v.length) throw new RangeError(`dy has ${dy.length} values, v has ${v.length}`);
  const y = new Float64Array(v.length);
  const dv = new Float64Array(v.length);
  let ds = 0;
  for (let i = 0; i < v.length; i++) {
    const x = v[i] / s;
    if (x <= -r.qn) {
      y[i] = -r.qn * s;
      ds += dy[i] * -r.qn;
    } else if (x >= r.qp) {
      y[i] = r.qp * s;
      ds += dy[i] * r.qp;
    } else {
      const q = roundHalfEven(x);
      y[i] = q * s;
      dv[i] = dy[i];
      ds += dy[i] * (q - x);
    }
  }
  return { y, dv, ds: ds * g };
}
