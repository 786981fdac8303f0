/**
 * Tables as CSV and as JSON records, for the widgets' "Export" menu (docs/design.md, widget kit).
 * Pure functions over plain string grids: the component reads a <table>'s cells as text.
 */

/** A table read as text: one header row and the body rows (each a list of cell texts). */
export interface TextTable {
  header: string[];
  rows: string[][];
}

/**
 * One CSV field, quoted per RFC 4180 §2: a field that holds a comma, a double quote, a CR or an LF
 * is wrapped in double quotes, and each double quote inside it is written twice ("" ). Other fields
 * are written as they are. (RFC 4180, "Common Format and MIME Type for CSV Files", 2005, rules 5–7.)
 */
export function csvField(text: string): string {
  return /[",\r\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

/**
 * A CSV document: the header line then one line per row, fields separated by commas and records by
 * CRLF as RFC 4180 §2 rule 1 prescribes, with a final CRLF. Rows shorter than the header are padded
 * with empty fields, so every record has the same number of fields (rule 4).
 */
export function toCsv(table: TextTable): string {
  const width = Math.max(table.header.length, ...table.rows.map((r) => r.length));
  const line = (cells: readonly string[]) =>
    Array.from({ length: width }, (_, i) => csvField(cells[i] ?? '')).join(',');
  return [table.header, ...table.rows].map(line).join('\r\n') + '\r\n';
}

/**
 * Keys for a header row: each cell's text with its whitespace collapsed and trimmed; an empty cell
 * becomes `column N` (1-based), and a repeated name gets ` (2)`, ` (3)`… so no key is lost.
 */
export function recordKeys(header: readonly string[]): string[] {
  const seen = new Map<string, number>();
  return header.map((h, i) => {
    const base = h.replace(/\s+/g, ' ').trim() || `column ${i + 1}`;
    const n = (seen.get(base) ?? 0) + 1;
    seen.set(base, n);
    return n === 1 ? base : `${base} (${n})`;
  });
}

/**
 * The body rows as records, one object per row keyed by the header row (`recordKeys`); cells past
 * the header get `column N` keys, missing cells are left out. Values stay the text shown: a number
 * formatted as "1.2e-3" or "12 %" is exported as that text, exactly as the learner saw it.
 */
export function toRecords(table: TextTable): Record<string, string>[] {
  const width = Math.max(table.header.length, ...table.rows.map((r) => r.length));
  const keys = recordKeys([...table.header, ...Array.from({ length: width - table.header.length }, () => '')]);
  return table.rows.map((row) => Object.fromEntries(row.map((cell, i) => [keys[i], cell])));
}

/**
 * Turns a grid of cell texts (the rows of a <table>, header rows first) into a TextTable: the first
 * `headerRows` rows are merged into one header (texts of a column joined with " – ", so a two-level
 * header keeps both levels), the rest are the body. With no header row the keys are `column N`.
 */
export function textTable(grid: readonly (readonly string[])[], headerRows: number): TextTable {
  const heads = grid.slice(0, Math.max(0, headerRows));
  const width = Math.max(0, ...grid.map((r) => r.length));
  const header = Array.from({ length: width }, (_, i) => {
    const parts: string[] = [];
    for (const h of heads) {
      const t = (h[i] ?? '').trim();
      if (t && parts[parts.length - 1] !== t) parts.push(t);
    }
    return parts.join(' – ');
  });
  return { header, rows: grid.slice(heads.length).map((r) => [...r]) };
}
