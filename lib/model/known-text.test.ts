import { describe, expect, it } from 'vitest';
import { knownTextShortage } from './config';

describe('knownTextShortage', () => {
  it('names the characters the model does not know when too few are left', () => {
    const m = knownTextShortage('Your text', 'Жab', { ids: [1, 2], unknown: ['Ж'] }, 10);
    expect(m).toBe('Your text has 3 characters, but only 2 are ones the model knows: it never saw “Ж” in training, so they were left out. It needs at least 10 known characters — use text written with the characters of its training text.');
  });
  it('says none is known, shows invisible characters by code point and caps the list', () => {
    const unknown = ['\u00a0', ...'абвгдежзий'];
    const m = knownTextShortage('The prompt', unknown.join(''), { ids: [], unknown }, 1)!;
    expect(m).toMatch(/none of them is one the model knows/);
    expect(m).toContain('U+00A0');
    expect(m).toContain('and 3 more');
  });
  it('is null when enough is known or nothing was left out', () => {
    expect(knownTextShortage('x', 'ab', { ids: [1, 2], unknown: ['Ж'] }, 2)).toBeNull();
    expect(knownTextShortage('x', 'a', { ids: [1], unknown: [] }, 5)).toBeNull();
  });
});
