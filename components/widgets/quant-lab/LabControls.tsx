'use client';

import { memo } from 'react';
import type { LabView } from '@/lib/lab/view';
import { LAB_SIZES } from '@/lib/lab/view';
import { SEED_MAX } from '@/lib/random';
import type { MatrixChoice } from './LabOwnModel';

export type LabControlName = 'bits' | 'signed' | 'symmetric' | 'granularity' | 'calibration' | 'tensor' | 'outliers' | 'corrupt';

export const ALL_LAB_CONTROLS: readonly LabControlName[] = ['bits', 'signed', 'symmetric', 'granularity', 'calibration', 'tensor', 'outliers', 'corrupt'];

const DISTRIBUTION_LABELS: Record<LabView['distribution'], string> = {
  normal: 'Normal',
  laplace: 'Laplace (heavy tails)',
  uniform: 'Uniform',
  outliers: 'Normal + outlier columns',
  constant: 'Constant (all equal)',
  model: 'Tiny model’s trained weights',
};

/**
 * The lab's controls: every one a labelled native input, so all work from the keyboard. Memoised:
 * a new result alone does not re-render them.
 */
export const LabControls = memo(function LabControls({ view, onChange, controls, idPrefix, matrix }: {
  view: LabView;
  onChange: (next: Partial<LabView>) => void;
  controls: readonly LabControlName[];
  idPrefix: string;
  /** The Matrix select of a 'model' view: the tiny model's matrices or the learner's model's. */
  matrix: MatrixChoice;
}) {
  const has = (c: LabControlName) => controls.includes(c);
  const perTensor = view.granularity === 'tensor';
  const { qmin, qmax } = view.signed ? { qmin: -(2 ** (view.bits - 1)), qmax: 2 ** (view.bits - 1) - 1 } : { qmin: 0, qmax: 2 ** view.bits - 1 };
  return (
    <div className="controls lab-controls">
      {has('bits') && (
        <label className="control" style={{ flex: '1 1 12rem' }}>
          <span>
            Bits: <strong data-testid="lab-bits-value">{view.bits}</strong> ({view.signed ? 'INT' : 'UINT'}{view.bits}, codes {qmin} … {qmax})
          </span>
          <input type="range" min={2} max={8} step={1} value={view.bits} onChange={(e) => onChange({ bits: Number(e.target.value) })} data-testid="lab-bits" aria-valuetext={`${view.bits} bits`} />
        </label>
      )}
      {has('signed') && (
        <label className="control">
          <span>Integer type</span>
          <select value={view.signed ? 'signed' : 'unsigned'} onChange={(e) => onChange({ signed: e.target.value === 'signed' })} data-testid="lab-signed">
            <option value="signed">signed (INT)</option>
            <option value="unsigned">unsigned (UINT)</option>
          </select>
        </label>
      )}
      {has('symmetric') && (
        <fieldset className="control">
          <legend>Mapping</legend>
          <div className="checks">
            <label>
              <input type="radio" name={`${idPrefix}-sym`} checked={view.symmetric} onChange={() => onChange({ symmetric: true })} data-testid="lab-symmetric" /> symmetric
            </label>
            <label>
              <input type="radio" name={`${idPrefix}-sym`} checked={!view.symmetric} onChange={() => onChange({ symmetric: false })} data-testid="lab-asymmetric" /> asymmetric (affine)
            </label>
          </div>
        </fieldset>
      )}
      {has('granularity') && (
        <label className="control">
          <span>Granularity</span>
          <select value={view.granularity} onChange={(e) => onChange({ granularity: e.target.value as LabView['granularity'], ...(e.target.value !== 'tensor' ? { calibration: 'minmax' as const } : {}) })} data-testid="lab-granularity">
            <option value="tensor">per tensor</option>
            <option value="channel">per channel (row)</option>
            <option value="group">group-wise</option>
          </select>
        </label>
      )}
      {has('granularity') && view.granularity === 'group' && (
        <label className="control">
          <span>Group size</span>
          <select value={view.groupSize} onChange={(e) => onChange({ groupSize: Number(e.target.value) })} data-testid="lab-group-size">
            {[32, 64, 128].map((g) => (
              <option key={g} value={g}>{g}</option>
            ))}
          </select>
        </label>
      )}
      {has('calibration') && (
        <label className="control">
          <span>Calibration{perTensor ? '' : ' (min–max per slice)'}</span>
          <select value={perTensor ? view.calibration : 'minmax'} disabled={!perTensor} onChange={(e) => onChange({ calibration: e.target.value as LabView['calibration'] })} data-testid="lab-calibration" title={perTensor ? undefined : 'Percentile and MSE clipping act on the whole tensor’s histogram; per-channel and group-wise ranges use each slice’s min and max.'}>
            <option value="minmax">min–max</option>
            <option value="percentile">percentile</option>
            <option value="mse">MSE-optimal clipping</option>
          </select>
        </label>
      )}
      {has('calibration') && perTensor && view.calibration === 'percentile' && (
        <label className="control">
          <span>Keep (%)</span>
          <select value={view.percentile} onChange={(e) => onChange({ percentile: Number(e.target.value) })} data-testid="lab-percentile">
            {[99, 99.9, 99.99, 99.999].map((p) => (
              <option key={p} value={p}>{p}</option>
            ))}
          </select>
        </label>
      )}
      {has('tensor') && (
        <label className="control">
          <span>Weights</span>
          <select value={view.distribution} onChange={(e) => onChange({ distribution: e.target.value as LabView['distribution'] })} data-testid="lab-distribution">
            {Object.entries(DISTRIBUTION_LABELS).map(([k, label]) => (
              <option key={k} value={k}>{k === 'model' ? matrix.sourceLabel : label}</option>
            ))}
          </select>
        </label>
      )}
      {has('tensor') && view.distribution === 'model' && (
        <label className="control">
          <span>Matrix</span>
          <select value={matrix.value} onChange={(e) => matrix.onChange(e.target.value)} data-testid="lab-layer">
            {matrix.options.map((m) => (
              <option key={m.value} value={m.value}>{m.label}</option>
            ))}
          </select>
        </label>
      )}
      {has('outliers') && view.distribution === 'outliers' && (
        <label className="control" style={{ flex: '1 1 10rem' }}>
          <span>Outlier size: ×{view.outlierScale}</span>
          <input type="range" min={1} max={100} step={1} value={view.outlierScale} onChange={(e) => onChange({ outlierScale: Number(e.target.value) })} data-testid="lab-outlier-scale" aria-valuetext={`${view.outlierScale} times larger`} />
        </label>
      )}
      {has('tensor') && view.distribution !== 'model' && (
        <label className="control">
          <span>Matrix</span>
          <select value={view.size} onChange={(e) => onChange({ size: e.target.value as LabView['size'] })} data-testid="lab-size">
            {LAB_SIZES.map((s) => {
              const [r, c] = s.split('x').map(Number);
              return (
                <option key={s} value={s}>{r} × {c} ({((r * c) / 2 ** 20).toLocaleString('en-US')}M weights)</option>
              );
            })}
          </select>
        </label>
      )}
      {has('tensor') && view.distribution !== 'model' && (
        <label className="control">
          <span>Seed</span>
          <input type="number" min={0} max={SEED_MAX} step={1} value={view.seed} onChange={(e) => {
            const n = Number(e.target.value);
            if (Number.isInteger(n) && n >= 0 && n <= SEED_MAX) onChange({ seed: n });
          }} style={{ width: '5.5rem' }} data-testid="lab-seed" />
        </label>
      )}
      {has('corrupt') && (
        <label className="control">
          <span>Bad values</span>
          <span>
            <input type="checkbox" checked={view.corrupt} onChange={(e) => onChange({ corrupt: e.target.checked })} data-testid="lab-corrupt" /> inject NaN / ±Inf
          </span>
        </label>
      )}
    </div>
  );
});
