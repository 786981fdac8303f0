/**
 * The DOM side of exporting what a widget shows (ExportMenu, the benchmark's results): find its
 * charts and tables, serialise an SVG chart with its computed styles inlined, rasterise it at 2×,
 * read a table's cells, and hand a Blob to the browser as a download (a blob: link; the site's CSP
 * allows blob: images, see README, Content-Security-Policy). The pure parts are lib/export.
 */
import { textTable, toCsv, toRecords, type TextTable } from '@/lib/export/csv';
import { inlineStyleDiff, rasterSize, svgFileText } from '@/lib/export/svg';

const SVG_NS = 'http://www.w3.org/2000/svg';

/** The background a widget is drawn on (its card's colour), so an export reads as it does on screen. */
function backgroundOf(el: Element): string {
  for (let e: Element | null = el; e; e = e.parentElement) {
    const bg = getComputedStyle(e).backgroundColor;
    if (bg && bg !== 'transparent' && !/rgba\(.*,\s*0\)$/.test(bg)) return bg;
  }
  return '#ffffff';
}

/** A stand-alone copy of an <svg>: each element's computed look inlined, sized as drawn, on the card's background. */
export function serializeSvg(svg: SVGSVGElement): { text: string; width: number; height: number; background: string } {
  const box = svg.getBoundingClientRect();
  const clone = svg.cloneNode(true) as SVGSVGElement;
  const src = [svg, ...svg.querySelectorAll('*')];
  const dst = [clone, ...clone.querySelectorAll('*')];
  const styles = new Map<Element, CSSStyleDeclaration>();
  const styleOf = (el: Element) => {
    let cs = styles.get(el);
    if (!cs) styles.set(el, (cs = getComputedStyle(el)));
    return cs;
  };
  src.forEach((el, i) => {
    const copy = dst[i];
    if (!copy) return;
    copy.removeAttribute('class');
    copy.removeAttribute('tabindex');
    // Presentation attributes that name a CSS variable: their resolved values go into style="".
    for (const a of [...copy.attributes]) if (a.value.includes('var(')) copy.removeAttribute(a.name);
    if (el.tagName === 'title' || el.tagName === 'desc') return copy.removeAttribute('style');
    const cs = styleOf(el);
    const parent = el === svg || !el.parentElement ? null : styleOf(el.parentElement);
    const text = inlineStyleDiff((p) => cs.getPropertyValue(p), parent && ((p) => parent.getPropertyValue(p)));
    if (text) copy.setAttribute('style', text);
    else copy.removeAttribute('style');
  });
  const width = Math.round(box.width) || 640;
  const height = Math.round(box.height) || 320;
  const background = backgroundOf(svg);
  clone.setAttribute('xmlns', SVG_NS);
  clone.setAttribute('width', String(width));
  clone.setAttribute('height', String(height));
  if (!clone.getAttribute('viewBox')) clone.setAttribute('viewBox', `0 0 ${width} ${height}`);
  const title = svg.getAttribute('aria-label');
  if (title) {
    const t = document.createElementNS(SVG_NS, 'title');
    t.textContent = title;
    clone.insertBefore(t, clone.firstChild);
  }
  // A background as large as the drawing's overflow allows: the viewBox, widened by a margin.
  const vb = clone.viewBox.baseVal;
  const bg = document.createElementNS(SVG_NS, 'rect');
  bg.setAttribute('x', String(vb.x - vb.width));
  bg.setAttribute('y', String(vb.y - vb.height));
  bg.setAttribute('width', String(vb.width * 3));
  bg.setAttribute('height', String(vb.height * 3));
  bg.setAttribute('fill', background);
  clone.insertBefore(bg, title ? clone.firstChild!.nextSibling : clone.firstChild);
  return { text: svgFileText(new XMLSerializer().serializeToString(clone)), width, height, background };
}

function canvasToBlob(canvas: HTMLCanvasElement): Promise<Blob> {
  return new Promise((resolve, reject) => canvas.toBlob((b) => (b ? resolve(b) : reject(new Error('The browser could not encode the image.'))), 'image/png'));
}

/** A PNG of a chart at 2× its drawn size: an SVG drawn through an <img> of its blob, a canvas copied on the card's background. */
export async function chartPng(el: SVGSVGElement | HTMLCanvasElement): Promise<Blob> {
  if (el instanceof HTMLCanvasElement) {
    const box = el.getBoundingClientRect();
    const size = rasterSize(box.width, box.height);
    const out = document.createElement('canvas');
    out.width = size.width;
    out.height = size.height;
    const ctx = out.getContext('2d');
    if (!ctx) throw new Error('No 2D canvas in this browser.');
    ctx.fillStyle = backgroundOf(el);
    ctx.fillRect(0, 0, size.width, size.height);
    ctx.imageSmoothingEnabled = false;
    ctx.drawImage(el, 0, 0, size.width, size.height);
    return canvasToBlob(out);
  }
  const { text, width, height } = serializeSvg(el);
  const url = URL.createObjectURL(new Blob([text], { type: 'image/svg+xml' }));
  try {
    const img = new Image();
    img.decoding = 'async';
    img.src = url;
    await img.decode();
    const size = rasterSize(width, height);
    const canvas = document.createElement('canvas');
    canvas.width = size.width;
    canvas.height = size.height;
    const ctx = canvas.getContext('2d');
    if (!ctx) throw new Error('No 2D canvas in this browser.');
    ctx.drawImage(img, 0, 0, size.width, size.height);
    return await canvasToBlob(canvas);
  } finally {
    URL.revokeObjectURL(url);
  }
}

/** A table's cells as the learner reads them (rendered text, spaces collapsed), header rows first. */
export function readTable(table: HTMLTableElement): TextTable {
  const rows = [...table.rows];
  const cellText = (c: HTMLTableCellElement) => (c.innerText || c.textContent || '').replace(/\s+/g, ' ').trim();
  const grid: string[][] = rows.map((r) => {
    const cells: string[] = [];
    // A cell spanning columns fills each of them: a header's text repeats (textTable merges it), a body cell's does not.
    for (const c of r.cells) for (let k = 0; k < Math.max(1, c.colSpan); k++) cells.push(k === 0 || c.tagName === 'TH' ? cellText(c) : '');
    return cells;
  });
  let headerRows = table.tHead ? table.tHead.rows.length : 0;
  if (headerRows === 0 && rows[0] && [...rows[0].cells].every((c) => c.tagName === 'TH')) headerRows = 1;
  return textTable(grid, headerRows);
}

export function tableCsv(table: HTMLTableElement): string {
  return toCsv(readTable(table));
}

export function tableJson(table: HTMLTableElement): string {
  return `${JSON.stringify(toRecords(readTable(table)), null, 2)}\n`;
}

/** Offers a Blob as a file download through a temporary blob: link. */
export function downloadBlob(blob: Blob, fileName: string): void {
  const url = URL.createObjectURL(blob);
  const a = document.createElement('a');
  a.href = url;
  a.download = fileName;
  a.rel = 'noopener';
  a.style.display = 'none';
  document.body.append(a);
  a.click();
  a.remove();
  // The browser has taken the file once the click is handled; keep the URL a moment for slow ones.
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
}

export function downloadText(text: string, fileName: string, type: string): void {
  downloadBlob(new Blob([text], { type }), fileName);
}
