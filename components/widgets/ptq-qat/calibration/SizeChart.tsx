import { scaleLinear, scaleLog } from 'd3-scale';
import { line } from 'd3-shape';
import { ChartFrame } from '@/components/charts/ChartFrame';
import { paddedDomain } from '@/lib/charts/axes';
import type { SizeRow } from '@/lib/model/calibration-sizes';
import { SeriesLegend } from '@/components/charts/SeriesLegend';

export type SizeMetric = 'kl' | 'perplexity';
export const METRIC_LABELS: Record<SizeMetric, string> = { kl: 'KL from FP32 (nats)', perplexity: 'held-out perplexity' };

const W = 480, H = 260;
const M = { left: 62, right: 16, top: 14, bottom: 40 };

/** GPTQ's held-out metric against calibration characters (log x), round-to-nearest as a dashed horizontal line. */
export function SizeChart({ rows, rtn, metric, maxChars }: { rows: readonly SizeRow[]; rtn: number | null; metric: SizeMetric; maxChars: number }) {
  const ys = [...rows.map((r) => r[metric]), ...(rtn === null ? [] : [rtn])].filter(Number.isFinite);
  const lo = Math.min(...ys), hi = Math.max(...ys);
  const minChars = rows[0]?.characters ?? maxChars / 16;
  const x = scaleLog().base(2).domain([minChars, Math.max(minChars * 2, maxChars)]).range([M.left, W - M.right]);
  const [d0, d1] = ys.length ? paddedDomain(lo, hi, metric === 'kl' ? 0 : 0.01) : [0, 1];
  const y = scaleLinear().domain([metric === 'kl' ? Math.max(0, d0) : d0, d1]).range([H - M.bottom, M.top]).nice();
  const path = line<SizeRow>().x((r) => x(r.characters)).y((r) => y(r[metric]));
  const ticks = [];
  for (let c = minChars; c <= maxChars; c *= 2) ticks.push(c);
  const fmt = (t: number) => (metric === 'kl' ? t.toPrecision(2) : t.toFixed(3));
  return (
    <ChartFrame
      width={W}
      height={H}
      title={`GPTQ’s ${METRIC_LABELS[metric]} against calibration characters, with round-to-nearest as a line`}
      testId="calibration-chart"
      after={<SeriesLegend series={[{ key: 'gptq', label: 'GPTQ', colour: 'var(--chart-1)' }, { key: 'rtn', label: 'Round to nearest (no calibration)', colour: 'var(--chart-2)', dashed: true }]} />}
    >
      <g className="axis">
        {y.ticks(5).map((t) => (
          <g key={t}>
            <line x1={M.left} x2={W - M.right} y1={y(t)} y2={y(t)} stroke="var(--border)" strokeDasharray="2 3" />
            <text x={M.left - 6} y={y(t) + 4} textAnchor="end">{fmt(t)}</text>
          </g>
        ))}
        {ticks.map((t) => <text key={t} x={x(t)} y={H - M.bottom + 16} textAnchor="middle">{t >= 1000 ? `${t / 1000}k` : t}</text>)}
        <text x={(M.left + W - M.right) / 2} y={H - 4} textAnchor="middle">calibration characters (log scale)</text>
        <text x={12} y={(H - M.bottom) / 2} transform={`rotate(-90 12 ${(H - M.bottom) / 2})`} textAnchor="middle">{METRIC_LABELS[metric]}</text>
      </g>
      {rtn !== null && Number.isFinite(rtn) && <line data-series="rtn" x1={M.left} x2={W - M.right} y1={y(rtn)} y2={y(rtn)} stroke="var(--chart-2)" strokeWidth={2} strokeDasharray="6 4" />}
      <g data-series="gptq">
        <path d={path(rows) ?? ''} fill="none" stroke="var(--chart-1)" strokeWidth={2} />
        {rows.map((r) => <circle key={r.windows} cx={x(r.characters)} cy={y(r[metric])} r={4} fill="var(--chart-1)" />)}
      </g>
    </ChartFrame>
  );
}
