'use client';

import { useState } from 'react';
import { useOwnModel } from '@/components/own-model/useOwnModel';
import { useWidgetState } from '@/components/widget-kit/useWidgetState';
import { IgnoredLinkValues } from '@/components/widget-kit/IgnoredLinkValues';
import { WidgetError } from '@/components/widget-kit/WidgetError';
import { WidgetFrame } from '@/components/widget-kit/WidgetFrame';
import { ScrollRegion } from '@/components/ui/ScrollRegion';
import { shortNumber } from '@/lib/formats/display';
import { CALIBRATION_WINDOWS, maxBlocksWithin, OWN_MODEL_BOUNDS } from '@/lib/model/methods-engine';
import type { QuantizeOn } from '@/lib/model/quantize-on';
import type { MethodSetting, WeightMethod } from '@/lib/model/weight-methods';
import type { StateSpec } from '@/lib/url/widget-state';
import { useCalibration } from './calibration';
import { OWN_DEFAULTS, OwnMethodsSettings, type OwnSettings } from './OwnMethodsSettings';
import { ownCalibration } from './ownCalibration';
import { useMethodsRun, type ResultRow } from './useMethodsRun';
import { IntBox } from '@/components/widget-kit/IntBox';

const SETTINGS: { field: 's4g64' | 's4g128' | 's3g64' | 's3g128'; setting: MethodSetting }[] = [
  { field: 's4g128', setting: { bits: 4, groupSize: 128 } },
  { field: 's4g64', setting: { bits: 4, groupSize: 64 } },
  { field: 's3g128', setting: { bits: 3, groupSize: 128 } },
  { field: 's3g64', setting: { bits: 3, groupSize: 64 } },
];
const METHODS: WeightMethod[] = ['rtn', 'gptq', 'awq'];
type State = { s4g64: boolean; s4g128: boolean; s3g64: boolean; s3g128: boolean; heldout: number; calib: number; on: QuantizeOn };
const QUANTIZE_ON: { value: QuantizeOn; label: string }[] = [
  { value: 'auto', label: 'Automatic' },
  { value: 'gpu', label: 'GPU' },
  { value: 'cpu', label: 'CPU reference (worker)' },
];
const SPEC: StateSpec<State> = {
  s4g64: { kind: 'bool' },
  s4g128: { kind: 'bool' },
  s3g64: { kind: 'bool' },
  s3g128: { kind: 'bool' },
  heldout: { kind: 'int', min: 2, max: 64 },
  calib: { kind: 'int', min: CALIBRATION_WINDOWS.min, max: CALIBRATION_WINDOWS.max },
  on: { kind: 'oneOf', options: QUANTIZE_ON.map((o) => o.value) },
};
const QUANTIZE_NOTE: Record<QuantizeOn, string> = {
  auto: 'GPTQ and AWQ quantize on the GPU, or as the CPU references in a Web Worker when the GPU is a software one (slower there); round-to-nearest always on the CPU.',
  gpu: 'GPTQ quantizes in a WebGPU kernel (in the worker without WebGPU) and AWQ through the page’s backend; round-to-nearest on the CPU.',
  cpu: 'Every method quantizes on one CPU core in a Web Worker, with lib/quant’s float64 references.',
};
const BASE: State = { s4g64: false, s4g128: true, s3g64: false, s3g128: false, heldout: 16, calib: CALIBRATION_WINDOWS.default, on: 'auto' };

/**
 * The whole tiny model quantized by round-to-nearest, GPTQ and AWQ at the chosen settings, each
 * scored on held-out text against FP32 (perplexity, KL, top-1 agreement) with the time each method
 * took — all computed in the page (useMethodsRun): GPTQ's column loop and AWQ's α search on the GPU
 * or as lib/quant's CPU references in a worker (`.on`: auto keeps a software GPU on the CPU).
 * With the learner's own checkpoint loaded and used (OwnMethodsSettings), its first blocks instead,
 * calibrated on Run over BPE windows. State in the URL as `<id>.s4g128` … `.heldout`, `.calib`, `.on`.
 */
export function MethodsTable({ id = 'methods' }: { id?: string }) {
  const [state, update, ignored] = useWidgetState(id, SPEC, BASE);
  const own = useOwnModel();
  const [ownSettings, setOwnSettings] = useState<OwnSettings>(OWN_DEFAULTS);
  const cal = useCalibration(state.calib, true);
  const { rows, status, running, error, layers, quantized, run, stop } = useMethodsRun();
  const chosen = SETTINGS.filter((s) => state[s.field]).map((s) => s.setting);
  const mine = own.loaded;
  const ownWeights = mine?.weights ?? null;
  const start = () => {
    if (mine) {
      const { calib, heldout } = ownSettings;
      const blocks = Math.min(ownSettings.blocks, maxBlocksWithin(mine.weights.config));
      void run({ label: mine.label, calibration: (onWindows) => ownCalibration(mine.weights, calib, blocks, onWindows), windowTokens: OWN_MODEL_BOUNDS.windowTokens }, chosen, METHODS, heldout, state.on);
    } else if (cal.calibration) void run({ label: 'the course’s tiny model', calibration: cal.calibration }, chosen, METHODS, state.heldout, state.on);
  };
  const ready = ownWeights !== null || cal.calibration !== null;
  // The tiny model's calibration error only matters while the tiny model is used.
  const shownError = (!ownWeights && cal.error) || error;
  return (
    <WidgetFrame stateId={id}
      title="RTN, GPTQ and AWQ on the whole model"
      subtitle={own.loaded ? `${own.loaded.label}: the Linear weights of its first blocks quantized, then scored on held-out text` : 'Every Linear weight of the tiny model quantized, then scored on held-out text'}
      backend={cal.backend && <>Capture and scoring on {cal.backend}. {QUANTIZE_NOTE[state.on]}</>}
      error={shownError && <WidgetError testId="methods-error">{shownError}</WidgetError>}
      testId="methods-table"
      state={running ? 'running' : rows.length > 1 ? 'done' : ready ? 'ready' : 'loading'}
    >
      <IgnoredLinkValues ignored={ignored} />
      <OwnMethodsSettings own={own} disabled={running} value={ownSettings} onChange={setOwnSettings} />
      <div className="controls">
        <fieldset className="control">
          <legend>Settings</legend>
          {SETTINGS.map((s) => (
            <label key={s.field}>
              <input type="checkbox" checked={state[s.field]} disabled={running} onChange={(e) => update({ [s.field]: e.target.checked })} data-testid={`methods-${s.field}`} />
              {` ${s.setting.bits}-bit, group ${s.setting.groupSize}`}
            </label>
          ))}
        </fieldset>
        {!ownWeights && (
          <label className="control">
            <span>Held-out windows</span>
            <IntBox value={state.heldout} min={2} max={64} disabled={running} onValue={(heldout) => update({ heldout })} testId="methods-heldout" />
          </label>
        )}
        <label className="control">
          <span>Quantize on</span>
          <select value={state.on} disabled={running} onChange={(e) => update({ on: e.target.value as QuantizeOn })} data-testid="methods-on">
            {QUANTIZE_ON.map((o) => <option key={o.value} value={o.value}>{o.label}</option>)}
          </select>
        </label>
        <button type="button" onClick={start} disabled={!ready || running || chosen.length === 0 || own.busy !== null} data-testid="methods-run">Run</button>
        <button type="button" onClick={stop} disabled={!running} data-testid="methods-stop">Stop</button>
        <button type="button" onClick={() => update(BASE)} disabled={running} data-testid="methods-reset">Reset</button>
      </div>
      <p role="status" data-testid="methods-status">
        {status || (ownWeights
          ? `Press Run: the chosen blocks are calibrated on your model first (${ownSettings.calib} windows), then quantized and scored.`
          : !cal.calibration && !cal.error ? cal.progress || 'Waiting for the model…' : `Calibrated on ${cal.calibration?.windows ?? '…'} windows of the training text. Choose settings and press Run.`)}
        {layers && <> <progress max={layers.total} value={layers.done} aria-label="Layers quantized" data-testid="methods-layer-progress" /></>}
      </p>
      {rows.length > 0 && <Results rows={rows} quantized={quantized} />}
    </WidgetFrame>
  );
}

/** The scored models: FP32 first, then each setting and method. */
function Results({ rows, quantized }: { rows: ResultRow[]; quantized: { layers: number; model: string } }) {
  return (
    <ScrollRegion label="Whole-model results">
      <table className="compact-table" data-testid="methods-results">
        <caption data-testid="methods-caption">Measured on {quantized.model}: held-out perplexity, KL divergence from FP32 and top-1 agreement with FP32; time to quantize all {quantized.layers} Linear weights</caption>
        <thead>
          <tr><th scope="col">setting</th><th scope="col">method</th><th scope="col">perplexity</th><th scope="col">KL (nats)</th><th scope="col">top-1</th><th scope="col">time</th><th scope="col">quantized on</th></tr>
        </thead>
        <tbody>
          {rows.map((r) => (
            <tr key={r.key} data-key={r.key} data-perplexity={r.perplexity} data-kl={r.kl}>
              <td>{r.setting}</td>
              <td>{r.method}</td>
              <td>{r.perplexity.toFixed(4)}</td>
              <td>{r.key === 'fp32' ? '0' : shortNumber(r.kl, 3)}</td>
              <td>{(100 * r.top1).toFixed(1)}%</td>
              <td>{r.ms === null ? '—' : `${shortNumber(r.ms / 1000, 3)} s`}</td>
              <td data-testid="methods-ran-on">{r.ranOn ?? '—'}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </ScrollRegion>
  );
}
