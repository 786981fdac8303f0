'use client';

import { OwnModelPicker } from '@/components/own-model/OwnModelPicker';
import type { OwnModelState } from '@/components/own-model/useOwnModel';
import { WidgetError } from '@/components/widget-kit/WidgetError';
import { OWN_TEXT_MAX_CHARS } from '@/lib/model/own-model-text';

export { useOwnModel, type OwnLoaded } from '@/components/own-model/useOwnModel';

/** Lesson 7's "Your own model": the shared picker, and the text the comparison scores the model on. */
export function OwnModelPanel({ own, disabled, text, onText, textError }: { own: OwnModelState; disabled: boolean; text: string; onText: (t: string) => void; textError: string | null }) {
  return (
    <OwnModelPicker own={own} disabled={disabled} usedFor="The comparison runs on it.">
      <label className="control" style={{ display: 'flex' }}>
        <span>Text to score (perplexity, KL, top-1), at most {OWN_TEXT_MAX_CHARS.toLocaleString('en-US')} characters; empty: the course’s held-out text</span>
        <textarea rows={4} value={text} onChange={(e) => onText(e.target.value)} disabled={disabled} aria-invalid={textError !== null} data-testid="own-model-text" style={{ width: '100%' }} />
      </label>
      {textError && <WidgetError testId="own-model-text-error">{textError}</WidgetError>}
    </OwnModelPicker>
  );
}
