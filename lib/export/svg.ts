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
