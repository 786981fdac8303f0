/**
 * How a blockwise absmax quantizer spends its levels: the weights scaled by their block's absmax
 * (s = x / absmax, in [-1, 1], the domain of QLoRA's NF4 construction, Dettmers et al. 2023 eq. 4)
 * and the share of weights each level receives. NF4's levels are quantiles of a normal, so on
 * normal weights each gets roughly the same share; uniform INT4 levels crowd the middle ones.
 */

/** Per weight, s = x / absmax of its block of `blockSize` (0 where the block is all zero), in float64. */
export function scaledByBlockAbsmax(x: Float32Array, blockSize: number): Float64Array {
  if (!Number.isInteger(blockSize) || blockSize < 1) throw new RangeError(`blockSize must be a positive whole number, got ${blockSize}`);
  const s = new Float64Array(x.length);
  for (let start = 0; start < x.length; start += blockSize) {
    const end = Math.min(x.length, start + blockSize);
    let amax = 0;
    for (let i = start; i < end; i++) amax = Math.max(amax, Math.abs(x[i]));
    if (amax > 0) for (let i = start; i < end; i++) s[i] = x[i] / amax;
  }
  return s;
}

/**
 * Share of the weights that each level of `levels` (ascending, in [-1, 1]) receives, read from the
 * dequantized weights y: the level of weight i is the one nearest to y[i] / absmax of its block
 * (exact up to float32 rounding, since y = level · absmax). Weights of all-zero blocks count for
 * the level nearest 0. Shares sum to 1 (for a non-empty x).
 */
export function levelShares(x: Float32Array, y: Float32Array, levels: readonly number[], blockSize: number): Float64Array {
  if (y.length !== x.length) throw new RangeError(`x has ${x.length} values but y has ${y.length}`);
  const counts = new Float64Array(levels.length);
  const amaxOf = new Float64Array(Math.ceil(x.length / blockSize));
  for (let i = 0; i < x.length; i++) amaxOf[Math.floor(i / blockSize)] = Math.max(amaxOf[Math.floor(i / blockSize)], Math.abs(x[i]));
  for (let i = 0; i < x.length; i++) {
    const a = amaxOf[Math.floor(i / blockSize)];
    counts[nearestIndex(levels, a > 0 ? y[i] / a : 0)]++;
  }
  if (x.length > 0) for (let k = 0; k < counts.length; k++) counts[k] /= x.length;
  return counts;
}

/** Index of the entry of an ascending array nearest to v (the lower one on an exact tie). */
export function nearestIndex(sorted: readonly number[], v: number): number {
  let lo = 0, hi = sorted.length - 1;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (v > (sorted[mid] + sorted[mid + 1]) / 2) lo = mid + 1; else hi = mid;
  }
  return lo;
}
