/**
 * Jupyter notebook files (nbformat 4, https://nbformat.readthedocs.io/en/latest/format_description.html)
 * to and from a NotebookDoc. A Lowbit notebook is written with a TypeScript kernelspec, code cells
 * with empty outputs (outputs are recomputed, never stored) and markdown cells as they are.
 *
 * Reading accepts any nbformat 4 file: `source` as a string or a list of lines (nbformat allows
 * both), code and markdown cells kept, raw cells read as markdown, outputs and metadata ignored.
 * Cell ids come from the file's `id` (nbformat 4.5) when valid and unique, else c1, c2, … .
 * Everything is checked by checkNotebook, so a file can never bring more than the notebook bounds.
 */
import { checkNotebook, NotebookFormatError, quoteShort, type CellDoc, type NotebookDoc } from './document';
import { errorMessage } from '../errors';

/** The kernelspec written into .ipynb files: Jupyter shows it as the notebook's language. */
export const IPYNB_KERNELSPEC = { name: 'lowbit-typescript', display_name: 'TypeScript (Lowbit)', language: 'typescript' } as const;

/** Largest .ipynb text read: outputs of other kernels can be large, and all of them are dropped. */
export const MAX_IPYNB_CHARS = 20_000_000;

/** Splits source into nbformat's list of lines, each but the last keeping its "\n". */
function sourceLines(source: string): string[] {
  const lines = source.split('\n');
  return lines.map((l, i) => (i < lines.length - 1 ? `${l}\n` : l)).filter((l, i, all) => !(i === all.length - 1 && l === ''));
}

/** A NotebookDoc as .ipynb JSON text (nbformat 4.5), indented as Jupyter writes it. */
export function toIpynb(doc: NotebookDoc): string {
  const clean = checkNotebook(doc);
  const cells = clean.cells.map((c) =>
    c.kind === 'code'
      ? { cell_type: 'code', id: c.id, metadata: {}, execution_count: null, outputs: [], source: sourceLines(c.source) }
      : { cell_type: 'markdown', id: c.id, metadata: {}, source: sourceLines(c.source) },
  );
  const nb = {
    nbformat: 4,
    nbformat_minor: 5,
    metadata: { kernelspec: IPYNB_KERNELSPEC, language_info: { name: 'typescript', file_extension: '.ts' }, lowbit: { title: clean.title } },
    cells,
  };
  return `${JSON.stringify(nb, null, 1)}\n`;
}

/** Reads .ipynb text into a NotebookDoc; NotebookFormatError names what is wrong. */
export function fromIpynb(text: string, fallbackTitle = 'Imported notebook'): NotebookDoc {
  if (text.length > MAX_IPYNB_CHARS) throw new NotebookFormatError(`The file is ${(text.length / 1e6).toFixed(1)} MB; notebooks larger than ${MAX_IPYNB_CHARS / 1e6} MB are not read.`);
  let nb: unknown;
  try {
    nb = JSON.parse(text);
  } catch (e) {
    throw new NotebookFormatError(`The file is not a Jupyter notebook: it is not valid JSON (${errorMessage(e)}).`);
  }
  if (typeof nb !== 'object' || nb === null || Array.isArray(nb)) throw new NotebookFormatError('The file is not a Jupyter notebook: its JSON is not an object.');
  const o = nb as Record<string, unknown>;
  if (o.nbformat !== 4) throw new NotebookFormatError(`Only nbformat 4 notebooks can be read; this file says nbformat ${quoteShort(String(o.nbformat))}.`);
  if (!Array.isArray(o.cells)) throw new NotebookFormatError('The notebook has no "cells" list.');
  const meta = (typeof o.metadata === 'object' && o.metadata !== null ? o.metadata : {}) as Record<string, unknown>;
  const lowbit = (typeof meta.lowbit === 'object' && meta.lowbit !== null ? meta.lowbit : {}) as Record<string, unknown>;
  const title = typeof lowbit.title === 'string' ? lowbit.title : fallbackTitle;
  const used = new Set<string>();
  const cells: CellDoc[] = o.cells.map((c: unknown, i) => {
    if (typeof c !== 'object' || c === null) throw new NotebookFormatError(`Cell ${i + 1} is not an object.`);
    const cell = c as Record<string, unknown>;
    const type = cell.cell_type;
    if (type !== 'code' && type !== 'markdown' && type !== 'raw') throw new NotebookFormatError(`Cell ${i + 1} has cell_type ${quoteShort(String(type))}; expected code, markdown or raw.`);
    const src = cell.source;
    let source: string;
    if (typeof src === 'string') source = src;
    else if (Array.isArray(src) && src.every((l) => typeof l === 'string')) source = src.join('');
    else throw new NotebookFormatError(`Cell ${i + 1} has no source text.`);
    let id = typeof cell.id === 'string' && /^[A-Za-z0-9_-]{1,64}$/.test(cell.id) && !used.has(cell.id) ? cell.id : '';
    if (!id) for (let k = i + 1; !id; k++) if (!used.has(`c${k}`)) id = `c${k}`;
    used.add(id);
    return { id, kind: type === 'code' ? 'code' : 'markdown', source };
  });
  return checkNotebook({ title, cells });
}
