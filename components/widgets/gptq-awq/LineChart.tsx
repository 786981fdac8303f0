import { scaleLinear } from 'd3-scale';
import { shortNumber } from '@/lib/formats/display';

export interface Series {
  label: string;
  /** y values at x = xs[i]. */
  ys: ArrayLike<number>;
  colour: string;
  dashed?: boolean;
}

const W = 640, H = 220;
const M = { left: 70, right: 16, top: 14, bottom: 40 };

/** A small line chart (SVG) of a few series against shared x values, with an optional marked point. */
export function LineChart({ xs, series, xLabel, yLabel, xDomain, mark, ariaLabel }: {
  xs: ArrayLike<number>;
  series: Series[];
  xLabel: string;
  yLabel: string;
  xDomain: [number, number];
  mark?: { x: number; y: number; label: string };
  ariaLabel: string;
}) {
  const all = series.flatMap((s) => Array.from(s.ys).filter(Number.isFinite));
  const hi = all.length ? Math.max(...all) : 1;
  const lo = all.length ? Math.min(0, ...all) : 0;
  const x = scaleLinear().domain(xDomain).range([M.left, W - M.right]);
  const y = scaleLinear().domain([lo, hi > lo ? hi : lo + 1]).range([H - M.bottom, M.top]).nice();
  const path = (ys: ArrayLike<number>) =>
    Array.from(ys, (v, i) => `${i ? 'L' : 'M'}${x(xs[i]).toFixed(1)},${y(v).toFixed(1)}`).join('');
  return (
    <figure className="chart" style={{ margin: 0 }}>
      <svg viewBox={`0 0 ${W} ${H}`} role="img" aria-label={ariaLabel}>
        <g className="axis">
          {y.ticks(4).map((t) => (
            <g key={t}>
              <line x1={M.left} x2={W - M.right} y1={y(t)} y2={y(t)} stroke="var(--border)" strokeDasharray="2 3" />
              <text x={M.left - 6} y={y(t) + 4} textAnchor="end">{shortNumber(t, 3)}</text>
            </g>
          ))}
          {x.ticks(6).map((t) => <text key={t} x={x(t)} y={H - M.bottom + 16} textAnchor="middle">{shortNumber(t, 3)}</text>)}
          <text x={(M.left + W - M.right) / 2} y={H - 6} textAnchor="middle">{xLabel}</text>
          <text x={14} y={(H - M.bottom) / 2} transform={`rotate(-90 14 ${(H - M.bottom) / 2})`} textAnchor="middle">{yLabel}</text>
        </g>
        {series.map((s) => (
          <path key={s.label} d={path(s.ys)} fill="none" stroke={s.colour} strokeWidth={2} strokeDasharray={s.dashed ? '5 4' : undefined} />
        ))}
        {mark && (
          <g>
            <circle cx={x(mark.x)} cy={y(mark.y)} r={5} fill="var(--chart-2)" />
            <text x={x(mark.x) + 8} y={y(mark.y) - 8} style={{ fill: 'var(--fg)', fontSize: 12 }}>{mark.label}</text>
          </g>
        )}
        {series.map((s, i) => (
          <g key={`legend-${s.label}`} transform={`translate(${M.left + 10 + i * 200}, ${M.top + 4})`}>
            <line x1={0} x2={22} y1={0} y2={0} stroke={s.colour} strokeWidth={2} strokeDasharray={s.dashed ? '5 4' : undefined} />
            <text x={28} y={4} style={{ fill: 'var(--fg)', fontSize: 12 }}>{s.label}</text>
          </g>
        ))}
      </svg>
    </figure>
  );
}
