'use client';

import { useMemo, useRef, useState, type KeyboardEvent, type PointerEvent } from 'react';
import { shortNumber } from '@/lib/formats/display';
import { downsampleGrid, extentOf } from '@/lib/charts/bins';
import { colourDomain, describeHeatmapBlock, heatmapCaption, heatmapPixels } from '@/lib/charts/heatmap';
import { BIN_KEYS, nextCell } from '@/lib/charts/navigation';
import { HeatmapLegend } from './HeatmapLegend';
import { MB, ML, MR, MT, useHeatmapCanvas } from './useHeatmapCanvas';
import { useSvgId } from './useBinReader';

/*
 * A heatmap of one value per matrix cell (e.g. per-group MSE), drawn on a <canvas> because it can
 * hold thousands of pixels and is redrawn while a slider moves. The grid is block-averaged to at
 * most maxDisplayRows x maxDisplayCols pixels (lib/charts/bins), coloured through a 256-entry
 * lookup table of a sequential log scale (viridis), and scaled up without smoothing. The legend is
 * SVG with numbers; hover and keyboard reading give each cell's value in text, so colour is never
 * the only way to read it.
 */

export interface HeatmapProps {
  /** Row-major values, e.g. the per-cell MSE of a weight matrix. */
  values: Float32Array;
  /** Matrix rows, and cells per row. */
  rows: number;
  cols: number;
  /** Blocks of cells are averaged into one pixel beyond these sizes; defaults 128 and 64. */
  maxDisplayRows?: number;
  maxDisplayCols?: number;
  /** Axis labels, e.g. "output channel (row)" and "columns 0–63, 64–127, …". */
  rowLabel: string;
  colLabel: string;
  /** What a value is, e.g. "MSE". */
  valueLabel: string;
  formatValue?: (v: number) => string;
  /** Hover text for a matrix cell, e.g. "row 12, columns 64–127: MSE 3.1e-7". */
  describeCell?: (row: number, col: number) => string;
  /** Known outlier rows / columns (cell coordinates), marked by small ticks at the edges. */
  markRows?: number[];
  markCols?: number[];
  /** Width / height of the drawn grid; default cols / rows of the display grid, kept within [4/3, 4]. */
  aspect?: number;
  title: string;
}

interface Cell {
  row: number;
  col: number;
  via: 'pointer' | 'key';
}

const defaultFormat = (v: number) => shortNumber(v, 3);

export function Heatmap({
  values,
  rows,
  cols,
  maxDisplayRows = 128,
  maxDisplayCols = 64,
  rowLabel,
  colLabel,
  valueLabel,
  formatValue = defaultFormat,
  describeCell,
  markRows,
  markCols,
  aspect,
  title,
}: HeatmapProps) {
  const canvasRef = useRef<HTMLCanvasElement>(null);
  const hintId = useSvgId('hm-hint');
  const [cell, setCell] = useState<Cell | null>(null);

  const valid = Number.isInteger(rows) && Number.isInteger(cols) && rows > 0 && cols > 0 && values.length === rows * cols;

  const grid = useMemo(
    () => (valid ? downsampleGrid(values, rows, cols, maxDisplayRows, maxDisplayCols) : null),
    [valid, values, rows, cols, maxDisplayRows, maxDisplayCols],
  );
  const raw = useMemo(() => extentOf(values), [values]);
  const shown = useMemo(() => (grid ? extentOf(grid.values) : null), [grid]);

  // Colour domain: the positive range of the drawn (block-mean) values.
  const domain = useMemo(() => colourDomain(shown), [shown]);
  // RGBA pixels of the display grid; NaN blocks stay transparent (the canvas background shows).
  const pixels = useMemo(() => (grid ? heatmapPixels(grid, domain) : null), [grid, domain]);

  const block = grid ? { r: grid.blockRows, c: grid.blockCols } : { r: 1, c: 1 };
  const active = cell && cell.row < rows && cell.col < cols ? cell : null;
  useHeatmapCanvas(canvasRef, valid, grid, pixels, active, rows, cols, markRows, markCols);

  const fmtV = formatValue;
  const cellValue = (r: number, c: number) => values[r * cols + c];
  const describe = (r: number, c: number) => {
    const own = describeCell ? describeCell(r, c) : `row ${r}, cell ${c}: ${valueLabel} ${fmtV(cellValue(r, c))}`;
    return grid ? describeHeatmapBlock(own, r, c, grid, rows, cols, valueLabel, fmtV) : own;
  };

  const onPointerMove = (e: PointerEvent<HTMLCanvasElement>) => {
    const rect = e.currentTarget.getBoundingClientRect();
    const fx = (e.clientX - rect.left - ML) / (rect.width - ML - MR);
    const fy = (e.clientY - rect.top - MT) / (rect.height - MT - MB);
    if (!(fx >= 0 && fx < 1 && fy >= 0 && fy < 1)) {
      setCell((s) => (s?.via === 'pointer' ? null : s));
      return;
    }
    const row = Math.min(rows - 1, Math.floor(fy * rows));
    const col = Math.min(cols - 1, Math.floor(fx * cols));
    setCell((s) => (s && s.row === row && s.col === col && s.via === 'pointer' ? s : { row, col, via: 'pointer' }));
  };

  const onKeyDown = (e: KeyboardEvent<HTMLCanvasElement>) => {
    if (!valid || !BIN_KEYS.has(e.key)) return;
    e.preventDefault();
    const { key } = e;
    const toCorner = e.ctrlKey || e.metaKey;
    setCell((s) => {
      const next = nextCell(key, s, { rows, cols, blockRows: block.r, blockCols: block.c }, toCorner);
      return next ? { ...next, via: 'key' } : null;
    });
  };

  if (!valid || !grid) {
    return (
      <figure className="chart lab-chart lab-heatmap" data-testid="heatmap" style={{ margin: 0 }}>
        <p className="error-message" role="alert">
          {title}: cannot draw {values.length} values as a {rows} × {cols} grid.
        </p>
      </figure>
    );
  }

  const a = aspect && aspect > 0 && Number.isFinite(aspect) ? aspect : Math.min(4, Math.max(4 / 3, grid.cols / grid.rows));
  const summary =
    raw.nonFinite === values.length
      ? 'no finite values'
      : `${rows} × ${cols} cells, ${valueLabel} from ${fmtV(raw.min)} (min) to ${fmtV(raw.max)} (max)`;
  return (
    <figure className="chart lab-chart lab-heatmap" data-testid="heatmap" style={{ margin: 0 }}>
      <p className="lab-chart-hover" data-testid="heatmap-hover" data-empty={active ? undefined : 'true'}>
        {active ? describe(active.row, active.col) : 'Point at the map, or focus it and use the arrow keys, to read a cell.'}
      </p>
      <div className="lab-heatmap-frame">
        <span className="lab-heatmap-rowlabel">{rowLabel} ↓</span>
        <div className="lab-heatmap-plot">
          <span className="lab-heatmap-collabel">{colLabel} →</span>
          <canvas
            ref={canvasRef}
            role="img"
            aria-label={`${title}. ${summary}.`}
            aria-describedby={hintId}
            tabIndex={0}
            style={{ width: '100%', aspectRatio: String(a) }}
            onPointerMove={onPointerMove}
            onPointerDown={onPointerMove}
            onPointerLeave={() => setCell((s) => (s?.via === 'pointer' ? null : s))}
            onBlur={() => setCell((s) => (s?.via === 'key' ? null : s))}
            onKeyDown={onKeyDown}
          />
        </div>
      </div>
      <HeatmapLegend domain={domain} valueLabel={valueLabel} format={fmtV} nonPositive={shown ? shown.nonPositive : 0} />
      <p className="widget-caption lab-heatmap-caption">
        {heatmapCaption(rows, cols, grid, (markRows?.length ?? 0) + (markCols?.length ?? 0), raw.nonFinite)}
      </p>
      <span id={hintId} className="visually-hidden">
        Arrow keys move a highlighted pixel; Home and End jump to the start and end of the row, with Control to the first and last cell. The reading appears above the map.
      </span>
      <span className="visually-hidden" aria-live="polite">{active?.via === 'key' ? describe(active.row, active.col) : ''}</span>
    </figure>
  );
}
