import { extent } from 'd3-array';
import { scaleLinear, scaleLog } from 'd3-scale';
import { line } from 'd3-shape';
import { paddedDomain } from '@/lib/charts/axes';
import type { LossPoint } from '@/lib/train/trainer';
import { ChartFrame } from './ChartFrame';
import { SeriesLegend } from './SeriesLegend';

export interface LossSeries {
  key: string;
  label: string;
  points: readonly LossPoint[];
  /** Drawn dashed (and marked with squares, unless `markers` is false), so series differ by more than colour. */
  dashed?: boolean;
  /** Squares on the points of a dashed series; default true (turn off for hundreds of points). */
  markers?: boolean;
  colour: string;
}

const W = 640, H = 240;
const M = { left: 56, right: 16, top: 14, bottom: 40 };

/**
 * Loss against optimizer step for one or more series (train, held-out, or several runs). d3 supplies
 * the scales, ticks and line paths; React draws the SVG (docs/design.md rule 5). The y axis starts at the
 * lowest loss seen (less a margin), since losses never reach 0.
 */
export function LossChart({ series, title, maxStep, xLabel = 'optimizer step', yLabel = 'loss (nats per character)', logY = false, formatY = (t: number) => t.toFixed(2), minStep = 0, padFloor = 0.01, legend = true, mark }: {
  series: readonly LossSeries[];
  title: string;
  maxStep?: number;
  /** Axis labels and y tick format; the defaults are the loss curve's. The notebook's plot.line sets them. */
  xLabel?: string;
  yLabel?: string;
  formatY?: (t: number) => string;
  /** Logarithmic y axis (only positive values are drawn). */
  logY?: boolean;
  /** Left end of the x axis (0 for a loss curve). */
  minStep?: number;
  /** Least padding above and below the data on a linear y axis (0.01 suits losses; 0 for values of any size). */
  padFloor?: number;
  /** The series legend below the chart (off for a single unnamed series). */
  legend?: boolean;
  /** A point to mark and label, e.g. the α a search chose. */
  mark?: { x: number; y: number; label: string };
}) {
  const all = series.flatMap((s) => s.points).filter((p) => Number.isFinite(p.loss) && (!logY || p.loss > 0));
  const [lo = 0, hi = 1] = extent(all, (p) => p.loss) as [number | undefined, number | undefined];
  const x = scaleLinear().domain([minStep, Math.max(minStep + 1, maxStep ?? minStep, ...all.map((p) => p.step))]).range([M.left, W - M.right]);
  const y = logY && all.length > 0
    ? scaleLog().domain([lo, hi > lo ? hi : lo * 10]).range([H - M.bottom, M.top]).nice()
    : scaleLinear().domain(paddedDomain(lo, hi, padFloor)).range([H - M.bottom, M.top]).nice();
  const path = line<LossPoint>().defined((p) => Number.isFinite(p.loss) && (!logY || p.loss > 0)).x((p) => x(p.step)).y((p) => y(p.loss));
  return (
    <ChartFrame
      width={W}
      height={H}
      title={title}
      after={legend ? <SeriesLegend series={series} /> : null}
    >
        <g className="axis">
          {y.ticks(5).map((t) => (
            <g key={t}>
              <line x1={M.left} x2={W - M.right} y1={y(t)} y2={y(t)} stroke="var(--border)" strokeDasharray="2 3" />
              <text x={M.left - 6} y={y(t) + 4} textAnchor="end">{formatY(t)}</text>
            </g>
          ))}
          {x.ticks(6).map((t) => (
            <text key={t} x={x(t)} y={H - M.bottom + 16} textAnchor="middle">{t}</text>
          ))}
          <text x={(M.left + W - M.right) / 2} y={H - 4} textAnchor="middle">{xLabel}</text>
          <text x={12} y={(H - M.bottom) / 2} transform={`rotate(-90 12 ${(H - M.bottom) / 2})`} textAnchor="middle">{yLabel}</text>
        </g>
        {series.map((s) => (
          <g key={s.key} data-series={s.key}>
            <path d={path(s.points.filter((p) => Number.isFinite(p.loss))) ?? ''} fill="none" stroke={s.colour} strokeWidth={s.dashed ? 2 : 1.5} strokeDasharray={s.dashed ? '6 4' : undefined} />
            {s.dashed && s.markers !== false && s.points.map((p) => <rect key={p.step} x={x(p.step) - 3} y={y(p.loss) - 3} width={6} height={6} fill={s.colour} />)}
          </g>
        ))}
        {mark && Number.isFinite(mark.x) && Number.isFinite(mark.y) ? (
          <g data-mark="">
            <circle cx={x(mark.x)} cy={y(mark.y)} r={5} fill="var(--chart-2)" />
            <text x={x(mark.x) + 8} y={y(mark.y) - 8} style={{ fill: 'var(--fg)' }}>{mark.label}</text>
          </g>
        ) : null}
    </ChartFrame>
  );
}
