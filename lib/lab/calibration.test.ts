import { describe, expect, it } from 'vitest';
import { runLabReference } from './lab';
import { makeLabTensor } from './tensor';
import type { LabSettings } from './types';

describe('calibration in the lab (the clipping lesson)', () => {
  it('the lesson\'s claim on the real tensor: at 4 bits MSE clipping measures a lower MSE than percentile 99.9 and min–max', () => {
    const t = makeLabTensor({ distribution: 'outliers', size: '1024x1024', seed: 1, outlierScale: 20, corrupt: false });
    const base: LabSettings = { bits: 4, signed: true, symmetric: true, granularity: 'tensor', groupSize: 64, calibration: 'minmax', percentile: 99.9 };
    const run = (calibration: LabSettings['calibration']) => {
      const r = runLabReference(t.data, t.rows, t.cols, { ...base, calibration });
      if (!r.ok) throw new Error(r.errors.join('; '));
      return r.stats.mse;
    };
    const mse = run('mse');
    expect(mse).toBeLessThan(run('percentile'));
    expect(mse).toBeLessThan(run('minmax'));
  });
});
