/**
 * The text a loaded checkpoint is scored on in the quantized-inference comparison, apart from
 * own-model.ts so the widget can bound its text box without loading the checkpoint reader.
 */
import { inputTooLong } from '../text/input';

/** The most characters of pasted text the comparison scores (BPE-tokenized: about 5,000 GPT-2 tokens of English). */
export const OWN_TEXT_MAX_CHARS = 20_000;

/** Tokens per scored window of a loaded model: min(n_positions, 128), so a batch's logits stay small (8 × 128 × 50,257 floats = 206 MB for GPT-2's vocabulary). */
export const OWN_WINDOW_TOKENS = 128;

/**
 * The text a loaded model is scored on: the learner's, when it has anything but whitespace (at most
 * OWN_TEXT_MAX_CHARS, else `error` says so), else the fallback (the course's held-out text).
 */
export function scoredText(pasted: string, fallback: string): { text: string; pasted: boolean; error: string | null } {
  const error = inputTooLong(pasted, OWN_TEXT_MAX_CHARS, 'the text box');
  if (error) return { text: fallback, pasted: false, error };
  return pasted.trim() ? { text: pasted, pasted: true, error: null } : { text: fallback, pasted: false, error: null };
}
