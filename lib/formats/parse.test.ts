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
});
