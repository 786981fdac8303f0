/**
 * Seeded weight rows for the 4-bit lesson's widgets (docs/design.md rule 7: the same props draw the same
 * picture). Stand-ins for a trained model's weights, labelled as such, until the tiny model ships.
 */
import { mulberry32 } from '../random';
import { DEFAULT_STD, syntheticMatrix } from '../tensors/synthetic';

export const WEIGHT_SOURCES = ['normal', 'laplace', 'outlier'] as const;
export type WeightSource = (typeof WEIGHT_SOURCES)[number];

export const WEIGHT_SOURCE_LABELS: Readonly<Record<WeightSource, string>> = {
  normal: 'Normal weights (σ = 0.02)',
  laplace: 'Heavy-tailed weights (Laplace, σ = 0.02)',
  outlier: 'Normal weights with one outlier (×20)',
};

/** How much larger than σ the planted outlier of 'outlier' rows is. */
export const OUTLIER_SIGMAS = 20;

/**
 * `n` weights of the given kind, determined by `seed`: 'normal' and 'laplace' are syntheticMatrix
 * rows with σ = 0.02; 'outlier' is the normal row with one weight, at a seeded position, set to
 * ±OUTLIER_SIGMAS·σ. See {@link outlierIndex}.
 */
export function sampleRow(source: WeightSource, n: number, seed: number): Float32Array {
  const x = syntheticMatrix({ distribution: source === 'laplace' ? 'laplace' : 'normal', rows: 1, cols: n, seed });
  if (source === 'outlier') {
    const i = outlierIndex(n, seed);
    x[i] = (x[i] < 0 ? -1 : 1) * OUTLIER_SIGMAS * DEFAULT_STD;
  }
  return x;
}

/** Where sampleRow('outlier', n, seed) puts its outlier: floor(u · n) for the seed's first uniform u. */
export function outlierIndex(n: number, seed: number): number {
  return Math.floor(mulberry32(seed ^ 0x5eed)() * n);
}
