'use client';

import { useState, useSyncExternalStore } from 'react';
import { IgnoredLinkValues } from '@/components/widget-kit/IgnoredLinkValues';
import { useEngine } from '@/components/widget-kit/useEngine';
import { useWidgetState } from '@/components/widget-kit/useWidgetState';
import { WidgetError } from '@/components/widget-kit/WidgetError';
import { WidgetFrame } from '@/components/widget-kit/WidgetFrame';
import { backendLabel, getCompute } from '@/lib/compute';
import { fetchFile } from '@/lib/io/fetch-file';
import { CALIBRATION_SIZE_BOUNDS, CalibrationSizeEngine, INITIAL_CALIBRATION_SIZE, WINDOW_CHARS, type CalibrationSizeSettings } from '@/lib/model/calibration-sizes';
import { sharedTinyLMWeights } from '@/lib/model/fetch-weights';
import { TINY_MODEL_URL } from '@/lib/model/tiny-model';
import type { StateSpec } from '@/lib/url/widget-state';
import { METRIC_LABELS, SizeChart, type SizeMetric } from './calibration/SizeChart';
import { SizeTable } from './calibration/SizeTable';
import { workerQuantize } from '@/components/widgets/gptq-awq/workerQuantize';

type State = CalibrationSizeSettings & { metric: SizeMetric };
const B = CALIBRATION_SIZE_BOUNDS;
const HELDOUT = [2, 4, 8, 16, 32];
const SPEC: StateSpec<State> = {
  bits: { kind: 'int', min: 3, max: 4, allowed: B.bits },
  groupSize: { kind: 'int', min: -1, max: 128, allowed: B.groupSize },
  maxWindows: { kind: 'int', min: 4, max: 32, allowed: B.maxWindows },
  heldout: { kind: 'int', min: B.heldout.min, max: B.heldout.max, allowed: HELDOUT },
  metric: { kind: 'oneOf', options: ['kl', 'perplexity'] },
};
const BASE: State = { bits: 3, groupSize: 128, maxWindows: 32, heldout: 8, metric: 'kl' };
const text = async (file: string) => (await fetchFile(`${TINY_MODEL_URL}/${file}`)).text();

/** The engine with GPTQ's CPU reference in a worker; `setProgress` shows the worker's layer count. */
function openEngine(setProgress: (p: string) => void) {
  const worker = workerQuantize(setProgress);
  const engine = new CalibrationSizeEngine({
    compute: getCompute,
    weights: () => sharedTinyLMWeights(TINY_MODEL_URL),
    calibrationText: () => text('calibration.txt'),
    heldoutText: () => text('heldout.txt'),
    quantize: worker.quantize,
  });
  return { engine, getCompute, dispose: () => { engine.dispose(); worker.dispose(); } };
}

const noSubscription = () => () => {};
const initial = () => INITIAL_CALIBRATION_SIZE;
const groupLabel = (g: number) => (g === -1 ? 'one per row' : `groups of ${g}`);

/**
 * GPTQ on the whole tiny model with calibration sets of 128, 256, … characters (one capture, a
 * snapshot of the Hessians per size: lib/model/calibration-sizes), each scored on held-out text;
 * round-to-nearest, which reads no calibration, as the reference line. State in the URL as
 * `<id>.bits`, `.groupSize`, `.maxWindows`, `.heldout`, `.metric`.
 */
export function CalibrationSize({ id = 'calib' }: { id?: string }) {
  const [state, update, ignored] = useWidgetState(id, SPEC, BASE);
  const [layers, setLayers] = useState('');
  const { engine: e, error: loadError } = useEngine(() => openEngine(setLayers), []);
  const s = useSyncExternalStore(e?.engine.subscribe ?? noSubscription, e?.engine.getSnapshot ?? initial, initial);
  const [backend, setBackend] = useState<string | null>(null);
  const running = s.state === 'running';
  const run = () => {
    void getCompute().then((c) => setBackend(backendLabel(c)));
    void e?.engine.run(state);
  };
  const T = WINDOW_CHARS;
  const frameState = !e ? 'loading' : running ? 'running' : s.state === 'done' ? 'done' : 'ready';
  return (
    <WidgetFrame stateId={id}
      title="How much calibration text is enough?"
      subtitle={`GPTQ at ${state.bits} bits, ${groupLabel(state.groupSize)}, calibrated on 1 to ${state.maxWindows} windows of ${T} characters`}
      backend={backend && <>Capture and scoring on {backend}; GPTQ and round-to-nearest quantize as lib/quant’s CPU references in a Web Worker.</>}
      error={(loadError || s.error) && <WidgetError testId="calibration-error">{loadError ?? s.error}</WidgetError>}
      testId="calibration-size"
      state={frameState}
    >
      <IgnoredLinkValues ignored={ignored} />
      <div className="controls">
        <label className="control">
          <span>Bits</span>
          <select value={state.bits} disabled={running} onChange={(ev) => update({ bits: Number(ev.target.value) })} data-testid="calibration-bits">
            {B.bits.map((b) => <option key={b} value={b}>{b}-bit</option>)}
          </select>
        </label>
        <label className="control">
          <span>Scales</span>
          <select value={state.groupSize} disabled={running} onChange={(ev) => update({ groupSize: Number(ev.target.value) })} data-testid="calibration-group">
            {B.groupSize.map((g) => <option key={g} value={g}>{groupLabel(g)}</option>)}
          </select>
        </label>
        <label className="control">
          <span>Largest calibration set</span>
          <select value={state.maxWindows} disabled={running} onChange={(ev) => update({ maxWindows: Number(ev.target.value) })} data-testid="calibration-max">
            {B.maxWindows.map((w) => <option key={w} value={w}>{(w * T).toLocaleString('en-US')} characters ({w} windows)</option>)}
          </select>
        </label>
        <label className="control">
          <span>Held-out windows</span>
          <select value={state.heldout} disabled={running} onChange={(ev) => update({ heldout: Number(ev.target.value) })} data-testid="calibration-heldout">
            {HELDOUT.map((w) => <option key={w} value={w}>{w} ({(w * T).toLocaleString('en-US')} characters)</option>)}
          </select>
        </label>
        <button type="button" className="primary" onClick={run} disabled={!e || running} data-testid="calibration-run">{s.rows.length ? 'Run again' : 'Run'}</button>
        {running && <button type="button" onClick={() => e?.engine.stop()} data-testid="calibration-stop">Stop</button>}
      </div>
      <p role="status" className="widget-caption" data-testid="calibration-status">
        {s.status ? `${s.status}${running && s.status.endsWith('quantizing…') && layers ? ` ${layers}` : ''}` : `Press Run: one capture over the largest set (about ${state.maxWindows} forward passes of ${T} characters), then GPTQ once per size.`}
      </p>
      {s.rows.length > 0 && (
        <>
          <div className="controls">
            <label className="control">
              <span>Chart</span>
              <select value={state.metric} onChange={(ev) => update({ metric: ev.target.value as SizeMetric })} data-testid="calibration-metric">
                {(Object.keys(METRIC_LABELS) as SizeMetric[]).map((m) => <option key={m} value={m}>{METRIC_LABELS[m]}</option>)}
              </select>
            </label>
          </div>
          <SizeChart rows={s.rows} rtn={s.rtn ? s.rtn[state.metric] : null} metric={state.metric} maxChars={state.maxWindows * T} />
          <SizeTable s={s} />
          <p className="widget-caption">
            The sizes nest: the set of k windows is the first k of the largest, spread through the training text, so one capture
            gives every size’s Hessian. Held-out text: {s.heldoutWindows} windows the model never trained on
            {s.fp32 ? `; FP32’s perplexity there is ${s.fp32.perplexity.toFixed(4)}` : ''}.
            {s.captureMs !== null ? ` The capture took ${(s.captureMs / 1000).toFixed(1)} s.` : ''}
          </p>
        </>
      )}
    </WidgetFrame>
  );
}
