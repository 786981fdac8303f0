/**
 * The straight-through estimator made visible for one weight (the PTQ vs QAT lesson): the staircase
 * a fake quantizer draws, and gradient descent on (ŵ − target)² with the STE's gradient against the
 * true one. Rules: qat.ts `lsq` (LSQ's quantizer, Esser et al. 2019); docs/numerics.md
 * "Quantization-aware training".
 */
import { lsq, type LsqRange } from './qat';

/**
 * The fake quantizer ŵ(w) = round(clamp(w/s, −qn, qp)) · s on [lo, hi] as the corners of its
 * staircase, left to right: a flat run at each level k·s between the decision points (k ± ½)·s,
 * clamped at −qn·s below and qp·s above.
 */
export function staircase(s: number, r: LsqRange, lo: number, hi: number): { x: number; y: number }[] {
  if (!(s > 0) || !(hi > lo)) throw new RangeError(`need a step > 0 and lo < hi, got step ${s} on [${lo}, ${hi}]`);
  const pts: { x: number; y: number }[] = [];
  for (let k = -r.qn; k <= r.qp; k++) {
    const a = k === -r.qn ? Math.min(lo, (k - 0.5) * s) : (k - 0.5) * s;
    const b = k === r.qp ? Math.max(hi, (k + 0.5) * s) : (k + 0.5) * s;
    const x0 = Math.max(a, lo), x1 = Math.min(b, hi);
    if (x1 <= x0) continue;
    pts.push({ x: x0, y: k * s }, { x: x1, y: k * s });
  }
  return pts;
}

export interface SteStep {
  /** The weight after the step. */
  w: number;
  /** ŵ before the step, and the loss (ŵ − target)² there. */
  quantized: number;
  loss: number;
  /** dL/dw as the STE passes it: 2(ŵ − target) inside the grid, 0 where the code was clamped. */
  steGradient: number;
  /** dL/dw of the real staircase: 0 (flat between decision points). */
  trueGradient: number;
  /** LSQ's dL/ds (g = 1): 2(ŵ − target) · (round(w/s) − w/s inside, −qn below, qp above). */
  stepGradient: number;
  /** −qn < w/s < qp: the code is not clamped, so the STE passes the gradient. */
  inside: boolean;
}

/** One gradient-descent step on L = (ŵ(w) − target)² with the STE's gradient: w ← w − lr · dL/dw. */
export function steDescentStep(w: number, s: number, r: LsqRange, target: number, lr: number): SteStep {
  if (!Number.isFinite(w) || !Number.isFinite(target) || !(lr >= 0)) throw new RangeError(`need finite w and target and lr ≥ 0, got ${w}, ${target}, ${lr}`);
  const f = lsq([w], s, r, [1], 1);
  const quantized = f.y[0];
  const dLdy = 2 * (quantized - target);
  const b = lsq([w], s, r, [dLdy], 1);
  const inside = w / s > -r.qn && w / s < r.qp;
  return { w: w - lr * b.dv[0], quantized, loss: (quantized - target) ** 2, steGradient: b.dv[0], trueGradient: 0, stepGradient: b.ds, inside };
}
