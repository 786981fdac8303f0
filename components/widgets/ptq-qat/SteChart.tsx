import { scaleLinear } from 'd3-scale';
import { ChartFrame } from '@/components/charts/ChartFrame';
import type { LsqRange } from '@/lib/quant/qat';
import { staircase } from '@/lib/quant/ste';

const W = 640, H = 300;
const M = { left: 48, right: 16, top: 14, bottom: 40 };
/** The chart's w and ŵ range. */
export const STE_VIEW = 2;

/**
 * ŵ = round(clamp(w/s, −qn, qp)) · s against w: the staircase, the identity the STE pretends it is
 * (dashed), the band where the STE passes the gradient, the target level and the current weight.
 */
export function SteChart({ step, range, w, quantized, target }: { step: number; range: LsqRange; w: number; quantized: number; target: number }) {
  const x = scaleLinear().domain([-STE_VIEW, STE_VIEW]).range([M.left, W - M.right]);
  const y = scaleLinear().domain([-STE_VIEW, STE_VIEW]).range([H - M.bottom, M.top]);
  const stairs = staircase(step, range, -STE_VIEW, STE_VIEW);
  const path = stairs.map((p, i) => `${i === 0 ? 'M' : 'L'}${x(p.x).toFixed(1)},${y(p.y).toFixed(1)}`).join('');
  const bandLo = Math.max(-STE_VIEW, -range.qn * step), bandHi = Math.min(STE_VIEW, range.qp * step);
  return (
    <ChartFrame
      width={W}
      height={H}
      title={`The fake quantizer's staircase for a step of ${step}; the straight-through estimator passes the gradient for w between ${-range.qn * step} and ${range.qp * step}`}
      testId="ste-chart"
      after={<figcaption className="bit-legend">
        <span><svg width="22" height="10" aria-hidden="true"><line x1="0" x2="22" y1="5" y2="5" stroke="var(--chart-1)" strokeWidth="2" /></svg> ŵ (forward pass)</span>
        <span><svg width="22" height="10" aria-hidden="true"><line x1="0" x2="22" y1="5" y2="5" stroke="var(--fg-muted)" strokeWidth="2" strokeDasharray="6 4" /></svg> ŵ = w (what the STE differentiates)</span>
        <span><svg width="22" height="10" aria-hidden="true"><rect width="22" height="10" fill="var(--chart-2)" opacity="0.15" /></svg> gradient passes</span>
        <span><svg width="22" height="10" aria-hidden="true"><line x1="0" x2="22" y1="5" y2="5" stroke="var(--chart-3)" strokeWidth="2" strokeDasharray="2 3" /></svg> target</span>
      </figcaption>}
    >
      <rect x={x(bandLo)} y={M.top} width={Math.max(0, x(bandHi) - x(bandLo))} height={H - M.bottom - M.top} fill="var(--chart-2)" opacity="0.15" />
      <g className="axis">
        {x.ticks(8).map((t) => (
          <g key={t}>
            <line x1={x(t)} x2={x(t)} y1={M.top} y2={H - M.bottom} stroke="var(--border)" strokeDasharray="2 3" />
            <text x={x(t)} y={H - M.bottom + 16} textAnchor="middle">{t}</text>
          </g>
        ))}
        {y.ticks(8).map((t) => <text key={t} x={M.left - 6} y={y(t) + 4} textAnchor="end">{t}</text>)}
        <text x={(M.left + W - M.right) / 2} y={H - 4} textAnchor="middle">weight w</text>
        <text x={12} y={(H - M.bottom) / 2} transform={`rotate(-90 12 ${(H - M.bottom) / 2})`} textAnchor="middle">ŵ</text>
      </g>
      <line x1={x(-STE_VIEW)} x2={x(STE_VIEW)} y1={y(-STE_VIEW)} y2={y(STE_VIEW)} stroke="var(--fg-muted)" strokeWidth="1.5" strokeDasharray="6 4" />
      <line x1={x(-STE_VIEW)} x2={x(STE_VIEW)} y1={y(target)} y2={y(target)} stroke="var(--chart-3)" strokeWidth="2" strokeDasharray="2 3" />
      <path d={path} fill="none" stroke="var(--chart-1)" strokeWidth="2.5" />
      <line x1={x(w)} x2={x(w)} y1={M.top} y2={H - M.bottom} stroke="var(--fg)" strokeWidth="1" />
      <circle cx={x(w)} cy={y(quantized)} r="5" fill="var(--chart-1)" stroke="var(--bg)" strokeWidth="1.5" data-testid="ste-point" />
    </ChartFrame>
  );
}
