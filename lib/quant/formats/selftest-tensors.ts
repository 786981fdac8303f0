/**
 * The seeded weights the "Check your GPU" page stores in each format (lib/model/weight-format-selftest.ts
 * runs them through the weight store and its kernels; docs/design.md rule 3). Each format's entry
 * in lib/quant/weight-formats.ts lists the ones it is checked on.
 */
import { normalArray } from '../../random';
import { syntheticMatrix } from '../../tensors/synthetic';

export type WeightTensorKind = 'normal' | 'outliers' | 'partial' | 'edges' | 'tiny';

export interface WeightTensorCase {
  kind: WeightTensorKind;
  name: string;
  rows: number;
  cols: number;
  seed: number;
}

/** The seeded weights every format is checked on today. */
export const WEIGHT_TENSOR_CASES: readonly WeightTensorCase[] = [
  { kind: 'normal', name: 'c_fc-sized, normal (512 × 128)', rows: 512, cols: 128, seed: 21 },
  { kind: 'outliers', name: 'Outlier columns and weights (384 × 128)', rows: 384, cols: 128, seed: 22 },
  { kind: 'partial', name: 'Partial words and groups (37 × 91)', rows: 37, cols: 91, seed: 23 },
  { kind: 'edges', name: 'fp16 overflow and subnormal edges, a zero row (6 × 80)', rows: 6, cols: 80, seed: 24 },
  { kind: 'tiny', name: 'Three weights (1 × 3)', rows: 1, cols: 3, seed: 25 },
];

/**
 * Row 0: values at fp16's top (65504, 65519 which rounds down to it, the ties around it); row 1:
 * fp16 subnormals and the values that round into and out of them (2^-25 ties to 0, 3·2^-26 to
 * 2^-24); row 2: float32 subnormals (bf16 subnormals) and bf16 rounding ties; row 3: all zeros;
 * row 4: one outlier 2,000 times the typical weight; row 5: signed zeros and powers of two. Every
 * other entry is a normal weight (std 0.02), so each NF4 block keeps a sizeable absmax.
 */
function edgeTensor(c: WeightTensorCase): Float32Array {
  const x = normalArray(c.rows * c.cols, c.seed, 0, 0.02);
  const put = (row: number, values: number[]) => values.forEach((v, j) => { x[row * c.cols + 3 * j] = v; });
  put(0, [65504, -65504, 65519, -65519, 65488, 65496, 65512, 32768.5, 2049, 2051, 1 + 2 ** -11, 1 + 3 * 2 ** -11]);
  put(1, [2 ** -24, -(2 ** -24), 3 * 2 ** -24, 2 ** -14 - 2 ** -24, 2 ** -14, 2 ** -25, 3 * 2 ** -26, 5 * 2 ** -26, 1e-7, -6e-8, 2 ** -15, 1023 * 2 ** -24, 2 ** -24 * 1.5]);
  put(2, [1e-40, -1e-40, 2 ** -133, 2 ** -149, 1.1754942e-38, 2 ** -126, 1 + 2 ** -8, 1 + 3 * 2 ** -8, -(1 + 2 ** -8), 3.0e-39]);
  x.fill(0, 3 * c.cols, 4 * c.cols);
  x[4 * c.cols + 17] = 40;
  put(5, [0, -0, 1, -1, 0.5, 2, 4096, -0.25]);
  return x;
}

/** The weights of a case, deterministic by its seed. */
export function weightSelfTestTensor(c: WeightTensorCase): Float32Array {
  switch (c.kind) {
    case 'normal':
    case 'tiny': return syntheticMatrix({ distribution: 'normal', rows: c.rows, cols: c.cols, seed: c.seed });
    case 'outliers': return syntheticMatrix({ distribution: 'outliers', rows: c.rows, cols: c.cols, seed: c.seed });
    case 'partial': return syntheticMatrix({ distribution: 'laplace', rows: c.rows, cols: c.cols, seed: c.seed });
    case 'edges': return edgeTensor(c);
  }
}
