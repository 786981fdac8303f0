'use client';

import { useEffect, useMemo, useRef, useState } from 'react';
import { Heatmap } from '@/components/charts/Heatmap';
import { useWidgetState } from '@/components/widget-kit/useWidgetState';
import { IgnoredLinkValues } from '@/components/widget-kit/IgnoredLinkValues';
import { WidgetError } from '@/components/widget-kit/WidgetError';
import { WidgetFrame } from '@/components/widget-kit/WidgetFrame';
import { shortNumber } from '@/lib/formats/display';
import { gptqTrace, type GptqTrace } from '@/lib/quant/gptq-trace';
import { CALIBRATION_WINDOWS, layerData, type Calibration } from '@/lib/model/methods-engine';
import type { StateSpec } from '@/lib/url/widget-state';
import { LossChart } from '@/components/charts/LossChart';
import { LAYER_NAMES, layerLabel, useCalibration } from './calibration';

const GROUPS = ['row', '32', '64', '128'] as const;
const SPEC: StateSpec<{ layer: string; bits: number; group: string; actOrder: boolean; calib: number }> = {
  layer: { kind: 'oneOf', options: LAYER_NAMES },
  bits: { kind: 'int', min: 2, max: 4 },
  group: { kind: 'oneOf', options: GROUPS },
  actOrder: { kind: 'bool' },
  calib: { kind: 'int', min: CALIBRATION_WINDOWS.min, max: CALIBRATION_WINDOWS.max },
};
const BASE = { layer: 'transformer.h.0.attn.c_proj', bits: 3, group: 'row', actOrder: false, calib: CALIBRATION_WINDOWS.default as number };

/**
 * GPTQ step by step on one of the tiny model's real Linear layers (lib/quant/gptq-trace): the
 * layer's Hessian (2/n)XᵀX from the calibration capture, the columns quantized one at a time, the
 * error each pushes onto the columns not yet quantized, and the running proxy loss against
 * round-to-nearest's on the same grids. State in the URL as `<id>.layer`, `.bits`, `.group`,
 * `.actOrder`, `.calib`.
 */
export function GptqStepper({ id = 'gptq' }: { id?: string }) {
  const [state, update, ignored] = useWidgetState(id, SPEC, BASE);
  const cal = useCalibration(state.calib, true);
  const [resets, setResets] = useState(0);
  return (
    <WidgetFrame stateId={id}
      title="GPTQ, one column at a time"
      subtitle={`${layerLabel(state.layer)} of the tiny model, ${state.bits}-bit, ${state.group === 'row' ? 'one grid per row' : `groups of ${state.group}`}`}
      backend={cal.backend && <>Calibration inputs and XᵀX captured on {cal.backend}; the quantization runs in float64 on the CPU (lib/quant).</>}
      error={cal.error && <WidgetError testId="gptq-error">{cal.error} <button type="button" onClick={cal.retry}>Retry</button></WidgetError>}
      testId="gptq-stepper"
      state={cal.calibration ? 'ready' : cal.error ? 'failed' : 'loading'}
    >
      <IgnoredLinkValues ignored={ignored} />
      <div className="controls">
        <label className="control">
          <span>Layer</span>
          <select value={state.layer} onChange={(e) => update({ layer: e.target.value })} data-testid="gptq-layer">
            {LAYER_NAMES.map((n) => <option key={n} value={n}>{layerLabel(n)}</option>)}
          </select>
        </label>
        <label className="control">
          <span>Bits</span>
          <select value={state.bits} onChange={(e) => update({ bits: Number(e.target.value) })} data-testid="gptq-bits">
            {[2, 3, 4].map((b) => <option key={b} value={b}>{b}</option>)}
          </select>
        </label>
        <label className="control">
          <span>Grid</span>
          <select value={state.group} onChange={(e) => update({ group: e.target.value })} data-testid="gptq-group">
            {GROUPS.map((g) => <option key={g} value={g}>{g === 'row' ? 'one per row' : `groups of ${g}`}</option>)}
          </select>
        </label>
        <label className="control">
          <input type="checkbox" checked={state.actOrder} onChange={(e) => update({ actOrder: e.target.checked })} data-testid="gptq-act-order" />
          <span>act-order (largest diag H first)</span>
        </label>
        <button type="button" onClick={() => { update(BASE); setResets((r) => r + 1); }} data-testid="gptq-reset">Reset</button>
      </div>
      {!cal.calibration && !cal.error && <p role="status">{cal.progress || 'Waiting for the model…'}</p>}
      {cal.calibration && (
        <TraceView key={`${state.layer}/${state.bits}/${state.group}/${state.actOrder}/${resets}`} calibration={cal.calibration} layer={state.layer} bits={state.bits} groupSize={state.group === 'row' ? -1 : Number(state.group)} actOrder={state.actOrder} />
      )}
    </WidgetFrame>
  );
}

interface Progress {
  done: number;
  loss: number[];
}

function startTrace(c: Calibration, layer: string, bits: number, groupSize: number, actOrder: boolean): { trace: GptqTrace; w: Float32Array; hessianAbs: Float32Array } {
  const { w, shape, stats } = layerData(c, layer);
  const trace = gptqTrace(w, shape, stats.hessian!, { bits, groupSize, actOrder });
  return { trace, w, hessianAbs: Float32Array.from(trace.dampedHessian, Math.abs) };
}

function TraceView({ calibration, layer, bits, groupSize, actOrder }: { calibration: Calibration; layer: string; bits: number; groupSize: number; actOrder: boolean }) {
  const [setup] = useState(() => startTrace(calibration, layer, bits, groupSize, actOrder));
  const { trace, w, hessianAbs } = setup;
  const [progress, setProgress] = useState<Progress>({ done: 0, loss: [] });
  const [playing, setPlaying] = useState(false);
  const busy = useRef(false);
  const cols = trace.cols;

  const advance = (n: number) => {
    if (busy.current) return;
    busy.current = true;
    const added: number[] = [];
    for (let i = 0; i < n; i++) {
      const r = trace.steps.next();
      if (r.done) break;
      added.push(r.value.loss);
    }
    busy.current = false;
    setProgress((p) => ({ done: p.done + added.length, loss: [...p.loss, ...added] }));
  };
  const stepsPerTick = Math.max(1, Math.round(cols / 64));
  useEffect(() => {
    if (!playing) return;
    const t = setInterval(() => advance(stepsPerTick), 60);
    return () => clearInterval(t);
  });
  const finished = progress.done >= cols;
  useEffect(() => {
    // eslint-disable-next-line react-hooks/set-state-in-effect -- stop playing once the last column is done
    if (finished) setPlaying(false);
  }, [finished]);

  const change = useMemo(() => {
    void progress.done; // recomputed after every step: `trace.current` changes in place
    return Float32Array.from(trace.current, (v, i) => Math.abs(v - w[i]));
  }, [progress.done, trace, w]);
  const gptqLoss = progress.loss[progress.done - 1] ?? 0;
  const rtnLoss = progress.done ? trace.rtnLoss[progress.done - 1] : 0;
  const xs = Array.from({ length: cols }, (_, i) => i + 1);
  const nextColumn = finished ? null : trace.order[progress.done];

  return (
    <div data-testid="gptq-trace" data-done={progress.done} data-cols={cols} data-gptq-loss={gptqLoss} data-rtn-loss={rtnLoss}>
      <div className="controls">
        <button type="button" onClick={() => advance(1)} disabled={finished || playing} data-testid="gptq-step">Step one column</button>
        <button type="button" onClick={() => setPlaying((p) => !p)} disabled={finished} data-testid="gptq-play">{playing ? 'Pause' : 'Play'}</button>
        <button type="button" onClick={() => advance(cols)} disabled={finished || playing} data-testid="gptq-finish">All columns</button>
      </div>
      <p role="status" data-testid="gptq-status">
        {progress.done} of {cols} columns quantized{nextColumn !== null ? ` — next: column ${nextColumn}` : ''}. Proxy loss so far: GPTQ{' '}
        <strong>{shortNumber(gptqLoss, 4)}</strong>, round-to-nearest <strong>{shortNumber(rtnLoss, 4)}</strong>
        {progress.done > 0 && rtnLoss > 0 ? ` (GPTQ/RTN = ${shortNumber(gptqLoss / rtnLoss, 3)})` : ''}.
      </p>
      <LossChart
        title={`Running proxy loss after ${progress.done} of ${cols} columns: GPTQ ${shortNumber(gptqLoss, 4)}, round-to-nearest ${shortNumber(rtnLoss, 4)}`}
        series={[
          { key: 'rtn', label: 'round-to-nearest', colour: 'var(--chart-2)', dashed: true, markers: false, points: Array.from(trace.rtnLoss.subarray(0, Math.max(1, progress.done)), (v, i) => ({ step: xs[i], loss: v })) },
          { key: 'gptq', label: 'GPTQ', colour: 'var(--chart-1)', points: Array.from(progress.loss.length ? progress.loss : [0], (v, i) => ({ step: xs[i], loss: v })) },
        ]}
        maxStep={cols}
        xLabel="columns quantized (in GPTQ’s order)"
        yLabel="proxy loss so far"
        formatY={(t) => shortNumber(t, 3)}
        padFloor={0}
      />
      <div style={{ display: 'grid', gap: '1rem' }}>
        <Heatmap values={hessianAbs} rows={cols} cols={cols} rowLabel="input channel i" colLabel="input channel j" valueLabel="|H_ij|" title={`|H| = |(2/n)XᵀX + λI| of ${layerLabel(layer)} (${cols} × ${cols})`} markCols={nextColumn !== null ? [nextColumn] : []} />
        <Heatmap values={change} rows={trace.rows} cols={cols} rowLabel="output channel (row of W)" colLabel="input channel (column of W)" valueLabel="|change|" title="How far each weight has moved: rounded (done) or error fed back (not yet)" markCols={nextColumn !== null ? [nextColumn] : []} />
      </div>
    </div>
  );
}
