import { describe, expect, it } from 'vitest';
import { checkNotebook, freshCellId, MAX_CELL_CHARS, MAX_CELLS, NotebookFormatError } from './document';

describe('checkNotebook', () => {
  it('keeps known fields only and defaults kind to code', () => {
    expect(checkNotebook({ title: 't', extra: 1, cells: [{ id: 'a', source: 'print(1)', junk: true }] })).toEqual({ title: 't', cells: [{ id: 'a', kind: 'code', source: 'print(1)' }] });
  });
  it('names each broken rule with the cell number', () => {
    const bad: [unknown, RegExp][] = [
      [null, /must be an object/],
      [{ cells: 3 }, /list of cells/],
      [{ cells: [{ id: 'a', source: 1 }] }, /Cell 1 has no source/],
      [{ cells: [{ id: 'a', source: '' }, { id: 'a', source: '' }] }, /Cell 2 repeats the id "a"/],
      [{ cells: [{ id: 'has space', source: '' }] }, /Cell 1 has no valid id/],
      [{ cells: [{ id: 'a', kind: 'python', source: '' }] }, /Cell 1 has kind "python"/],
      [{ cells: [{ id: 'a', source: 'x'.repeat(MAX_CELL_CHARS + 1) }] }, /Cell 1 is 20,001 characters long/],
      [{ cells: Array.from({ length: MAX_CELLS + 1 }, (_, i) => ({ id: `c${i}`, source: '' })) }, /201 cells; at most 200/],
      [{ title: 5, cells: [] }, /title must be text/],
    ];
    for (const [v, re] of bad) expect(() => checkNotebook(v)).toThrow(re);
    expect(() => checkNotebook(null)).toThrow(NotebookFormatError);
  });
  it('finds a fresh id', () => {
    expect(freshCellId([{ id: 'c1' }, { id: 'c3' }])).toBe('c4');
    expect(freshCellId([{ id: 'c3' }, { id: 'x' }])).toBe('c4');
    expect(freshCellId([])).toBe('c1');
  });
});
