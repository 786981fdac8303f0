/**
 * What a widget can export (ExportMenu): its charts — outermost <svg>s and <canvas>es of a useful
 * size — and its <table>s, with a short label each. Kept apart from export-dom.ts, which the menu
 * loads only when a file is asked for, so every page's first load carries just this.
 */

/** Charts smaller than this (legend swatches, icons) are not offered. */
const MIN_CHART_PX = 80;

export type Exportable =
  | { kind: 'chart'; el: SVGSVGElement | HTMLCanvasElement; label: string }
  | { kind: 'table'; el: HTMLTableElement; label: string };

function shortLabel(text: string | null | undefined, fallback: string): string {
  const t = (text ?? '').replace(/\s+/g, ' ').trim().split(/(?<=\.)\s/)[0].replace(/\.$/, '');
  if (!t) return fallback;
  return t.length > 48 ? `${t.slice(0, 47)}…` : t;
}

/** The charts (outermost <svg>s and <canvas>es of a useful size) and <table>s inside a widget. */
export function findExportables(root: HTMLElement): Exportable[] {
  const out: Exportable[] = [];
  let c = 0;
  let t = 0;
  for (const el of root.querySelectorAll<SVGSVGElement | HTMLCanvasElement | HTMLTableElement>('svg, canvas, table')) {
    if (el.closest('.widget-tools, .nb-lesson-cell')) continue;
    if (el instanceof HTMLTableElement) {
      if (el.rows.length === 0) continue;
      t += 1;
      out.push({ kind: 'table', el, label: shortLabel(el.caption?.textContent ?? el.closest('[aria-label]')?.getAttribute('aria-label'), `Table ${t}`) });
      continue;
    }
    if (el instanceof SVGSVGElement && el.parentElement?.closest('svg')) continue;
    const box = el.getBoundingClientRect();
    if (box.width < MIN_CHART_PX || box.height < MIN_CHART_PX / 4) continue;
    c += 1;
    out.push({ kind: 'chart', el, label: shortLabel(el.getAttribute('aria-label'), `Chart ${c}`) });
  }
  return out;
}
