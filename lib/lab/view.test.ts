import { describe, expect, it } from 'vitest';
import { SEED_MAX } from '../random';
import { DEFAULT_LAB_VIEW, decodeLabView, encodeLabView, labSizeShape, type LabView } from './view';

describe('lab view in the URL', () => {
  it('round-trips a view through query parameters, writing only what differs', () => {
    const view: LabView = { ...DEFAULT_LAB_VIEW, bits: 3, symmetric: false, granularity: 'group', groupSize: 128, distribution: 'outliers', seed: 42 };
    const q = encodeLabView(view, 'lab');
    expect(q.toString()).toBe('lab.bits=3&lab.symmetric=false&lab.granularity=group&lab.groupSize=128&lab.distribution=outliers&lab.seed=42');
    expect(decodeLabView(q, 'lab')).toEqual({ view, ignored: [] });
    expect(encodeLabView(DEFAULT_LAB_VIEW, 'lab').toString()).toBe('');
  });
  it('keeps other prefixes apart', () => {
    const q = new URLSearchParams('a.bits=4&b.bits=2');
    expect(decodeLabView(q, 'a').view.bits).toBe(4);
    expect(decodeLabView(q, 'b').view.bits).toBe(2);
  });
  it('ignores and reports invalid values', () => {
    const { view, ignored } = decodeLabView(new URLSearchParams('lab.bits=9&lab.granularity=row&lab.groupSize=48&lab.percentile=30&lab.signed=yes&lab.seed=1.5'), 'lab');
    expect(view).toEqual(DEFAULT_LAB_VIEW);
    expect(ignored).toEqual(['bits=9', 'signed=yes', 'granularity=row', 'groupSize=48', 'percentile=30', 'seed=1.5']);
  });
  it('reads numbers only as the lab writes them, and names a field given twice (issue 12)', () => {
    const { view, ignored } = decodeLabView(new URLSearchParams('lab.bits=0x4&lab.seed=%201&lab.outlierScale=2e1&lab.percentile=&lab.groupSize=32&lab.groupSize=128'), 'lab');
    expect(view).toEqual(DEFAULT_LAB_VIEW);
    expect(ignored).toEqual(['bits=0x4', 'groupSize=32', 'groupSize=128', 'percentile=', 'outlierScale=2e1', 'seed= 1']);
  });
  it('opens every seed the seed box takes (issue 12: 3,000,000,000 was refused)', () => {
    for (const seed of [2 ** 31 + 1, 3_000_000_000, SEED_MAX]) {
      const q = encodeLabView({ ...DEFAULT_LAB_VIEW, seed }, 'lab');
      expect(decodeLabView(q, 'lab')).toEqual({ view: { ...DEFAULT_LAB_VIEW, seed }, ignored: [] });
    }
    expect(decodeLabView(new URLSearchParams(`lab.seed=${SEED_MAX + 1}`), 'lab').ignored).toEqual([`seed=${SEED_MAX + 1}`]);
  });
  it('reads sizes', () => {
    expect(labSizeShape('1024x1024')).toEqual({ rows: 1024, cols: 1024 });
    expect(labSizeShape('2048x2048')).toEqual({ rows: 2048, cols: 2048 });
  });
});
