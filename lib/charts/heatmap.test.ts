import { describe, expect, it } from 'vitest';
import { colourDomain, describeHeatmapBlock, heatmapCaption, heatmapPixels, VIRIDIS_LUT } from './heatmap';

describe('colourDomain', () => {
  it('spans the positive values; a single positive value gets a decade-wide band; none gives null', () => {
    expect(colourDomain({ min: -1, max: 8, minPositive: 2, nonPositive: 1, nonFinite: 0 })).toEqual([2, 8]);
    expect(colourDomain({ min: 3, max: 3, minPositive: 3, nonPositive: 0, nonFinite: 0 })).toEqual([1.5, 6]);
    expect(colourDomain({ min: -1, max: 0, minPositive: NaN, nonPositive: 2, nonFinite: 0 })).toBeNull();
    expect(colourDomain(null)).toBeNull();
  });
});

describe('heatmapPixels', () => {
  it('maps the domain ends to the ends of viridis, log in between; NaN stays transparent', () => {
    const px = heatmapPixels({ values: Float32Array.from([1, 10, 1000, NaN, -5]), rows: 1, cols: 5 }, [1, 1000]);
    const rgb = (k: number) => Array.from(px.slice(k * 4, k * 4 + 3));
    expect(rgb(0)).toEqual(Array.from(VIRIDIS_LUT.slice(0, 3)));
    expect(rgb(2)).toEqual(Array.from(VIRIDIS_LUT.slice(255 * 3, 255 * 3 + 3)));
    // 10 is a third of the way on a log scale from 1 to 1000: entry round(255 / 3) = 85.
    expect(rgb(1)).toEqual(Array.from(VIRIDIS_LUT.slice(85 * 3, 85 * 3 + 3)));
    expect(px[3 * 4 + 3]).toBe(0);
    expect(rgb(4)).toEqual(Array.from(VIRIDIS_LUT.slice(0, 3)));
    expect(px[4 * 4 + 3]).toBe(255);
  });
  it('viridis starts dark purple (#440154) and ends yellow (#fde725)', () => {
    expect(Array.from(VIRIDIS_LUT.slice(0, 3))).toEqual([0x44, 0x01, 0x54]);
    expect(Array.from(VIRIDIS_LUT.slice(765, 768))).toEqual([0xfd, 0xe7, 0x25]);
  });
});

describe('heatmap text', () => {
  const grid = { values: Float32Array.from([1, 2, 3, 4]), rows: 2, cols: 2, blockRows: 2, blockCols: 3 };
  it('adds the pixel a cell belongs to when a pixel averages several cells', () => {
    expect(describeHeatmapBlock('own', 3, 4, grid, 4, 5, 'MSE', String)).toBe('own · pixel (rows 2–3, cells 3–4) mean MSE 4');
    expect(describeHeatmapBlock('own', 0, 0, { ...grid, blockRows: 1, blockCols: 1 }, 2, 2, 'MSE', String)).toBe('own');
  });
  it('captions the averaging, the marks and the non-finite cells', () => {
    expect(heatmapCaption(4, 5, grid, 0, 0)).toBe('Each pixel averages 2 rows × 3 cells = 6 cells (4 × 5 cells drawn as 2 × 2 pixels).');
    expect(heatmapCaption(2, 2, { ...grid, blockRows: 1, blockCols: 1 }, 2, 1)).toBe('Each pixel is one cell (2 × 2). Triangles at the left and top edges mark known outlier rows and columns. 1 cell is not finite; a pixel with no finite cell is left blank.');
  });
});
