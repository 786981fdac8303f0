'use client';

import { scaleLog } from 'd3-scale';
import { ChartFrame } from '@/components/charts/ChartFrame';
import { WidgetFrame } from '@/components/widget-kit/WidgetFrame';
import { useWidgetState } from '@/components/widget-kit/useWidgetState';
import { IgnoredLinkValues } from '@/components/widget-kit/IgnoredLinkValues';
import { ARCHITECTURE_PRESETS, PRESET_IDS, presetArchitecture, totalParameters, type Architecture } from '@/lib/lora/architectures';
import {
  KV_CACHE_BYTES_PER_VALUE,
  KV_CACHE_DTYPES,
  KV_CACHE_DTYPE_LABELS,
  WEIGHT_FORMATS,
  WEIGHT_FORMAT_LABELS,
  formatBinaryBytes,
  formatBytes,
  kvCacheBytes,
  kvCacheBytesPerToken,
  trimNumber,
  weightBytes,
  type KvCacheDType,
  type WeightFormat,
} from '@/lib/memory';
import { kvCrossoverContext, kvCurve } from '@/lib/serving/kv-memory';
import type { StateSpec } from '@/lib/url/widget-state';

type State = { arch: string; kv: string; weights: string; ctx: number; batch: number };
const BASE: State = { arch: 'llama-2-7b', kv: 'fp16', weights: 'fp16', ctx: 12, batch: 0 };
const SPEC: StateSpec<State> = {
  arch: { kind: 'oneOf', options: PRESET_IDS },
  kv: { kind: 'oneOf', options: KV_CACHE_DTYPES },
  weights: { kind: 'oneOf', options: WEIGHT_FORMATS },
  ctx: { kind: 'int', min: 7, max: 20 },
  batch: { kind: 'int', min: 0, max: 10 },
};

const W = 640, H = 260;
const M = { left: 64, right: 20, top: 14, bottom: 40 };

function tokens(n: number): string {
  return n >= 1024 ? `${trimNumber(n / 1024)}K` : String(n);
}

function Chart({ arch, kv, batch, context, weights }: { arch: Architecture; kv: KvCacheDType; batch: number; context: number; weights: number }) {
  const curve = kvCurve(arch, kv, batch);
  const one = kvCurve(arch, kv, 1);
  const lo = Math.min(one[0].bytes, weights) / 2, hi = Math.max(curve[curve.length - 1].bytes, weights) * 2;
  const x = scaleLog().base(2).domain([curve[0].context, curve[curve.length - 1].context]).range([M.left, W - M.right]);
  const y = scaleLog().domain([lo, hi]).range([H - M.bottom, M.top]);
  const path = (pts: typeof curve) => pts.map((p, i) => `${i ? 'L' : 'M'}${x(p.context)},${y(p.bytes)}`).join('');
  const yTicks = y.ticks(6).filter((t) => Math.log10(t) % 1 === 0);
  return (
    <ChartFrame width={W} height={H} testId="kv-chart" title={`KV cache bytes against context for ${batch} sequence${batch > 1 ? 's' : ''}, log-log, with the weights' ${formatBytes(weights)} as a horizontal line`}>
      <g className="axis">
        {yTicks.map((t) => (
          <g key={t}>
            <line x1={M.left} x2={W - M.right} y1={y(t)} y2={y(t)} stroke="var(--border)" strokeDasharray="2 3" />
            <text x={M.left - 6} y={y(t) + 4} textAnchor="end">{formatBytes(t)}</text>
          </g>
        ))}
        {curve.filter((_, i) => i % 2 === 1).map((p) => <text key={p.context} x={x(p.context)} y={H - M.bottom + 16} textAnchor="middle">{tokens(p.context)}</text>)}
        <text x={(M.left + W - M.right) / 2} y={H - 6} textAnchor="middle">context (tokens per sequence, log scale)</text>
      </g>
      <line x1={M.left} x2={W - M.right} y1={y(weights)} y2={y(weights)} stroke="var(--chart-2)" strokeWidth={2} strokeDasharray="6 4" />
      <text x={M.left + 6} y={y(weights) - 6} style={{ fill: 'var(--fg)' }}>weights {formatBytes(weights)}</text>
      {batch > 1 && <path d={path(one)} fill="none" stroke="var(--fg-muted)" strokeWidth={1.5} strokeDasharray="2 3" />}
      {batch > 1 && <text x={W - M.right - 4} y={y(one[one.length - 1].bytes) + 14} textAnchor="end">batch 1</text>}
      <path d={path(curve)} fill="none" stroke="var(--chart-1)" strokeWidth={2.5} />
      <text x={W - M.right - 4} y={y(curve[curve.length - 1].bytes) - 6} textAnchor="end" style={{ fill: 'var(--fg)' }}>KV cache, batch {batch}</text>
      <circle cx={x(context)} cy={y(kvCacheBytes(arch, kv, context, batch))} r={5} fill="var(--chart-1)" stroke="var(--bg)" />
    </ChartFrame>
  );
}

/**
 * The KV cache against the weights (lib/memory kvCacheBytes over lib/lora's presets, lib/serving
 * kv-memory): an architecture, cache dtype, context and batch; where the cache outgrows the weights.
 */
export function KvCacheVsWeights({ id = 'kvcache' }: { id?: string }) {
  const [state, update, ignored] = useWidgetState(id, SPEC, BASE);
  const arch = presetArchitecture(state.arch);
  const kv = state.kv as KvCacheDType, format = state.weights as WeightFormat;
  const context = 2 ** state.ctx, batch = 2 ** state.batch;
  const perToken = kvCacheBytesPerToken(arch, kv);
  const cache = kvCacheBytes(arch, kv, context, batch);
  const weights = weightBytes(totalParameters(arch), format);
  const crossover = kvCrossoverContext(arch, kv, batch, format);
  return (
    <WidgetFrame stateId={id} title="The KV cache against the weights" subtitle={`${arch.label}: ${arch.layers} layers, ${arch.kvHeads} KV heads${arch.kvHeads < arch.heads ? ` of ${arch.heads} (GQA)` : ''} × ${arch.headDim}`} testId="kv-widget">
      <div className="controls">
        <label className="control">
          <span>Architecture</span>
          <select value={state.arch} onChange={(e) => update({ arch: e.target.value })} data-testid="kv-arch">
            {ARCHITECTURE_PRESETS.map((a) => <option key={a.id} value={a.id}>{a.label}</option>)}
          </select>
        </label>
        <label className="control">
          <span>KV cache dtype</span>
          <select value={state.kv} onChange={(e) => update({ kv: e.target.value })} data-testid="kv-dtype">
            {KV_CACHE_DTYPES.map((d) => <option key={d} value={d}>{KV_CACHE_DTYPE_LABELS[d]}</option>)}
          </select>
        </label>
        <label className="control">
          <span>Weights</span>
          <select value={state.weights} onChange={(e) => update({ weights: e.target.value })} data-testid="kv-weights">
            {WEIGHT_FORMATS.map((f) => <option key={f} value={f}>{WEIGHT_FORMAT_LABELS[f]}</option>)}
          </select>
        </label>
        <label className="control">
          <span>Context: {context.toLocaleString('en-US')} tokens</span>
          <input type="range" min={7} max={20} value={state.ctx} onChange={(e) => update({ ctx: Number(e.target.value) })} aria-valuetext={`${context} tokens`} data-testid="kv-context" />
        </label>
        <label className="control">
          <span>Batch: {batch} sequence{batch > 1 ? 's' : ''}</span>
          <input type="range" min={0} max={10} value={state.batch} onChange={(e) => update({ batch: Number(e.target.value) })} aria-valuetext={`${batch} sequences`} data-testid="kv-batch" />
        </label>
      </div>
      <IgnoredLinkValues ignored={ignored} />
      <p className="widget-caption" data-testid="kv-formula">
        2 (K and V) × {arch.layers} layers × {arch.kvHeads} KV heads × {arch.headDim} × {trimNumber(KV_CACHE_BYTES_PER_VALUE[kv])} B = {formatBinaryBytes(perToken)} per token;
        × {context.toLocaleString('en-US')} tokens × {batch} = {formatBytes(cache)}.
      </p>
      <dl className="stat-grid">
        <div className="stat"><dt>KV cache per token</dt><dd data-testid="kv-per-token">{formatBinaryBytes(perToken)}</dd></div>
        <div className="stat"><dt>KV cache</dt><dd data-testid="kv-total">{formatBytes(cache)}</dd></div>
        <div className="stat"><dt>Weights ({WEIGHT_FORMAT_LABELS[format]})</dt><dd data-testid="kv-weight-bytes">{formatBytes(weights)}</dd></div>
        <div className="stat"><dt>Cache ÷ weights</dt><dd data-testid="kv-ratio">{trimNumber(cache / weights)}×</dd></div>
        <div className="stat">
          <dt>Cache passes the weights at</dt>
          <dd data-testid="kv-crossover">{crossover === null ? 'beyond 1M tokens' : `${crossover.toLocaleString('en-US')} tokens`}</dd>
        </div>
      </dl>
      <Chart arch={arch} kv={kv} batch={batch} context={context} weights={weights} />
    </WidgetFrame>
  );
}
