'use client';

import { useId, useMemo } from 'react';
import { Heatmap } from '@/components/charts/Heatmap';
import { WidgetError } from '@/components/widget-kit/WidgetError';
import { WidgetFrame } from '@/components/widget-kit/WidgetFrame';
import { IgnoredLinkValues } from '@/components/widget-kit/IgnoredLinkValues';
import { useWidgetState } from '@/components/widget-kit/useWidgetState';
import { shortNumber } from '@/lib/formats/display';
import { channelAbsmax } from '@/lib/quant/smoothquant';
import { layerOperands, outlierRatio } from '@/lib/model/activation-study';
import { ChannelChart } from './ChannelChart';
import { LayerSelect, LAYER_OPTIONS, layerPath, useStudy } from './useStudy';

const SPEC = { layer: { kind: 'oneOf', options: LAYER_OPTIONS }, synthetic: { kind: 'bool' }, factor: { kind: 'int', min: 2, max: 60 } } as const;
const BASE = { layer: 'h.0.mlp.c_fc', synthetic: false, factor: 40 };
/** Tokens shown in the heatmap: half a calibration window. */
const ROWS = 64;
/** Synthetic outlier channels injected when the toggle is on. */
export const SYNTHETIC_CHANNELS = 4;

/** Widget (a): |x| of a Linear's input, tokens × channels, and its per-channel max, on the model's calibration text. */
export function ActivationHeatmap() {
  const id = useId();
  const [state, update, ignored] = useWidgetState('act-heatmap', SPEC, BASE);
  const loaded = useStudy(true);
  const op = useMemo(() => (loaded.engine ? layerOperands(loaded.engine.study, layerPath(state.layer), ROWS, state.synthetic ? { count: SYNTHETIC_CHANNELS, factor: state.factor } : null) : null), [loaded.engine, state.layer, state.synthetic, state.factor]);
  const abs = useMemo(() => (op ? op.x.map(Math.abs) : null), [op]);
  const maxes = useMemo(() => (op ? channelAbsmax(op.x, op.xShape) : null), [op]);
  const stats = loaded.engine?.study.stats.find((s) => s.name === layerPath(state.layer));
  const ratio = maxes ? outlierRatio(maxes) : null;
  const biggest = maxes ? Math.max(...maxes) : null;
  const fullRatio = stats ? outlierRatio(stats.absMax) : null;
  const status = loaded.status === 'failed' ? 'error' : op ? 'done' : 'loading';

  return (
    <WidgetFrame stateId="act-heatmap"
      title="Activation magnitudes of a layer’s input"
      subtitle={`|x| per token and channel, from the model’s calibration text${state.synthetic ? ' · with SYNTHETIC outlier channels' : ''}`}
      backend={loaded.engine ? `Captured on ${loaded.engine.backend} over ${loaded.engine.study.windows} calibration windows.` : undefined}
      error={loaded.status === 'failed' ? <WidgetError>{loaded.error}</WidgetError> : undefined}
      testId="act-heatmap"
      state={status}
    >
      <div className="controls">
        <LayerSelect value={state.layer} onChange={(layer) => update({ layer })} testId="act-heatmap-layer" />
        <label className="control">
          <span>
            <input type="checkbox" checked={state.synthetic} onChange={(e) => update({ synthetic: e.target.checked })} data-testid="act-heatmap-synthetic" /> Inject synthetic outliers
          </span>
        </label>
        {state.synthetic && (
          <label className="control">
            <span>Outlier factor ×{state.factor}</span>
            <input type="range" min={2} max={60} step={1} value={state.factor} onChange={(e) => update({ factor: Number(e.target.value) })} data-testid="act-heatmap-factor" />
          </label>
        )}
        <button type="button" onClick={() => update(BASE)}>Reset</button>
      </div>
      <IgnoredLinkValues ignored={ignored} />
      {!op && loaded.status !== 'failed' && <p className="widget-caption">Capturing the inputs of all 16 Linear layers on this device…</p>}
      {op && abs && maxes && (
        <>
          <p aria-live="polite" id={`${id}-read`} data-testid="act-heatmap-summary">
            Largest |x| in these {op.xShape[0]} tokens: <strong data-testid="act-heatmap-max">{shortNumber(biggest!, 3)}</strong>; the largest channel’s max|x| is{' '}
            <strong data-testid="act-heatmap-ratio">{shortNumber(ratio!, 3)}</strong>× the median channel’s
            {fullRatio !== null && !state.synthetic && <> ({shortNumber(fullRatio, 3)}× over all {stats!.tokens.toLocaleString('en-US')} calibration tokens)</>}.
            {state.synthetic && <> Channels {op.synthetic.join(', ')} are synthetic: multiplied by {state.factor} here and their weight columns divided by {state.factor}, so the layer’s output X Wᵀ is unchanged.</>}
          </p>
          <Heatmap
            values={abs}
            rows={op.xShape[0]}
            cols={op.xShape[1]}
            maxDisplayRows={64}
            maxDisplayCols={128}
            rowLabel="token (calibration text)"
            colLabel="input channel"
            valueLabel="|x|"
            markCols={op.synthetic}
            title={`|x| of the input of ${state.layer}, ${op.xShape[0]} tokens × ${op.xShape[1]} channels`}
          />
          <ChannelChart
            title={`Per-channel max|x| of the input of ${state.layer}`}
            yLabel="max |x_j| (log)"
            series={[{ label: `max over ${op.xShape[0]} tokens`, values: maxes, color: 'var(--chart-1)' }]}
            marks={op.synthetic}
            testId="act-heatmap-channels"
          />
        </>
      )}
    </WidgetFrame>
  );
}
