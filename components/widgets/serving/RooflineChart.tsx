'use client';

import { scaleLog } from 'd3-scale';
import { ChartFrame } from '@/components/charts/ChartFrame';
import { shortNumber } from '@/lib/formats/display';
import { ridgeIntensity, ROOFLINE_WEIGHT_LABELS, ROOFLINE_WEIGHTS, type RooflinePoint } from '@/lib/serving/roofline';

const W = 640, H = 300;
const M = { left: 72, right: 20, top: 16, bottom: 42 };
const COLORS = ['var(--chart-1)', 'var(--chart-2)', 'var(--chart-3)'];

/** FLOP/s with an SI prefix: "1.2 TFLOP/s". */
export function flopsText(f: number): string {
  for (const [s, p] of [[1e12, 'T'], [1e9, 'G'], [1e6, 'M']] as const) if (f >= s) return `${shortNumber(f / s, 3)} ${p}FLOP/s`;
  return `${shortNumber(f, 3)} FLOP/s`;
}

/** The roofline, log-log: bandwidth × intensity up to the ridge, then the flat peak; the model's points on it. */
export function RooflineChart({ peak, bandwidth, points, label }: { peak: number; bandwidth: number; points: RooflinePoint[]; label: string }) {
  const ridge = ridgeIntensity(peak, bandwidth);
  const xs = [...points.map((p) => p.intensity), ridge];
  const x0 = Math.min(0.25, ...xs) / 2, x1 = Math.max(4096, ...xs) * 2;
  const x = scaleLog().base(2).domain([x0, x1]).range([M.left, W - M.right]);
  const y = scaleLog().domain([bandwidth * x0 * 0.8, peak * 3]).range([H - M.bottom, M.top]);
  const xTicks = x.ticks().filter((t) => Math.log2(t) % 2 === 0);
  const yTicks = y.ticks().filter((t) => Math.log10(t) % 1 === 0);
  const title = `Roofline of ${label}: slanted roof ${shortNumber(bandwidth / 1e9, 3)} GB/s, flat roof ${flopsText(peak)}, ridge at ${shortNumber(ridge, 3)} FLOPs per byte. ${points.map((p) => `${ROOFLINE_WEIGHT_LABELS[p.weight]} ${p.phase === 'decode' ? 'decode at batch 1' : `${p.tokens} tokens`}: ${shortNumber(p.intensity, 3)} FLOPs per byte, ${p.bound}-bound`).join('; ')}`;
  return (
    <ChartFrame width={W} height={H} title={title} testId="roofline-chart">
      <g className="axis">
        {yTicks.map((t) => (
          <g key={t}>
            <line x1={M.left} x2={W - M.right} y1={y(t)} y2={y(t)} stroke="var(--border)" strokeDasharray="2 3" />
            <text x={M.left - 6} y={y(t) + 4} textAnchor="end">{flopsText(t)}</text>
          </g>
        ))}
        {xTicks.map((t) => <text key={t} x={x(t)} y={H - M.bottom + 16} textAnchor="middle">{t >= 1 ? t.toLocaleString('en-US') : shortNumber(t, 3)}</text>)}
        <text x={(M.left + W - M.right) / 2} y={H - 6} textAnchor="middle">arithmetic intensity (FLOPs per byte, log scale)</text>
      </g>
      <path d={`M${x(x0)},${y(bandwidth * x0)}L${x(ridge)},${y(peak)}L${x(x1)},${y(peak)}`} fill="none" stroke="var(--fg)" strokeWidth={2.5} data-testid="roofline-roof" />
      <line x1={x(ridge)} x2={x(ridge)} y1={y(peak)} y2={H - M.bottom} stroke="var(--fg-muted)" strokeDasharray="3 3" />
      <text x={x(ridge) + 4} y={H - M.bottom - 6}>ridge {shortNumber(ridge, 3)}</text>
      {points.map((p) => {
        const ci = ROOFLINE_WEIGHTS.indexOf(p.weight);
        const cx = x(p.intensity), cy = y(p.attainable);
        return (
          <g key={`${p.weight}-${p.phase}`} data-point={`${p.weight}-${p.phase}`}>
            <title>{`${ROOFLINE_WEIGHT_LABELS[p.weight]}, ${p.tokens} token${p.tokens > 1 ? 's' : ''} per weight read: ${shortNumber(p.intensity, 4)} FLOPs/byte, ${flopsText(p.attainable)} attainable (${p.bound}-bound)`}</title>
            {p.phase === 'decode' ? <circle cx={cx} cy={cy} r={6} fill={COLORS[ci]} stroke="var(--bg)" /> : <rect x={cx - 6} y={cy - 6} width={12} height={12} fill={COLORS[ci]} stroke="var(--bg)" />}
            <text x={cx + 8} y={cy + (p.phase === 'decode' ? 16 + ci * 11 : -8 - ci * 11)} style={{ fill: 'var(--fg)' }}>{ROOFLINE_WEIGHT_LABELS[p.weight]}</text>
          </g>
        );
      })}
    </ChartFrame>
  );
}
