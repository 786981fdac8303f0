'use client';

import { scaleLinear, scaleLog } from 'd3-scale';
import { ChartFrame } from '@/components/charts/ChartFrame';
import { shortNumber } from '@/lib/formats/display';

export interface ChannelSeries {
  label: string;
  values: ArrayLike<number>;
  color: string;
  dashed?: boolean;
}

const W = 640, H = 200;
const M = { left: 56, right: 12, top: 12, bottom: 36 };

/**
 * Per-channel magnitudes (e.g. max_t |x_tj|) as step lines over the channel index, log y axis;
 * `marks` are channels drawn with a tick below the axis (synthetic outliers).
 */
export function ChannelChart({ series, yLabel, title, marks = [], testId }: { series: ChannelSeries[]; yLabel: string; title: string; marks?: number[]; testId?: string }) {
  const n = series[0]?.values.length ?? 0;
  let lo = Infinity, hi = 0;
  for (const s of series) for (let j = 0; j < s.values.length; j++) {
    const v = s.values[j];
    if (v > 0) { lo = Math.min(lo, v); hi = Math.max(hi, v); }
  }
  if (!(hi > 0)) { lo = 1e-3; hi = 1; }
  const x = scaleLinear().domain([0, Math.max(1, n)]).range([M.left, W - M.right]);
  const y = scaleLog().domain([lo / 1.5, hi * 1.5]).range([H - M.bottom, M.top]).clamp(true);
  const path = (v: ArrayLike<number>) => {
    let d = '';
    for (let j = 0; j < v.length; j++) {
      const yy = y(Math.max(v[j], lo / 1.5)).toFixed(1);
      d += `${j === 0 ? 'M' : 'L'}${x(j).toFixed(1)},${yy}H${x(j + 1).toFixed(1)}`;
    }
    return d;
  };
  const ticks = y.ticks(4).filter((t, i, a) => a.length <= 6 || i % Math.ceil(a.length / 6) === 0);
  return (
    <ChartFrame
      width={W}
      height={H}
      title={`${title}: ${series.map((s) => `${s.label}, largest ${shortNumber(Math.max(...Array.from(s.values)), 3)}`).join('; ')}`}
      testId={testId}
      after={
        <p className="widget-caption">
          {series.map((s) => (
            <span key={s.label} style={{ marginRight: '1rem', whiteSpace: 'nowrap' }}>
              <span aria-hidden="true" style={{ display: 'inline-block', width: 18, verticalAlign: 'middle', borderTop: `2px ${s.dashed ? 'dashed' : 'solid'} ${s.color}` }} /> {s.label}
            </span>
          ))}
        </p>
      }
    >
      <g className="axis">
        {ticks.map((t) => (
          <g key={t}>
            <line x1={M.left} x2={W - M.right} y1={y(t)} y2={y(t)} stroke="var(--border)" strokeDasharray="2 3" />
            <text x={M.left - 6} y={y(t) + 4} textAnchor="end">{shortNumber(t, 2)}</text>
          </g>
        ))}
        {[0, Math.round(n / 4), Math.round(n / 2), Math.round((3 * n) / 4), n - 1].map((t) => (
          <text key={t} x={x(t + 0.5)} y={H - M.bottom + 14} textAnchor="middle">{t}</text>
        ))}
        <text x={(M.left + W - M.right) / 2} y={H - 4} textAnchor="middle">input channel j</text>
        <text x={12} y={(H - M.bottom) / 2} transform={`rotate(-90 12 ${(H - M.bottom) / 2})`} textAnchor="middle">{yLabel}</text>
      </g>
      {series.map((s) => (
        <path key={s.label} d={path(s.values)} fill="none" stroke={s.color} strokeWidth={1.5} strokeDasharray={s.dashed ? '4 3' : undefined} />
      ))}
      {marks.map((j) => (
        <path key={j} d={`M${x(j + 0.5)},${H - M.bottom + 2}l-4,6h8z`} fill="var(--chart-2)" />
      ))}
    </ChartFrame>
  );
}
