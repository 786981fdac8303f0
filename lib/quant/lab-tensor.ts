/**
 * The tensor a lab view quantizes: a seeded synthetic weight matrix (lib/tensors/synthetic), or a
 * constant one, optionally with NaN and ±Inf entries injected to show how bad values are handled.
 * Until the course's tiny model ships, these are clearly labelled synthetic stand-ins for trained
 * weights (σ = 0.02, the scale of a trained LLM's linear layers).
 */
import { describeSynthetic, outlierColumns, syntheticMatrix, type Distribution } from '../tensors/synthetic';
import { labSizeShape, type LabView } from './lab-view';

export type LabDistribution = Distribution | 'constant';

export interface LabTensor {
  data: Float32Array;
  rows: number;
  cols: number;
  /** "normal, σ = 0.02, 1024 × 1024, seed 1" and so on, for the widget's caption. */
  description: string;
  /** Columns whose weights were scaled up ('outliers'), ascending. */
  outlierColumns: number[];
  /** NaN and ±Inf entries injected (0 unless `corrupt`). */
  injectedNonFinite: number;
}

/** Every 997th element becomes NaN, +Inf or -Inf in turn when a view asks for corrupt values. */
export const CORRUPT_STRIDE = 997;

/** The constant tensor's value: every weight equal, so min = max and the scale falls back to eps. */
export const CONSTANT_VALUE = 0.02;

export function labTensorKey(view: Pick<LabView, 'distribution' | 'size' | 'seed' | 'outlierScale' | 'corrupt'>): string {
  return `${view.distribution}|${view.size}|${view.seed}|${view.outlierScale}|${view.corrupt}`;
}

export function makeLabTensor(view: Pick<LabView, 'distribution' | 'size' | 'seed' | 'outlierScale' | 'corrupt'>): LabTensor {
  const { rows, cols } = labSizeShape(view.size);
  let data: Float32Array;
  let description: string;
  let outliers: number[] = [];
  if (view.distribution === 'constant') {
    data = new Float32Array(rows * cols).fill(CONSTANT_VALUE);
    description = `constant ${CONSTANT_VALUE}, ${rows} × ${cols}`;
  } else {
    const o = { distribution: view.distribution, rows, cols, seed: view.seed, outlierScale: view.outlierScale };
    data = syntheticMatrix(o);
    description = describeSynthetic(o);
    if (view.distribution === 'outliers') outliers = outlierColumns(o);
  }
  let injectedNonFinite = 0;
  if (view.corrupt) {
    for (let i = 0, k = 0; i < data.length; i += CORRUPT_STRIDE, k++) {
      data[i] = k % 3 === 0 ? Number.NaN : k % 3 === 1 ? Infinity : -Infinity;
      injectedNonFinite++;
    }
    description += `, ${injectedNonFinite.toLocaleString('en-US')} NaN/±Inf injected`;
  }
  return { data, rows, cols, description, outlierColumns: outliers, injectedNonFinite };
}
