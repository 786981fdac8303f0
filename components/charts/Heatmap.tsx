'use client';

import { useEffect, useMemo, useRef, useState, type KeyboardEvent, type PointerEvent } from 'react';
import { scaleSequentialLog } from 'd3-scale';
import { interpolateViridis } from 'd3-scale-chromatic';
import { shortNumber } from '@/lib/formats/display';
import { blockRange, downsampleGrid, extentOf, logAxisTicks } from '@/lib/charts/bins';
import { useSvgId } from './ValueHistogram';

/*
 * A heatmap of one value per matrix cell (e.g. per-group MSE), drawn on a <canvas> because it can
 * hold thousands of pixels and is redrawn while a slider moves. The grid is block-averaged to at
 * most maxDisplayRows x maxDisplayCols pixels (lib/charts/bins), coloured through a 256-entry
 * lookup table of a sequential log scale (viridis), and scaled up without smoothing. The legend is
 * SVG with numbers; hover and keyboard reading give each cell's value in text, so colour is never
 * the only way to read it.
 */

/** Canvas margins in CSS pixels: room for the outlier marks at the left and top edges. */
const ML = 9;
const MT = 9;
const MR = 2;
const MB = 2;
const LUT_SIZE = 256;

/** viridis as 256 RGB triples; interpolateViridis returns "#rrggbb". */
const LUT: Uint8ClampedArray = (() => {
  const lut = new Uint8ClampedArray(LUT_SIZE * 3);
  for (let i = 0; i < LUT_SIZE; i++) {
    const hex = interpolateViridis(i / (LUT_SIZE - 1));
    lut[i * 3] = parseInt(hex.slice(1, 3), 16);
    lut[i * 3 + 1] = parseInt(hex.slice(3, 5), 16);
    lut[i * 3 + 2] = parseInt(hex.slice(5, 7), 16);
  }
  return lut;
})();

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

const NAV_KEYS = new Set(['ArrowUp', 'ArrowDown', 'ArrowLeft', 'ArrowRight', 'PageUp', 'PageDown', 'Home', 'End', 'Escape']);

const defaultFormat = (v: number) => shortNumber(v, 3);

function cssVar(el: Element, name: string, fallback: string): string {
  return getComputedStyle(el).getPropertyValue(name).trim() || fallback;
}

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
  const offRef = useRef<{ pixels: Uint8ClampedArray; canvas: HTMLCanvasElement } | null>(null);
  const gradientId = useSvgId('hm-grad');
  const hintId = useSvgId('hm-hint');
  const [size, setSize] = useState<{ w: number; h: number; dpr: number } | null>(null);
  const [theme, setTheme] = useState(0);
  const [cell, setCell] = useState<Cell | null>(null);

  const valid = Number.isInteger(rows) && Number.isInteger(cols) && rows > 0 && cols > 0 && values.length === rows * cols;

  const grid = useMemo(
    () => (valid ? downsampleGrid(values, rows, cols, maxDisplayRows, maxDisplayCols) : null),
    [valid, values, rows, cols, maxDisplayRows, maxDisplayCols],
  );
  const raw = useMemo(() => extentOf(values), [values]);
  const shown = useMemo(() => (grid ? extentOf(grid.values) : null), [grid]);

  // Colour domain: the positive range of the drawn (block-mean) values.
  const domain = useMemo<[number, number] | null>(() => {
    if (!shown || !(shown.minPositive > 0)) return null;
    const a = shown.minPositive;
    const b = Math.max(a, shown.max);
    return b > a ? [a, b] : [a / 2, a * 2];
  }, [shown]);

  // RGBA pixels of the display grid; NaN blocks stay transparent (the canvas background shows).
  const pixels = useMemo(() => {
    if (!grid) return null;
    const px = new Uint8ClampedArray(grid.rows * grid.cols * 4);
    const t = domain ? scaleSequentialLog().domain(domain).clamp(true) : null;
    for (let k = 0; k < grid.values.length; k++) {
      const v = grid.values[k];
      if (Number.isNaN(v)) continue;
      const u = t && v > 0 ? t(v) : 0;
      const j = Math.max(0, Math.min(LUT_SIZE - 1, Math.round(u * (LUT_SIZE - 1)))) * 3;
      px[k * 4] = LUT[j];
      px[k * 4 + 1] = LUT[j + 1];
      px[k * 4 + 2] = LUT[j + 2];
      px[k * 4 + 3] = 255;
    }
    return px;
  }, [grid, domain]);

  // Track the canvas's CSS size and the device pixel ratio, and the colour theme.
  useEffect(() => {
    const canvas = canvasRef.current;
    if (!canvas) return;
    const measure = () => {
      const r = canvas.getBoundingClientRect();
      const dpr = window.devicePixelRatio || 1;
      setSize((s) => (s && s.w === r.width && s.h === r.height && s.dpr === dpr ? s : { w: r.width, h: r.height, dpr }));
    };
    measure();
    const ro = new ResizeObserver(measure);
    ro.observe(canvas);
    const dark = window.matchMedia('(prefers-color-scheme: dark)');
    const onTheme = () => setTheme((n) => n + 1);
    dark.addEventListener('change', onTheme);
    return () => {
      ro.disconnect();
      dark.removeEventListener('change', onTheme);
    };
  }, [valid]);

  const block = grid ? { r: grid.blockRows, c: grid.blockCols } : { r: 1, c: 1 };
  const active = cell && cell.row < rows && cell.col < cols ? cell : null;

  // Draw: the pixel grid scaled up without smoothing, the outlier marks, the highlighted block.
  useEffect(() => {
    const canvas = canvasRef.current;
    if (!canvas || !grid || !pixels || !size || size.w <= 0 || size.h <= 0) return;
    const W = Math.round(size.w * size.dpr);
    const H = Math.round(size.h * size.dpr);
    if (canvas.width !== W) canvas.width = W;
    if (canvas.height !== H) canvas.height = H;
    const ctx = canvas.getContext('2d');
    if (!ctx) return;
    // The pixel grid at its own size, rebuilt only when the pixels change (not on hover or resize).
    let off = offRef.current?.pixels === pixels ? offRef.current.canvas : null;
    if (!off) {
      off = document.createElement('canvas');
      off.width = grid.cols;
      off.height = grid.rows;
      const octx = off.getContext('2d');
      if (!octx) return;
      octx.putImageData(new ImageData(pixels, grid.cols, grid.rows), 0, 0);
      offRef.current = { pixels, canvas: off };
    }

    ctx.setTransform(size.dpr, 0, 0, size.dpr, 0, 0);
    ctx.clearRect(0, 0, size.w, size.h);
    const pw = size.w - ML - MR;
    const ph = size.h - MT - MB;
    ctx.fillStyle = cssVar(canvas, '--bg-sunken', '#888');
    ctx.fillRect(ML, MT, pw, ph);
    ctx.imageSmoothingEnabled = false;
    ctx.drawImage(off, ML, MT, pw, ph);

    const fg = cssVar(canvas, '--fg', '#000');
    const bg = cssVar(canvas, '--bg', '#fff');
    ctx.fillStyle = fg;
    for (const r of markRows ?? []) {
      if (!(r >= 0 && r < rows)) continue;
      const y = MT + ((r + 0.5) / rows) * ph;
      ctx.beginPath();
      ctx.moveTo(ML - 1, y);
      ctx.lineTo(0, y - 3.5);
      ctx.lineTo(0, y + 3.5);
      ctx.fill();
    }
    for (const c of markCols ?? []) {
      if (!(c >= 0 && c < cols)) continue;
      const x = ML + ((c + 0.5) / cols) * pw;
      ctx.beginPath();
      ctx.moveTo(x, MT - 1);
      ctx.lineTo(x - 3.5, 0);
      ctx.lineTo(x + 3.5, 0);
      ctx.fill();
    }

    if (active) {
      const br = Math.floor(active.row / grid.blockRows);
      const bc = Math.floor(active.col / grid.blockCols);
      const x0 = ML + (bc / grid.cols) * pw;
      const y0 = MT + (br / grid.rows) * ph;
      const w = pw / grid.cols;
      const h = ph / grid.rows;
      // A dark and a light outline, so the highlight shows on every colour of the map.
      ctx.lineWidth = 3;
      ctx.strokeStyle = bg;
      ctx.strokeRect(x0 - 1, y0 - 1, w + 2, h + 2);
      ctx.lineWidth = 1.5;
      ctx.strokeStyle = fg;
      ctx.strokeRect(x0 - 1, y0 - 1, w + 2, h + 2);
    }
  }, [grid, pixels, size, theme, active, markRows, markCols, rows, cols]);

  const fmtV = formatValue;
  const cellValue = (r: number, c: number) => values[r * cols + c];
  const describe = (r: number, c: number) => {
    const own = describeCell ? describeCell(r, c) : `row ${r}, cell ${c}: ${valueLabel} ${fmtV(cellValue(r, c))}`;
    if (!grid || (grid.blockRows === 1 && grid.blockCols === 1)) return own;
    const br = Math.floor(r / grid.blockRows);
    const bc = Math.floor(c / grid.blockCols);
    const [r0, r1] = blockRange(br, grid.blockRows, rows);
    const [c0, c1] = blockRange(bc, grid.blockCols, cols);
    const span = (a: number, b: number, noun: string) => (b - a === 1 ? `${noun} ${a}` : `${noun}s ${a}–${b - 1}`);
    return `${own} · pixel (${span(r0, r1, 'row')}, ${span(c0, c1, 'cell')}) mean ${valueLabel} ${fmtV(grid.values[br * grid.cols + bc])}`;
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
    if (!valid || !NAV_KEYS.has(e.key)) return;
    e.preventDefault();
    const key = e.key;
    const toCorner = e.ctrlKey || e.metaKey;
    const br = block.r;
    const bc = block.c;
    const lastR = Math.floor((rows - 1) / br) * br;
    const lastC = Math.floor((cols - 1) / bc) * bc;
    const page = 8;
    setCell((s) => {
      if (key === 'Escape') return null;
      const live = s && s.row < rows && s.col < cols ? s : null;
      if (!live && key.startsWith('Arrow')) return { row: 0, col: 0, via: 'key' };
      const cur = live ?? { row: 0, col: 0 };
      // Move by one display pixel (a block of cells), landing on the block's first cell.
      const r0 = Math.floor(cur.row / br) * br;
      const c0 = Math.floor(cur.col / bc) * bc;
      let row = r0;
      let col = c0;
      if (key === 'ArrowUp') row = Math.max(0, r0 - br);
      else if (key === 'ArrowDown') row = Math.min(lastR, r0 + br);
      else if (key === 'ArrowLeft') col = Math.max(0, c0 - bc);
      else if (key === 'ArrowRight') col = Math.min(lastC, c0 + bc);
      else if (key === 'PageUp') row = Math.max(0, r0 - page * br);
      else if (key === 'PageDown') row = Math.min(lastR, r0 + page * br);
      else if (key === 'Home') [row, col] = toCorner ? [0, 0] : [r0, 0];
      else if (key === 'End') [row, col] = toCorner ? [lastR, lastC] : [r0, lastC];
      return { row, col, via: 'key' };
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
  const cellsPerPixel = grid.blockRows * grid.blockCols;
  const ticks = domain ? logAxisTicks(domain[0], domain[1], 5) : [];
  const legendScale = domain ? scaleSequentialLog(interpolateViridis).domain(domain) : null;
  const L0 = 16;
  const L1 = 624;
  const lx = (v: number) => (domain ? L0 + ((Math.log(v) - Math.log(domain[0])) / (Math.log(domain[1]) - Math.log(domain[0]))) * (L1 - L0) : L0);
  const stops = Array.from({ length: 11 }, (_, i) => i / 10);

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
      <svg className="lab-heatmap-legend" viewBox="0 0 640 50" aria-hidden="true">
        <defs>
          <linearGradient id={gradientId} x1="0" x2="1" y1="0" y2="0">
            {stops.map((t) => (
              <stop key={t} offset={t} stopColor={interpolateViridis(t)} />
            ))}
          </linearGradient>
        </defs>
        <rect x={L0} y={4} width={L1 - L0} height={12} fill={legendScale ? `url(#${gradientId})` : interpolateViridis(0)} stroke="var(--border)" />
        {legendScale
          ? ticks.map((t) => (
              <g key={t} transform={`translate(${lx(t).toFixed(2)},0)`} className="axis">
                <line y1={16} y2={21} />
                <text y={32} textAnchor="middle">{fmtV(t)}</text>
              </g>
            ))
          : null}
        <text x={(L0 + L1) / 2} y={46} textAnchor="middle">
          {legendScale ? `${valueLabel} (log colour scale${shown && shown.nonPositive > 0 ? '; values ≤ 0 take the lowest colour' : ''})` : `${valueLabel}: every value is ≤ 0 or not finite`}
        </text>
      </svg>
      <p className="widget-caption lab-heatmap-caption">
        {cellsPerPixel === 1
          ? `Each pixel is one cell (${rows} × ${cols}).`
          : `Each pixel averages ${grid.blockRows} row${grid.blockRows === 1 ? '' : 's'} × ${grid.blockCols} cell${grid.blockCols === 1 ? '' : 's'} = ${cellsPerPixel} cells (${rows} × ${cols} cells drawn as ${grid.rows} × ${grid.cols} pixels).`}
        {(markRows?.length ?? 0) + (markCols?.length ?? 0) > 0 ? ' Triangles at the left and top edges mark known outlier rows and columns.' : ''}
        {raw.nonFinite > 0 ? ` ${raw.nonFinite} cell${raw.nonFinite === 1 ? ' is' : 's are'} not finite; a pixel with no finite cell is left blank.` : ''}
      </p>
      <span id={hintId} className="visually-hidden">
        Arrow keys move a highlighted pixel; Home and End jump to the start and end of the row, with Control to the first and last cell. The reading appears above the map.
      </span>
      <span className="visually-hidden" aria-live="polite">{active?.via === 'key' ? describe(active.row, active.col) : ''}</span>
    </figure>
  );
}
