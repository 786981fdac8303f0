'use client';

import { useState } from 'react';
import { useWidgetState } from '@/components/widget-kit/useWidgetState';
import { IgnoredLinkValues } from '@/components/widget-kit/IgnoredLinkValues';
import { WidgetFrame } from '@/components/widget-kit/WidgetFrame';
import { shortNumber } from '@/lib/formats/display';
import { lsqRange } from '@/lib/quant/qat';
import { steDescentStep } from '@/lib/quant/ste';
import type { StateSpec } from '@/lib/url/widget-state';
import { STE_VIEW, SteChart } from './SteChart';

type State = { bits: number; step: number; w: number; target: number; lr: number };
const SPEC: StateSpec<State> = {
  bits: { kind: 'int', min: 2, max: 4 },
  step: { kind: 'number', min: 0.05, max: 1 },
  w: { kind: 'number', min: -STE_VIEW, max: STE_VIEW },
  target: { kind: 'number', min: -STE_VIEW, max: STE_VIEW },
  lr: { kind: 'number', min: 0.01, max: 1 },
};
const BASE: State = { bits: 2, step: 0.5, w: 0.1, target: 0.45, lr: 0.1 };
const n = (x: number) => shortNumber(x, 4);

/**
 * One weight through a fake quantizer (lib/quant/qat.ts, LSQ's form round(clamp(w/s, −Qn, Qp))·s on
 * a signed grid): the staircase it draws, the gradient rounding really has (0) and the one the
 * straight-through estimator passes (lib/quant/ste.ts), and gradient descent on (ŵ − target)² with
 * each. State in the URL as `<id>.bits`, `.step`, `.w`, `.target`, `.lr`.
 */
export function SteExplorer({ id = 'ste' }: { id?: string }) {
  const [state, update, ignored] = useWidgetState(id, SPEC, BASE);
  const [note, setNote] = useState('');
  const range = lsqRange(state.bits, true);
  const now = steDescentStep(state.w, state.step, range, state.target, state.lr);
  const steStep = () => {
    const next = Math.max(-STE_VIEW, Math.min(STE_VIEW, now.w));
    setNote(!now.inside ? 'The code is clamped here, so the STE passes no gradient: w stays where it is.' : now.steGradient === 0 ? 'ŵ already equals the target: the loss is 0 and so is its gradient.' : `w moved from ${n(state.w)} to ${n(next)}; ŵ is now ${n(steDescentStep(next, state.step, range, state.target, state.lr).quantized)}.`);
    update({ w: next });
  };
  const trueStep = () => setNote('The staircase is flat here, so its true gradient is 0: w does not move, however many steps you take.');
  return (
    <WidgetFrame stateId={id} title="Rounding’s gradient: the straight-through estimator" subtitle={`One weight on a signed ${state.bits}-bit grid (codes ${n(-range.qn)} to ${n(range.qp)}), step ${n(state.step)}`} testId="ste-explorer" state="ready">
      <IgnoredLinkValues ignored={ignored} />
      <div className="controls">
        <label className="control">
          <span>Bits</span>
          <select value={state.bits} onChange={(e) => update({ bits: Number(e.target.value) })} data-testid="ste-bits">
            {[2, 3, 4].map((b) => <option key={b} value={b}>{b}</option>)}
          </select>
        </label>
        <Slider label="Step s" value={state.step} min={0.05} max={1} step={0.05} onChange={(v) => update({ step: v })} testId="ste-step" />
        <Slider label="Weight w" value={state.w} min={-STE_VIEW} max={STE_VIEW} step={0.01} onChange={(v) => { setNote(''); update({ w: v }); }} testId="ste-w" />
        <Slider label="Target" value={state.target} min={-STE_VIEW} max={STE_VIEW} step={0.01} onChange={(v) => update({ target: v })} testId="ste-target" />
        <Slider label="Learning rate" value={state.lr} min={0.01} max={1} step={0.01} onChange={(v) => update({ lr: v })} testId="ste-lr" />
      </div>
      <SteChart step={state.step} range={range} w={state.w} quantized={now.quantized} target={state.target} />
      <table className="compact-table" data-testid="ste-readout" data-ste-gradient={now.steGradient} data-quantized={now.quantized}>
        <caption>At w = {n(state.w)}, with the loss L = (ŵ − target)²</caption>
        <tbody>
          <tr><th scope="row">ŵ, the value the forward pass uses</th><td>{n(now.quantized)}</td></tr>
          <tr><th scope="row">loss L</th><td>{n(now.loss)}</td></tr>
          <tr><th scope="row">true dL/dw (the staircase is flat)</th><td>0</td></tr>
          <tr><th scope="row">dL/dw the STE passes</th><td data-testid="ste-gradient">{n(now.steGradient)}{now.inside ? '' : ' (clamped: nothing passes)'}</td></tr>
          <tr><th scope="row">LSQ’s dL/ds, for training the step</th><td>{n(now.stepGradient)}</td></tr>
        </tbody>
      </table>
      <div className="controls">
        <button type="button" className="primary" onClick={steStep} data-testid="ste-descend">Gradient step with the STE</button>
        <button type="button" onClick={trueStep} data-testid="ste-true-step">Gradient step with the true gradient</button>
        <button type="button" onClick={() => { setNote(''); update(BASE); }} data-testid="ste-reset">Reset</button>
      </div>
      <p role="status" data-testid="ste-status">{note}</p>
    </WidgetFrame>
  );
}

function Slider({ label, value, min, max, step, onChange, testId }: { label: string; value: number; min: number; max: number; step: number; onChange: (v: number) => void; testId: string }) {
  return (
    <label className="control">
      <span>{label}: {shortNumber(value, 3)}</span>
      <input type="range" min={min} max={max} step={step} value={value} onChange={(e) => onChange(Number(e.target.value))} data-testid={testId} />
    </label>
  );
}
