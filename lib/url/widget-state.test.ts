import { describe, expect, it } from 'vitest';
import { decodeWidgetState, encodeWidgetState, withWidgetState, type StateSpec } from './widget-state';

type S = { type: string; blockSize: number; outlier: boolean };
const base: S = { type: 'nf4', blockSize: 64, outlier: false };
const spec: StateSpec<S> = {
  type: { kind: 'oneOf', options: ['nf4', 'fp4'] },
  blockSize: { kind: 'int', min: 32, max: 4096, allowed: [32, 64, 128] },
  outlier: { kind: 'bool' },
};

describe('widget state in the URL', () => {
  it('writes only what differs from the defaults, and reads it back', () => {
    const state: S = { type: 'fp4', blockSize: 64, outlier: true };
    const p = encodeWidgetState(state, 'blocks', base);
    expect(p.toString()).toBe('blocks.type=fp4&blocks.outlier=true');
    expect(decodeWidgetState(p, 'blocks', spec, base)).toEqual({ state, ignored: [] });
  });
  it('keeps the default for a bad value and names it', () => {
    const p = new URLSearchParams('blocks.type=int9&blocks.blockSize=100&blocks.outlier=yes&other.type=fp4');
    expect(decodeWidgetState(p, 'blocks', spec, base)).toEqual({ state: base, ignored: ['type=int9', 'blockSize=100', 'outlier=yes'] });
  });
  it('replaces one widget’s parameters and leaves the others', () => {
    expect(withWidgetState('?a.x=1&blocks.type=fp4', 'blocks', { ...base, blockSize: 128 }, base)).toBe('?a.x=1&blocks.blockSize=128');
    expect(withWidgetState('?blocks.type=fp4', 'blocks', base, base)).toBe('');
  });
});
