import { describe, expect, it } from 'vitest';
import { SEED_MAX, nextSeed } from '../random';
import { SEED_FIELD, allMask, chosenOf, maskOf, decodeField, decodeWidgetState, sameWidgetState, encodeWidgetState, strictNumber, withWidgetState, type StateSpec } from './widget-state';

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
  it('accepts every seed a seed box or a "New weights" button can make (3,000,000,000 and seeds from 2^31 were once refused)', () => {
    type Seeded = { seed: number };
    const seeded: StateSpec<Seeded> = { seed: SEED_FIELD };
    for (const seed of [0, 2 ** 31 - 1, 2 ** 31, 2 ** 31 + 1, 3_000_000_000, SEED_MAX, nextSeed(SEED_MAX), nextSeed(2 ** 31)]) {
      const p = encodeWidgetState({ seed }, 'w', { seed: 1 });
      expect(decodeWidgetState(p, 'w', seeded, { seed: 1 }).state.seed).toBe(seed);
    }
    expect(nextSeed(SEED_MAX)).toBe(0);
  });
  it('number fields: bounds, an exclusive minimum, whole numbers only when asked, allowed values', () => {
    const frac = { kind: 'number', min: 0, max: 1 } as const;
    expect(decodeField(frac, '0.25')).toBe(0.25);
    expect(decodeField(frac, '0')).toBe(0);
    expect(decodeField(frac, '1')).toBe(1);
    expect(decodeField(frac, '1.5')).toBeUndefined();
    expect(decodeField(frac, '-0.5')).toBeUndefined();
    expect(decodeField(frac, '2.5e-1')).toBeUndefined(); // not as String() writes it
    const above = { kind: 'number', min: 50, max: 100, minExclusive: true } as const;
    expect(decodeField(above, '50')).toBeUndefined();
    expect(decodeField(above, '50.5')).toBe(50.5);
    const whole = { kind: 'number', min: -8, max: 8, integer: true } as const;
    expect(decodeField(whole, '-8')).toBe(-8);
    expect(decodeField(whole, '2.5')).toBeUndefined();
    expect(decodeField(whole, '9')).toBeUndefined();
    expect(decodeField({ kind: 'number', min: 0, max: 10, allowed: [0.5, 2] }, '2')).toBe(2);
    expect(decodeField({ kind: 'number', min: 0, max: 10, allowed: [0.5, 2] }, '3')).toBeUndefined();
  });
  it('text fields: any string up to the bound, longer ones named (cut short in the notice)', () => {
    type T = { prompt: string };
    const textSpec: StateSpec<T> = { prompt: { kind: 'text', maxLength: 8 } };
    const tbase: T = { prompt: 'hi' };
    const ok = encodeWidgetState({ prompt: 'a b&c=d' }, 'w', tbase);
    expect(decodeWidgetState(ok, 'w', textSpec, tbase).state.prompt).toBe('a b&c=d');
    expect(decodeWidgetState(encodeWidgetState({ prompt: '' }, 'w', tbase), 'w', textSpec, tbase).state.prompt).toBe('');
    const long = decodeWidgetState(new URLSearchParams({ 'w.prompt': 'x'.repeat(9) }), 'w', textSpec, tbase);
    expect(long.state).toEqual(tbase);
    expect(long.ignored).toEqual([`prompt=${'x'.repeat(9)}`]);
  });
  it('compares two states field by field', () => {
    expect(sameWidgetState(base, { ...base })).toBe(true);
    expect(sameWidgetState(base, { ...base, blockSize: 128 })).toBe(false);
    expect(sameWidgetState({ x: NaN }, { x: NaN })).toBe(true);
  });
  it('a subset of options as a bit mask, and back', () => {
    const opts = ['a', 'b', 'c'] as const;
    expect(maskOf(opts, ['a', 'c'])).toBe(5);
    expect(chosenOf(opts, 5)).toEqual(['a', 'c']);
    expect(maskOf(opts, [])).toBe(0);
    expect(allMask(opts)).toBe(7);
    expect(chosenOf(opts, allMask(opts))).toEqual([...opts]);
    expect(maskOf(opts, ['c', 'a'])).toBe(maskOf(opts, ['a', 'c'])); // order does not matter
  });
});
