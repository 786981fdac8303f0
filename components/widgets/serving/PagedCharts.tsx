'use client';

import { scaleLinear } from 'd3-scale';
import { ChartFrame } from '@/components/charts/ChartFrame';
import type { AllocationRun, AllocationStep } from '@/lib/serving/paged';

const W = 640;
const COLORS = ['var(--chart-1)', 'var(--chart-2)', 'var(--chart-3)', 'var(--chart-4)', 'var(--chart-5)'];
const colorOf = (id: number) => COLORS[id % COLORS.length];

/** One allocator's memory at one step: every slot as a strip, tokens solid, held-but-empty slots pale. */
export function MemoryStrip({ kind, step, capacity, blockSize }: { kind: 'contiguous' | 'paged'; step: AllocationStep; capacity: number; blockSize: number }) {
  const H = 46, L = 8, R = 8;
  const x = scaleLinear().domain([0, capacity]).range([L, W - R]);
  const title = `${kind === 'paged' ? 'Paged' : 'Contiguous'} memory at step ${step.step}: ${step.used} slots hold tokens, ${step.held - step.used} are held but empty, ${capacity - step.held} free, ${step.running} requests running.`;
  return (
    <ChartFrame width={W} height={H} title={title} testId={`paged-strip-${kind}`}>
      <rect x={L} y={8} width={W - L - R} height={28} fill="var(--bg-sunken)" stroke="var(--border)" />
      {step.holdings.map((h) =>
        kind === 'contiguous' ? (
          <g key={h.id}>
            <rect x={x(h.start)} y={8} width={x(h.start + h.size) - x(h.start)} height={28} fill={colorOf(h.id)} opacity={0.25} />
            <rect x={x(h.start)} y={8} width={x(h.start + h.tokens) - x(h.start)} height={28} fill={colorOf(h.id)} />
          </g>
        ) : (
          h.blocks.map((b, i) => {
            const fill = i < h.blocks.length - 1 ? blockSize : h.tokens - blockSize * (h.blocks.length - 1);
            return (
              <g key={`${h.id}-${b}`}>
                <rect x={x(b * blockSize)} y={8} width={x(blockSize) - x(0)} height={28} fill={colorOf(h.id)} opacity={0.25} />
                <rect x={x(b * blockSize)} y={8} width={x(fill) - x(0)} height={28} fill={colorOf(h.id)} />
              </g>
            );
          })
        ),
      )}
    </ChartFrame>
  );
}

/** Slots held but empty over time, for both allocators, with the chosen step marked. */
export function WasteOverTime({ runs, step }: { runs: readonly AllocationRun[]; step: number }) {
  const H = 200, M = { left: 62, right: 100, top: 12, bottom: 36 };
  const n = runs[0].steps.length;
  const x = scaleLinear().domain([0, n - 1]).range([M.left, W - M.right]);
  const max = Math.max(1, ...runs.flatMap((r) => r.steps.map((s) => s.held - s.used + s.externalWaste)));
  const y = scaleLinear().domain([0, max]).range([H - M.bottom, M.top]).nice();
  const line = (r: AllocationRun) => r.steps.map((s, i) => `${i ? 'L' : 'M'}${x(i)},${y(s.held - s.used + s.externalWaste)}`).join('');
  const dashes = ['', '6 4'];
  return (
    <ChartFrame width={W} height={H} title={`Wasted KV slots per step (held but empty, plus free gaps no waiting request fits): ${runs.map((r) => `${r.kind} ${Math.round(100 * (1 - r.meanUtilisation))} % of held slots on average`).join(', ')}`} testId="paged-waste-chart">
      <g className="axis">
        {y.ticks(4).map((t) => (
          <g key={t}>
            <line x1={M.left} x2={W - M.right} y1={y(t)} y2={y(t)} stroke="var(--border)" strokeDasharray="2 3" />
            <text x={M.left - 6} y={y(t) + 4} textAnchor="end">{t.toLocaleString('en-US')}</text>
          </g>
        ))}
        {x.ticks(6).map((t) => <text key={t} x={x(t)} y={H - M.bottom + 16} textAnchor="middle">{t}</text>)}
        <text x={(M.left + W - M.right) / 2} y={H - 4} textAnchor="middle">step (one token per running request)</text>
        <text x={12} y={(H - M.bottom) / 2} transform={`rotate(-90 12 ${(H - M.bottom) / 2})`} textAnchor="middle">wasted slots</text>
      </g>
      {runs.map((r, i) => (
        <g key={r.kind}>
          <path d={line(r)} fill="none" stroke={i ? 'var(--chart-2)' : 'var(--chart-1)'} strokeWidth={2} strokeDasharray={dashes[i]} />
          <text x={W - M.right + 6} y={y(r.steps[n - 1].held - r.steps[n - 1].used + r.steps[n - 1].externalWaste) + 4} style={{ fill: 'var(--fg)' }}>{r.kind}</text>
        </g>
      ))}
      <line x1={x(step)} x2={x(step)} y1={M.top} y2={H - M.bottom} stroke="var(--fg-muted)" />
    </ChartFrame>
  );
}
