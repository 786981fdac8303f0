/**
 * Bounds on what a learner types or pastes, and the one way a message quotes it back. A pasted
 * 10 MB file must give a short, clear message at once — not a parse on every keystroke, nor an
 * error that repeats the whole paste.
 */

/** How many characters of the learner's input a message quotes, at most (before the "…"). */
export const QUOTE_MAX_CHARS = 40;

/** Size caps for the course's text boxes, in characters (UTF-16 code units, String.length). */
export const INPUT_LIMITS = {
  /** One number: the longest exact decimal of a float64 is 767 significant digits. */
  number: 1_000,
  /** A list of a few dozen numbers (a GGUF block, a row of weights). */
  numberList: 20_000,
  /** A Hugging Face config.json: real ones are 1–10 kB; id2label tables make a few larger. */
  configJson: 200_000,
  /** A prompt for the tiny model. */
  prompt: 2_000,
  /** A short typed answer. */
  answer: 200,
  /** Text pasted to fine-tune on: about a megabyte, more than the course's datasets. */
  trainingText: 2_000_000,
} as const;

/**
 * The learner's `text` as a message quotes it: in “curly quotes”, control characters shown as
 * spaces, and cut to its first `max` characters followed by "…” (N characters)" when longer, so a
 * message never grows with the input. Cuts between code points, never inside a surrogate pair.
 */
export function quoteInput(text: string, max: number = QUOTE_MAX_CHARS): string {
  const { head, cut } = clip(text, max);
  return cut ? `“${head}…” (${text.length.toLocaleString('en-US')} characters)` : `“${head}”`;
}

/**
 * Like {@link quoteInput} without the quotes, for text that brings its own (a JSON value):
 * `{"a": 1, …} (52,000 characters)`.
 */
export function shortenInput(text: string, max: number = QUOTE_MAX_CHARS): string {
  const { head, cut } = clip(text, max);
  return cut ? `${head}… (${text.length.toLocaleString('en-US')} characters)` : head;
}

function clip(text: string, max: number): { head: string; cut: boolean } {
  const cut = text.length > max;
  const end = cut && isLowSurrogate(text.charCodeAt(max)) ? max - 1 : max;
  const head = (cut ? text.slice(0, end) : text).replace(/[\u0000-\u001f\u007f]/g, ' ');
  return { head, cut };
}

function isLowSurrogate(code: number): boolean {
  return code >= 0xdc00 && code <= 0xdfff;
}

/**
 * Null when `text` fits in `max` characters, else the message saying so ("This is 10,485,760
 * characters; the box takes at most 20,000."), naming `what` the box holds.
 */
export function inputTooLong(text: string, max: number, what = 'the box'): string | null {
  if (text.length <= max) return null;
  return `This is ${text.length.toLocaleString('en-US')} characters; ${what} takes at most ${max.toLocaleString('en-US')}. Nothing was read.`;
}
