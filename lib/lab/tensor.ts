/**
 * The tensor a lab view quantizes: a seeded synthetic weight matrix (lib/tensors/synthetic), or a
 * constant one, optionally with NaN and ±Inf entries injected to show how bad values are handled.
 * Synthetic tensors are labelled as stand-ins for trained weights (σ = 0.02, the scale of a trained
 * LLM's linear layers); 'model' views quantize a real matrix of the course's tiny model instead
 * (`modelLabTensor`, given the model's weights, which lib/model fetches).
 */
import { describeSynthetic, outlierColumns, syntheticMatrix, type Distribution } from '../tensors/synthetic';
import { labSizeShape, type LabView } from './view';
import { matrixLabel, matrixTensorName } from '../model/tiny-model';

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

export function labTensorKey(view: Pick<LabView, 'distribution' | 'size' | 'seed' | 'outlierScale' | 'corrupt' | 'layer'>): string {
  if (view.distribution === 'model') return `model|${view.layer}|${view.corrupt}`;
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
 * A matrix of the tiny model as a lab tensor: `values`/`shapes` as lib/model's checkedWeights gives
 * them, `view.layer` a short name from modelMatrixNames. Rows are output channels and columns inputs
 * (Linear weights are stored [out, in]), so "per channel" is per output channel, as in PyTorch.
 * Throws a RangeError naming the matrix if the model has no such 2-D tensor.
 */
export function modelLabTensor(view: Pick<LabView, 'layer' | 'corrupt'>, values: ReadonlyMap<string, Float32Array>, shapes: ReadonlyMap<string, readonly number[]>, modelName: string): LabTensor {
  const name = matrixTensorName(view.layer);
  const v = values.get(name), shape = shapes.get(name);
  if (!v || !shape || shape.length !== 2) throw new RangeError(`The model has no matrix "${name}".`);
  const data = v.slice();
  const injectedNonFinite = view.corrupt ? injectNonFinite(data) : 0;
  let description = `${modelName}: ${matrixLabel(view.layer)}, ${shape[0]} × ${shape[1]} (out × in), trained weights`;
  if (injectedNonFinite) description += `, ${injectedNonFinite.toLocaleString('en-US')} NaN/±Inf injected`;
  return { data, rows: shape[0], cols: shape[1], description, outlierColumns: [], injectedNonFinite };
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
