import { describe, expect, it } from 'vitest';
import { SEED_MAX, nextSeed } from '../random';
import { SEED_FIELD, decodeWidgetState, encodeWidgetState, strictNumber, withWidgetState, type StateSpec } from './widget-state';

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
    expect(decodeWidgetState(p, 'blocks', spec, base)).toEqual({ state, ignored: [], fromLink: { type: 'fp4', outlier: true } });
  });
  it('keeps the default for a bad value and names it', () => {
    const p = new URLSearchParams('blocks.type=int9&blocks.blockSize=100&blocks.outlier=yes&other.type=fp4');
    expect(decodeWidgetState(p, 'blocks', spec, base)).toEqual({ state: base, ignored: ['type=int9', 'blockSize=100', 'outlier=yes'], fromLink: {} });
  });
  it('replaces one widget’s parameters and leaves the others', () => {
    expect(withWidgetState('?a.x=1&blocks.type=fp4', 'blocks', { ...base, blockSize: 128 }, base)).toBe('?a.x=1&blocks.blockSize=128');
    expect(withWidgetState('?blocks.type=fp4', 'blocks', base, base)).toBe('');
  });
  it('reads a number only as the widget writes it: hex, blanks, exponents, signs and leading zeros are named like other bad values', () => {
    for (const raw of ['0x40', '', ' 64', '64 ', '6.4e1', '+64', '064', '64.0']) {
      const p = new URLSearchParams();
      p.set('blocks.blockSize', raw);
      expect(decodeWidgetState(p, 'blocks', spec, base), JSON.stringify(raw)).toEqual({ state: base, ignored: [`blockSize=${raw}`], fromLink: {} });
    }
    expect(strictNumber('-0')).toBeUndefined();
    expect(strictNumber('99.9')).toBe(99.9);
  });
  it('names both values of a field given twice and uses neither', () => {
    const p = new URLSearchParams('blocks.blockSize=32&blocks.blockSize=128&blocks.type=fp4');
    expect(decodeWidgetState(p, 'blocks', spec, base)).toEqual({ state: { ...base, type: 'fp4' }, ignored: ['blockSize=32', 'blockSize=128'], fromLink: { type: 'fp4' } });
  });
  it('cuts a long rejected value short in the notice', () => {
    const p = new URLSearchParams({ 'blocks.type': 'x'.repeat(100_000) });
    const { ignored } = decodeWidgetState(p, 'blocks', spec, base);
    expect(ignored[0].length).toBeLessThan(100);
  });
  it('accepts every seed a seed box or a "New weights" button can make (issue 12: 3,000,000,000 and seeds from 2^31 were refused)', () => {
    type Seeded = { seed: number };
    const seeded: StateSpec<Seeded> = { seed: SEED_FIELD };
    for (const seed of [0, 2 ** 31 - 1, 2 ** 31, 2 ** 31 + 1, 3_000_000_000, SEED_MAX, nextSeed(SEED_MAX), nextSeed(2 ** 31)]) {
      const p = encodeWidgetState({ seed }, 'w', { seed: 1 });
      expect(decodeWidgetState(p, 'w', seeded, { seed: 1 }).state.seed).toBe(seed);
    }
    expect(nextSeed(SEED_MAX)).toBe(0);
  });
});
