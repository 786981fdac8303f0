import { describe, expect, it } from 'vitest';
import { parseCellFile } from './cell-file';

describe('parseCellFile', () => {
  it('splits on // %% markers and drops the preamble and the final export', () => {
    const text = '/// <reference path="x" />\n// %% a\nconst x = 1;\n\n// %% b-2\nprint(x)\n\nexport {};\n';
    expect(parseCellFile(text)).toEqual([{ id: 'a', source: 'const x = 1;' }, { id: 'b-2', source: 'print(x)' }]);
  });
  it('names a repeated id and a file without cells', () => {
    expect(() => parseCellFile('// %% a\n// %% a\n', 'f.ts')).toThrow('f.ts: the cell id "a" appears twice.');
    expect(() => parseCellFile('const x = 1;', 'f.ts')).toThrow(/f\.ts has no cells/);
  });
});
