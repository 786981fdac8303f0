'use client';

import { useMemo } from 'react';
import { WidgetError } from '@/components/widget-kit/WidgetError';
import { WidgetFrame } from '@/components/widget-kit/WidgetFrame';
import { IgnoredLinkValues } from '@/components/widget-kit/IgnoredLinkValues';
import { useWidgetState } from '@/components/widget-kit/useWidgetState';
import { shortNumber } from '@/lib/formats/display';
import { floatProduct, layerOperands, smoothingErrors } from '@/lib/model/activation-study';
import { SYNTHETIC_CHANNELS } from './ActivationHeatmap';
import { ChannelChart } from './ChannelChart';
import { LayerSelect, LAYER_OPTIONS, layerPath, useStudy, SyntheticToggle, CaptureNote } from './useStudy';

const ALPHAS = Array.from({ length: 21 }, (_, i) => i * 5);
const SPEC = {
  layer: { kind: 'oneOf', options: LAYER_OPTIONS },
  alpha: { kind: 'int', min: 0, max: 100, allowed: ALPHAS },
  granularity: { kind: 'oneOf', options: ['per-tensor', 'per-token'] },
  synthetic: { kind: 'bool' },
} as const;
const BASE = { layer: 'h.0.mlp.c_fc', alpha: 50, granularity: 'per-tensor', synthetic: true };
const ROWS = 128;
const FACTOR = 40;
const pct = (v: number) => `${shortNumber(100 * v, 3)}%`;

/** Widget (c): SmoothQuant's α moves the channel ranges from X into W; the W8A8 error before and after. */
export function SmoothingAlpha() {
  const [state, update, ignored] = useWidgetState('act-smooth', SPEC, BASE);
  const loaded = useStudy(true);
  const granularity = state.granularity === 'per-token' ? 'per-token' : 'per-tensor';
  const op = useMemo(() => (loaded.engine ? layerOperands(loaded.engine.study, layerPath(state.layer), ROWS, state.synthetic ? { count: SYNTHETIC_CHANNELS, factor: FACTOR } : null) : null), [loaded.engine, state.layer, state.synthetic]);
  const reference = useMemo(() => (op ? floatProduct(op) : null), [op]);
  const r = useMemo(() => (op && reference ? smoothingErrors(op, state.alpha / 100, granularity, reference) : null), [op, reference, state.alpha, granularity]);

  return (
    <WidgetFrame stateId="act-smooth"
      title="SmoothQuant: migrate the difficulty from X to W"
      subtitle={`s_j = max|X_j|^α / max|W_j|^(1−α); X ÷ s, W × s${state.synthetic ? ` · ${SYNTHETIC_CHANNELS} SYNTHETIC outlier channels (×${FACTOR})` : ''}`}
      backend={loaded.engine ? `Inputs captured on ${loaded.engine.backend}; smoothing and W8A8 are lib/quant’s CPU reference (float64).` : undefined}
      error={loaded.status === 'failed' ? <WidgetError>{loaded.error}</WidgetError> : undefined}
      testId="act-smooth"
      state={loaded.status === 'failed' ? 'error' : r ? 'done' : 'loading'}
    >
      <div className="controls">
        <LayerSelect value={state.layer} onChange={(layer) => update({ layer })} testId="act-smooth-layer" />
        <label className="control">
          <span>α = {shortNumber(state.alpha / 100, 2)}</span>
          <input type="range" min={0} max={100} step={5} value={state.alpha} onChange={(e) => update({ alpha: Number(e.target.value) })} data-testid="act-smooth-alpha" />
        </label>
        <label className="control">
          <span>Activation scales</span>
          <select value={state.granularity} onChange={(e) => update({ granularity: e.target.value })} data-testid="act-smooth-granularity">
            <option value="per-tensor">per tensor (dynamic)</option>
            <option value="per-token">per token (dynamic)</option>
          </select>
        </label>
        <SyntheticToggle checked={state.synthetic} onChange={(synthetic) => update({ synthetic })} testId="act-smooth-synthetic" />
        <button type="button" onClick={() => update(BASE)}>Reset</button>
      </div>
      <IgnoredLinkValues ignored={ignored} />
      <CaptureNote shown={!r && loaded.status !== 'failed'} />
      {r && op && (
        <>
          <p aria-live="polite">
            W8A8 error of the layer’s output (int8 weights per output channel, int8 activations {granularity}): before smoothing{' '}
            <strong data-testid="act-smooth-before">{pct(r.errorBefore)}</strong>, after <strong data-testid="act-smooth-after">{pct(r.errorAfter)}</strong>.
          </p>
          <ChannelChart
            title="max|X_j| per input channel before and after smoothing"
            yLabel="max |X_j| (log)"
            series={[
              { label: 'X before', values: r.xMaxBefore, color: 'var(--chart-2)', dashed: true },
              { label: 'X after', values: r.xMaxAfter, color: 'var(--chart-2)' },
            ]}
            marks={op.synthetic}
            testId="act-smooth-x"
          />
          <ChannelChart
            title="max|W_j| per input channel before and after smoothing"
            yLabel="max |W_j| (log)"
            series={[
              { label: 'W before', values: r.wMaxBefore, color: 'var(--chart-1)', dashed: true },
              { label: 'W after', values: r.wMaxAfter, color: 'var(--chart-1)' },
            ]}
            marks={op.synthetic}
            testId="act-smooth-w"
          />
        </>
      )}
    </WidgetFrame>
  );
}
