/**
 * Lesson cells live in one TypeScript file per lesson, content/cells/<lesson>.ts, so that they are
 * type-checked together against the notebook API (content/cells/tsconfig.json) — later cells see the
 * names earlier ones declare, as in the notebook. A file is a list of cells, each opened by a marker
 * line `// %% <id>`; anything before the first marker (the reference to the API's types) and a final
 * `export {};` (which makes the file a module for the type checker) are not part of any cell.
 *
 *   (content/cells/tsconfig.json includes lib/notebook/api.d.ts, which declares the names.)
 *   // %% block-size
 *   const w = random.normal(4096, { std: 0.02 });
 *   show(w)
 *   export {};
 */

export interface CellFileEntry {
  id: string;
  source: string;
}

const MARKER = /^\/\/ %% ([A-Za-z0-9_-]{1,64})\s*$/;

/** The cells of a cell file, in order; throws naming a repeated id or a file without cells. */
export function parseCellFile(text: string, fileName = 'cell file'): CellFileEntry[] {
  const lines = text.replace(/\r\n/g, '\n').split('\n');
  const cells: { id: string; lines: string[] }[] = [];
  for (const line of lines) {
    const m = MARKER.exec(line);
    if (m) {
      if (cells.some((c) => c.id === m[1])) throw new Error(`${fileName}: the cell id "${m[1]}" appears twice.`);
      cells.push({ id: m[1], lines: [] });
    } else if (cells.length > 0) cells[cells.length - 1].lines.push(line);
  }
  if (cells.length === 0) throw new Error(`${fileName} has no cells: start each with a line "// %% <id>".`);
  return cells.map((c) => {
    const body = [...c.lines];
    while (body.length > 0 && /^\s*(export \{\};?)?\s*$/.test(body[body.length - 1])) body.pop();
    return { id: c.id, source: body.join('\n') };
  });
}
