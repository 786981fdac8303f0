import { describe, expect, it } from 'vitest';
import { SEED_MAX } from '../random';
import { decodeWidgetState, encodeWidgetState } from '../url/widget-state';
import { DEFAULT_LAB_VIEW, LAB_VIEW_SPEC, labSizeShape, type LabView } from './view';

const encode = (view: LabView, prefix: string) => encodeWidgetState(view, prefix, DEFAULT_LAB_VIEW);
const decode = (q: URLSearchParams, prefix: string) => {
  const { state, ignored } = decodeWidgetState(q, prefix, LAB_VIEW_SPEC, DEFAULT_LAB_VIEW);
  return { view: state, ignored };
};

describe('lab view in the URL (LAB_VIEW_SPEC through lib/url/widget-state)', () => {
  it('round-trips a view through query parameters, writing only what differs', () => {
    const view: LabView = { ...DEFAULT_LAB_VIEW, bits: 3, symmetric: false, granularity: 'group', groupSize: 128, distribution: 'outliers', seed: 42 };
    const q = encode(view, 'lab');
    expect(q.toString()).toBe('lab.bits=3&lab.symmetric=false&lab.granularity=group&lab.groupSize=128&lab.distribution=outliers&lab.seed=42');
    expect(decode(q, 'lab')).toEqual({ view, ignored: [] });
    expect(encode(DEFAULT_LAB_VIEW, 'lab').toString()).toBe('');
  });
  it('keeps other prefixes apart', () => {
    const q = new URLSearchParams('a.bits=4&b.bits=2');
    expect(decode(q, 'a').view.bits).toBe(4);
    expect(decode(q, 'b').view.bits).toBe(2);
  });
  it('ignores and reports invalid values', () => {
    const { view, ignored } = decode(new URLSearchParams('lab.bits=9&lab.granularity=row&lab.groupSize=48&lab.percentile=30&lab.signed=yes&lab.seed=1.5'), 'lab');
    expect(view).toEqual(DEFAULT_LAB_VIEW);
    expect(ignored).toEqual(['bits=9', 'signed=yes', 'granularity=row', 'groupSize=48', 'percentile=30', 'seed=1.5']);
  });
  it('takes a percentile above 50 and at most 100, fractions included', () => {
    expect(decode(new URLSearchParams('lab.percentile=99.5'), 'lab')).toEqual({ view: { ...DEFAULT_LAB_VIEW, percentile: 99.5 }, ignored: [] });
    expect(decode(new URLSearchParams('lab.percentile=50.5'), 'lab').view.percentile).toBe(50.5);
    expect(decode(new URLSearchParams('lab.percentile=50'), 'lab').ignored).toEqual(['percentile=50']);
    expect(decode(new URLSearchParams('lab.percentile=100.1'), 'lab').ignored).toEqual(['percentile=100.1']);
  });
  it('reads numbers only as the lab writes them, and names a field given twice', () => {
    const { view, ignored } = decode(new URLSearchParams('lab.bits=0x4&lab.seed=%201&lab.outlierScale=2e1&lab.percentile=&lab.groupSize=32&lab.groupSize=128'), 'lab');
    expect(view).toEqual(DEFAULT_LAB_VIEW);
    expect(ignored).toEqual(['bits=0x4', 'groupSize=32', 'groupSize=128', 'percentile=', 'outlierScale=2e1', 'seed= 1']);
  });
  it('opens every seed the seed box takes (3,000,000,000 included)', () => {
    for (const seed of [2 ** 31 + 1, 3_000_000_000, SEED_MAX]) {
      const q = encode({ ...DEFAULT_LAB_VIEW, seed }, 'lab');
      expect(decode(q, 'lab')).toEqual({ view: { ...DEFAULT_LAB_VIEW, seed }, ignored: [] });
    }
    expect(decode(new URLSearchParams(`lab.seed=${SEED_MAX + 1}`), 'lab').ignored).toEqual([`seed=${SEED_MAX + 1}`]);
  });
  it('reads sizes', () => {
    expect(labSizeShape('1024x1024')).toEqual({ rows: 1024, cols: 1024 });
    expect(labSizeShape('2048x2048')).toEqual({ rows: 2048, cols: 2048 });
  });
});
