'use client';

import { useEffect, useRef, useState, type RefObject } from 'react';
import type { DownsampledGrid } from '@/lib/charts/bins';

/** Canvas margins in CSS pixels: room for the outlier marks at the left and top edges. */
export const ML = 9;
export const MT = 9;
export const MR = 2;
export const MB = 2;

function cssVar(el: Element, name: string, fallback: string): string {
  return getComputedStyle(el).getPropertyValue(name).trim() || fallback;
}

/**
 * Draws a heatmap's pixels on `canvasRef`'s canvas: the display grid scaled up without smoothing,
 * triangles at the edges for the marked rows and columns, and a two-tone outline round the active
 * block. Redraws on resize, device-pixel-ratio and colour-theme changes.
 */
export function useHeatmapCanvas(
  canvasRef: RefObject<HTMLCanvasElement | null>,
  enabled: boolean,
  grid: DownsampledGrid | null,
  pixels: Uint8ClampedArray<ArrayBuffer> | null,
  active: { row: number; col: number } | null,
  rows: number,
  cols: number,
  markRows: number[] | undefined,
  markCols: number[] | undefined,
): void {
  const offRef = useRef<{ pixels: Uint8ClampedArray<ArrayBuffer>; canvas: HTMLCanvasElement } | null>(null);
  const [size, setSize] = useState<{ w: number; h: number; dpr: number } | null>(null);
  const [theme, setTheme] = useState(0);
  const valid = enabled;

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
  }, [canvasRef, valid]);

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
  }, [canvasRef, grid, pixels, size, theme, active, markRows, markCols, rows, cols]);

}
