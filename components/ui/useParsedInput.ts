'use client';

import { useDeferredValue, useMemo, useState } from 'react';
import { INPUT_LIMITS, inputTooLong } from '@/lib/text/input';

export type Parsed<T> = { ok: true; value: T } | { ok: false; error: string };

interface ParseOptions<T> {
  /** Texts longer than this are not parsed (default: INPUT_LIMITS.number, one number). */
  maxChars?: number;
  /** What the text should be, for the too-long message ("a number"). */
  what?: string;
  /** Called once for each new good value. */
  onGood?: (value: T) => void;
}

/**
 * `text` (held elsewhere, e.g. in useWidgetState) parsed as it changes. While the text does not
 * parse, `value` stays the last good value (nothing is lost) and `error` says what is wrong.
 *
 * The text is parsed once per change, on a deferred copy (React's useDeferredValue), so typing
 * stays responsive while a large paste is read; a text longer than `maxChars` is not parsed at all
 * and gets an error saying how long it is.
 */
export function useParsedText<T>(text: string, parse: (text: string) => Parsed<T>, fallback: T, { maxChars = INPUT_LIMITS.number, what, onGood }: ParseOptions<T> = {}) {
  const deferred = useDeferredValue(text);
  const parsed = useMemo<Parsed<T>>(() => {
    const long = inputTooLong(deferred, maxChars, what);
    return long ? { ok: false, error: long } : parse(deferred);
    // parse, maxChars and what are constants of the calling widget
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [deferred]);
  const [lastGood, setLastGood] = useState<T>(() => (parsed.ok ? parsed.value : fallback));
  const [seen, setSeen] = useState(parsed);
  if (seen !== parsed) {
    // A new parse result: remember it if good (React's "adjust state while rendering" pattern).
    setSeen(parsed);
    if (parsed.ok) {
      setLastGood(parsed.value);
      onGood?.(parsed.value);
    }
  }
  return {
    value: parsed.ok ? parsed.value : lastGood,
    error: parsed.ok ? null : parsed.error,
    /** True while the shown result is of an older text than the box holds. */
    pending: deferred !== text,
  };
}

/** A text box of its own, parsed as the learner types (useParsedText over a local state). */
export function useParsedInput<T>(initialText: string, parse: (text: string) => Parsed<T>, fallback: T, options: ParseOptions<T> = {}) {
  const [text, setText] = useState(initialText);
  return { text, change: setText, ...useParsedText(text, parse, fallback, options) };
}
