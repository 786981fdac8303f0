import { scaleBand, scaleLog } from 'd3-scale';
import { decadeTicks } from '@/lib/charts/axes';
import { ChartFrame } from './ChartFrame';

export interface Bar {
  key: string;
  label: string;
  value: number;
  valueLabel: string;
  /** Drawn hatched, and named in `title`, so the distinction is not carried by colour alone. */
  muted?: boolean;
  title?: string;
}

export interface ReferenceLine {
  value: number;
  label: string;
}

const WIDTH = 640;
const MARGIN = { top: 28, right: 150, bottom: 36, left: 84 };
const BAR_STEP = 34;

/**
 * Horizontal bars on a logarithmic value axis with labelled vertical reference lines. d3 supplies
 * the scales and ticks; React draws the SVG (docs/design.md rule 5). Scales in viewBox units, so the
 * chart stretches to its container without measuring it.
 */
export function LogBarChart({ bars, lines, axisLabel, formatTick, title }: {
  bars: Bar[];
  lines: ReferenceLine[];
  axisLabel: string;
  formatTick: (v: number) => string;
  title: string;
}) {
  const height = MARGIN.top + MARGIN.bottom + Math.max(1, bars.length) * BAR_STEP;
  const values = [...bars.map((b) => b.value), ...lines.map((l) => l.value)].filter((v) => v > 0);
  const lo = Math.min(...values) / 2;
  const hi = Math.max(...values) * 1.15;
  const x = scaleLog().domain([lo, hi]).range([MARGIN.left, WIDTH - MARGIN.right]);
  const y = scaleBand<string>().domain(bars.map((b) => b.key)).range([MARGIN.top, height - MARGIN.bottom]).padding(0.25);
  const ticks = decadeTicks(x.ticks(), x.ticks(4));
  return (
    <ChartFrame
      width={WIDTH}
      height={height}
      title={title}
      defs={
        <pattern id="hatch" width="6" height="6" patternUnits="userSpaceOnUse" patternTransform="rotate(45)">
          <rect width="6" height="6" fill="var(--chart-2)" opacity="0.35" />
          <line x1="0" y1="0" x2="0" y2="6" stroke="var(--chart-2)" strokeWidth="3" />
        </pattern>
      }
    >
        <g className="axis">
          {ticks.map((t) => (
            <g key={t} transform={`translate(${x(t)},0)`}>
              <line y1={MARGIN.top - 6} y2={height - MARGIN.bottom} strokeDasharray="2 3" stroke="var(--border)" />
              <text y={height - MARGIN.bottom + 16} textAnchor="middle">{formatTick(t)}</text>
            </g>
          ))}
          <text x={(MARGIN.left + WIDTH - MARGIN.right) / 2} y={height - 4} textAnchor="middle">{axisLabel}</text>
        </g>
        {bars.map((b) => {
          const top = y(b.key) ?? 0;
          const w = Math.max(1, x(b.value) - MARGIN.left);
          return (
            <g key={b.key} data-bar={b.key}>
              <title>{b.title ?? `${b.label}: ${b.valueLabel}`}</title>
              <text x={MARGIN.left - 8} y={top + y.bandwidth() / 2} dy="0.35em" textAnchor="end" style={{ fill: 'var(--fg)', fontSize: 13 }}>
                {b.label}
              </text>
              <rect x={MARGIN.left} y={top} width={w} height={y.bandwidth()} rx={3} fill={b.muted ? 'url(#hatch)' : 'var(--chart-1)'} />
              <text x={MARGIN.left + w + 6} y={top + y.bandwidth() / 2} dy="0.35em" style={{ fill: 'var(--fg)', fontSize: 12 }}>
                {b.valueLabel}
              </text>
            </g>
          );
        })}
        {lines.map((l, i) => (
          <g key={l.label} transform={`translate(${x(l.value)},0)`}>
            <line y1={MARGIN.top - 4} y2={height - MARGIN.bottom} stroke="var(--chart-3)" strokeWidth={1.5} strokeDasharray="5 3" />
            <text y={MARGIN.top - (i % 2 ? 16 : 6)} textAnchor="middle" style={{ fill: 'var(--chart-3)', fontSize: 11 }}>
              {l.label}
            </text>
          </g>
        ))}
    </ChartFrame>
  );
}
