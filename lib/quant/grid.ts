/**
 * The quantization grid of one slice, for drawing and for hovering one value (docs/numerics.md
 * "Affine (integer) quantization"): the representable values s·(q − zp) for q in [qmin, qmax], the
 * edges beyond which values clip, and the fate of a single value.
 */
import { roundHalfEven } from './affine';

/** Representable values x' = s·(q − zp), q = qmin … qmax, ascending, as float32. */
export function gridLevels(scale: number, zeroPoint: number, qmin: number, qmax: number): Float32Array {
  const out = new Float32Array(qmax - qmin + 1);
  for (let q = qmin; q <= qmax; q++) out[q - qmin] = scale * (q - zeroPoint);
  return out;
}

/**
 * Values outside [lo, hi] clip: lo = s·(qmin − zp − ½), hi = s·(qmax − zp + ½), the points where
 * rounding would step past the end codes.
 */
export function clipEdges(scale: number, zeroPoint: number, qmin: number, qmax: number): { lo: number; hi: number } {
  return { lo: scale * (qmin - zeroPoint - 0.5), hi: scale * (qmax - zeroPoint + 0.5) };
}

/** One value through the quantizer, exactly as quantizeAffine / dequantizeAffine do it. */
export function quantizeOne(x: number, scale: number, zeroPoint: number, qmin: number, qmax: number): { q: number; xhat: number; error: number; clipped: boolean } {
  const u = zeroPoint + roundHalfEven(Math.fround(x * Math.fround(1 / scale)));
  const q = Math.min(qmax, Math.max(qmin, u));
  const xhat = Math.fround(scale * (q - zeroPoint));
  return { q, xhat, error: Math.fround(xhat - x), clipped: q !== u };
}
