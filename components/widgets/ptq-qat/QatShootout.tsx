'use client';

import { useRef, useSyncExternalStore } from 'react';
import { IgnoredLinkValues } from '@/components/widget-kit/IgnoredLinkValues';
import { useEngine } from '@/components/widget-kit/useEngine';
import { useWidgetState } from '@/components/widget-kit/useWidgetState';
import { WidgetFrame } from '@/components/widget-kit/WidgetFrame';
import { usePauseOffScreen, useTrainerChannelState } from '@/components/widgets/qlora/useTrainerChannel';
import { backendLabel } from '@/lib/compute';
import { INITIAL_SHOOTOUT, SHOOTOUT_BITS, SHOOTOUT_DEFAULT_LR, SHOOTOUT_LRS, SHOOTOUT_STEPS, SHOOTOUT_WINDOWS, type ShootoutSnapshot } from '@/lib/train/shootout';
import { allMask, chosenOf, maskOf, type StateSpec } from '@/lib/url/widget-state';
import { openShootout } from './shootout/openShootout';
import { QatCurve } from './shootout/QatCurve';
import { ShootoutResults } from './shootout/ShootoutResults';

type Settings = { bits: number; steps: number; windows: number; lr: string };
const WINDOW_CHOICES = [4, 8, 16, 32, 64];
const BASE: Settings = { bits: maskOf(SHOOTOUT_BITS, [4, 2]), steps: 40, windows: SHOOTOUT_WINDOWS.default, lr: SHOOTOUT_DEFAULT_LR };
const SPEC: StateSpec<Settings> = {
  bits: { kind: 'int', min: 0, max: allMask(SHOOTOUT_BITS) },
  steps: { kind: 'int', min: 1, max: 400, allowed: SHOOTOUT_STEPS },
  windows: { kind: 'int', min: SHOOTOUT_WINDOWS.min, max: SHOOTOUT_WINDOWS.max, allowed: WINDOW_CHOICES },
  lr: { kind: 'oneOf', options: SHOOTOUT_LRS },
};
const SEED = 1;

const noSubscription = () => () => {};
const initial = () => INITIAL_SHOOTOUT;

function statusText(s: ShootoutSnapshot, autoPaused: boolean): string {
  const n = s.settings?.bits.length ?? 0;
  const run = s.qat[s.qat.length - 1];
  if (s.stage === 'ptq') return s.fp32 ? `PTQ at ${s.active}-bit: quantizing with round-to-nearest and GPTQ, then scoring…` : 'Loading the model, capturing GPTQ’s calibration inputs and scoring FP32…';
  if (s.stage === 'qat') {
    if (autoPaused) return 'QAT is paused while the widget is off screen; it resumes when you scroll back.';
    const step = run?.snapshot?.step ?? 0;
    return `QAT at ${s.active}-bit (run ${s.qat.length} of ${n}): ${run?.snapshot ? `step ${step} of ${s.settings?.steps}` : 'building the trainer and measuring step 0'}…`;
  }
  if (s.stage === 'done') return `Done: ${n} bit width${n > 1 ? 's' : ''}, three methods each, all scored on the same ${s.settings?.windows} held-out windows.`;
  if (s.stage === 'stopped') return s.error ? 'Stopped by an error; the results so far stay.' : 'Stopped; the results so far stay. Run again to start over.';
  return 'Choose the bit widths and QAT’s step budget, then run. PTQ takes seconds; QAT trains in a Web Worker.';
}

/**
 * PTQ against QAT on the tiny model: for each chosen bit width the Linear weights on one per-row
 * affine grid, by round-to-nearest, by GPTQ, and by QAT trained for the chosen steps, all scored on
 * the same held-out windows, with QAT's loss curve against the PTQ levels it starts from and what
 * each cost. The sequence is lib/train/shootout; QAT trains in the page's training worker, paused
 * while the widget is off screen.
 */
export function QatShootout({ id = 'shootout' }: { id?: string }) {
  const rootRef = useRef<HTMLElement>(null);
  const [settings, update, ignored] = useWidgetState(id, SPEC, BASE);
  const { engine: opened, error: openError } = useEngine(openShootout, []);
  const engine = opened?.engine ?? null;
  const channel = opened?.channel ?? null;
  usePauseOffScreen(channel, rootRef);
  const w = useTrainerChannelState(channel);
  const s = useSyncExternalStore(engine?.subscribe ?? noSubscription, engine?.getSnapshot ?? initial, initial);
  const running = s.stage === 'ptq' || s.stage === 'qat';
  const bits = chosenOf(SHOOTOUT_BITS, settings.bits);
  const toggle = (b: number) => update({ bits: settings.bits ^ maskOf(SHOOTOUT_BITS, [b]) });
  const state = !engine ? 'loading' : running ? 'running' : s.stage === 'done' ? 'done' : 'ready';

  return (
    <WidgetFrame stateId={id}
      ref={rootRef}
      testId="qat-shootout"
      state={state}
      title="PTQ against QAT on the tiny model"
      subtitle="one grid per bit width: affine, one range per output row"
      backend={w.backend ? `PTQ computed in the page; QAT trained on ${backendLabel(w.backend)} in a Web Worker.` : undefined}
      error={s.error ?? w.error ?? openError}
    >
      <div className="controls">
        <fieldset className="control" disabled={running}>
          <legend>Bit widths to compare</legend>
          <div className="checks">
            {SHOOTOUT_BITS.map((b) => (
              <label key={b}>
                <input type="checkbox" checked={bits.includes(b)} onChange={() => toggle(b)} data-testid={`shootout-bits-${b}`} /> {b}-bit
              </label>
            ))}
          </div>
        </fieldset>
        <label className="control">
          <span>QAT steps per bit width</span>
          <select value={settings.steps} onChange={(e) => update({ steps: Number(e.target.value) })} disabled={running} data-testid="shootout-steps">
            {SHOOTOUT_STEPS.map((n) => <option key={n} value={n}>{n}</option>)}
          </select>
        </label>
        <label className="control">
          <span>QAT learning rate</span>
          <select value={settings.lr} onChange={(e) => update({ lr: e.target.value })} disabled={running} data-testid="shootout-lr">
            {SHOOTOUT_LRS.map((r) => <option key={r} value={r}>{r}</option>)}
          </select>
        </label>
        <label className="control">
          <span>Held-out windows (128 characters each)</span>
          <select value={settings.windows} onChange={(e) => update({ windows: Number(e.target.value) })} disabled={running} data-testid="shootout-windows">
            {WINDOW_CHOICES.map((n) => <option key={n} value={n}>{n}</option>)}
          </select>
        </label>
      </div>
      <div className="controls">
        <button type="button" className="primary" disabled={!engine || running || bits.length === 0} data-testid="shootout-run" onClick={() => void engine?.start({ bits, steps: settings.steps, windows: settings.windows, lr: Number(settings.lr), seed: SEED })}>
          {s.stage === 'idle' ? 'Run the shoot-out' : 'Run again'}
        </button>
        <button type="button" disabled={!running} onClick={() => engine?.stop()} data-testid="shootout-stop">Stop</button>
        <button type="button" disabled={running || s.stage === 'idle'} onClick={() => engine?.reset()} data-testid="shootout-reset">Reset</button>
      </div>
      <IgnoredLinkValues ignored={ignored} />
      {bits.length === 0 && <p className="widget-caption" role="status">Tick at least one bit width to run.</p>}
      <p className="widget-caption" aria-live="polite" data-testid="shootout-status">{statusText(s, w.autoPaused)}</p>
      {s.fp32 && <ShootoutResults s={s} />}
      <QatCurve s={s} />
    </WidgetFrame>
  );
}
