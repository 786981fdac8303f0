'use client';

import { useRef, type KeyboardEvent } from 'react';

export type BitField = 'sign' | 'exponent' | 'mantissa' | 'integer';

export interface BitCell {
  /** 0 or 1. */
  value: 0 | 1;
  field: BitField;
  /**
   * What the bit is, e.g. "bit 15, sign"; screen readers hear it followed by what the button shows
   * ("bit 15, sign: S 0"), so the accessible name contains the visible text (WCAG 2.5.3).
   */
  label: string;
  /** Shown under the bit, e.g. its place value; `negative` marks it (two's complement's top bit). */
  caption?: string;
  negative?: boolean;
}

const FIELD_LETTER: Record<BitField, string> = { sign: 'S', exponent: 'E', mantissa: 'M', integer: '' };

/**
 * A row of bits, most significant first, each a native button: click, Space or Enter flips it;
 * Left/Right (and Home/End) move between bits. Fields are told apart by a letter and a pattern
 * as well as by colour. `onFlip` receives the bit's index counted from the least significant (0).
 */
export function BitCells({ cells, onFlip, testIdPrefix, groupLabel }: {
  cells: BitCell[];
  onFlip: (indexFromLsb: number) => void;
  testIdPrefix: string;
  groupLabel: string;
}) {
  const refs = useRef<(HTMLButtonElement | null)[]>([]);
  const focus = (i: number) => refs.current[Math.max(0, Math.min(cells.length - 1, i))]?.focus();
  const onKeyDown = (e: KeyboardEvent<HTMLButtonElement>, i: number) => {
    const moves: Record<string, number> = { ArrowLeft: i - 1, ArrowRight: i + 1, Home: 0, End: cells.length - 1 };
    if (e.key in moves) {
      e.preventDefault();
      focus(moves[e.key]);
    }
  };
  return (
    <div className="bit-cells" role="group" aria-label={groupLabel}>
      {cells.map((c, i) => {
        const lsbIndex = cells.length - 1 - i;
        const startsField = i === 0 || cells[i - 1].field !== c.field;
        const button = (
          <button
            key={lsbIndex}
            ref={(el) => {
              refs.current[i] = el;
            }}
            type="button"
            className={`bit bit-${c.field}${startsField && i > 0 ? ' field-start' : ''}`}
            aria-pressed={c.value === 1}
            aria-label={`${c.label}: ${FIELD_LETTER[c.field] ? `${FIELD_LETTER[c.field]} ` : ''}${c.value}`}
            data-testid={`${testIdPrefix}-${lsbIndex}`}
            onClick={() => onFlip(lsbIndex)}
            onKeyDown={(e) => onKeyDown(e, i)}
          >
            {/* The space keeps letter and value two words ("S 0") for the label-in-name check; a flex column hides it. */}
            {FIELD_LETTER[c.field] && <><span className="bit-field" aria-hidden="true">{FIELD_LETTER[c.field]}</span>{' '}</>}
            <span className="bit-value">{c.value}</span>
          </button>
        );
        if (c.caption === undefined) return button;
        return (
          <span key={lsbIndex} className="bit-col">
            {button}
            <span className={c.negative ? 'bit-caption bit-caption-negative' : 'bit-caption'} aria-hidden="true">{c.caption}</span>
          </span>
        );
      })}
    </div>
  );
}
