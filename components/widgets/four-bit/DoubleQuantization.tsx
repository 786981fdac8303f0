'use client';

import { WidgetFrame } from '@/components/widget-kit/WidgetFrame';
import { WidgetError } from '@/components/widget-kit/WidgetError';
import { scaleLinear } from 'd3-scale';
import { useMemo, useRef } from 'react';
import { useNearScreen } from '@/components/ui/useNearScreen';
import { useEngine } from '@/components/widget-kit/useEngine';
import { useWidgetState } from '@/components/widget-kit/useWidgetState';
import { IgnoredLinkValues } from '@/components/widget-kit/IgnoredLinkValues';
import { WeightSourceSelect } from './controls';
import { backendLabel, getCompute } from '@/lib/compute';
import type { NF4DeviceCheck } from '@/lib/compute/nf4-selftest';
import { shortNumber } from '@/lib/formats/display';
import { formatBytes } from '@/lib/memory/format';
import { fourBitBitsPerParameter } from '@/lib/quant/four-bit';
import { doubleQuantReport } from '@/lib/quant/four-bit-compare';
import { sampleRow, WEIGHT_SOURCES, type WeightSource } from '@/lib/quant/four-bit-samples';
import { quantizeNF4Weight } from '@/lib/quant/qlora-weight';
import { SEED_FIELD, type StateSpec } from '@/lib/url/widget-state';
import { ScrollRegion } from '@/components/ui/ScrollRegion';

const SIZES = [65536, 262144, 1048576, 4194304] as const;
const BLOCK_SIZES = [32, 64, 128, 256] as const;
type State = { source: WeightSource; size: number; blockSize: number; seed: number };
const BASE: State = { source: 'normal', size: 262144, blockSize: 64, seed: 1 };
const SPEC: StateSpec<State> = {
  source: { kind: 'oneOf', options: WEIGHT_SOURCES },
  size: { kind: 'int', min: 1, max: 2 ** 22, allowed: SIZES },
  blockSize: { kind: 'int', min: 1, max: 4096, allowed: BLOCK_SIZES },
  seed: SEED_FIELD,
};

type DeviceState =
  | { state: 'idle' | 'running' }
  | { state: 'done'; backend: string; result: NF4DeviceCheck; weights: number }
  | { state: 'error'; message: string };

const BAR_WIDTH = 560;
const BAR_LEFT = 150;

/**
 * Double quantization: the memory of the absmax constants in float32 and after QLoRA's 8-bit
 * double quantization, the error that adds (lib/quant/four-bit-compare `doubleQuantReport`), and the
 * same weight held packed on the GPU and dequantized there by the WGSL kernel, with the bytes the
 * device holds (lib/compute/nf4-gpu).
 */
export function DoubleQuantization({ id = 'dq' }: { id?: string }) {
  const rootRef = useRef<HTMLElement>(null);
  const near = useNearScreen(rootRef);
  const [state, update, ignored] = useWidgetState(id, SPEC, BASE);
  const x = useMemo(() => (near ? sampleRow(state.source, state.size, state.seed) : null), [near, state.source, state.size, state.seed]);
  const report = useMemo(() => (x ? doubleQuantReport(x, state.blockSize) : null), [x, state.blockSize]);
  // The device check is a one-shot job: useEngine runs it for the current weights and drops the
  // result of a check whose weights have since changed.
  const check = useEngine((signal) => x && (async () => {
    // The device check (its WGSL kernel) loads with tfjs, not with the page.
    const [compute, { checkNF4OnDevice }] = await Promise.all([getCompute(), import('@/lib/compute/nf4-selftest')]);
    signal.throwIfAborted(); // superseded while tfjs loaded: skip the GPU work
    const w = quantizeNF4Weight(x, state.blockSize);
    const result = await checkNF4OnDevice(compute, w);
    const backend = backendLabel(compute);
    return { backend, result, weights: x.length };
  })(), [x, state.blockSize]);
  const device: DeviceState =
    check.status === 'ready' ? { state: 'done', ...check.engine }
    : check.status === 'failed' ? { state: 'error', message: check.error }
    : { state: check.status === 'starting' ? 'running' : 'idle' };

  const bars = report ? [
    { key: 'fp32', label: 'float32 absmax', bytes: report.constantsBytes, bits: report.bitsOverhead, detail: `${report.blocks.toLocaleString('en-US')} × 4 B` },
    {
      key: 'dq', label: 'double-quantized', bytes: report.constantsBytesDQ, bits: report.bitsOverheadDQ,
      detail: `${report.blocks.toLocaleString('en-US')} × 1 B + ${Math.ceil(report.blocks / 256).toLocaleString('en-US')} × 4 B + 4 B`,
    },
  ] : [];
  const xScale = scaleLinear().domain([0, Math.max(1, ...bars.map((b) => b.bytes))]).range([0, BAR_WIDTH - BAR_LEFT - 190]);
  const mseIncrease = report && report.mse > 0 ? (report.mseDQ / report.mse - 1) * 100 : 0;

  return (
    <WidgetFrame stateId={id} title="Double quantization: the constants, quantized again" subtitle="NF4, absmax constants in blocks of 256" ref={rootRef} testId="dq-widget">
      <div className="controls">
        <WeightSourceSelect value={state.source} onChange={(v) => update({ source: v as WeightSource })} testId="dq-source" />
        <label className="control">
          <span>How many</span>
          <select value={state.size} onChange={(e) => update({ size: Number(e.target.value) })} data-testid="dq-size">
            {SIZES.map((n) => <option key={n} value={n}>{n.toLocaleString('en-US')}</option>)}
          </select>
        </label>
        <label className="control">
          <span>Block size</span>
          <select value={state.blockSize} onChange={(e) => update({ blockSize: Number(e.target.value) })} data-testid="dq-block-size">
            {BLOCK_SIZES.map((b) => <option key={b} value={b}>{b}</option>)}
          </select>
        </label>
      </div>
      <IgnoredLinkValues ignored={ignored} />

      {!report && <p className="widget-caption">The weights are quantized when this widget scrolls into view.</p>}
      {report && (
        <>
          <figure className="chart" style={{ margin: 0 }}>
            <ScrollRegion className="chart-scroll chart-full" label="Chart, scrolls sideways">
            <svg viewBox={`0 0 ${BAR_WIDTH} 96`} role="img" aria-label={`Memory of the absmax constants: ${formatBytes(report.constantsBytes)} in float32, ${formatBytes(report.constantsBytesDQ)} double-quantized`}>
              {bars.map((b, i) => (
                <g key={b.key} transform={`translate(0, ${10 + i * 42})`} data-bar={b.key}>
                  <text x={BAR_LEFT - 8} y={14} textAnchor="end" style={{ fill: 'var(--fg)', fontSize: 13 }}>{b.label}</text>
                  <rect x={BAR_LEFT} y={2} height={22} width={Math.max(1, xScale(b.bytes))} rx={3} fill={b.key === 'dq' ? 'var(--chart-1)' : 'url(#dq-hatch)'} stroke="var(--chart-2)" />
                  <text x={BAR_LEFT + Math.max(1, xScale(b.bytes)) + 6} y={14} style={{ fill: 'var(--fg)', fontSize: 12 }}>
                    {formatBytes(b.bytes)} · {shortNumber(b.bits, 4)} bits/weight
                  </text>
                  <text x={BAR_LEFT} y={36} style={{ fontSize: 10 }}>{b.detail}</text>
                </g>
              ))}
              <defs>
                <pattern id="dq-hatch" width="6" height="6" patternUnits="userSpaceOnUse" patternTransform="rotate(45)">
                  <rect width="6" height="6" fill="var(--chart-2)" opacity="0.3" />
                  <line x1="0" y1="0" x2="0" y2="6" stroke="var(--chart-2)" strokeWidth="2" />
                </pattern>
              </defs>
            </svg>
            </ScrollRegion>
          </figure>
          <dl className="stat-grid">
            <div className="stat">
              <dt>Bits per weight, all in</dt>
              <dd data-testid="dq-bits">
                {shortNumber(fourBitBitsPerParameter(state.blockSize, false), 4)} → {shortNumber(fourBitBitsPerParameter(state.blockSize, true), 4)}
              </dd>
            </div>
            <div className="stat">
              <dt>Weight MSE, float32 absmax</dt>
              <dd data-testid="dq-mse">{shortNumber(report.mse, 3)}</dd>
            </div>
            <div className="stat">
              <dt>Weight MSE, double-quantized absmax</dt>
              <dd data-testid="dq-mse-dq">{shortNumber(report.mseDQ, 3)}</dd>
            </div>
            <div className="stat">
              <dt>Error added by DQ</dt>
              <dd data-testid="dq-mse-increase">{mseIncrease >= 0 ? '+' : ''}{shortNumber(mseIncrease, 2)}% MSE</dd>
            </div>
            <div className="stat">
              <dt>Worst absmax error</dt>
              <dd data-testid="dq-absmax-error">{shortNumber(report.absmaxMaxRelErr * 100, 2)}%</dd>
            </div>
          </dl>
        </>
      )}

      <h4 className="nl-subtitle">The same weights on your GPU</h4>
      <div aria-live="polite" data-testid="dq-device" data-state={device.state}>
        {(device.state === 'idle' || device.state === 'running') && <p className="widget-caption">{report ? 'Uploading the packed weights and dequantizing them…' : 'Waiting for the widget to scroll into view.'}</p>}
        {device.state === 'error' && <WidgetError>The device check failed: {device.message}</WidgetError>}
        {device.state === 'done' && <DeviceResult {...device} />}
      </div>
    </WidgetFrame>
  );
}

function DeviceResult({ backend, result, weights }: { backend: string; result: NF4DeviceCheck; weights: number }) {
  const float32 = 4 * weights;
  if (result.path !== 'webgpu') {
    return (
      <p className="widget-caption" data-testid="dq-device-result">
        {backend} is in use, without WebGPU, so the packed weights stay in main memory and the CPU reference dequantizes them
        ({result.mismatches === 0 ? 'as expected, identical' : `${result.mismatches} values differ`}). Open this page in a browser with WebGPU to hold
        them on the GPU.
      </p>
    );
  }
  return (
    <dl className="stat-grid" data-testid="dq-device-result">
      <div className="stat">
        <dt>The GPU holds ({backend})</dt>
        <dd data-testid="dq-device-bytes">{formatBytes(result.deviceBytes)}</dd>
      </div>
      <div className="stat">
        <dt>Bytes per weight</dt>
        <dd data-testid="dq-device-bytes-per-weight">{shortNumber(result.deviceBytes / weights, 4)}</dd>
      </div>
      <div className="stat">
        <dt>float32 would take</dt>
        <dd>{formatBytes(float32)} ({shortNumber(float32 / result.deviceBytes, 3)}×)</dd>
      </div>
      <div className="stat">
        <dt>Dequantized on the GPU vs the CPU reference</dt>
        <dd data-testid="dq-device-agreement">{result.mismatches === 0 ? 'bit-identical' : `${result.mismatches.toLocaleString('en-US')} differ`}</dd>
      </div>
    </dl>
  );
}
