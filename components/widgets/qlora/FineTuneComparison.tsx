'use client';

import { useRef, useSyncExternalStore } from 'react';
import { useWidgetState } from '@/components/widget-kit/useWidgetState';
import { useEngine } from '@/components/widget-kit/useEngine';
import { WidgetError } from '@/components/widget-kit/WidgetError';
import { WidgetFrame } from '@/components/widget-kit/WidgetFrame';
import { IgnoredLinkValues } from '@/components/widget-kit/IgnoredLinkValues';
import { RunProgress } from '@/components/widget-kit/RunProgress';
import { backendLabel } from '@/lib/compute';
import { comparisonPhase, FineTuneComparisonEngine, INITIAL_COMPARISON, shownRuns, type ComparisonSettings } from '@/lib/train/comparison';
import { DATASET_SHORT_TITLES, fetchDataset, SHIPPED_DATASETS } from '@/lib/train/datasets';
import { COMPARED_MODES, TRAIN_MODE_LABELS } from '@/lib/train/modes';
import { SEED_FIELD, type StateSpec } from '@/lib/url/widget-state';
import { ComparisonResults } from './ComparisonTable';
import { openTrainerChannel, usePauseOffScreen, useTrainerChannelState } from './useTrainerChannel';

type Settings = ComparisonSettings;
const STEP_CHOICES = [5, 10, 30, 60, 120, 240];
const BASE: Settings = { dataset: 'kjv-modern', steps: 60, seed: 1 };
const SPEC: StateSpec<Settings> = {
  dataset: { kind: 'oneOf', options: SHIPPED_DATASETS },
  steps: { kind: 'int', min: 5, max: 800, allowed: STEP_CHOICES },
  seed: SEED_FIELD,
};

/** The comparison engine (lib/train/comparison) on its own channel of the page's training worker. */
function openComparison() {
  const channel = openTrainerChannel();
  const comparison = new FineTuneComparisonEngine(channel, fetchDataset);
  return { channel, comparison, dispose: () => { comparison.dispose(); channel.dispose(); } };
}

const noSubscription = () => () => {};
const initialComparison = () => INITIAL_COMPARISON;

/**
 * Full fine-tuning, LoRA on an FP32 base and QLoRA on an NF4 + DQ base, one after the other with the
 * same data, seed and step budget, ending in a results table — a miniature of the QLoRA paper's
 * comparison. The sequence is lib/train/comparison; each run is a Trainer in the page's training
 * worker, paused while the widget is off screen.
 */
export function FineTuneComparison({ id = 'compare' }: { id?: string }) {
  const rootRef = useRef<HTMLElement>(null);
  const [settings, update, ignored] = useWidgetState(id, SPEC, BASE);
  const { engine } = useEngine(openComparison, []);
  const channel = engine?.channel ?? null;
  const comparison = engine?.comparison ?? null;
  usePauseOffScreen(channel, rootRef);
  const w = useTrainerChannelState(channel);
  const c = useSyncExternalStore(comparison?.subscribe ?? noSubscription, comparison?.getSnapshot ?? initialComparison, initialComparison);
  const running = c.phase !== null;
  const shown = shownRuns(c);
  const done = c.results.length === COMPARED_MODES.length;

  return (
    <WidgetFrame stateId={id}
      ref={rootRef}
      testId="compare-widget"
      data={{ 'data-phase': comparisonPhase(c) }}
      title="Full fine-tuning, LoRA and QLoRA on the same budget"
      subtitle={w.backend ? `on ${backendLabel(w.backend)}, in a Web Worker` : 'r = 8, α = 16, all Linear layers'}
    >
      <div className="controls">
        <label className="control">
          <span>Fine-tuning set</span>
          <select value={settings.dataset} onChange={(e) => update({ dataset: e.target.value as Settings['dataset'] })} disabled={running} data-testid="compare-dataset">
            {Object.entries(DATASET_SHORT_TITLES).map(([k, t]) => <option key={k} value={k}>{t}</option>)}
          </select>
        </label>
        <label className="control">
          <span>Steps per run</span>
          <select value={settings.steps} onChange={(e) => update({ steps: Number(e.target.value) })} disabled={running} data-testid="compare-steps">
            {STEP_CHOICES.map((n) => <option key={n} value={n}>{n}</option>)}
          </select>
        </label>
        <button type="button" className="primary" onClick={() => void comparison?.run(settings)} disabled={running} data-testid="compare-run">{c.results.length ? 'Run again' : 'Run the three'}</button>
        {running && <button type="button" onClick={() => comparison?.stop()} data-testid="compare-stop">Stop</button>}
      </div>
      <IgnoredLinkValues ignored={ignored} />
      <p className="widget-caption" aria-live="polite" data-testid="compare-status">
        {c.phase !== null
          ? `Run ${c.phase + 1} of 3: ${TRAIN_MODE_LABELS[COMPARED_MODES[c.phase]]}, step ${c.current?.step ?? 0} of ${settings.steps}.`
          : done ? 'Done: the same data, seed and steps for all three.' : 'Each run trains from the same pretrained model, with the same batches, in turn.'}
      </p>
      <RunProgress done={c.phase === null ? 0 : c.phase * settings.steps + (c.current?.step ?? 0)} total={COMPARED_MODES.length * settings.steps} running={running && !w.autoPaused} units="steps" label="Comparison progress" testId="compare-progress" />
      {(c.error || w.error) && <WidgetError>{c.error ?? w.error}</WidgetError>}
      {shown.length > 0 && <ComparisonResults shown={shown} steps={settings.steps} />}
    </WidgetFrame>
  );
}
