'use client';

import { useRef, useSyncExternalStore } from 'react';
import { LossChart, type LossSeries } from '@/components/charts/LossChart';
import { IgnoredLinkValues } from '@/components/widget-kit/IgnoredLinkValues';
import { useEngine } from '@/components/widget-kit/useEngine';
import { useWidgetState } from '@/components/widget-kit/useWidgetState';
import { WidgetError } from '@/components/widget-kit/WidgetError';
import { WidgetFrame } from '@/components/widget-kit/WidgetFrame';
import { backendLabel } from '@/lib/compute';
import { fetchFile } from '@/lib/io/fetch-file';
import { TINY_MODEL_URL } from '@/lib/model/tiny-model';
import { COMPARISON_RECIPE, LOOP } from '@/lib/train/recipes';
import { DATASET_SHORT_TITLES, fetchDataset, SHIPPED_DATASETS } from '@/lib/train/datasets';
import { INITIAL_LOFTQ, LOFTQ_RUN_LABELS, LOFTQ_EVAL_WINDOWS, loftqExtraMs, LoftqStartEngine, splitModelText, type LoftqRunKey, type LoftqSettings, type LoftqText } from '@/lib/train/loftq-start';
import { SEED_FIELD, type StateSpec } from '@/lib/url/widget-state';
import { openTrainerChannel, usePauseOffScreen, useTrainerChannelState } from '../qlora/useTrainerChannel';
import { StartTable } from './loftq/StartTable';

const STEPS = [5, 10, 20, 40, 80];
const TEXTS: readonly LoftqText[] = ['model', ...SHIPPED_DATASETS];
const TEXT_LABELS: Record<LoftqText, string> = { model: 'The model’s own held-out text', ...DATASET_SHORT_TITLES };
const BASE: LoftqSettings = { text: 'model', steps: 20, seed: 1 };
const SPEC: StateSpec<LoftqSettings> = {
  text: { kind: 'oneOf', options: TEXTS },
  steps: { kind: 'int', min: 5, max: 80, allowed: STEPS },
  seed: SEED_FIELD,
};
const COLOURS: Record<LoftqRunKey, string> = { fp32: 'var(--fg-muted)', zero: 'var(--chart-2)', loftq: 'var(--chart-1)' };

async function loadTexts(text: LoftqText) {
  if (text !== 'model') return fetchDataset(text);
  return splitModelText(await (await fetchFile(`${TINY_MODEL_URL}/heldout.txt`)).text());
}

function openLoftq() {
  const channel = openTrainerChannel();
  const engine = new LoftqStartEngine(channel, loadTexts);
  return { channel, engine, dispose: () => { engine.dispose(); channel.dispose(); } };
}

const noSubscription = () => () => {};
const initial = () => INITIAL_LOFTQ;

/**
 * QLoRA from PEFT's zero-B start against LoftQ's, beside the float32 model: held-out loss at step 0
 * and over a few steps, and LoftQ's extra start-up time. The sequence is lib/train/loftq-start; each
 * run is a Trainer in the page's training worker, paused off screen. URL: `<id>.text`, `.steps`, `.seed`.
 */
export function LoftqStart({ id = 'loftq' }: { id?: string }) {
  const rootRef = useRef<HTMLElement>(null);
  const [settings, update, ignored] = useWidgetState(id, SPEC, BASE);
  const { engine: e, error: loadError } = useEngine(openLoftq, []);
  usePauseOffScreen(e?.channel ?? null, rootRef);
  const w = useTrainerChannelState(e?.channel ?? null);
  const s = useSyncExternalStore(e?.engine.subscribe ?? noSubscription, e?.engine.getSnapshot ?? initial, initial);
  const running = s.phase !== null;
  const extra = loftqExtraMs(s.runs);
  const shown = [...s.runs.map((r) => ({ key: r.key, points: r.snapshot.heldoutLoss })), ...(s.phase && s.current ? [{ key: s.phase, points: s.current.heldoutLoss }] : [])];
  const fp32 = s.runs.find((r) => r.key === 'fp32');
  const series: LossSeries[] = shown.filter((r) => r.key !== 'fp32').map((r) => ({ key: r.key, label: LOFTQ_RUN_LABELS[r.key], points: r.points, colour: COLOURS[r.key], dashed: r.key === 'zero' }));
  if (fp32) series.push({ key: 'fp32', label: `${LOFTQ_RUN_LABELS.fp32}, step 0`, points: [{ step: 0, loss: fp32.startLoss }, { step: settings.steps, loss: fp32.startLoss }], colour: COLOURS.fp32, dashed: true, markers: false });
  const done = s.runs.length === 3;
  return (
    <WidgetFrame stateId={id}
      ref={rootRef}
      testId="loftq-start"
      state={!e ? 'loading' : running ? 'running' : done ? 'done' : 'ready'}
      title="QLoRA’s starting point: zero-B against LoftQ"
      subtitle={w.backend ? `on ${backendLabel(w.backend)}, in a Web Worker` : 'NF4 base, r = 8, α = 16 on every Linear layer'}
      error={(loadError || s.error || w.error) && <WidgetError testId="loftq-error">{loadError ?? s.error ?? w.error}</WidgetError>}
    >
      <IgnoredLinkValues ignored={ignored} />
      <div className="controls">
        <label className="control">
          <span>Text</span>
          <select value={settings.text} onChange={(ev) => update({ text: ev.target.value as LoftqText })} disabled={running} data-testid="loftq-text">
            {TEXTS.map((t) => <option key={t} value={t}>{TEXT_LABELS[t]}</option>)}
          </select>
        </label>
        <label className="control">
          <span>Steps per run</span>
          <select value={settings.steps} onChange={(ev) => update({ steps: Number(ev.target.value) })} disabled={running} data-testid="loftq-steps">
            {STEPS.map((n) => <option key={n} value={n}>{n}</option>)}
          </select>
        </label>
        <button type="button" className="primary" onClick={() => void e?.engine.run(settings)} disabled={!e || running} data-testid="loftq-run">{s.runs.length ? 'Run again' : 'Run the three'}</button>
        {running && <button type="button" onClick={() => e?.engine.stop()} data-testid="loftq-stop">Stop</button>}
      </div>
      <p className="widget-caption" aria-live="polite" data-testid="loftq-status">
        {s.phase !== null
          ? `${LOFTQ_RUN_LABELS[s.phase]}: ${s.stage === 'starting' ? 'building the trainer and measuring step 0…' : `step ${s.current?.step ?? 0} of ${s.phase === 'fp32' ? 0 : settings.steps}.`}`
          : done ? 'Done: the same text, seed, batches and recipe; only the adapters’ start differs.' : 'Three runs in turn: the float32 model (step 0 only), QLoRA from zero-B, QLoRA from LoftQ.'}
      </p>
      {s.runs.length > 0 && <StartTable runs={s.runs} />}
      {extra !== null && <p className="widget-caption" data-testid="loftq-extra" data-ms={extra}>LoftQ’s extra start-up, beyond zero-B’s (its SVDs and NF4 rounds for every adapted layer): {(extra / 1000).toFixed(2)} s. The first run’s start-up also includes loading tfjs and the model into the worker, if no other widget has.</p>}
      {series.length > 0 && (
        <LossChart series={series} formatY={(t) => t.toFixed(3)} title="Held-out loss against step for zero-B and LoftQ QLoRA, with the float32 model’s step-0 loss as a line" maxStep={settings.steps} />
      )}
      <p className="widget-caption">
        The default text is the model’s own held-out text (three quarters to train on, a quarter held out, {LOFTQ_EVAL_WINDOWS} windows
        per evaluation): what both starts try to approximate is the float32 model, so the step-0 gap is measured where the model
        already fits. The recipe is the QLoRA lesson’s comparison (learning rate {COMPARISON_RECIPE.lr}, batches of {LOOP.batchSize} windows
        of {LOOP.blockSize} characters): on text the model already fits, such steps can raise the held-out loss before they lower it.
        Choose a fine-tuning set from the QLoRA lesson to see whether the head start lasts while the adapters learn a new style.
      </p>
    </WidgetFrame>
  );
}
