'use client';

import { INPUT_LIMITS } from '@/lib/text/input';
import type { Sample } from './useTrainerSession';

/** The prompt and seed a sample was made with, shown beside it (the prompt box may have changed since). */
function SampleSource({ s, testId }: { s: Sample; testId: string }) {
  return (
    <span className="widget-caption" data-testid={testId}>
      {' '}— prompt “{s.prompt}”, seed {s.seed}
    </span>
  );
}

/** The prompt box and the samples before training and after the last pause. */
export function SamplesPanel({ prompt, setPrompt, running, before, after }: {
  prompt: string;
  setPrompt: (p: string) => void;
  running: boolean;
  before: Sample | null;
  after: (Sample & { step: number }) | null;
}) {
  const latest = after ?? before;
  return (
    <>
      <h4 className="nl-subtitle">Samples, same prompt and seed</h4>
      <label className="control">
        <span>Prompt</span>
        <input type="text" value={prompt} maxLength={INPUT_LIMITS.prompt} onChange={(e) => setPrompt(e.target.value)} disabled={running} data-testid="qlora-prompt" />
      </label>
      <dl className="samples" data-testid="qlora-samples">
        <div><dt>Before (step 0){before && <SampleSource s={before} testId="qlora-before-source" />}</dt><dd data-testid="qlora-before">{before?.text ?? '—'}</dd></div>
        <div><dt>After{after ? ` (step ${after.step})` : ''}{after && <SampleSource s={after} testId="qlora-after-source" />}</dt><dd data-testid="qlora-after">{after?.text ?? 'Pause or finish a run to sample.'}</dd></div>
      </dl>
      {latest?.dropped.length ? (
        <p className="error-message" role="status" data-testid="qlora-prompt-dropped">
          The model never saw {latest.dropped.map((c) => `“${c}”`).join(', ')} in training, so {latest.dropped.length === 1 ? 'it was' : 'they were'} left out of the prompt.
        </p>
      ) : null}
    </>
  );
}
