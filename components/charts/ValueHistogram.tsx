'use client';

import { useId, useMemo, useState, type KeyboardEvent, type PointerEvent, type ReactNode } from 'react';
import { scaleLinear, scaleLog } from 'd3-scale';
import { shortNumber } from '@/lib/formats/display';
import { binEdge, mergeBins, mergedBinIndex } from '@/lib/charts/bins';

/*
 * The lab's value histogram, plus the small pieces it shares with ErrorHistogram: a count axis
 * (linear or log of count + 1), all bars as one <path>, and pointer/keyboard reading of one bin.
 * React owns the DOM; d3 supplies only the scales and ticks (docs/design.md rule 5). Everything derived
 * from the data is memoised, and the node count stays small (one path for the bars, one for the
 * grid levels), because the lab redraws while a slider is dragged.
 */

export const HIST_WIDTH = 640;

const compact = new Intl.NumberFormat('en-US', { notation: 'compact', maximumSignificantDigits: 3 });
const whole = new Intl.NumberFormat('en-US');

/** "12.3K": a count on an axis. */
export function formatCount(n: number): string {
  return compact.format(n);
}

/** "1,234 weights (0.12%)": a bin's count and its share of all. */
export function countPhrase(count: number, total: number, noun = 'weights'): string {
  const pct = total > 0 ? (100 * count) / total : 0;
  const share = pct === 0 ? '0%' : pct < 0.01 ? '<0.01%' : `${shortNumber(pct, 3)}%`;
  return `${whole.format(count)} ${count === 1 ? noun.replace(/s$/, '') : noun} (${share})`;
}

/** A value in a hover line or on an axis: four significant digits, a real minus sign. */
export function fmt(x: number, digits = 4): string {
  return shortNumber(x, digits);
}

export interface CountAxis {
  /** y position (viewBox units) of the top of a bar holding `count`. */
  y: (count: number) => number;
  ticks: number[];
}

/**
 * The count axis from `bottom` (count 0) up to `top`: linear and niced, or logarithmic in
 * count + 1 so that empty bins sit on the baseline and a single weight still shows.
 */
export function countAxis(max: number, logY: boolean, top: number, bottom: number): CountAxis {
  const m = Math.max(1, max);
  if (logY) {
    const s = scaleLog().domain([1, m + 1]).range([bottom, top]);
    const decades: number[] = [];
    for (let p = m >= 10 ? 10 : 1; p <= m; p *= 10) decades.push(p);
    const step = Math.ceil(decades.length / 4);
    const ticks = [0, ...decades.filter((_, i) => (decades.length - 1 - i) % step === 0)];
    return { y: (c) => s(c + 1), ticks };
  }
  const s = scaleLinear().domain([0, m]).nice(4).range([bottom, top]);
  return { y: (c) => s(c), ticks: s.ticks(4).filter((t) => Number.isInteger(t)) };
}

/**
 * One SVG path holding a bar per bin: bin i spans x from xAt(i) to xAt(i + 1). Empty bins and
 * bins for which `skip(i)` holds are left out; a non-empty bin is at least one unit tall so that a
 * lone outlier stays visible.
 */
export function barsPath(
  counts: ArrayLike<number>,
  xAt: (edge: number) => number,
  y: (count: number) => number,
  baseline: number,
  skip?: (i: number) => boolean,
): string {
  let d = '';
  for (let i = 0; i < counts.length; i++) {
    const c = counts[i];
    if (!(c > 0) || skip?.(i)) continue;
    let x0 = xAt(i);
    let x1 = xAt(i + 1);
    if (x1 - x0 > 2.5) {
      x0 += 0.4;
      x1 -= 0.4;
    } else if (x1 - x0 < 1.5) {
      const mid = (x0 + x1) / 2;
      x0 = mid - 0.75;
      x1 = mid + 0.75;
    }
    const top = Math.min(baseline - 1, y(c));
    d += `M${x0.toFixed(2)},${baseline}V${top.toFixed(2)}H${x1.toFixed(2)}V${baseline}Z`;
  }
  return d;
}

/** A useId() value usable inside url(#…) references. */
export function useSvgId(prefix: string): string {
  return prefix + useId().replace(/[^A-Za-z0-9_-]/g, '');
}

export interface BinReader {
  /** The bin being read, or null. */
  active: number | null;
  /** Whether the bin was chosen by keyboard (its text then goes to the live region). */
  viaKey: boolean;
  onKeyDown: (e: KeyboardEvent<Element>) => void;
  onPointerMove: (e: PointerEvent<SVGSVGElement>) => void;
  onPointerLeave: () => void;
  onBlur: () => void;
}

const NAV_KEYS = new Set(['ArrowRight', 'ArrowUp', 'ArrowLeft', 'ArrowDown', 'PageUp', 'PageDown', 'Home', 'End', 'Escape']);

/**
 * Reading one bin of a histogram by pointer or keyboard. `binAt(viewX)` turns a pointer position
 * (in viewBox units) into a bin index or -1. A keyboard reading ends on blur, so the live region
 * that speaks it stays quiet while the learner drags a slider elsewhere.
 */
export function useBinReader(counts: ArrayLike<number>, binAt: (viewX: number) => number): BinReader {
  const n = counts.length;
  const [state, setState] = useState<{ index: number; via: 'pointer' | 'key' } | null>(null);
  const active = state && state.index < n ? state.index : null;

  const onKeyDown = (e: KeyboardEvent<Element>) => {
    if (n === 0 || !NAV_KEYS.has(e.key)) return;
    e.preventDefault();
    const key = e.key;
    const step = e.shiftKey ? Math.max(1, Math.round(n / 16)) : 1;
    const big = Math.max(1, Math.round(n / 16));
    const firstNonEmpty = () => {
      for (let i = 0; i < n; i++) if (counts[i] > 0) return i;
      return 0;
    };
    const lastNonEmpty = () => {
      for (let i = n - 1; i >= 0; i--) if (counts[i] > 0) return i;
      return n - 1;
    };
    setState((s) => {
      const cur = s && s.index < n ? s.index : null;
      let next: number | null;
      if (key === 'ArrowRight' || key === 'ArrowUp') next = cur === null ? firstNonEmpty() : Math.min(n - 1, cur + step);
      else if (key === 'ArrowLeft' || key === 'ArrowDown') next = cur === null ? lastNonEmpty() : Math.max(0, cur - step);
      else if (key === 'PageUp') next = Math.min(n - 1, (cur ?? -1) + big);
      else if (key === 'PageDown') next = Math.max(0, (cur ?? n) - big);
      else if (key === 'Home') next = 0;
      else if (key === 'End') next = n - 1;
      else next = null;
      return next === null ? null : { index: next, via: 'key' };
    });
  };

  const onPointerMove = (e: PointerEvent<SVGSVGElement>) => {
    const rect = e.currentTarget.getBoundingClientRect();
    if (rect.width <= 0) return;
    const i = binAt(((e.clientX - rect.left) * HIST_WIDTH) / rect.width);
    setState((s) => (i < 0 ? (s?.via === 'pointer' ? null : s) : s?.index === i && s.via === 'pointer' ? s : { index: i, via: 'pointer' }));
  };

  return {
    active,
    viaKey: active !== null && state?.via === 'key',
    onKeyDown,
    onPointerMove,
    onPointerLeave: () => setState((s) => (s?.via === 'pointer' ? null : s)),
    onBlur: () => setState((s) => (s?.via === 'key' ? null : s)),
  };
}

/** The hatch used for clipped regions and bins, so that clipping is never told by colour alone. */
export function HatchPattern({ id }: { id: string }) {
  return (
    <pattern id={id} width="6" height="6" patternUnits="userSpaceOnUse" patternTransform="rotate(45)">
      <rect width="6" height="6" fill="var(--bad)" opacity="0.1" />
      <line x1="0" y1="0" x2="0" y2="6" stroke="var(--bad)" strokeWidth="1.6" opacity="0.7" />
    </pattern>
  );
}

/** Left count axis: gridlines, tick labels and a rotated label. */
export function CountAxisView({ axis, left, right, top, bottom, label }: { axis: CountAxis; left: number; right: number; top: number; bottom: number; label: string }) {
  return (
    <g className="axis lab-axis">
      {axis.ticks.map((t) => {
        const y = axis.y(t);
        return (
          <g key={t} transform={`translate(0,${y.toFixed(2)})`}>
            <line x1={left} x2={right} strokeDasharray={t === 0 ? undefined : '2 3'} />
            <text x={left - 6} dy="0.32em" textAnchor="end">{formatCount(t)}</text>
          </g>
        );
      })}
      <text transform={`translate(14,${(top + bottom) / 2}) rotate(-90)`} textAnchor="middle">{label}</text>
    </g>
  );
}

/** Bottom value axis with about six ticks. */
export function ValueAxisView({ ticks, x, bottom, label, labelX }: { ticks: number[]; x: (v: number) => number; bottom: number; label?: string; labelX?: number }) {
  return (
    <g className="axis lab-axis">
      {ticks.map((t) => (
        <g key={t} transform={`translate(${x(t).toFixed(2)},0)`}>
          <line y1={bottom} y2={bottom + 4} />
          <text y={bottom + 16} textAnchor="middle">{fmt(t)}</text>
        </g>
      ))}
      {label ? <text x={labelX} y={bottom + 32} textAnchor="middle">{label}</text> : null}
    </g>
  );
}

/**
 * The frame both lab histograms share: the hover line above, a focusable SVG that reads bins by
 * pointer or keyboard (`useBinReader`), the hatch pattern and count axis, the legend below, and
 * the screen-reader hint and live region. `children` draws the chart's own marks.
 */
export function HistogramFrame({ testId, title, height, reader, hoverText, hatchId, hintId, axis, plot, legend, hint, liveText, children }: {
  testId: string;
  title: string;
  height: number;
  reader: BinReader;
  hoverText: string | null;
  hatchId: string;
  hintId: string;
  axis: CountAxis;
  plot: { left: number; right: number; top: number; bottom: number };
  legend: ReactNode;
  hint: string;
  liveText: string;
  children: ReactNode;
}) {
  return (
    <figure className="chart lab-chart" data-testid={testId} style={{ margin: 0 }}>
      <p className="lab-chart-hover" data-testid={`${testId}-hover`} data-empty={hoverText === null ? 'true' : undefined}>
        {hoverText ?? 'Point at a bar, or focus the chart and use ← →, to read a bin.'}
      </p>
      <svg
        viewBox={`0 0 ${HIST_WIDTH} ${height}`}
        role="img"
        aria-label={title}
        aria-describedby={hintId}
        tabIndex={0}
        onKeyDown={reader.onKeyDown}
        onPointerMove={reader.onPointerMove}
        onPointerDown={reader.onPointerMove}
        onPointerLeave={reader.onPointerLeave}
        onBlur={reader.onBlur}
      >
        <defs>
          <HatchPattern id={hatchId} />
        </defs>
        <CountAxisView axis={axis} left={plot.left} right={plot.right} top={plot.top} bottom={plot.bottom} label="weights per bin" />
        {children}
      </svg>
      <p className="lab-chart-legend">{legend}</p>
      <span id={hintId} className="visually-hidden">{hint}</span>
      <span className="visually-hidden" aria-live="polite">{liveText}</span>
    </figure>
  );
}

const HEIGHT = 232;
const M = { top: 26, right: 14, bottom: 38, left: 58 };
const PLOT_L = M.left;
const PLOT_R = HIST_WIDTH - M.right;
const PLOT_T = M.top;
const PLOT_B = HEIGHT - M.bottom;
/** Above this many grid levels in view, they are drawn thinner and lighter. */
const MANY_LEVELS = 64;

export interface ValueHistogramProps {
  /** A fine histogram (e.g. 2048 bins) of the weights over [lo, hi]. */
  counts: Uint32Array;
  lo: number;
  hi: number;
  /** Display bins made by merging whole fine bins; default 128. */
  displayBins?: number;
  /** The representable values x = s·(q − zp) of the grid shown, ascending. */
  levels: Float32Array;
  /** Values below clipLo / above clipHi are clipped. */
  clipLo: number;
  clipHi: number;
  /** Log-scaled count axis (counts + 1); default false. */
  logY?: boolean;
  /** aria-label of the svg. */
  title: string;
  /** Hover text for a value, e.g. "x = 0.0123 → q = 12 → x̂ = 0.0119 (error −0.0004)". */
  describeValue?: (x: number) => string;
}

/**
 * Histogram of a tensor's values with the quantization grid over it: bars (merged from a fine
 * histogram), each representable value as a thin vertical line, and the clipped regions hatched and
 * labelled. Point at it, or focus it and use the arrow keys, to read one bin.
 */
export function ValueHistogram({ counts, lo, hi, displayBins = 128, levels, clipLo, clipHi, logY = false, title, describeValue }: ValueHistogramProps) {
  const hatchId = useSvgId('vh-hatch');
  const hintId = useSvgId('vh-hint');
  const merged = useMemo(() => mergeBins(counts, displayBins), [counts, displayBins]);
  const fineN = counts.length;

  // The x domain: the data range, widened (by at most half the data span per side) to show grid
  // range the data does not use, e.g. the empty side of a symmetric grid.
  const { d0, d1, dataLo, dataHi } = useMemo(() => {
    const ok = Number.isFinite(lo) && Number.isFinite(hi);
    let a = ok ? Math.min(lo, hi) : -1;
    let b = ok ? Math.max(lo, hi) : 1;
    if (!(b > a)) {
      const pad = Math.abs(a) * 0.05 || 1e-3;
      a -= pad;
      b += pad;
    }
    const span = b - a;
    const widenLo = Number.isFinite(clipLo) && clipLo < a ? Math.max(clipLo, a - span / 2) : a;
    const widenHi = Number.isFinite(clipHi) && clipHi > b ? Math.min(clipHi, b + span / 2) : b;
    return { d0: widenLo, d1: widenHi, dataLo: ok ? Math.min(lo, hi) : a, dataHi: ok ? Math.max(lo, hi) : b };
  }, [lo, hi, clipLo, clipHi]);

  const x = useMemo(() => scaleLinear().domain([d0, d1]).range([PLOT_L, PLOT_R]), [d0, d1]);
  const xTicks = useMemo(() => x.ticks(6), [x]);
  const axis = useMemo(() => countAxis(merged.max, logY, PLOT_T, PLOT_B), [merged.max, logY]);

  const edgeValue = (i: number) => binEdge(dataLo, dataHi, fineN, merged.starts[i]);
  const bars = useMemo(
    () => barsPath(merged.counts, (i) => x(binEdge(dataLo, dataHi, fineN, merged.starts[i])), axis.y, PLOT_B),
    [merged, x, axis, dataLo, dataHi, fineN],
  );

  const { levelPath, inView } = useMemo(() => {
    let d = '';
    let k = 0;
    for (let i = 0; i < levels.length; i++) {
      const v = levels[i];
      if (!(v >= d0 && v <= d1)) continue;
      d += `M${x(v).toFixed(2)},${PLOT_T}V${PLOT_B}`;
      k++;
    }
    return { levelPath: d, inView: k };
  }, [levels, x, d0, d1]);

  const leftClip = Number.isFinite(clipLo) && clipLo > d0 ? x(Math.min(clipLo, d1)) : null;
  const rightClip = Number.isFinite(clipHi) && clipHi < d1 ? x(Math.max(clipHi, d0)) : null;

  const describe = (i: number) => {
    const a = edgeValue(i);
    const b = edgeValue(i + 1);
    const last = i === merged.counts.length - 1;
    const centre = (a + b) / 2;
    const range = `[${fmt(a)}, ${fmt(b)}${last ? ']' : ')'}`;
    const head = `${range}: ${countPhrase(merged.counts[i], merged.total)}`;
    return describeValue ? `${head} · ${describeValue(centre)}` : head;
  };

  const reader = useBinReader(merged.counts, (vx) => mergedBinIndex(merged, dataLo, dataHi, x.invert(vx)));
  const active = reader.active;
  const many = inView > MANY_LEVELS;

  return (
    <HistogramFrame
      testId="value-histogram"
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
        <span><i className="lab-swatch lab-swatch-level" aria-hidden="true" /> {inView} representable value{inView === 1 ? '' : 's'} in view</span>
        {leftClip !== null || rightClip !== null ? (
          <span><i className="lab-swatch lab-swatch-hatch" aria-hidden="true" /> clipped (outside [{fmt(clipLo)}, {fmt(clipHi)}])</span>
        ) : null}
        </>
      }
      hint={`Histogram of ${whole.format(merged.total)} weights in ${merged.counts.length} bins from ${fmt(dataLo)} to ${fmt(dataHi)}, with ${inView} grid levels in view. Arrow keys move between bins; Home and End jump to the ends.`}
      liveText={reader.viaKey && active !== null ? describe(active) : ''}
    >
        {active !== null ? (
          <rect
            className="lab-active-bin"
            x={x(edgeValue(active))}
            width={Math.max(1.5, x(edgeValue(active + 1)) - x(edgeValue(active)))}
            y={PLOT_T}
            height={PLOT_B - PLOT_T}
          />
        ) : null}
        <path className="lab-bars" d={bars} />
        <path
          className="lab-levels"
          d={levelPath}
          strokeWidth={many ? 0.5 : 1}
          strokeOpacity={many ? 0.35 : 0.75}
          data-levels-in-view={inView}
        />
        {leftClip !== null ? (
          <g className="lab-clip" data-side="low">
            <rect x={PLOT_L} y={PLOT_T} width={Math.max(0, leftClip - PLOT_L)} height={PLOT_B - PLOT_T} fill={`url(#${hatchId})`} />
            <line x1={leftClip} x2={leftClip} y1={PLOT_T - 4} y2={PLOT_B} />
            {leftClip - PLOT_L >= 48 ? (
              <text x={PLOT_L + 3} y={PLOT_T - 8}>clipped</text>
            ) : (
              <text x={leftClip + 3} y={PLOT_T - 8}>← clipped</text>
            )}
          </g>
        ) : null}
        {rightClip !== null ? (
          <g className="lab-clip" data-side="high">
            <rect x={rightClip} y={PLOT_T} width={Math.max(0, PLOT_R - rightClip)} height={PLOT_B - PLOT_T} fill={`url(#${hatchId})`} />
            <line x1={rightClip} x2={rightClip} y1={PLOT_T - 4} y2={PLOT_B} />
            {PLOT_R - rightClip >= 48 ? (
              <text x={PLOT_R - 3} y={PLOT_T - 8} textAnchor="end">clipped</text>
            ) : (
              <text x={rightClip - 3} y={PLOT_T - 8} textAnchor="end">clipped →</text>
            )}
          </g>
        ) : null}
        <line className="lab-baseline" x1={PLOT_L} x2={PLOT_R} y1={PLOT_B} y2={PLOT_B} />
        <ValueAxisView ticks={xTicks} x={x} bottom={PLOT_B} label="weight value" labelX={(PLOT_L + PLOT_R) / 2} />
    </HistogramFrame>
  );
}
