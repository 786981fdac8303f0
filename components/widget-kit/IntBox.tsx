'use client';

import { useState } from 'react';

/** The whole number `text` says, if it is one within [min, max]; else null. */
export function parseIntWithin(text: string, min: number, max: number): number | null {
  const n = Number(text);
  return text.trim() !== '' && Number.isInteger(n) && n >= min && n <= max ? n : null;
}

/**
 * A whole-number box within [min, max]: while the text is out of range (or half typed: "1" on the
 * way to "16" with a minimum of 2) it stays as typed (aria-invalid) and the state keeps the last good
 * number; a value changed elsewhere (a slider, a button, Reset) replaces it.
 */
export function IntBox({ value, min, max, size, onValue, testId, disabled = false }: { value: number; min: number; max: number; size?: number; onValue: (n: number) => void; testId: string; disabled?: boolean }) {
  const [draft, setDraft] = useState<{ text: string; of: number } | null>(null);
  const text = draft && draft.of === value ? draft.text : null;
  return (
    <input
      type="number" min={min} max={max} step={1} size={size}
      value={text ?? String(value)}
      disabled={disabled}
      onChange={(e) => {
        const n = parseIntWithin(e.target.value, min, max);
        setDraft({ text: e.target.value, of: n ?? value });
        if (n !== null) onValue(n);
      }}
      onBlur={() => setDraft(null)}
      aria-invalid={text !== null && parseIntWithin(text, min, max) === null}
      data-testid={testId}
    />
  );
}
