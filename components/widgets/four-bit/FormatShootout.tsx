'use client';

import { WidgetFrame } from '@/components/widget-kit/WidgetFrame';
import { scaleLinear } from 'd3-scale';
import { useMemo } from 'react';
import { useWidgetState } from '@/components/widget-kit/useWidgetState';
import { IgnoredLinkValues } from '@/components/widget-kit/IgnoredLinkValues';
import { WeightSourceSelect } from './controls';
import { shortNumber } from '@/lib/formats/display';
import { SHOOTOUT_WEIGHTS, formatShootout, shootoutFrontier, type ShootoutFormat, type ShootoutRow } from '@/lib/quant/four-bit-compare';
import { sampleRow, WEIGHT_SOURCES, type WeightSource } from '@/lib/quant/four-bit-samples';
import { nextSeed } from '@/lib/random';
import { SEED_FIELD, type StateSpec } from '@/lib/url/widget-state';
import { ScrollRegion } from '@/components/ui/ScrollRegion';

const GROUP_SIZES = [32, 64, 128] as const;
type State = { source: WeightSource; groupSize: number; seed: number };
const BASE: State = { source: 'normal', groupSize: 64, seed: 1 };
const SPEC: StateSpec<State> = {
  source: { kind: 'oneOf', options: WEIGHT_SOURCES },
  groupSize: { kind: 'int', min: 1, max: 4096, allowed: GROUP_SIZES },
  seed: SEED_FIELD,
};

/** Marker shapes, so the families are told apart without colour. */
const FAMILY: Readonly<Record<ShootoutFormat, 'int' | 'bnb' | 'mx' | 'gguf'>> = {
  'int4-group': 'int', nf4: 'bnb', fp4: 'bnb', mxfp4: 'mx', nvfp4: 'mx', q4_0: 'gguf', q4_1: 'gguf', q8_0: 'gguf',
};
const FAMILY_LABELS = { int: 'integer groups (GPTQ/AWQ style)', bnb: 'bitsandbytes (QLoRA)', mx: 'microscaling (OCP MX, NVIDIA)', gguf: 'GGUF (llama.cpp)' } as const;
const FAMILY_COLOUR = { int: 'var(--chart-3)', bnb: 'var(--chart-1)', mx: 'var(--chart-2)', gguf: 'var(--fg)' } as const;

function Marker({ family, cx, cy, r = 5 }: { family: keyof typeof FAMILY_LABELS; cx: number; cy: number; r?: number }) {
  const fill = FAMILY_COLOUR[family];
  if (family === 'bnb') return <circle cx={cx} cy={cy} r={r} fill={fill} />;
  if (family === 'mx') return <path d={`M${cx},${cy - r * 1.2}L${cx + r * 1.2},${cy}L${cx},${cy + r * 1.2}L${cx - r * 1.2},${cy}Z`} fill={fill} />;
  if (family === 'gguf') return <rect x={cx - r} y={cy - r} width={2 * r} height={2 * r} fill={fill} />;
  return <path d={`M${cx},${cy - r * 1.2}L${cx + r * 1.1},${cy + r * 0.8}L${cx - r * 1.1},${cy + r * 0.8}Z`} fill={fill} />;
}

const W = 640;
const H = 300;
const M = { left: 72, right: 130, top: 16, bottom: 44 };

/**
 * Format shoot-out: the same weights through every 4- and 8-bit storage format of the lesson
 * (lib/quant/four-bit-compare `formatShootout`: real quantize → dequantize round trips), error
 * against the true bits per weight with every constant counted.
 */
export function FormatShootout({ id = 'shootout' }: { id?: string }) {
  const [state, update, ignored] = useWidgetState(id, SPEC, BASE);
  const x = useMemo(() => sampleRow(state.source, SHOOTOUT_WEIGHTS, state.seed), [state.source, state.seed]);
  const rows = useMemo(() => formatShootout(x, { groupSize: state.groupSize }), [x, state.groupSize]);

  // One chart with a broken bits axis: 4–6 bits on the left, the 8-bit format in a narrow panel on
  // the right, both on the same linear error axis (from 0, so the heights compare honestly).
  const finite = rows.filter((r) => Number.isFinite(r.mse));
  const narrow = finite.filter((r) => r.bitsPerWeight < 6);
  const wide = finite.filter((r) => r.bitsPerWeight >= 6);
  const splitX = wide.length > 0 ? W - M.right - 90 : W - M.right;
  const sx = scaleLinear().domain([4, Math.max(4.5, ...narrow.map((r) => r.bitsPerWeight)) + 0.1]).range([M.left, splitX - 24]);
  const sxWide = scaleLinear().domain([Math.min(8, ...wide.map((r) => r.bitsPerWeight)) - 0.5, Math.max(9, ...wide.map((r) => r.bitsPerWeight)) + 0.5]).range([splitX + 6, W - M.right]);
  const xOf = (r: ShootoutRow) => (r.bitsPerWeight >= 6 ? sxWide(r.bitsPerWeight) : sx(r.bitsPerWeight));
  const sy = scaleLinear().domain([0, Math.max(1e-30, ...finite.map((r) => r.mse)) * 1.12]).range([H - M.bottom, M.top]).nice();
  const fourBit = rows.filter((r) => r.bitsPerWeight < 6 && Number.isFinite(r.mse));
  const best4 = fourBit.length > 0 ? fourBit.reduce((a, b) => (b.mse < a.mse ? b : a)) : rows[0];
  const frontier = shootoutFrontier(rows);
  const sorted = [...rows].sort((a, b) => a.bitsPerWeight - b.bitsPerWeight || a.mse - b.mse);
  // Each label goes to the first spot (right, left, above, below its marker) that overlaps no marker
  // and no label already placed; boxes are estimated at 6 px a character.
  type Box = { x0: number; x1: number; y0: number; y1: number };
  const boxes: Box[] = finite.map((r) => ({ x0: xOf(r) - 7, x1: xOf(r) + 7, y0: sy(r.mse) - 7, y1: sy(r.mse) + 7 }));
  const labelAt = new Map<ShootoutFormat, { x: number; y: number; anchor: 'start' | 'end' | 'middle' }>();
  const overlaps = (a: Box) => boxes.some((b) => a.x0 < b.x1 && b.x0 < a.x1 && a.y0 < b.y1 && b.y0 < a.y1);
  for (const r of [...finite].sort((a, b) => a.bitsPerWeight - b.bitsPerWeight)) {
    const cx = xOf(r), cy = sy(r.mse), w = 6 * r.label.length;
    const candidates: { x: number; y: number; anchor: 'start' | 'end' | 'middle'; box: Box }[] = [
      { x: cx + 9, y: cy + 4, anchor: 'start', box: { x0: cx + 9, x1: cx + 9 + w, y0: cy - 6, y1: cy + 6 } },
      { x: cx - 9, y: cy + 4, anchor: 'end', box: { x0: cx - 9 - w, x1: cx - 9, y0: cy - 6, y1: cy + 6 } },
      { x: cx, y: cy - 11, anchor: 'middle', box: { x0: cx - w / 2, x1: cx + w / 2, y0: cy - 21, y1: cy - 9 } },
      { x: cx, y: cy + 19, anchor: 'middle', box: { x0: cx - w / 2, x1: cx + w / 2, y0: cy + 9, y1: cy + 21 } },
      { x: cx - 6, y: cy - 11, anchor: 'start', box: { x0: cx - 6, x1: cx - 6 + w, y0: cy - 21, y1: cy - 9 } },
      { x: cx - 6, y: cy + 19, anchor: 'start', box: { x0: cx - 6, x1: cx - 6 + w, y0: cy + 9, y1: cy + 21 } },
    ];
    const inside = (c: Box) => c.x0 >= M.left - 10 && c.x1 <= W && c.y0 >= 0 && c.y1 <= H - M.bottom + 2;
    const pick = candidates.find((c) => inside(c.box) && !overlaps(c.box)) ?? candidates.find((c) => inside(c.box)) ?? candidates[0];
    boxes.push(pick.box);
    labelAt.set(r.format, pick);
  }

  return (
    <WidgetFrame stateId={id} title="Format shoot-out" subtitle={<>{SHOOTOUT_WEIGHTS.toLocaleString('en-US')} synthetic weights, every format on the same ones</>} testId="shootout-widget">
      <div className="controls">
        <WeightSourceSelect value={state.source} onChange={(v) => update({ source: v as WeightSource })} testId="shootout-source" />
        <label className="control">
          <span>INT4 group size</span>
          <select value={state.groupSize} onChange={(e) => update({ groupSize: Number(e.target.value) })} data-testid="shootout-group">
            {GROUP_SIZES.map((g) => <option key={g} value={g}>{g}</option>)}
          </select>
        </label>
        <button type="button" onClick={() => update({ seed: nextSeed(state.seed) })} data-testid="shootout-new">New weights</button>
      </div>
      <IgnoredLinkValues ignored={ignored} />

      <figure className="chart" style={{ margin: 0 }}>
        <ScrollRegion className="chart-scroll chart-full" label="Chart, scrolls sideways">
        <svg viewBox={`0 0 ${W} ${H}`} role="img" aria-label={`Mean squared error against bits per weight: ${rows.map((r) => `${r.label} ${shortNumber(r.mse, 3)} at ${shortNumber(r.bitsPerWeight, 4)} bits`).join('; ')}`}>
          <g className="axis">
            {sy.ticks(5).map((t) => (
              <g key={t}>
                <line x1={M.left} x2={W - M.right} y1={sy(t)} y2={sy(t)} stroke="var(--border)" strokeDasharray="2 3" />
                <text x={M.left - 6} y={sy(t) + 4} textAnchor="end">{t === 0 ? '0' : t.toExponential(1)}</text>
              </g>
            ))}
            {sx.ticks(5).map((t) => (
              <text key={t} x={sx(t)} y={H - M.bottom + 16} textAnchor="middle">{t}</text>
            ))}
            {wide.length > 0 && (
              <>
                {sxWide.ticks(2).map((t) => (
                  <text key={`w${t}`} x={sxWide(t)} y={H - M.bottom + 16} textAnchor="middle">{t}</text>
                ))}
                <path d={`M${splitX - 14},${H - M.bottom + 6}l6,-12M${splitX - 6},${H - M.bottom + 6}l6,-12`} stroke="var(--fg-muted)" fill="none" />
                <line x1={splitX - 4} x2={splitX - 4} y1={M.top} y2={H - M.bottom} stroke="var(--border)" />
              </>
            )}
            <text x={(M.left + W - M.right) / 2} y={H - 6} textAnchor="middle">bits per weight, every constant counted (the axis jumps from 6 to 8)</text>
            <text x={14} y={(H - M.bottom) / 2} transform={`rotate(-90 14 ${(H - M.bottom) / 2})`} textAnchor="middle">MSE (lower is better)</text>
          </g>
          {finite.map((r) => (
            <g key={r.format} data-format={r.format}>
              <title>{`${r.label}: MSE ${shortNumber(r.mse, 3)}, SQNR ${shortNumber(r.sqnrDb, 3)} dB, ${shortNumber(r.bitsPerWeight, 4)} bits per weight`}</title>
              <Marker family={FAMILY[r.format]} cx={xOf(r)} cy={sy(r.mse)} r={frontier.includes(r) ? 6.5 : 4.5} />
              <text x={labelAt.get(r.format)?.x} y={labelAt.get(r.format)?.y} textAnchor={labelAt.get(r.format)?.anchor} style={{ fill: 'var(--fg)', fontSize: 11 }}>
                {r.label}
              </text>
            </g>
          ))}
        </svg>
        </ScrollRegion>
      </figure>
      <p className="bit-legend">
        {(Object.keys(FAMILY_LABELS) as (keyof typeof FAMILY_LABELS)[]).map((f) => (
          <span key={f}>
            <svg width="14" height="14" viewBox="-7 -7 14 14" aria-hidden="true"><Marker family={f} cx={0} cy={0} r={5} /></svg> {FAMILY_LABELS[f]}
          </span>
        ))}
      </p>
      <ScrollRegion label="Error of each format">
        <table className="compact-table" data-testid="shootout-table">
          <thead>
            <tr>
              <th scope="col">Format</th>
              <th scope="col">Bits per weight</th>
              <th scope="col">MSE</th>
              <th scope="col">SQNR</th>
              <th scope="col">Largest error</th>
            </tr>
          </thead>
          <tbody>
            {sorted.map((r) => (
              <tr key={r.format} data-format={r.format} data-frontier={frontier.includes(r)}>
                <th scope="row">{r.label}{frontier.includes(r) ? ' ★' : ''}</th>
                <td data-testid={`shootout-bits-${r.format}`}>{shortNumber(r.bitsPerWeight, 5)}</td>
                <td data-testid={`shootout-mse-${r.format}`}>{r.overflowed ? 'overflow' : shortNumber(r.mse, 3)}</td>
                <td>{Number.isFinite(r.sqnrDb) ? `${shortNumber(r.sqnrDb, 3)} dB` : '∞ (exact)'}</td>
                <td>{shortNumber(r.maxAbsErr, 3)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </ScrollRegion>
      <p className="widget-caption" data-testid="shootout-summary">
        Below 6 bits, {best4.label} has the lowest error on these weights ({shortNumber(best4.mse, 3)} at {shortNumber(best4.bitsPerWeight, 4)} bits).
        No format beats {frontier.map((r) => r.label).join(', ')} on both size and error (the larger markers, ★ in the table); each of the others is
        outdone by one of them. SQNR is 10·log₁₀(Σx² / Σ(x − x′)²): about 6 dB per bit of accuracy.
      </p>
    </WidgetFrame>
  );
}
