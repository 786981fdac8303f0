'use client';

import { useState } from 'react';
import { WidgetFrame } from '@/components/widget-kit/WidgetFrame';
import { WidgetError } from '@/components/widget-kit/WidgetError';
import { RunProgress } from '@/components/widget-kit/RunProgress';
import { SavedResult, adapterLabel, useSavedResult } from '@/components/widget-kit/SavedResult';
import { backendLabel, getCompute } from '@/lib/compute';
import { errorMessage } from '@/lib/errors';
import { importFailure } from '@/lib/io/fetch-file';
import { TINY_MODEL_URL } from '@/lib/model/tiny-model';
import { QLORA_DEMO_STEPS, qloraVerdict } from '@/lib/progress/verdict';
import { hasFields } from '@/lib/results-store-guards';

/** Untimed steps (kernels compile) and timed ones: a quick measurement, a few seconds on a GPU. */
const WARMUP = 1;
const STEPS = 3;

/** What is kept: the median QLoRA step in ms. */
type Measured = { msPerStep: number };
const isMeasured = (x: unknown): x is Measured => hasFields(x, ['msPerStep']) && (x.msPerStep as number) > 0;

/** Times QLoRA steps of the real trainer on this page's backend (lib/bench/train-bench), loaded on demand. */
async function measure(onStep: () => void): Promise<{ msPerStep: number; backend: string }> {
  const [{ runTrainBench }, { sharedTinyLMWeights }, { fetchDataset }] = await Promise.all([
    import('@/lib/bench/train-bench'),
    import('@/lib/model/fetch-weights'),
    import('@/lib/train/datasets'),
  ]).catch((e: unknown) => {
    throw new Error(importFailure('the trainer', e));
  });
  const compute = await getCompute();
  const [weights, texts] = await Promise.all([sharedTinyLMWeights(TINY_MODEL_URL), fetchDataset('kjv-shout')]);
  const report = await runTrainBench(compute, weights, texts.train, { modes: ['qlora'], warmup: WARMUP, steps: STEPS }, onStep);
  return { msPerStep: report.rows[0].medianMs, backend: backendLabel(compute) };
}

function Verdict({ msPerStep }: { msPerStep: number }) {
  const v = qloraVerdict(msPerStep, QLORA_DEMO_STEPS);
  return <p className="check-verdict" data-level={v.level} data-testid="computer-verdict">{v.sentence}</p>;
}

/**
 * "Check this computer": one QLoRA training step of the real trainer timed on this device, and the
 * one-line verdict on the QLoRA demo (lib/progress/verdict); the last result is kept (lib/results-store).
 */
export function CheckComputer() {
  const { saved, save } = useSavedResult('check:qlora-step', isMeasured);
  const [state, setState] = useState<'idle' | 'running' | 'done' | 'error'>('idle');
  const [steps, setSteps] = useState(0);
  const [error, setError] = useState<string | null>(null);
  const [fresh, setFresh] = useState<{ msPerStep: number; backend: string } | null>(null);

  const run = () => {
    setState('running');
    setSteps(0);
    setError(null);
    setFresh(null);
    measure(() => setSteps((n) => n + 1)).then(
      async (m) => {
        setFresh(m);
        setState('done');
        save(await adapterLabel(m.backend), { msPerStep: m.msPerStep });
      },
      (e: unknown) => {
        setError(errorMessage(e));
        setState('error');
      },
    );
  };
  const running = state === 'running';

  return (
    <WidgetFrame title="How fast does this computer train?" subtitle={fresh ? `Measured on ${fresh.backend}` : 'A QLoRA step of the course’s trainer, timed here'} testId="check-computer" state={state} busy={running}>
      <div className="controls">
        <button type="button" className="primary" onClick={run} disabled={running} data-testid="computer-run">
          {running ? 'Timing…' : 'Time a QLoRA step'}
        </button>
      </div>
      <p className="widget-caption" aria-live="polite" data-testid="computer-status">
        {running
          ? steps === 0 ? 'Loading the model and compiling the kernels…' : `Step ${steps} of ${WARMUP + STEPS} done.`
          : `Loads the tiny model, takes ${WARMUP} untimed QLoRA step, then times ${STEPS} more (NF4 base, rank-8 adapters, a batch as in the QLoRA lesson).`}
      </p>
      <RunProgress done={steps} total={WARMUP + STEPS} running={running} units="steps" label="Timing progress" testId="computer-progress" />
      {error && <WidgetError testId="computer-error">The measurement failed: {error}</WidgetError>}
      {fresh && <Verdict msPerStep={fresh.msPerStep} />}
      {!fresh && !running && saved && (
        <SavedResult savedAt={saved.savedAt} adapter={saved.adapter} onRunAgain={run} testId="computer-saved">
          <Verdict msPerStep={saved.data.msPerStep} />
        </SavedResult>
      )}
    </WidgetFrame>
  );
}
