/**
 * A notebook as data: an ordered list of cells, each code (TypeScript run by the kernel) or prose
 * (Markdown, shown as text). The same shape serves a lesson's <CodeCell>s, the /notebook/ sandbox,
 * share links and .ipynb files, so that every way in goes through one validator.
 *
 * Bounds (a notebook arrives from links, files and localStorage, so every size is capped):
 * at most MAX_CELLS cells, MAX_CELL_CHARS characters per cell and MAX_NOTEBOOK_CHARS in all.
 */

export type CellKind = 'code' | 'markdown';

export interface CellDoc {
  /** Stable within its notebook: persistence and outputs are keyed by it. [A-Za-z0-9_-], 1–64 characters. */
  id: string;
  kind: CellKind;
  source: string;
}

export interface NotebookDoc {
  title: string;
  cells: CellDoc[];
}

export const MAX_CELLS = 200;
export const MAX_CELL_CHARS = 20_000;
export const MAX_NOTEBOOK_CHARS = 400_000;
export const MAX_TITLE_CHARS = 200;

const ID = /^[A-Za-z0-9_-]{1,64}$/;

/** A notebook that breaks a rule; `message` says which rule and where, in words for a learner. */
export class NotebookFormatError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'NotebookFormatError';
  }
}

/**
 * Checks a value that claims to be a NotebookDoc (from JSON) and returns a clean copy: known fields
 * only, ids unique, every size within the bounds above. Throws NotebookFormatError naming the
 * first problem (cell numbers counted from 1, as the page shows them).
 */
export function checkNotebook(value: unknown): NotebookDoc {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) throw new NotebookFormatError('A notebook must be an object with "title" and "cells".');
  const v = value as Record<string, unknown>;
  const title = v.title ?? '';
  if (typeof title !== 'string') throw new NotebookFormatError('The notebook title must be text.');
  if (title.length > MAX_TITLE_CHARS) throw new NotebookFormatError(`The notebook title is ${title.length.toLocaleString('en-US')} characters long; at most ${MAX_TITLE_CHARS} are allowed.`);
  if (!Array.isArray(v.cells)) throw new NotebookFormatError('A notebook needs a list of cells.');
  if (v.cells.length > MAX_CELLS) throw new NotebookFormatError(`The notebook has ${v.cells.length.toLocaleString('en-US')} cells; at most ${MAX_CELLS} are allowed.`);
  const seen = new Set<string>();
  let total = 0;
  const cells = v.cells.map((c: unknown, i): CellDoc => {
    const where = `Cell ${i + 1}`;
    if (typeof c !== 'object' || c === null || Array.isArray(c)) throw new NotebookFormatError(`${where} is not an object.`);
    const cell = c as Record<string, unknown>;
    const kind = cell.kind ?? 'code';
    if (kind !== 'code' && kind !== 'markdown') throw new NotebookFormatError(`${where} has kind ${quoteShort(String(kind))}; a cell is "code" or "markdown".`);
    if (typeof cell.id !== 'string' || !ID.test(cell.id)) throw new NotebookFormatError(`${where} has no valid id (1 to 64 letters, digits, "-" or "_").`);
    if (seen.has(cell.id)) throw new NotebookFormatError(`${where} repeats the id "${cell.id}"; cell ids must be unique.`);
    seen.add(cell.id);
    if (typeof cell.source !== 'string') throw new NotebookFormatError(`${where} has no source text.`);
    if (cell.source.length > MAX_CELL_CHARS) throw new NotebookFormatError(`${where} is ${cell.source.length.toLocaleString('en-US')} characters long; a cell holds at most ${MAX_CELL_CHARS.toLocaleString('en-US')}.`);
    total += cell.source.length;
    if (total > MAX_NOTEBOOK_CHARS) throw new NotebookFormatError(`The notebook is longer than ${MAX_NOTEBOOK_CHARS.toLocaleString('en-US')} characters.`);
    return { id: cell.id, kind, source: cell.source };
  });
  return { title, cells };
}

/** A new cell id not used in `cells`: "c1", "c2", … */
export function freshCellId(cells: readonly Pick<CellDoc, 'id'>[]): string {
  const used = new Set(cells.map((c) => c.id));
  for (let k = cells.length + 1; ; k++) if (!used.has(`c${k}`)) return `c${k}`;
}

/** `text` in quotes, cut to `max` characters with "…" — for echoing input in a message without echoing a megabyte. */
export function quoteShort(text: string, max = 40): string {
  return `"${text.length > max ? `${text.slice(0, max)}…` : text}"`;
}
