/**
 * Pure parts of exporting a chart as a stand-alone SVG file: which CSS properties are copied from
 * the page's computed styles onto each element (so the file needs neither the site's style sheets
 * nor its CSS variables), how they are written, and the file's text.
 */

/**
 * The properties that decide how an SVG chart looks: paint, strokes, text and visibility. Computed
 * values are what the browser resolved (a `var(--chart-1)` is already a colour), so copying them
 * makes the drawing independent of the page's style sheets and theme.
 */
export const SVG_STYLE_PROPERTIES = [
  'fill', 'fill-opacity', 'fill-rule',
  'stroke', 'stroke-width', 'stroke-opacity', 'stroke-dasharray', 'stroke-dashoffset', 'stroke-linecap', 'stroke-linejoin',
  'opacity', 'visibility', 'display',
  'font-family', 'font-size', 'font-weight', 'font-style', 'font-variant-numeric',
  'text-anchor', 'dominant-baseline', 'letter-spacing',
  'stop-color', 'stop-opacity',
  'shape-rendering', 'paint-order',
] as const;

/**
 * The listed properties that are not inherited (CSS Masking / SVG 2 property tables), with their
 * initial values: the others pass from parent to child, so a child repeats them only where they
 * differ from its parent's.
 */
export const NOT_INHERITED: Readonly<Record<string, string>> = {
  opacity: '1',
  display: 'inline',
  'stop-color': 'rgb(0, 0, 0)',
  'stop-opacity': '1',
};

/**
 * The style an element needs in a stand-alone copy: each inherited property whose computed value
 * differs from its parent's (all of them on the root, `parent` null), each non-inherited one whose
 * value differs from its initial value (`display` only when it is `none`: SVG draws by element, not
 * by box). This keeps the file close to what the page drew, without repeating every property on
 * every element. Written as `inlineStyleText` writes it.
 */
export function inlineStyleDiff(get: (property: string) => string, parent: ((property: string) => string) | null, properties: readonly string[] = SVG_STYLE_PROPERTIES): string {
  const keep = properties.filter((p) => {
    const v = get(p).trim();
    if (!v) return false;
    if (p === 'display') return v === 'none';
    if (p in NOT_INHERITED) return v !== NOT_INHERITED[p];
    return parent === null || parent(p).trim() !== v;
  });
  return inlineStyleText(get, keep);
}

/**
 * A `style` attribute's text from computed values: `prop: value` pairs for each property whose
 * value is not empty, joined by `; `. `get` reads one computed value (getComputedStyle's
 * getPropertyValue in the page). Double quotes in values (font names) become single quotes, since
 * the text goes into a double-quoted XML attribute.
 */
export function inlineStyleText(get: (property: string) => string, properties: readonly string[] = SVG_STYLE_PROPERTIES): string {
  const parts: string[] = [];
  for (const p of properties) {
    const v = get(p).trim();
    if (v) parts.push(`${p}: ${v.replace(/"/g, "'")}`);
  }
  return parts.join('; ');
}

/** The text of a stand-alone .svg file: the XML declaration, then the serialised <svg> element. */
export function svgFileText(svgMarkup: string): string {
  return `<?xml version="1.0" encoding="UTF-8"?>\n${svgMarkup}\n`;
}

/**
 * Pixel size of a raster export: the drawn size times `scale` (2 for a sharp image on high-density
 * screens and projectors), rounded, at least 1 pixel each way.
 */
export function rasterSize(width: number, height: number, scale = 2): { width: number; height: number } {
  const px = (v: number) => Math.max(1, Math.round((Number.isFinite(v) ? v : 0) * scale));
  return { width: px(width), height: px(height) };
}
