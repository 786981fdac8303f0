import { interpolateViridis } from 'd3-scale-chromatic';
import { logAxisTicks } from '@/lib/charts/bins';
import { useSvgId } from './useBinReader';

const L0 = 16;
const L1 = 624;
const STOPS = Array.from({ length: 11 }, (_, i) => i / 10);

/**
 * The heatmap's colour legend: the viridis ramp over the log colour domain with about five ticks,
 * or a single swatch and a note when no value is positive. Hidden from screen readers (the map's
 * own label and readings carry the numbers). Its text sits below the ramp in em, so it keeps clear of
 * the ramp when the phone style sheet enlarges it (app/styles/screens.css).
 */
export function HeatmapLegend({ domain, valueLabel, format, nonPositive }: { domain: [number, number] | null; valueLabel: string; format: (v: number) => string; nonPositive: number }) {
  const gradientId = useSvgId('hm-grad');
  const ticks = domain ? logAxisTicks(domain[0], domain[1], 5) : [];
  const lx = (v: number) => (domain ? L0 + ((Math.log(v) - Math.log(domain[0])) / (Math.log(domain[1]) - Math.log(domain[0]))) * (L1 - L0) : L0);
  return (
    <svg className="lab-heatmap-legend" viewBox="0 0 640 64" aria-hidden="true">
      <defs>
        <linearGradient id={gradientId} x1="0" x2="1" y1="0" y2="0">
          {STOPS.map((t) => (
            <stop key={t} offset={t} stopColor={interpolateViridis(t)} />
          ))}
        </linearGradient>
      </defs>
      <rect x={L0} y={4} width={L1 - L0} height={12} fill={domain ? `url(#${gradientId})` : interpolateViridis(0)} stroke="var(--border)" />
      {ticks.map((t) => (
        <g key={t} transform={`translate(${lx(t).toFixed(2)},0)`} className="axis">
          <line y1={16} y2={21} />
          <text y={20} dy="1.05em" textAnchor={lx(t) > L1 - 40 ? 'end' : lx(t) < L0 + 40 ? 'start' : 'middle'}>{format(t)}</text>
        </g>
      ))}
      <text x={(L0 + L1) / 2} y={20} dy="2.25em" textAnchor="middle">
        {domain ? `${valueLabel} (log colour scale${nonPositive > 0 ? '; values ≤ 0 take the lowest colour' : ''})` : `${valueLabel}: every value is ≤ 0 or not finite`}
      </text>
    </svg>
  );
}
