import { describe, expect, it } from 'vitest';
import type { NotebookDoc } from './document';
import { fromIpynb, IPYNB_KERNELSPEC, toIpynb } from './ipynb';

const doc: NotebookDoc = {
  title: 'Blocks',
  cells: [
    { id: 'intro', kind: 'markdown', source: '# NF4\nChange the block size.' },
    { id: 'c2', kind: 'code', source: 'const x = random.normal([64]);\nprint(x.shape)\n' },
    { id: 'c3', kind: 'code', source: '' },
  ],
};

describe('.ipynb (nbformat 4)', () => {
  it('round-trips a notebook exactly', () => {
    expect(fromIpynb(toIpynb(doc))).toEqual(doc);
  });
  it('writes nbformat 4.5 with a TypeScript kernelspec, line lists and no outputs', () => {
    const nb = JSON.parse(toIpynb(doc));
    expect(nb.nbformat).toBe(4);
    expect(nb.nbformat_minor).toBe(5);
    expect(nb.metadata.kernelspec).toEqual(IPYNB_KERNELSPEC);
    expect(nb.metadata.kernelspec.language).toBe('typescript');
    expect(nb.cells[1]).toEqual({ cell_type: 'code', id: 'c2', metadata: {}, execution_count: null, outputs: [], source: ['const x = random.normal([64]);\n', 'print(x.shape)\n'] });
    expect(nb.cells[0].source).toEqual(['# NF4\n', 'Change the block size.']);
  });
  it('reads files from other tools: string sources, raw cells, missing or repeated ids, outputs dropped', () => {
    const text = JSON.stringify({
      nbformat: 4, nbformat_minor: 2, metadata: { kernelspec: { name: 'python3' } },
      cells: [
        { cell_type: 'code', source: 'import numpy as np', outputs: [{ output_type: 'stream', text: 'x' }], execution_count: 3 },
        { cell_type: 'raw', id: 'r', source: ['a\n', 'b'] },
        { cell_type: 'markdown', id: 'r', source: 'dup id' },
      ],
    });
    expect(fromIpynb(text, 'From disk')).toEqual({
      title: 'From disk',
      cells: [
        { id: 'c1', kind: 'code', source: 'import numpy as np' },
        { id: 'r', kind: 'markdown', source: 'a\nb' },
        { id: 'c3', kind: 'markdown', source: 'dup id' },
      ],
    });
  });
  it('names what is wrong with a file that is not a notebook', () => {
    expect(() => fromIpynb('{')).toThrow(/not valid JSON/);
    expect(() => fromIpynb('[]')).toThrow(/not an object/);
    expect(() => fromIpynb(JSON.stringify({ nbformat: 3, cells: [] }))).toThrow(/nbformat 4.*says nbformat "3"/);
    expect(() => fromIpynb(JSON.stringify({ nbformat: 4 }))).toThrow(/no "cells" list/);
    expect(() => fromIpynb(JSON.stringify({ nbformat: 4, cells: [{ cell_type: 'heading', source: '' }] }))).toThrow(/Cell 1 has cell_type "heading"/);
    expect(() => fromIpynb(JSON.stringify({ nbformat: 4, cells: [{ cell_type: 'code', source: [1] }] }))).toThrow(/Cell 1 has no source/);
  });
});
