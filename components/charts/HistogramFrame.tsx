'use client';

import type { ReactNode } from 'react';
import { formatCount, type CountAxis } from '@/lib/charts/axes';
import { shortNumber } from '@/lib/formats/display';
import { ChartFrame } from './ChartFrame';
import type { BinReader } from './useBinReader';

/*
 * The pieces the lab's two histograms (ValueHistogram, ErrorHistogram) share: the frame with its
 * hover line, legend and live region, the count and value axes, and the hatch of clipped regions.
 * Numbers come from lib/charts (axes, paths, navigation); React draws (docs/design.md rule 5).
 */

export const HIST_WIDTH = 640;

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
          <text y={bottom + 16} textAnchor="middle">{shortNumber(t, 4)}</text>
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
    <ChartFrame
      width={HIST_WIDTH}
      height={height}
      title={title}
      className="lab-chart"
      testId={testId}
      defs={<HatchPattern id={hatchId} />}
      svgProps={{
        'aria-describedby': hintId,
        tabIndex: 0,
        onKeyDown: reader.onKeyDown,
        onPointerMove: reader.onPointerMove,
        onPointerDown: reader.onPointerMove,
        onPointerLeave: reader.onPointerLeave,
        onBlur: reader.onBlur,
      }}
      before={
        <p className="lab-chart-hover" data-testid={`${testId}-hover`} data-empty={hoverText === null ? 'true' : undefined}>
          {hoverText ?? 'Point at a bar, or focus the chart and use ← →, to read a bin.'}
        </p>
      }
      after={
        <>
          <p className="lab-chart-legend">{legend}</p>
          <span id={hintId} className="visually-hidden">{hint}</span>
          <span className="visually-hidden" aria-live="polite">{liveText}</span>
        </>
      }
    >
      <CountAxisView axis={axis} left={plot.left} right={plot.right} top={plot.top} bottom={plot.bottom} label="weights per bin" />
      {children}
    </ChartFrame>
  );
}
