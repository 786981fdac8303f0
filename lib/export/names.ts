/**
 * File names for exported figures and tables (the widgets' "Export" menu and the benchmark's
 * results): lower-case ASCII words joined by hyphens, so a name survives every file system and
 * reads like the widget's title.
 */

/**
 * A file-name stem from a title: accents removed (NFKD, combining marks dropped), "×" read as "x",
 * every run of other characters than a–z and 0–9 turned into one hyphen, no hyphen at either end,
 * at most `max` characters (cut at a hyphen where one is near). Empty titles give `fallback`.
 */
export function fileStem(title: string, fallback = 'lowbit', max = 60): string {
  const ascii = title
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '')
    .replace(/×/g, 'x')
    .toLowerCase();
  let stem = ascii.replace(/[^a-z0-9]+/g, '-').replace(/^-+|-+$/g, '');
  if (stem.length > max) {
    const cut = stem.slice(0, max);
    const dash = cut.lastIndexOf('-');
    stem = (dash >= max / 2 ? cut.slice(0, dash) : cut).replace(/-+$/, '');
  }
  return stem || fallback;
}

/**
 * The file name of the `index`-th (0-based) of `count` exported items of one kind from a widget:
 * `<stem>.<ext>` when the widget has one such item, `<stem>-<kind>-<index + 1>.<ext>` otherwise,
 * e.g. `quantization-lab-chart-2.svg`.
 */
export function exportFileName(stem: string, kind: 'chart' | 'table', index: number, count: number, ext: string): string {
  return count <= 1 ? `${stem}.${ext}` : `${stem}-${kind}-${index + 1}.${ext}`;
}

/**
 * A dated file name, `<stem>-YYYY-MM-DD-HHMM.<ext>` in UTC (e.g. `lowbit-bench-2026-11-26-0412.json`),
 * so several saved runs sort by time and never overwrite each other.
 */
export function datedFileName(stem: string, date: Date, ext: string): string {
  const iso = date.toISOString(); // YYYY-MM-DDTHH:MM:SS.sssZ
  return `${stem}-${iso.slice(0, 10)}-${iso.slice(11, 13)}${iso.slice(14, 16)}.${ext}`;
}
