'use client';

import { useId, useMemo, useState } from 'react';
import { Heatmap } from '@/components/charts/Heatmap';
import { OwnModelPicker } from '@/components/own-model/OwnModelPicker';
import { useOwnModel } from '@/components/own-model/useOwnModel';
import { WidgetError } from '@/components/widget-kit/WidgetError';
import { WidgetFrame } from '@/components/widget-kit/WidgetFrame';
import { IgnoredLinkValues } from '@/components/widget-kit/IgnoredLinkValues';
import { useWidgetState } from '@/components/widget-kit/useWidgetState';
import { shortNumber } from '@/lib/formats/display';
import { formatDuration } from '@/lib/progress/eta';
import { channelAbsmax } from '@/lib/quant/smoothquant';
import { layerOperands, outlierRatio, type ActivationStudy, type LayerOperands } from '@/lib/model/activation-study';
import { ChannelChart } from './ChannelChart';
import { LargestChannels } from './LargestChannels';
import { OwnCaptureStatus } from './OwnCaptureStatus';
import { useOwnStudy } from './useOwnStudy';
import { LayerSelect, LAYER_OPTIONS, layerOptions, layerPath, useStudy } from './useStudy';

const SPEC = { layer: { kind: 'oneOf', options: LAYER_OPTIONS }, synthetic: { kind: 'bool' }, factor: { kind: 'int', min: 2, max: 60 } } as const;
const BASE = { layer: 'h.0.mlp.c_fc', synthetic: false, factor: 40 };
/** Tokens shown in the heatmap: half a calibration window. */
const ROWS = 64;
/** Synthetic outlier channels injected when the toggle is on. */
export const SYNTHETIC_CHANNELS = 4;

/**
 * Widget (a): |x| of a Linear's input, tokens × channels, and its per-channel max, on the model's
 * calibration text — the course's tiny model, or the learner's own checkpoint when one is used here.
 */
export function ActivationHeatmap() {
  const [state, update, ignored] = useWidgetState('act-heatmap', SPEC, BASE);
  const tiny = useStudy(true);
  const own = useOwnModel();
  const ownStudy = useOwnStudy(own.loaded?.weights ?? null);
  const [ownLayer, setOwnLayer] = useState(BASE.layer);
  const onOwn = own.loaded !== null;
  const loaded = onOwn ? ownStudy : tiny;
  const study = loaded.engine?.study ?? null;
  const options = useMemo(() => (onOwn && study ? layerOptions(study.config.n_layer) : LAYER_OPTIONS), [onOwn, study]);
  const layer = onOwn ? (options.includes(ownLayer) ? ownLayer : BASE.layer) : state.layer;
  const op = useMemo(() => (study ? layerOperands(study, layerPath(layer), ROWS, state.synthetic ? { count: SYNTHETIC_CHANNELS, factor: state.factor } : null) : null), [study, layer, state.synthetic, state.factor]);
  const status = loaded.status === 'failed' ? 'error' : op ? 'done' : onOwn && ownStudy.cancelled ? 'idle' : 'loading';
  const windows = study && ownStudy.engine?.study === study ? `${study.windows} windows of ${ownStudy.engine.study.windowTokens} tokens of the course’s calibration text, tokenized with your model’s BPE, in ${formatDuration(study.captureMs)}` : `${study?.windows} calibration windows`;

  return (
    <WidgetFrame stateId="act-heatmap"
      title="Activation magnitudes of a layer’s input"
      subtitle={`|x| per token and channel, ${onOwn ? `on ${own.loaded!.label}` : 'from the model’s calibration text'}${state.synthetic ? ' · with SYNTHETIC outlier channels' : ''}`}
      backend={loaded.engine ? `Captured on ${loaded.engine.backend} over ${windows}.` : undefined}
      error={loaded.status === 'failed' ? <WidgetError>{loaded.error}</WidgetError> : undefined}
      testId="act-heatmap"
      state={status}
    >
      <div className="controls">
        <LayerSelect value={layer} onChange={(l) => (onOwn ? setOwnLayer(l) : update({ layer: l }))} testId="act-heatmap-layer" options={options} disabled={onOwn && !study} />
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
        <button type="button" onClick={() => { update(BASE); setOwnLayer(BASE.layer); }}>Reset</button>
      </div>
      <IgnoredLinkValues ignored={ignored} />
      <OwnModelPicker own={own} disabled={false} usedFor="The heatmap shows its activations: the inputs of its Linear layers (after LayerNorm for the q, k, v and MLP up-projections), not its residual stream.">
        <OwnCaptureStatus own={ownStudy} nLayer={own.loaded?.weights.config.n_layer ?? 0} />
      </OwnModelPicker>
      {!op && !onOwn && loaded.status !== 'failed' && <p className="widget-caption">Capturing the inputs of all {LAYER_OPTIONS.length} Linear layers on this device…</p>}
      {op && study && <HeatmapResult op={op} study={study} layer={layer} synthetic={state.synthetic} factor={state.factor} />}
    </WidgetFrame>
  );
}

/** The summary line, the heatmap, the per-channel chart and the largest channels per block, for one layer's operands. */
function HeatmapResult({ op, study, layer, synthetic, factor }: { op: LayerOperands; study: ActivationStudy; layer: string; synthetic: boolean; factor: number }) {
  const id = useId();
  const abs = useMemo(() => op.x.map(Math.abs), [op]);
  const maxes = useMemo(() => channelAbsmax(op.x, op.xShape), [op]);
  const stats = study.stats.find((s) => s.name === layerPath(layer));
  const ratio = outlierRatio(maxes);
  const biggest = Math.max(...maxes);
  const fullRatio = stats ? outlierRatio(stats.absMax) : null;
  return (
    <>
      <p aria-live="polite" id={`${id}-read`} data-testid="act-heatmap-summary">
        Largest |x| in these {op.xShape[0]} tokens: <strong data-testid="act-heatmap-max">{shortNumber(biggest, 3)}</strong>; the largest channel’s max|x| is{' '}
        <strong data-testid="act-heatmap-ratio">{shortNumber(ratio, 3)}</strong>× the median channel’s
        {fullRatio !== null && !synthetic && <> ({shortNumber(fullRatio, 3)}× over all {stats!.tokens.toLocaleString('en-US')} calibration tokens)</>}.
        {synthetic && <> Channels {op.synthetic.join(', ')} are synthetic: multiplied by {factor} here and their weight columns divided by {factor}, so the layer’s output X Wᵀ is unchanged.</>}
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
        title={`|x| of the input of ${layer}, ${op.xShape[0]} tokens × ${op.xShape[1]} channels`}
      />
      <ChannelChart
        title={`Per-channel max|x| of the input of ${layer}`}
        yLabel="max |x_j| (log)"
        series={[{ label: `max over ${op.xShape[0]} tokens`, values: maxes, color: 'var(--chart-1)' }]}
        marks={op.synthetic}
        testId="act-heatmap-channels"
      />
      {!synthetic && <LargestChannels stats={study.stats} matrix={layer.replace(/^h\.\d+\./, '')} />}
    </>
  );
}
