'use client';

import { useMemo } from 'react';
import { scaleLinear } from 'd3-scale';
import { shortNumber } from '@/lib/formats/display';
import { countAxis, countPhrase } from '@/lib/charts/axes';
import { barsPath } from '@/lib/charts/paths';
import { HIST_WIDTH, HistogramFrame, ValueAxisView } from './HistogramFrame';
import { useBinReader, useSvgId } from './useBinReader';

const fmt = (x: number) => shortNumber(x, 4);

const HEIGHT = 232;
const M = { top: 34, right: 14, bottom: 38, left: 58 };
const PLOT_L = M.left;
const PLOT_R = HIST_WIDTH - M.right;
const PLOT_T = M.top;
const PLOT_B = HEIGHT - M.bottom;

export interface ErrorHistogramProps {
  /** Counts of the error x̂ − x in equal bins over [−range, range] (64 in the lab); the end bins also hold everything beyond. */
  counts: Uint32Array;
  range: number;
  /** Draws dashed lines at ±halfStep: the rounding error bound s/2. */
  halfStep?: number;
  /** Log-scaled count axis (counts + 1); default false. */
  logY?: boolean;
  /** aria-label of the svg. */
  title: string;
}

/**
 * Histogram of the quantization error x̂ − x. Rounding alone keeps every error inside ±s/2 (the
 * dashed lines); what lands in the end bins was clipped (or lies beyond the range shown), so those
 * bins are hatched and labelled. Point at it, or focus it and use the arrow keys, to read one bin.
 */
export function ErrorHistogram({ counts, range, halfStep, logY = false, title }: ErrorHistogramProps) {
  const hatchId = useSvgId('eh-hatch');
  const hintId = useSvgId('eh-hint');
  const n = counts.length;
  const r = Number.isFinite(range) && range > 0 ? range : 1;

  const { total, max } = useMemo(() => {
    let t = 0;
    let m = 0;
    for (let i = 0; i < counts.length; i++) {
      t += counts[i];
      if (counts[i] > m) m = counts[i];
    }
    return { total: t, max: m };
  }, [counts]);

  const x = useMemo(() => scaleLinear().domain([-r, r]).range([PLOT_L, PLOT_R]), [r]);
  const xTicks = useMemo(() => x.ticks(6), [x]);
  const axis = useMemo(() => countAxis(max, logY, PLOT_T, PLOT_B), [max, logY]);
  const edge = (i: number) => (i >= n ? r : -r + (2 * r * i) / n);
  const isEnd = (i: number) => n > 1 && (i === 0 || i === n - 1);

  const bars = useMemo(
    () => barsPath(counts, (i) => x(i >= n ? r : -r + (2 * r * i) / n), axis.y, PLOT_B, (i) => n > 1 && (i === 0 || i === n - 1)),
    [counts, x, axis, n, r],
  );
  const endBars = useMemo(() => {
    if (n < 2) return '';
    const only = new Uint32Array(n);
    only[0] = counts[0];
    only[n - 1] = counts[n - 1];
    return barsPath(only, (i) => x(i >= n ? r : -r + (2 * r * i) / n), axis.y, PLOT_B);
  }, [counts, x, axis, n, r]);

  const showHalf = halfStep !== undefined && Number.isFinite(halfStep) && halfStep > 0 && halfStep <= r;
  const hx0 = showHalf ? x(-halfStep) : 0;
  const hx1 = showHalf ? x(halfStep) : 0;
  const lowEnd = n > 1 && counts[0] > 0;
  const highEnd = n > 1 && counts[n - 1] > 0;

  const describe = (i: number) => {
    const a = edge(i);
    const b = edge(i + 1);
    let where: string;
    if (n > 1 && i === 0) where = `error < ${fmt(b)} (clipped and beyond)`;
    else if (n > 1 && i === n - 1) where = `error ≥ ${fmt(a)} (clipped and beyond)`;
    else where = `error in [${fmt(a)}, ${fmt(b)})`;
    let bound = '';
    if (showHalf && !isEnd(i)) {
      if (a >= -halfStep && b <= halfStep) bound = ' · inside ±s/2';
      else if (b <= -halfStep || a >= halfStep) bound = ' · outside ±s/2';
      else bound = ' · straddles s/2';
    }
    return `${where}: ${countPhrase(counts[i], total)}${bound}`;
  };

  const reader = useBinReader(counts, (vx) => {
    const v = x.invert(vx);
    if (!(v >= -r && v <= r) || n === 0) return -1;
    return Math.min(n - 1, Math.floor(((v + r) / (2 * r)) * n));
  }, HIST_WIDTH);
  const active = reader.active;

  return (
    <HistogramFrame
      testId="error-histogram"
      title={title}
      height={HEIGHT}
      reader={reader}
      hoverText={active === null ? null : describe(active)}
      hatchId={hatchId}
      hintId={hintId}
      axis={axis}
      plot={{ left: PLOT_L, right: PLOT_R, top: PLOT_T, bottom: PLOT_B }}
      legend={
        <>
        <span><i className="lab-swatch lab-swatch-bar" aria-hidden="true" /> weights per bin{logY ? ' (log scale)' : ''}</span>
        {showHalf ? <span><i className="lab-swatch lab-swatch-dash" aria-hidden="true" /> ±s/2 = ±{fmt(halfStep)}: the most rounding alone can err</span> : null}
        {lowEnd || highEnd ? <span><i className="lab-swatch lab-swatch-hatch" aria-hidden="true" /> end bins: clipped and beyond ±{fmt(r)}</span> : null}
        </>
      }
      hint={`Histogram of the error of ${total} weights in ${n} bins from ${fmt(-r)} to ${fmt(r)}. Arrow keys move between bins; Home and End jump to the ends.`}
      liveText={reader.viaKey && active !== null ? describe(active) : ''}
    >
        {active !== null ? (
          <rect className="lab-active-bin" x={x(edge(active))} width={Math.max(1.5, x(edge(active + 1)) - x(edge(active)))} y={PLOT_T} height={PLOT_B - PLOT_T} />
        ) : null}
        <path className="lab-bars" d={bars} />
        <path className="lab-bars-clipped" d={endBars} fill={`url(#${hatchId})`} />
        <line className="lab-zero" x1={x(0)} x2={x(0)} y1={PLOT_T} y2={PLOT_B} />
        {showHalf ? (
          <g className="lab-half-step">
            <line x1={hx0} x2={hx0} y1={PLOT_T - 10} y2={PLOT_B} />
            <line x1={hx1} x2={hx1} y1={PLOT_T - 10} y2={PLOT_B} />
            <line className="lab-dimension" x1={hx0} x2={hx1} y1={PLOT_T - 10} y2={PLOT_T - 10} />
            <text x={(hx0 + hx1) / 2} y={PLOT_T - 15} textAnchor="middle">±s/2</text>
          </g>
        ) : null}
        {lowEnd ? <text className="lab-end-label" x={PLOT_L + 2} y={PLOT_T + 10}>← clipped and beyond</text> : null}
        {highEnd ? <text className="lab-end-label" x={PLOT_R - 2} y={PLOT_T + 10} textAnchor="end">clipped and beyond →</text> : null}
        <line className="lab-baseline" x1={PLOT_L} x2={PLOT_R} y1={PLOT_B} y2={PLOT_B} />
        <ValueAxisView ticks={xTicks} x={x} bottom={PLOT_B} label="error x̂ − x" labelX={(PLOT_L + PLOT_R) / 2} />
    </HistogramFrame>
  );
}
