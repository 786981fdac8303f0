'use client';

import { WidgetFrame } from '@/components/widget-kit/WidgetFrame';
import { bin } from 'd3-array';
import { scaleLinear } from 'd3-scale';
import { useMemo } from 'react';
import { useWidgetState } from '@/components/widget-kit/useWidgetState';
import { IgnoredLinkValues } from '@/components/widget-kit/IgnoredLinkValues';
import { WeightSourceSelect } from './controls';
import { shortNumber } from '@/lib/formats/display';
import { levelMse, levelSets, type LevelKind } from '@/lib/quant/four-bit-compare';
import { sampleRow, WEIGHT_SOURCES, type WeightSource } from '@/lib/quant/four-bit-samples';
import { levelShares, scaledByBlockAbsmax } from '@/lib/quant/level-usage';
import { nextSeed } from '@/lib/random';
import { SEED_FIELD, type StateSpec } from '@/lib/url/widget-state';
import { ScrollRegion } from '@/components/ui/ScrollRegion';

const WEIGHTS = 16384;
const BLOCK_SIZES = [32, 64, 128, 256] as const;
const KINDS: readonly LevelKind[] = ['nf4', 'int4', 'e2m1'];
const KIND_LABELS: Readonly<Record<LevelKind, string>> = { nf4: 'NF4', int4: 'INT4 (absmax)', e2m1: 'FP4 E2M1' };
const KIND_NOTES: Readonly<Record<LevelKind, string>> = {
  nf4: 'normal quantiles',
  int4: 'evenly spaced, k/7',
  e2m1: 'a tiny float, ÷ 6',
};

type State = { source: WeightSource; blockSize: number; seed: number };
const BASE: State = { source: 'normal', blockSize: 64, seed: 1 };
const SPEC: StateSpec<State> = {
  source: { kind: 'oneOf', options: WEIGHT_SOURCES },
  blockSize: { kind: 'int', min: 1, max: 4096, allowed: BLOCK_SIZES },
  seed: SEED_FIELD,
};

const W = 640;
const M = { left: 120, right: 110 };
const HIST_H = 110;
const ROW_H = 70;
const HIST_BINS = 80;

/**
 * Why a normal float: the weights scaled by their block's absmax, drawn over the 16 NF4 levels,
 * INT4's evenly spaced levels and FP4 E2M1's, each level's stem as tall as the share of weights it
 * receives, and each format's MSE on the same weights (lib/quant/four-bit-compare `levelMse`).
 */
export function WhyNormalFloat({ id = 'levels' }: { id?: string }) {
  const [state, update, ignored] = useWidgetState(id, SPEC, BASE);
  const x = useMemo(() => sampleRow(state.source, WEIGHTS, state.seed), [state.source, state.seed]);
  const sets = useMemo(() => levelSets(), []);
  const rows = useMemo(() => KINDS.map((kind) => {
    const r = levelMse(x, kind, state.blockSize);
    return { kind, levels: sets[kind], mse: r.mse, shares: levelShares(x, r.dequantized, sets[kind], state.blockSize) };
  }), [x, sets, state.blockSize]);
  const hist = useMemo(() => {
    const s = scaledByBlockAbsmax(x, state.blockSize);
    return bin().domain([-1, 1]).thresholds(Array.from({ length: HIST_BINS - 1 }, (_, i) => -1 + (2 * (i + 1)) / HIST_BINS))(Array.from(s));
  }, [x, state.blockSize]);

  const height = HIST_H + rows.length * ROW_H + 40;
  const sx = scaleLinear().domain([-1, 1]).range([M.left, W - M.right]);
  const maxCount = Math.max(1, ...hist.map((b) => b.length));
  const sh = scaleLinear().domain([0, maxCount]).range([HIST_H - 10, 12]);
  const maxShare = Math.max(...rows.flatMap((r) => Array.from(r.shares)));
  const sStem = scaleLinear().domain([0, maxShare]).range([0, ROW_H - 22]);
  const best = rows.reduce((a, b) => (b.mse < a.mse ? b : a));
  const nf4 = rows[0];

  return (
    <WidgetFrame stateId={id} title="Sixteen levels, three ways to place them" subtitle={<>{WEIGHTS.toLocaleString('en-US')} synthetic weights, blocks of {state.blockSize}</>} testId="levels-widget">
      <div className="controls">
        <WeightSourceSelect value={state.source} onChange={(v) => update({ source: v as WeightSource })} testId="levels-source" />
        <label className="control">
          <span>Block size</span>
          <select value={state.blockSize} onChange={(e) => update({ blockSize: Number(e.target.value) })} data-testid="levels-block-size">
            {BLOCK_SIZES.map((b) => <option key={b} value={b}>{b}</option>)}
          </select>
        </label>
        <button type="button" onClick={() => update({ seed: nextSeed(state.seed) })} data-testid="levels-new">New weights</button>
      </div>
      <IgnoredLinkValues ignored={ignored} />

      <figure className="chart" style={{ margin: 0 }}>
        <ScrollRegion className="chart-scroll chart-full" label="Chart, scrolls sideways">
        <svg viewBox={`0 0 ${W} ${height}`} role="img" aria-label={`Weights divided by their block absmax, with the levels of NF4, INT4 and FP4 E2M1 and each one's mean squared error: ${rows.map((r) => `${KIND_LABELS[r.kind]} ${shortNumber(r.mse, 3)}`).join(', ')}`}>
          <g>
            {hist.map((b) => (
              <rect key={b.x0} x={sx(b.x0 ?? 0) + 0.5} width={Math.max(0, sx(b.x1 ?? 0) - sx(b.x0 ?? 0) - 1)} y={sh(b.length)} height={HIST_H - 10 - sh(b.length)} fill="var(--chart-1)" opacity={0.45} />
            ))}
            <text x={M.left - 8} y={HIST_H / 2} textAnchor="end" style={{ fill: 'var(--fg)', fontSize: 12 }}>weights</text>
            <text x={M.left - 8} y={HIST_H / 2 + 14} textAnchor="end">÷ block absmax</text>
          </g>
          {rows.map((r, k) => {
            const base = HIST_H + (k + 1) * ROW_H - 8;
            return (
              <g key={r.kind} data-row={r.kind}>
                <line x1={M.left} x2={W - M.right} y1={base} y2={base} stroke="var(--border)" />
                <text x={M.left - 8} y={base - 22} textAnchor="end" style={{ fill: 'var(--fg)', fontSize: 13, fontWeight: 600 }}>{KIND_LABELS[r.kind]}</text>
                <text x={M.left - 8} y={base - 8} textAnchor="end">{KIND_NOTES[r.kind]}</text>
                {r.levels.map((v, i) => (
                  <g key={v}>
                    <title>{`${KIND_LABELS[r.kind]} level ${shortNumber(v, 4)}: ${shortNumber(r.shares[i] * 100, 3)}% of the weights`}</title>
                    <line x1={sx(v)} x2={sx(v)} y1={base} y2={base - sStem(r.shares[i])} stroke="var(--chart-2)" strokeWidth={2} />
                    <circle cx={sx(v)} cy={base - sStem(r.shares[i])} r={3} fill="var(--chart-2)" />
                  </g>
                ))}
                <text x={W - M.right + 8} y={base - 22} style={{ fill: 'var(--fg)', fontSize: 12 }}>MSE {shortNumber(r.mse, 3)}</text>
                <text x={W - M.right + 8} y={base - 8}>{r === best ? 'lowest' : `${shortNumber(r.mse / best.mse, 3)}× the lowest`}</text>
              </g>
            );
          })}
          <g className="axis">
            {[-1, -0.5, 0, 0.5, 1].map((t) => (
              <text key={t} x={sx(t)} y={height - 18} textAnchor="middle">{t}</text>
            ))}
            <text x={(M.left + W - M.right) / 2} y={height - 2} textAnchor="middle">value ÷ block absmax (stem height: share of weights at that level)</text>
          </g>
        </svg>
        </ScrollRegion>
      </figure>
      <ScrollRegion label="Levels of each format">
        <table className="compact-table" data-testid="levels-table">
          <thead>
            <tr>
              <th scope="col">Format</th>
              <th scope="col">Distinct levels</th>
              <th scope="col">MSE</th>
              <th scope="col">Busiest level</th>
              <th scope="col">Quietest level</th>
            </tr>
          </thead>
          <tbody>
            {rows.map((r) => (
              <tr key={r.kind} data-kind={r.kind}>
                <th scope="row">{KIND_LABELS[r.kind]}</th>
                <td>{r.levels.length}</td>
                <td data-testid={`levels-mse-${r.kind}`}>{shortNumber(r.mse, 3)}</td>
                <td>{shortNumber(Math.max(...r.shares) * 100, 3)}%</td>
                <td>{shortNumber(Math.min(...r.shares) * 100, 3)}%</td>
              </tr>
            ))}
          </tbody>
        </table>
      </ScrollRegion>
      <p className="widget-caption" data-testid="levels-summary">
        On these weights NF4&rsquo;s error is {shortNumber(nf4.mse / rows[1].mse, 3)}× INT4&rsquo;s and {shortNumber(nf4.mse / rows[2].mse, 3)}×
        E2M1&rsquo;s. INT4 and E2M1 have 15 distinct levels (their 16th code repeats zero or goes unused); NF4 uses all 16.
      </p>
    </WidgetFrame>
  );
}
