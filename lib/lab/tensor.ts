/**
 * The tensor a lab view quantizes: a seeded synthetic weight matrix (lib/tensors/synthetic), or a
 * constant one, optionally with NaN and ±Inf entries injected to show how bad values are handled.
 * Synthetic tensors are labelled as stand-ins for trained weights (σ = 0.02, the scale of a trained
 * LLM's linear layers); 'model' views quantize a real matrix instead — of the course's tiny
 * model (which lib/model fetches) or of the learner's own GPT-2-family checkpoint — through
 * `modelLabTensor`, given the model's weights.
 */
import { describeSynthetic, outlierColumns, syntheticMatrix, type Distribution } from '../tensors/synthetic';
import { labSizeShape, type LabView } from './view';
import { LAB_MAX_ELEMENTS, labMatrixLabel, modelMatrixSlice } from './model-matrix';

export type LabDistribution = Distribution | 'constant' | 'model';

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

/**
 * Which tensor a view quantizes, as a string: two views with the same key share one tensor (and the
 * lab's GPU session). `ownLayer` is the matrix of the learner's own model when a 'model' view runs on
 * it (the model itself is not in the key: the engine compares it by identity).
 */
export function labTensorKey(view: Pick<LabView, 'distribution' | 'size' | 'seed' | 'outlierScale' | 'corrupt' | 'layer'>, ownLayer: string | null = null): string {
  if (view.distribution === 'model') return ownLayer === null ? `model|${view.layer}|${view.corrupt}` : `own|${ownLayer}|${view.corrupt}`;
  return `${view.distribution}|${view.size}|${view.seed}|${view.outlierScale}|${view.corrupt}`;
}

/** Every CORRUPT_STRIDE-th element becomes NaN, +Inf, −Inf in turn; returns how many. */
function injectNonFinite(data: Float32Array): number {
  let n = 0;
  for (let i = 0, k = 0; i < data.length; i += CORRUPT_STRIDE, k++) {
    data[i] = k % 3 === 0 ? Number.NaN : k % 3 === 1 ? Infinity : -Infinity;
    n++;
  }
  return n;
}

/**
 * A model's matrix as a lab tensor: the course's tiny model or a loaded GPT-2-family checkpoint,
 * `values`/`shapes` in the course's layout (lib/model's checkedWeights, readOwnWeights), `view.layer`
 * a short name ('wte', 'h.0.attn.c_attn', as modelMatrices lists them). Rows are output channels
 * and columns inputs (Linear weights are stored [out, in]), so "per channel" is per output channel,
 * as in PyTorch. A matrix over `maxElements` weights (the lab's largest size, LAB_MAX_ELEMENTS) is
 * cut to its first floor(maxElements / cols) rows (modelMatrixSlice), and the description says so
 * with the numbers. Throws a RangeError naming the matrix if the model has no such 2-D tensor.
 */
export function modelLabTensor(view: Pick<LabView, 'layer' | 'corrupt'>, values: ReadonlyMap<string, Float32Array>, shapes: ReadonlyMap<string, readonly number[]>, modelName: string, maxElements = LAB_MAX_ELEMENTS): LabTensor {
  const { data: kept, rows, cols, fullRows } = modelMatrixSlice(view.layer, values, shapes, maxElements);
  const data = kept.slice();
  const injectedNonFinite = view.corrupt ? injectNonFinite(data) : 0;
  const n = (x: number) => x.toLocaleString('en-US');
  const shape = rows === fullRows
    ? `${rows} × ${cols} (out × in)`
    : `its first ${n(rows)} of ${n(fullRows)} rows × ${n(cols)} (out × in): ${n(rows * cols)} of its ${n(fullRows * cols)} weights, as the lab takes at most ${n(maxElements)}`;
  let description = `${modelName}: ${labMatrixLabel(view.layer)}, ${shape}, trained weights`;
  if (injectedNonFinite) description += `, ${injectedNonFinite.toLocaleString('en-US')} NaN/±Inf injected`;
  return { data, rows, cols, description, outlierColumns: [], injectedNonFinite };
}

/** A synthetic or constant lab tensor ('model' views go through `modelLabTensor`). */
export function makeLabTensor(view: Pick<LabView, 'distribution' | 'size' | 'seed' | 'outlierScale' | 'corrupt'>): LabTensor {
  if (view.distribution === 'model') throw new RangeError('A model view needs the model’s weights: use modelLabTensor.');
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
  const injectedNonFinite = view.corrupt ? injectNonFinite(data) : 0;
  if (injectedNonFinite) description += `, ${injectedNonFinite.toLocaleString('en-US')} NaN/±Inf injected`;
  return { data, rows, cols, description, outlierColumns: outliers, injectedNonFinite };
}
