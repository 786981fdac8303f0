'use client';

import { WidgetFrame } from '@/components/widget-kit/WidgetFrame';
import { scaleLinear, scaleLog } from 'd3-scale';
import { line } from 'd3-shape';
import { useMemo, useState } from 'react';
import { useWidgetState } from '@/components/widget-kit/useWidgetState';
import { IgnoredLinkValues } from '@/components/widget-kit/IgnoredLinkValues';
import { WeightSourceSelect } from './controls';
import { shortNumber } from '@/lib/formats/display';
import { blockAbsmaxReport, blockSizeSweep, SWEEP_BLOCK_SIZES } from '@/lib/quant/four-bit-compare';
import { outlierIndex, sampleRow, WEIGHT_SOURCES, type WeightSource } from '@/lib/quant/four-bit-samples';
import { nextSeed } from '@/lib/random';
import { SEED_FIELD, type StateSpec } from '@/lib/url/widget-state';
import { ScrollRegion } from '@/components/ui/ScrollRegion';

const ROW = 4096;
type State = { source: WeightSource; blockSize: number; seed: number };
const BASE: State = { source: 'outlier', blockSize: 64, seed: 3 };
const SPEC: StateSpec<State> = {
  source: { kind: 'oneOf', options: WEIGHT_SOURCES },
  blockSize: { kind: 'int', min: 1, max: ROW, allowed: SWEEP_BLOCK_SIZES },
  seed: SEED_FIELD,
};

const W = 640;
const M = { left: 56, right: 16 };
const ROW_H = 150;
const STRIP_H = 26;

/** Per pixel column, the min and max weight: a waveform that draws 4096 weights in one path. */
function envelopePath(x: Float32Array, sx: (i: number) => number, sy: (v: number) => number, columns: number): string {
  const per = x.length / columns;
  let d = '';
  for (let c = 0; c < columns; c++) {
    let lo = Infinity, hi = -Infinity;
    for (let i = Math.floor(c * per); i < Math.floor((c + 1) * per); i++) {
      lo = Math.min(lo, x[i]);
      hi = Math.max(hi, x[i]);
    }
    if (lo > hi) continue;
    const px = sx((c + 0.5) * per).toFixed(1);
    d += `M${px},${sy(hi).toFixed(1)}V${Math.min(sy(lo), sy(hi) + 1).toFixed(1)}`;
  }
  return d;
}

/** Every block size as MSE (log) against bits per weight, float32 absmax and double-quantized; the chosen size marked. */
function SweepChart({ sweep, blockSize }: { sweep: ReturnType<typeof blockSizeSweep>; blockSize: number }) {
  const SW_H = 190;
  const sm = { left: 70, right: 24, top: 14, bottom: 40 };
  const allMse = sweep.flatMap((r) => [r.mse, r.mseDQ]).filter((v) => v > 0);
  const px = scaleLinear().domain([4, Math.max(...sweep.map((r) => r.bitsPerParameter)) * 1.01]).range([sm.left, W - sm.right]);
  const py = scaleLog().domain([Math.min(...allMse) / 1.3, Math.max(...allMse) * 1.3]).range([SW_H - sm.bottom, sm.top]);
  const fp32Line = line<(typeof sweep)[number]>().x((r) => px(r.bitsPerParameter)).y((r) => py(Math.max(r.mse, py.domain()[0])));
  const dqLine = line<(typeof sweep)[number]>().x((r) => px(r.bitsPerParameterDQ)).y((r) => py(Math.max(r.mseDQ, py.domain()[0])));
  return (
    <>
      <h4 className="nl-subtitle">Every block size: error against bits per weight</h4>
      <figure className="chart" style={{ margin: 0 }}>
        <ScrollRegion className="chart-scroll chart-full" label="Chart, scrolls sideways">
        <svg viewBox={`0 0 ${W} ${SW_H}`} role="img" aria-label={`MSE against bits per weight for block sizes 32 to 4096: ${sweep.map((r) => `${r.blockSize}: ${shortNumber(r.mse, 3)} at ${shortNumber(r.bitsPerParameter, 4)} bits`).join('; ')}`}>
          <g className="axis">
            {py.ticks(4).filter((t) => Math.abs(Math.log10(t) - Math.round(Math.log10(t))) < 1e-9).map((t) => (
              <g key={t}>
                <line x1={sm.left} x2={W - sm.right} y1={py(t)} y2={py(t)} stroke="var(--border)" strokeDasharray="2 3" />
                <text x={sm.left - 6} y={py(t) + 4} textAnchor="end">{t.toExponential(0)}</text>
              </g>
            ))}
            {px.ticks(6).map((t) => (
              <text key={t} x={px(t)} y={SW_H - sm.bottom + 16} textAnchor="middle">{t}</text>
            ))}
            <text x={(sm.left + W - sm.right) / 2} y={SW_H - 4} textAnchor="middle">bits per weight, constants included</text>
            <text x={14} y={(SW_H - sm.bottom) / 2} transform={`rotate(-90 14 ${(SW_H - sm.bottom) / 2})`} textAnchor="middle">MSE (log)</text>
          </g>
          <path d={fp32Line(sweep) ?? ''} fill="none" stroke="var(--chart-2)" strokeWidth={1.5} strokeDasharray="5 3" />
          <path d={dqLine(sweep) ?? ''} fill="none" stroke="var(--chart-1)" strokeWidth={2} />
          {sweep.map((r) => (
            <g key={r.blockSize} data-sweep={r.blockSize}>
              <title>{`Blocks of ${r.blockSize}: MSE ${shortNumber(r.mse, 3)} at ${shortNumber(r.bitsPerParameter, 4)} bits (float32 absmax), ${shortNumber(r.mseDQ, 3)} at ${shortNumber(r.bitsPerParameterDQ, 4)} bits (double-quantized)`}</title>
              <rect x={px(r.bitsPerParameter) - 3.5} y={py(Math.max(r.mse, py.domain()[0])) - 3.5} width={7} height={7} fill="var(--chart-2)" />
              <circle cx={px(r.bitsPerParameterDQ)} cy={py(Math.max(r.mseDQ, py.domain()[0]))} r={r.blockSize === blockSize ? 6 : 3.5} fill="var(--chart-1)" stroke={r.blockSize === blockSize ? 'var(--fg)' : 'none'} strokeWidth={2} />
              {(r.blockSize <= 256 || r.blockSize === 4096) && (
                <text x={px(r.bitsPerParameterDQ)} y={py(Math.max(r.mseDQ, py.domain()[0])) - 9} textAnchor="middle">{r.blockSize}</text>
              )}
            </g>
          ))}
        </svg>
        </ScrollRegion>
      </figure>
      <p className="bit-legend">
        <span>● solid line: absmax double-quantized (QLoRA)</span>
        <span>■ dashed line: absmax in float32</span>
        <span>labels: block size; the larger dot is the block size chosen above</span>
      </p>
    </>
  );
}

/**
 * Blocks and absmax: a row of 4096 weights cut into blocks, each block's ±absmax drawn over the
 * weights and each block's NF4 error as a strip below (lib/quant/four-bit-compare
 * `blockAbsmaxReport`), then every block size from 32 to 4096 as error against bits per parameter,
 * the constants included (`blockSizeSweep`).
 */
export function BlocksAndAbsmax({ id = 'blocks' }: { id?: string }) {
  const [state, update, ignored] = useWidgetState(id, SPEC, BASE);
  const [hoverBlock, setHoverBlock] = useState<number | null>(null);
  const x = useMemo(() => sampleRow(state.source, ROW, state.seed), [state.source, state.seed]);
  const report = useMemo(() => blockAbsmaxReport(x, state.blockSize), [x, state.blockSize]);
  const sweep = useMemo(() => blockSizeSweep(x), [x]);
  const whole = sweep[sweep.length - 1];
  const outlierBlock = state.source === 'outlier' ? Math.floor(outlierIndex(ROW, state.seed) / state.blockSize) : null;

  const sx = scaleLinear().domain([0, ROW]).range([M.left, W - M.right]);
  // One outlier would flatten every other block: when the largest absmax is over 3x the next, the
  // axis stops at 1.5x the next and the outlier's block is drawn clipped, with its value written on it.
  const ranked = [...report.absmax].sort((a, b) => b - a);
  const amax = ranked[0];
  const clipped = ranked.length > 1 && amax > 3 * ranked[1];
  const top = clipped ? 1.5 * ranked[1] : amax;
  const sy = scaleLinear().domain([-top, top]).range([ROW_H - 6, 6]).clamp(true);
  const maxBlockMse = Math.max(...report.blockMse, 1e-30);
  const shade = scaleLinear().domain([0, maxBlockMse]).range([0.06, 1]);
  const blocks = report.absmax.length;
  const worst = report.blockMse.indexOf(maxBlockMse);
  const shown = hoverBlock ?? worst;

  const current = sweep.find((r) => r.blockSize === state.blockSize) ?? sweep[0];

  return (
    <WidgetFrame stateId={id} title="Blocks and their absmax" subtitle={<>A row of {ROW.toLocaleString('en-US')} synthetic weights, NF4</>} testId="blocks-widget">
      <div className="controls">
        <WeightSourceSelect value={state.source} onChange={(v) => update({ source: v as WeightSource })} testId="blocks-source" />
        <label className="control">
          <span>Block size: {state.blockSize} ({blocks} block{blocks === 1 ? '' : 's'})</span>
          <input
            type="range" min={0} max={SWEEP_BLOCK_SIZES.length - 1} step={1}
            value={SWEEP_BLOCK_SIZES.indexOf(state.blockSize)}
            onChange={(e) => { setHoverBlock(null); update({ blockSize: SWEEP_BLOCK_SIZES[Number(e.target.value)] }); }}
            aria-valuetext={`${state.blockSize} weights per block`}
            data-testid="blocks-size"
          />
        </label>
        <button type="button" onClick={() => update({ seed: nextSeed(state.seed) })} data-testid="blocks-new">New weights</button>
      </div>
      <IgnoredLinkValues ignored={ignored} />

      <figure className="chart" style={{ margin: 0 }}>
        <ScrollRegion className="chart-scroll chart-full" label="Chart, scrolls sideways">
        <svg viewBox={`0 0 ${W} ${ROW_H + STRIP_H + 40}`} role="img" aria-label={`The row's weights in ${blocks} blocks of ${state.blockSize}, each block's absmax, and each block's error; the worst block is ${worst}`}>
          {Array.from(report.absmax, (a, b) => (
            <g key={b} onMouseEnter={() => setHoverBlock(b)} onMouseLeave={() => setHoverBlock(null)}>
              <rect x={sx(b * state.blockSize)} width={Math.max(0.5, sx(Math.min(ROW, (b + 1) * state.blockSize)) - sx(b * state.blockSize))} y={sy(a)} height={Math.max(0.5, sy(-a) - sy(a))}
                fill="var(--chart-3)" opacity={b === shown ? 0.28 : 0.1} />
              <rect x={sx(b * state.blockSize)} width={Math.max(0.5, sx(Math.min(ROW, (b + 1) * state.blockSize)) - sx(b * state.blockSize))} y={ROW_H + 8} height={STRIP_H}
                fill="var(--bad)" opacity={shade(report.blockMse[b])} stroke={b === shown ? 'var(--fg)' : 'none'} data-block={b}>
                <title>{`Block ${b}: absmax ${shortNumber(a, 4)}, MSE ${shortNumber(report.blockMse[b], 3)}`}</title>
              </rect>
            </g>
          ))}
          {blocks <= 128 && Array.from({ length: blocks - 1 }, (_, b) => (
            <line key={b} x1={sx((b + 1) * state.blockSize)} x2={sx((b + 1) * state.blockSize)} y1={4} y2={ROW_H + 8 + STRIP_H} stroke="var(--border)" strokeWidth={0.6} />
          ))}
          <path d={envelopePath(x, sx, sy, W - M.left - M.right)} stroke="var(--chart-1)" strokeWidth={1} fill="none" pointerEvents="none" />
          <line x1={M.left} x2={W - M.right} y1={sy(0)} y2={sy(0)} stroke="var(--border)" />
          <text x={M.left - 6} y={sy(top) + 4} textAnchor="end">{shortNumber(top, 2)}</text>
          <text x={M.left - 6} y={sy(0) + 4} textAnchor="end">0</text>
          <text x={M.left - 6} y={sy(-top)} textAnchor="end">{shortNumber(-top, 2)}</text>
          {clipped && (() => {
            const b = report.absmax.indexOf(amax);
            const cx = sx((b + 0.5) * state.blockSize);
            return (
              <g data-testid="blocks-clipped">
                <path d={`M${cx - 5},${14}L${cx},${6}L${cx + 5},${14}`} fill="none" stroke="var(--fg)" strokeWidth={1.5} />
                <text x={cx + 8} y={14} style={{ fill: 'var(--fg)', fontSize: 11 }} textAnchor={cx > W / 2 ? 'end' : 'start'} dx={cx > W / 2 ? -16 : 0}>
                  absmax {shortNumber(amax, 3)}, off the scale
                </text>
              </g>
            );
          })()}
          <text x={M.left - 6} y={ROW_H + 8 + STRIP_H / 2 + 4} textAnchor="end">error</text>
          <text x={(M.left + W - M.right) / 2} y={ROW_H + STRIP_H + 34} textAnchor="middle">weight index (shaded band: each block&rsquo;s ±absmax; strip: each block&rsquo;s MSE, darker is worse)</text>
        </svg>
        </ScrollRegion>
      </figure>
      <p className="widget-caption" aria-live="polite" data-testid="blocks-readout">
        Block {shown}{hoverBlock === null ? ' (the worst)' : ''}: absmax {shortNumber(report.absmax[shown], 4)}, MSE {shortNumber(report.blockMse[shown], 3)}
        {outlierBlock !== null && outlierBlock === shown ? ' — it holds the outlier' : ''}.
        {outlierBlock !== null && blocks > 1 && (
          <> The outlier stretches only block {outlierBlock}&rsquo;s grid: the other {blocks - 1} blocks keep their own absmax.</>
        )}
      </p>

      <dl className="stat-grid">
        <div className="stat">
          <dt>MSE, blocks of {state.blockSize}</dt>
          <dd data-testid="blocks-mse">{shortNumber(report.mse, 3)}</dd>
        </div>
        <div className="stat">
          <dt>MSE, one absmax for the row</dt>
          <dd data-testid="blocks-mse-whole">{shortNumber(whole.mse, 3)} ({shortNumber(whole.mse / report.mse, 3)}×)</dd>
        </div>
        <div className="stat">
          <dt>Bits per weight, float32 absmax</dt>
          <dd data-testid="blocks-bits">{shortNumber(current.bitsPerParameter, 5)}</dd>
        </div>
        <div className="stat">
          <dt>… with double quantization</dt>
          <dd data-testid="blocks-bits-dq">{shortNumber(current.bitsPerParameterDQ, 5)}</dd>
        </div>
      </dl>

      <SweepChart sweep={sweep} blockSize={state.blockSize} />
    </WidgetFrame>
  );
}
