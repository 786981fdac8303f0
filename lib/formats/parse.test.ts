import { describe, expect, it } from 'vitest';
import { parseNumberInput } from './parse';

describe('parseNumberInput', () => {
  it.each([
    ['0.1', 0.1],
    ['-2.5', -2.5],
    ['.5', 0.5],
    ['1e-3', 0.001],
    ['6.1E4', 61000],
    ['2^-24', 2 ** -24],
    ['-2^15', -32768],
    ['2^2000', Infinity],
    [' 1000 ', 1000],
    ['−3', -3],
    ['inf', Infinity],
    ['-Infinity', -Infinity],
    ['∞', Infinity],
  ])('%s -> %d', (text, value) => {
    expect(parseNumberInput(text)).toEqual({ ok: true, value });
  });
  it('reads NaN', () => {
    const r = parseNumberInput('NaN');
    expect(r.ok && Number.isNaN(r.value)).toBe(true);
  });
  it.each(['', '  ', 'abc', '1.2.3', '0x10', '1e', '--1'])('rejects %j with a message', (text) => {
    const r = parseNumberInput(text);
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.error).toMatch(/number/);
  });
  it('quotes bad text briefly and does not read text past its size cap', () => {
    const r = parseNumberInput('1x' + '9'.repeat(900));
    expect(r.ok === false && r.error).toBe(`“1x${'9'.repeat(38)}…” (902 characters) is not a number. Try 0.1, -2.5, 1e-3, 2^-24, inf or nan.`);
    expect(parseNumberInput('1'.repeat(2_000_000))).toEqual({ ok: false, error: 'This is 2,000,000 characters; a number takes at most 1,000. Nothing was read.' });
  });
});
