/**
 * The numbers behind the heatmap chart (components/charts/Heatmap.tsx): its colour domain, the
 * RGBA pixels of a block-averaged grid through a 256-entry viridis lookup table on a sequential
 * log scale, and the text a reader hears for a cell. Pure, unit-tested; the component only draws.
 */
import { scaleSequentialLog } from 'd3-scale';
import { interpolateViridis } from 'd3-scale-chromatic';
import { blockRange, type DownsampledGrid, type Extent } from './bins';

export const LUT_SIZE = 256;

/** viridis as 256 RGB triples (d3's interpolateViridis at i/255, parsed from "#rrggbb"). */
export const VIRIDIS_LUT: Uint8ClampedArray = (() => {
  const lut = new Uint8ClampedArray(LUT_SIZE * 3);
  for (let i = 0; i < LUT_SIZE; i++) {
    const hex = interpolateViridis(i / (LUT_SIZE - 1));
    lut[i * 3] = parseInt(hex.slice(1, 3), 16);
    lut[i * 3 + 1] = parseInt(hex.slice(3, 5), 16);
    lut[i * 3 + 2] = parseInt(hex.slice(5, 7), 16);
  }
  return lut;
})();

/**
 * The log colour domain of the drawn values: [smallest positive, max], or [a/2, 2a] when every
 * positive value is the same a; null when no value is positive.
 */
export function colourDomain(shown: Extent | null): [number, number] | null {
  if (!shown || !(shown.minPositive > 0)) return null;
  const a = shown.minPositive;
  const b = Math.max(a, shown.max);
  return b > a ? [a, b] : [a / 2, a * 2];
}

/**
 * RGBA pixels of a display grid: value v > 0 maps through the clamped sequential log scale over
 * `domain` to LUT entry round(t(v) · 255); values ≤ 0 (or every value, with no domain) take the
 * lowest colour; NaN stays transparent (alpha 0) so the background shows.
 */
export function heatmapPixels(grid: Pick<DownsampledGrid, 'values' | 'rows' | 'cols'>, domain: [number, number] | null): Uint8ClampedArray<ArrayBuffer> {
  const px = new Uint8ClampedArray(grid.rows * grid.cols * 4);
  const t = domain ? scaleSequentialLog().domain(domain).clamp(true) : null;
  for (let k = 0; k < grid.values.length; k++) {
    const v = grid.values[k];
    if (Number.isNaN(v)) continue;
    const u = t && v > 0 ? t(v) : 0;
    const j = Math.max(0, Math.min(LUT_SIZE - 1, Math.round(u * (LUT_SIZE - 1)))) * 3;
    px[k * 4] = VIRIDIS_LUT[j];
    px[k * 4 + 1] = VIRIDIS_LUT[j + 1];
    px[k * 4 + 2] = VIRIDIS_LUT[j + 2];
    px[k * 4 + 3] = 255;
  }
  return px;
}

/**
 * What a reader hears for cell (r, c): `own` (the cell's own description), and when a pixel
 * averages several cells, the pixel's extent and mean, e.g.
 * "… · pixel (rows 0–3, cells 0–1) mean MSE 1.2e-6".
 */
export function describeHeatmapBlock(
  own: string,
  r: number,
  c: number,
  grid: Pick<DownsampledGrid, 'values' | 'cols' | 'blockRows' | 'blockCols'>,
  rows: number,
  cols: number,
  valueLabel: string,
  format: (v: number) => string,
): string {
  if (grid.blockRows === 1 && grid.blockCols === 1) return own;
  const br = Math.floor(r / grid.blockRows);
  const bc = Math.floor(c / grid.blockCols);
  const [r0, r1] = blockRange(br, grid.blockRows, rows);
  const [c0, c1] = blockRange(bc, grid.blockCols, cols);
  const span = (a: number, b: number, noun: string) => (b - a === 1 ? `${noun} ${a}` : `${noun}s ${a}–${b - 1}`);
  return `${own} · pixel (${span(r0, r1, 'row')}, ${span(c0, c1, 'cell')}) mean ${valueLabel} ${format(grid.values[br * grid.cols + bc])}`;
}

/**
 * The caption under a heatmap: how many cells a pixel averages, whether outlier marks are drawn,
 * and how many cells are not finite.
 */
export function heatmapCaption(rows: number, cols: number, grid: Pick<DownsampledGrid, 'rows' | 'cols' | 'blockRows' | 'blockCols'>, marks: number, nonFinite: number): string {
  const perPixel = grid.blockRows * grid.blockCols;
  let s = perPixel === 1
    ? `Each pixel is one cell (${rows} × ${cols}).`
    : `Each pixel averages ${grid.blockRows} row${grid.blockRows === 1 ? '' : 's'} × ${grid.blockCols} cell${grid.blockCols === 1 ? '' : 's'} = ${perPixel} cells (${rows} × ${cols} cells drawn as ${grid.rows} × ${grid.cols} pixels).`;
  if (marks > 0) s += ' Triangles at the left and top edges mark known outlier rows and columns.';
  if (nonFinite > 0) s += ` ${nonFinite} cell${nonFinite === 1 ? ' is' : 's are'} not finite; a pixel with no finite cell is left blank.`;
  return s;
}
