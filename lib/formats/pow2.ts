/**
 * 2^k for a whole number k, by repeated exact doubling or halving: every step is exact while the
 * result is representable, so the value is exact without relying on Math.pow's accuracy.
 */
export function pow2(k: number): number {
  let v = 1;
  const step = k < 0 ? 0.5 : 2;
  for (let i = 0; i < Math.abs(k); i++) v *= step;
  return v;
}
