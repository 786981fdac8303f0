/**
 * Everything that defines one view of the quantization lab — the quantization settings and the
 * tensor they act on — and its round trip through a URL query string, so that a teacher can share
 * one exact view (docs/design.md rule 7: widget props are small, serialisable and seeded).
 */
import { modelMatrixNames } from '../model/tiny-model';
import { SEED_FIELD, type StateSpec } from '../url/widget-state';
import { INT8_PER_TENSOR, type Calibration, type Granularity, type LabSettings } from './types';

export const LAB_SIZES = ['256x256', '512x512', '1024x1024', '2048x2048'] as const;
export type LabSize = (typeof LAB_SIZES)[number];

export interface LabView extends LabSettings {
  /** A synthetic distribution, 'constant' (every weight equal), or 'model': a matrix of the course's tiny model. */
  distribution: 'normal' | 'laplace' | 'uniform' | 'outliers' | 'constant' | 'model';
  /** For 'model': which matrix, as lib/model/tiny-model `modelMatrixNames` lists them ('wte', 'h.0.attn.c_attn', …). */
  layer: string;
  /** For 'outliers': how many times larger the outlier columns are (LLM.int8() saw ~20x and more). */
  outlierScale: number;
  size: LabSize;
  seed: number;
  /** Inject NaN and ±Inf entries, to see them counted and excluded. */
  corrupt: boolean;
}

export const DEFAULT_LAB_VIEW: LabView = {
  ...INT8_PER_TENSOR,
  distribution: 'normal',
  layer: 'h.0.mlp.c_fc',
  outlierScale: 20,
  size: '1024x1024',
  seed: 1,
  corrupt: false,
};

export function labSizeShape(size: LabSize): { rows: number; cols: number } {
  const [rows, cols] = size.split('x').map(Number);
  return { rows, cols };
}

const GRANULARITIES: readonly Granularity[] = ['tensor', 'channel', 'group'];
const CALIBRATIONS: readonly Calibration[] = ['minmax', 'percentile', 'mse'];
const DISTRIBUTIONS: readonly LabView['distribution'][] = ['normal', 'laplace', 'uniform', 'outliers', 'constant', 'model'];
const GROUP_SIZES = [32, 64, 128] as const;

/**
 * What a link may set in the lab, as lib/url/widget-state reads it (`<lab id>.<field>=<value>`,
 * through the kit's useWidgetState): bits 2 to 8, a percentile above 50 and at most 100, a seed
 * any the seed box takes (0 to SEED_MAX), the other fields from their fixed choices. A bad value
 * keeps the lesson's default and is named on the page.
 */
export const LAB_VIEW_SPEC: StateSpec<LabView> = {
  bits: { kind: 'number', min: 2, max: 8, integer: true },
  signed: { kind: 'bool' },
  symmetric: { kind: 'bool' },
  granularity: { kind: 'oneOf', options: GRANULARITIES },
  groupSize: { kind: 'number', min: 32, max: 128, integer: true, allowed: GROUP_SIZES },
  calibration: { kind: 'oneOf', options: CALIBRATIONS },
  percentile: { kind: 'number', min: 50, minExclusive: true, max: 100 },
  distribution: { kind: 'oneOf', options: DISTRIBUTIONS },
  layer: { kind: 'oneOf', options: modelMatrixNames() },
  outlierScale: { kind: 'number', min: 1, max: 1000, integer: true },
  size: { kind: 'oneOf', options: LAB_SIZES },
  seed: SEED_FIELD,
  corrupt: { kind: 'bool' },
};
