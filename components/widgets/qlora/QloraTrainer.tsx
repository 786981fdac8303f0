'use client';

import { lazy, Suspense, useDeferredValue, useMemo, useRef, useState } from 'react';
import { useOwnModelSession } from '@/components/own-model/session';
import { useNearScreen } from '@/components/ui/useNearScreen';
import { useWidgetState } from '@/components/widget-kit/useWidgetState';
import { DeviceLostNotice } from '@/components/widget-kit/useComputeLoss';
import { WidgetError } from '@/components/widget-kit/WidgetError';
import { WidgetFrame } from '@/components/widget-kit/WidgetFrame';
import { IgnoredLinkValues } from '@/components/widget-kit/IgnoredLinkValues';
import { RunProgress } from '@/components/widget-kit/RunProgress';
import { backendLabel } from '@/lib/compute';
import { isDeviceLostError } from '@/lib/compute/device-loss';
import { shortNumber } from '@/lib/formats/display';
import { DATASET_SHORT_TITLES, splitPaste } from '@/lib/train/datasets';
import { DROPOUTS, LOOP, LRS, RANKS, STEP_CHOICES, TARGET_PRESETS } from '@/lib/train/recipes';
import { QLORA_DEMO_STEPS } from '@/lib/progress/verdict';
import { TRAIN_MODE_LABELS } from '@/lib/train/modes';
import { trainerStageLabel } from '@/lib/train/stages';
import type { TrainerSnapshot } from '@/lib/train/trainer';
import { SEED_FIELD, type StateSpec } from '@/lib/url/widget-state';
import { AdapterPanel } from './AdapterPanel';
import { SavedRunView, useSavedRun } from './SavedRun';
import { SamplesPanel } from './SamplesPanel';
import { TrainerProgress } from './TrainerProgress';
import { TrainerSettingsPanel, type TrainerSettings } from './TrainerSettingsPanel';
import { useTrainerChannel } from './useTrainerChannel';
import { useTrainerSession } from './useTrainerSession';
import { ownModelPayload } from './ownPayload';

// Loaded only once the tab holds the learner's own model (its checkpoint code is loaded by then).
const OwnModelTrainingNote = lazy(() => import('./OwnModelTrainingNote'));

const BASE: TrainerSettings = { dataset: 'kjv-shout', mode: 'qlora', r: 8, alpha: 16, targets: 'all', dropout: '0', lr: '3e-3', steps: QLORA_DEMO_STEPS, seed: 1 };
const SPEC: StateSpec<TrainerSettings> = {
  dataset: { kind: 'oneOf', options: ['kjv-shout', 'kjv-modern', 'kjv-lines', 'paste'] },
  mode: { kind: 'oneOf', options: ['full', 'lora', 'qlora'] },
  r: { kind: 'int', min: 1, max: 64, allowed: RANKS },
  alpha: { kind: 'int', min: 1, max: 256 },
  targets: { kind: 'oneOf', options: Object.keys(TARGET_PRESETS) },
  dropout: { kind: 'oneOf', options: DROPOUTS },
  lr: { kind: 'oneOf', options: LRS },
  steps: { kind: 'int', min: 10, max: 2000, allowed: STEP_CHOICES },
  seed: SEED_FIELD,
};

/** The status line: the stage the worker reports or the busy message, else the run's progress, else what a run will do. */
function statusText(busy: string | null, stage: string | null, snap: TrainerSnapshot | null, autoPaused: boolean, sampling: boolean, units: 'characters' | 'tokens'): string {
  if (busy) return stage ?? busy;
  if (!snap) return `Batches of ${LOOP.batchSize} windows of ${LOOP.blockSize} ${units}; held-out loss every ${LOOP.evalEvery} steps on ${LOOP.evalWindows} windows.`;
  if (snap.state === 'running' && snap.step === 0) return `Step 1…${autoPaused ? ' · paused while the widget is off screen' : ''}`;
  const speed = snap.stepsPerSecond ? ` · ${shortNumber(snap.stepsPerSecond, 3)} steps/s · ${shortNumber(snap.tokensPerSecond ?? 0, 3)} ${units}/s` : '';
  const before = sampling ? ' · sampling the base model for the sample before training' : '';
  return `Step ${snap.step} of ${snap.maxSteps}${speed}${snap.state === 'done' ? ' · done' : ''}${before}${autoPaused ? ' · paused while the widget is off screen' : ''}`;
}

/**
 * QLoRA in the browser: the tiny model's base frozen in NF4 + DQ (or FP32, or fully trainable),
 * LoRA adapters trained with AdamW in the page's training worker (lib/train), with live loss
 * curves, samples before and after, the memory ledger, and adapter export, import and merge.
 */
export function QloraTrainer({ id = 'qlora' }: { id?: string }) {
  const rootRef = useRef<HTMLElement>(null);
  const near = useNearScreen(rootRef);
  const [settings, update, ignored] = useWidgetState(id, SPEC, BASE);
  const { channel, state } = useTrainerChannel(rootRef);
  const [paste, setPaste] = useState('');
  const [prompt, setPrompt] = useState('And he said unto them, ');
  const deferredPaste = useDeferredValue(paste); // split once per change, not on every keystroke of a huge paste
  const pasteSplit = useMemo(() => (settings.dataset === 'paste' ? splitPaste(deferredPaste) : null), [settings.dataset, deferredPaste]);
  const ownModel = useOwnModelSession();
  // Training the learner's own checkpoint instead, when the note below finds that it fits (a choice per widget).
  const [trainOwn, setTrainOwn] = useState(false);
  const adapterMode = settings.mode === 'lora' || settings.mode === 'qlora';
  const model = useMemo(() => (ownModel && trainOwn && adapterMode ? ownModelPayload(ownModel) : null), [ownModel, trainOwn, adapterMode]);
  const session = useTrainerSession({ channel, state, settings, pasteSplit, prompt, near, model });
  const { busy, running } = session;
  const snap = state.snapshot;
  const pasteBad = pasteSplit !== null && !pasteSplit.ok;
  const text = settings.dataset === 'paste' ? 'your own text' : DATASET_SHORT_TITLES[settings.dataset];
  const what = `${TRAIN_MODE_LABELS[settings.mode]}${settings.mode === 'full' ? '' : `, rank ${settings.r}`}, on ${text}`;
  const savedRun = useSavedRun(id, model ? null : snap, running, // runs on the learner's own model are not kept: "Run again" would run the tiny one
    state.backend && backendLabel(state.backend), what);

  // A lost WebGPU device (in the worker) ends the run: one message and Restart (a new worker).
  const shownError = session.loadError ?? state.error ?? snap?.error ?? null;
  const lost = shownError !== null && isDeviceLostError(shownError);

  return (
    <WidgetFrame stateId={id}
      ref={rootRef}
      testId="qlora-widget"
      state={snap?.state ?? 'idle'}
      data={{ 'data-step': snap?.step ?? 0, 'data-first-step-ms': session.firstStepMs === null ? undefined : Math.round(session.firstStepMs) }}
      title={model ? 'Fine-tune your model' : 'Fine-tune the tiny model'}
      subtitle={<span data-testid="qlora-backend">{state.backend ? `Training in a Web Worker on ${backendLabel(state.backend)}` : 'Runs in a Web Worker on your GPU'}</span>}
    >
      <TrainerSettingsPanel settings={settings} update={update} datasets={session.datasets} running={running} paste={paste} setPaste={setPaste} pasteSplit={pasteSplit} />
      <IgnoredLinkValues ignored={ignored} />
      <div className="controls">
        {running ? (
          <button type="button" onClick={() => channel?.stop()} data-testid="qlora-pause">Pause</button>
        ) : (
          <button type="button" className="primary" onClick={() => session.run('start')} disabled={busy !== null || pasteBad || (snap !== null && snap.state === 'done')} data-testid="qlora-start">
            {snap && snap.step > 0 ? 'Resume' : 'Start training'}
          </button>
        )}
        <button type="button" onClick={() => session.run('step')} disabled={running || busy !== null || pasteBad} data-testid="qlora-step">One step</button>
        <button type="button" onClick={session.reset} disabled={busy !== null || pasteBad} data-testid="qlora-reset">Reset</button>
      </div>
      <p className="widget-caption" aria-live="polite" data-testid="qlora-status">{statusText(busy, state.stage && trainerStageLabel(state.stage, settings.mode), snap, state.autoPaused, session.sampling, model ? 'tokens' : 'characters')}</p>
      <RunProgress done={snap?.step ?? 0} total={snap?.maxSteps ?? 0} running={running && !state.autoPaused} units="steps" label="Training progress" testId="qlora-progress" />
      {ownModel && (
        <Suspense fallback={null}>
          <OwnModelTrainingNote own={ownModel} mode={settings.mode} r={settings.r} targets={settings.targets} nf4Packed={!state.backend || state.backend.backend === 'webgpu'} training={model !== null} onTrain={setTrainOwn} disabled={running || busy !== null} />
        </Suspense>
      )}
      {state.backend?.software && (
        <p className="widget-caption" data-testid="qlora-software-note">
          Your WebGPU adapter runs in software, on the CPU, so each step takes seconds. WebGL (the header&rsquo;s Switch, or
          <code>?backend=webgl</code> in the address) may train faster on such machines, but WebGL cannot run the NF4 kernel, so
          the base is then held as float32.
        </p>
      )}
      {state.backend && state.backend.notes.length > 0 && (
        <p className="widget-caption" role="status" data-testid="qlora-backend-notes">{state.backend.notes.join(' ')}</p>
      )}
      {shownError && !lost && <WidgetError testId="qlora-error">{shownError}</WidgetError>}
      {lost && <DeviceLostNotice onRestart={session.restartAfterLoss} error={shownError} />}
      {snap && snap.droppedCharacters.length > 0 && (
        <p className="error-message" role="status">The model never saw {snap.droppedCharacters.map((c) => `“${c}”`).join(', ')}; {snap.droppedCharacters.length === 1 ? 'it was' : 'they were'} left out of the text.</p>
      )}
      {snap && <TrainerProgress snap={snap} unit={model ? 'token' : 'character'} />}
      {!snap && savedRun && <SavedRunView saved={savedRun} onRunAgain={() => session.run('start')} disabled={busy !== null || pasteBad} />}
      <SamplesPanel prompt={prompt} setPrompt={setPrompt} running={running} before={session.before} after={session.after} />
      {settings.mode !== 'full' && (
        <AdapterPanel canUse={snap !== null} running={running} busy={busy !== null} merge={session.merge} onExport={session.exportAdapter} onMerge={session.checkMerge} onImport={session.importAdapter} />
      )}
    </WidgetFrame>
  );
}
