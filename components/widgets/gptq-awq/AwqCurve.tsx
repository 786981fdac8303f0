'use client';

import { useMemo } from 'react';
import { useWidgetState } from '@/components/widget-kit/useWidgetState';
import { IgnoredLinkValues } from '@/components/widget-kit/IgnoredLinkValues';
import { WidgetError } from '@/components/widget-kit/WidgetError';
import { WidgetFrame } from '@/components/widget-kit/WidgetFrame';
import { errorMessage } from '@/lib/errors';
import { shortNumber } from '@/lib/formats/display';
import { awqOnLayer, CALIBRATION_WINDOWS, topChannels, type Calibration } from '@/lib/model/methods-engine';
import type { StateSpec } from '@/lib/url/widget-state';
import { LossChart } from '@/components/charts/LossChart';
import { LAYER_NAMES, layerLabel, useCalibration } from './calibration';

const SPEC: StateSpec<{ layer: string; bits: number; group: string; calib: number }> = {
  layer: { kind: 'oneOf', options: LAYER_NAMES },
  bits: { kind: 'int', min: 2, max: 4 },
  group: { kind: 'oneOf', options: ['32', '64', '128'] },
  calib: { kind: 'int', min: CALIBRATION_WINDOWS.min, max: CALIBRATION_WINDOWS.max },
};
const BASE = { layer: 'transformer.h.0.mlp.c_fc', bits: 3, group: '128', calib: CALIBRATION_WINDOWS.default as number };
const SALIENT = 8;

/**
 * AWQ's scale search on one real Linear layer (lib/quant/awq via lib/model/methods-engine): the
 * output error mean((XWᵀ − XW'ᵀ)²) for every α on the grid k/20, the chosen α marked, and the input
 * channels with the largest mean |x| — the salient ones — with the scales s = mean|x|^α (normalised)
 * that protect them. State in the URL as `<id>.layer`, `.bits`, `.group`, `.calib`.
 */
export function AwqCurve({ id = 'awq' }: { id?: string }) {
  const [state, update, ignored] = useWidgetState(id, SPEC, BASE);
  const cal = useCalibration(state.calib, true);
  return (
    <WidgetFrame stateId={id}
      title="AWQ’s α search"
      subtitle={`${layerLabel(state.layer)} of the tiny model, ${state.bits}-bit, groups of ${state.group}`}
      backend={cal.backend && <>Calibration inputs captured on {cal.backend}; the search runs on the CPU (lib/quant, float64 accumulations).</>}
      error={cal.error && <WidgetError testId="awq-error">{cal.error} <button type="button" onClick={cal.retry}>Retry</button></WidgetError>}
      testId="awq-curve"
      state={cal.calibration ? 'ready' : cal.error ? 'failed' : 'loading'}
    >
      <IgnoredLinkValues ignored={ignored} />
      <div className="controls">
        <label className="control">
          <span>Layer</span>
          <select value={state.layer} onChange={(e) => update({ layer: e.target.value })} data-testid="awq-layer">
            {LAYER_NAMES.map((n) => <option key={n} value={n}>{layerLabel(n)}</option>)}
          </select>
        </label>
        <label className="control">
          <span>Bits</span>
          <select value={state.bits} onChange={(e) => update({ bits: Number(e.target.value) })} data-testid="awq-bits">
            {[2, 3, 4].map((b) => <option key={b} value={b}>{b}</option>)}
          </select>
        </label>
        <label className="control">
          <span>Group</span>
          <select value={state.group} onChange={(e) => update({ group: e.target.value })} data-testid="awq-group">
            {['32', '64', '128'].map((g) => <option key={g} value={g}>{g}</option>)}
          </select>
        </label>
        <button type="button" onClick={() => update(BASE)} data-testid="awq-reset">Reset</button>
      </div>
      {!cal.calibration && !cal.error && <p role="status">{cal.progress || 'Waiting for the model…'}</p>}
      {cal.calibration && <AwqResultView calibration={cal.calibration} layer={state.layer} bits={state.bits} groupSize={Number(state.group)} />}
    </WidgetFrame>
  );
}

function AwqResultView({ calibration, layer, bits, groupSize }: { calibration: Calibration; layer: string; bits: number; groupSize: number }) {
  const r = useMemo(() => {
    try {
      return { ok: true as const, ...awqOnLayer(calibration, layer, { bits, groupSize }) };
    } catch (e) {
      return { ok: false as const, error: errorMessage(e) };
    }
  }, [calibration, layer, bits, groupSize]);
  if (!r.ok) return <WidgetError>{r.error}</WidgetError>;
  const salient = topChannels(r.activationMean, SALIENT);
  const minLoss = Math.min(...r.losses);
  const rtn = r.losses[0]; // α = 0: s = 1, plain round-to-nearest on AWQ's grid
  return (
    <div data-testid="awq-result" data-alpha={r.alpha} data-min-alpha={r.alphas[r.losses.indexOf(minLoss)]} data-error={r.error} data-min-error={minLoss}>
      <p role="status" data-testid="awq-status">
        Chosen α = <strong>{shortNumber(r.alpha, 3)}</strong>: output error {shortNumber(r.error, 4)}, against {shortNumber(rtn, 4)} at α = 0 (no scaling, plain round-to-nearest)
        {rtn > 0 ? ` — ${shortNumber((100 * (rtn - r.error)) / rtn, 3)}% lower` : ''}. {r.alpha === 0 ? 'Here scaling does not help: α = 0 wins.' : ''}
      </p>
      <LossChart
        title={`AWQ's error for α from 0 to ${shortNumber(r.alphas[r.alphas.length - 1], 3)}; the lowest, ${shortNumber(r.error, 4)}, at α = ${shortNumber(r.alpha, 3)}`}
        series={[{ key: 'awq', label: 'error after quantization', colour: 'var(--chart-1)', points: Array.from(r.alphas, (a, i) => ({ step: a, loss: r.losses[i] })) }]}
        maxStep={1}
        xLabel="α (s = mean|x|^α)"
        yLabel="output MSE"
        formatY={(t) => shortNumber(t, 3)}
        padFloor={0}
        legend={false}
        mark={{ x: r.alpha, y: r.error, label: `chosen α = ${shortNumber(r.alpha, 3)}` }}
      />
      <table className="compact-table" data-testid="awq-salient">
        <caption>The {SALIENT} input channels with the largest mean |x| (the salient ones) and their scales s at the chosen α</caption>
        <thead>
          <tr><th scope="col">channel</th><th scope="col">mean |x|</th><th scope="col">scale s</th></tr>
        </thead>
        <tbody>
          {salient.map((j) => (
            <tr key={j}><td>{j}</td><td>{shortNumber(r.activationMean[j], 4)}</td><td>{shortNumber(r.scales[j], 4)}</td></tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
