/**
 * Everything that defines one view of the quantization lab — the quantization settings and the
 * tensor they act on — and its round trip through a URL query string, so that a teacher can share
 * one exact view (docs/design.md rule 7: widget props are small, serialisable and seeded).
 */
import { modelMatrixNames } from '../model/tiny-model';
import { SEED_MAX } from '../random';
import { ignoredEntry, singleParam, strictInt, strictNumber } from '../url/widget-state';
import type { Calibration, Granularity, LabSettings } from './types';

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
  bits: 8,
  signed: true,
  symmetric: true,
  granularity: 'tensor',
  groupSize: 64,
  calibration: 'minmax',
  percentile: 99.9,
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

/** Writes the fields of `view` that differ from `base` as query parameters named `<prefix>.<field>`. */
export function encodeLabView(view: LabView, prefix: string, base: LabView = DEFAULT_LAB_VIEW): URLSearchParams {
  const p = new URLSearchParams();
  for (const key of Object.keys(DEFAULT_LAB_VIEW) as (keyof LabView)[]) {
    if (view[key] !== base[key]) p.set(`${prefix}.${key}`, String(view[key]));
  }
  return p;
}

/**
 * Reads a view from query parameters written by `encodeLabView`, starting from `base`. Values
 * that are missing or invalid keep the base value, and each invalid one is reported, so a mangled
 * link still opens a sensible view and says what it ignored. Strict like lib/url/widget-state:
 * numbers only as String() writes them (no hex, blanks, exponents), a field given twice names
 * both values and uses neither; the seed is any the seed box takes, 0 to SEED_MAX.
 */
export function decodeLabView(params: URLSearchParams, prefix: string, base: LabView = DEFAULT_LAB_VIEW): { view: LabView; ignored: string[] } {
  const view: LabView = { ...base };
  const ignored: string[] = [];
  const get = (k: keyof LabView) => {
    const { raw, duplicates } = singleParam(params, `${prefix}.${k}`, k);
    if (duplicates) ignored.push(...duplicates);
    return raw;
  };
  const int = (k: keyof LabView, ok: (n: number) => boolean) => {
    const v = get(k);
    if (v === null) return undefined;
    const n = strictInt(v);
    if (n !== undefined && ok(n)) return n;
    ignored.push(ignoredEntry(k, v));
    return undefined;
  };
  const bool = (k: keyof LabView) => {
    const v = get(k);
    if (v === null) return undefined;
    if (v === 'true' || v === 'false') return v === 'true';
    ignored.push(ignoredEntry(k, v));
    return undefined;
  };
  const oneOf = <T extends string>(k: keyof LabView, options: readonly T[]) => {
    const v = get(k);
    if (v === null) return undefined;
    if ((options as readonly string[]).includes(v)) return v as T;
    ignored.push(ignoredEntry(k, v));
    return undefined;
  };
  view.bits = int('bits', (n) => n >= 2 && n <= 8) ?? view.bits;
  view.signed = bool('signed') ?? view.signed;
  view.symmetric = bool('symmetric') ?? view.symmetric;
  view.granularity = oneOf('granularity', GRANULARITIES) ?? view.granularity;
  view.groupSize = int('groupSize', (n) => (GROUP_SIZES as readonly number[]).includes(n)) ?? view.groupSize;
  view.calibration = oneOf('calibration', CALIBRATIONS) ?? view.calibration;
  const pct = get('percentile');
  if (pct !== null) {
    const n = strictNumber(pct);
    if (n !== undefined && n > 50 && n <= 100) view.percentile = n;
    else ignored.push(ignoredEntry('percentile', pct));
  }
  view.distribution = oneOf('distribution', DISTRIBUTIONS) ?? view.distribution;
  view.layer = oneOf('layer', modelMatrixNames()) ?? view.layer;
  view.outlierScale = int('outlierScale', (n) => n >= 1 && n <= 1000) ?? view.outlierScale;
  view.size = oneOf('size', LAB_SIZES) ?? view.size;
  view.seed = int('seed', (n) => n >= 0 && n <= SEED_MAX) ?? view.seed;
  view.corrupt = bool('corrupt') ?? view.corrupt;
  return { view, ignored };
}
