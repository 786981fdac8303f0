'use client';

import { OWN_STUDY } from '@/lib/model/activation-study';
import { RunProgress } from '@/components/widget-kit/RunProgress';
import { BLOCK_MATRICES } from '@/lib/model/tiny-model';
import type { OwnStudyState } from './useOwnStudy';

/** The capture on the learner's model: what it reads, window k of n with Cancel, or "cancelled" with Capture again. */
export function OwnCaptureStatus({ own, nLayer }: { own: OwnStudyState; nLayer: number }) {
  const running = own.status === 'starting';
  const k = own.progress?.k ?? 0;
  return (
    <div data-testid="act-own-capture">
      <p className="widget-caption">
        The capture reads {OWN_STUDY.windows} windows of up to {OWN_STUDY.windowTokens} tokens of the course’s calibration text (an English text), tokenized with your model’s BPE, one forward pass each, and keeps every one of its {(BLOCK_MATRICES.length * nLayer).toLocaleString('en-US')} Linear layers’ inputs: the first {OWN_STUDY.sampleRows} tokens for the heatmap, max|x| per channel over all of them. Each window is a whole forward pass: on GPT-2 small (124M parameters) that can take 10 seconds or more on a software GPU.
      </p>
      {running && (
        <div className="controls" role="status">
          <span>Capturing the Linear inputs of your model…</span>
          <RunProgress done={k} total={OWN_STUDY.windows} running units="windows" label="Windows captured" testId="act-own-progress" />
          <button type="button" onClick={own.cancel} data-testid="act-own-cancel">Cancel</button>
        </div>
      )}
      {own.status === 'failed' && (
        <div className="controls">
          <button type="button" onClick={own.again} data-testid="act-own-retry">Capture again</button>
        </div>
      )}
      {own.cancelled && (
        <div className="controls" role="status">
          <span>The capture was cancelled; nothing was kept.</span>
          <button type="button" onClick={own.again} data-testid="act-own-again">Capture again</button>
        </div>
      )}
    </div>
  );
}
