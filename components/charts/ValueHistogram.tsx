'use client';

import { useMemo } from 'react';
import { scaleLinear } from 'd3-scale';
import { shortNumber } from '@/lib/formats/display';
import { countAxis, countPhrase, formatWhole, histogramDomain } from '@/lib/charts/axes';
import { binEdge, mergeBins, mergedBinIndex } from '@/lib/charts/bins';
import { barsPath, levelsPath } from '@/lib/charts/paths';
import { HIST_WIDTH, HistogramFrame, ValueAxisView } from './HistogramFrame';
import { useBinReader, useSvgId } from './useBinReader';

/*
 * The lab's value histogram. React owns the DOM; d3 supplies only the scales and ticks
 * (docs/design.md rule 5). Everything derived from the data is memoised, and the node count stays
 * small (one path for the bars, one for the grid levels), because the lab redraws while a slider
 * is dragged.
 */

const fmt = (x: number) => shortNumber(x, 4);

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
  const { d0, d1, dataLo, dataHi } = useMemo(() => histogramDomain(lo, hi, clipLo, clipHi), [lo, hi, clipLo, clipHi]);

  const x = useMemo(() => scaleLinear().domain([d0, d1]).range([PLOT_L, PLOT_R]), [d0, d1]);
  const xTicks = useMemo(() => x.ticks(6), [x]);
  const axis = useMemo(() => countAxis(merged.max, logY, PLOT_T, PLOT_B), [merged.max, logY]);

  const edgeValue = (i: number) => binEdge(dataLo, dataHi, fineN, merged.starts[i]);
  const bars = useMemo(
    () => barsPath(merged.counts, (i) => x(binEdge(dataLo, dataHi, fineN, merged.starts[i])), axis.y, PLOT_B),
    [merged, x, axis, dataLo, dataHi, fineN],
  );

  const { path: levelPath, inView } = useMemo(() => levelsPath(levels, d0, d1, x, PLOT_T, PLOT_B), [levels, x, d0, d1]);

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

  const reader = useBinReader(merged.counts, (vx) => mergedBinIndex(merged, dataLo, dataHi, x.invert(vx)), HIST_WIDTH);
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
      hint={`Histogram of ${formatWhole(merged.total)} weights in ${merged.counts.length} bins from ${fmt(dataLo)} to ${fmt(dataHi)}, with ${inView} grid levels in view. Arrow keys move between bins; Home and End jump to the ends.`}
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
