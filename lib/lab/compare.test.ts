import { describe, expect, it } from 'vitest';
import { cellLayout, runLabReference, quantizeSlices } from './lab';
import { compareLabRuns, relativeDifference } from './compare';
import type { LabSettings } from './types';

const settings: LabSettings = { bits: 4, signed: true, symmetric: true, granularity: 'channel', groupSize: 4, calibration: 'minmax', percentile: 99.9 };

describe('compareLabRuns', () => {
  const x = Float32Array.from({ length: 64 }, (_, i) => Math.sin(i) * (1 + (i % 7)));
  const r = runLabReference(x, 8, 8, settings);
  if (!r.ok) throw new Error('reference failed');
  const codes = quantizeSlices(x, cellLayout(8, 8, settings), r.params, settings);

  it('finds nothing between a run and itself', () => {
    const c = compareLabRuns({ codes, stats: r.stats }, { codes, stats: r.stats });
    expect(c).toEqual({ codeMismatches: 0, maxStatDifference: 0, worstStat: 'none', maxCellDifference: 0, histogramMoves: 0 });
  });
  it('counts differing codes, the worst statistic and histogram moves', () => {
    const codes2 = codes.slice();
    codes2[3] += 1;
    codes2[9] -= 1;
    const hist = r.stats.errorHistogram.slice();
    const full = hist.findIndex((n) => n > 0);
    hist[full] -= 1;
    hist[(full + 1) % hist.length] += 1;
    const stats2 = { ...r.stats, mse: r.stats.mse * (1 + 1e-3), errorHistogram: hist };
    const c = compareLabRuns({ codes: codes2, stats: stats2 }, { codes, stats: r.stats });
    expect(c.codeMismatches).toBe(2);
    expect(c.worstStat).toBe('mse');
    expect(c.maxStatDifference).toBeCloseTo(1e-3, 5);
    expect(c.histogramMoves).toBe(1);
  });
  it('relativeDifference', () => {
    expect(relativeDifference(1, 1)).toBe(0);
    expect(relativeDifference(Infinity, Infinity)).toBe(0);
    expect(relativeDifference(Infinity, 1)).toBe(Infinity);
    expect(relativeDifference(2, 1)).toBe(0.5);
  });
});
