'use client';

import { useState } from 'react';

export type Parsed<T> = { ok: true; value: T } | { ok: false; error: string };

/**
 * A text box whose value is parsed as the learner types. While the text does not parse, `value`
 * stays the last good value (nothing is lost) and `error` says what is wrong.
 */
export function useParsedInput<T>(initialText: string, parse: (text: string) => Parsed<T>, fallback: T) {
  const [text, setText] = useState(initialText);
  const [lastGood, setLastGood] = useState<T>(() => {
    const p = parse(initialText);
    return p.ok ? p.value : fallback;
  });
  const parsed = parse(text);
  const change = (next: string) => {
    setText(next);
    const p = parse(next);
    if (p.ok) setLastGood(p.value);
  };
  return { text, change, value: parsed.ok ? parsed.value : lastGood, error: parsed.ok ? null : parsed.error };
}
