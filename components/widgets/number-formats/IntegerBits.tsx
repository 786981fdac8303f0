'use client';

import { WidgetFrame } from '@/components/widget-kit/WidgetFrame';
import { WidgetError } from '@/components/widget-kit/WidgetError';
import { useId, useState } from 'react';
import { BitCells } from '@/components/ui/BitCells';
import { ScrollRegion } from '@/components/ui/ScrollRegion';
import { INT_FORMATS, intFormatInfo, type IntFormat } from '@/lib/formats';
import { INT_FORMAT_LABELS, bitArray, hexCode, shortNumber } from '@/lib/formats/display';
import {
  carryIntValue,
  clampInt,
  flipIntBit,
  intBitWeights,
  intBits,
  intSumText,
  intValueCount,
  parseIntInput,
  sameBitsBothWays,
} from '@/lib/formats/int-bits';

/** "1100 0001": a code's bits, most significant first, in groups of four. */
function groupedBits(code: number, width: number): string {
  const digits = bitArray(code, width).join('');
  return digits.replace(/(\d{4})(?=\d)/g, '$1 ');
}

/**
 * "Integers": an integer format's range, and a value's bit pattern with each bit's place value.
 * Signed formats are two's complement: the top bit weighs -2^(n-1). Bits are native buttons
 * (click, Space or Enter flips one; Left/Right, Home/End move between them). All arithmetic is
 * lib/formats'.
 */
export function IntegerBits({ initialFormat = 'int8', initialValue = -63 }: { initialFormat?: IntFormat; initialValue?: number }) {
  const id = useId();
  const [format, setFormat] = useState<IntFormat>(INT_FORMATS.includes(initialFormat) ? initialFormat : 'int8');
  const [lastGood, setLastGood] = useState(() => clampInt(INT_FORMATS.includes(initialFormat) ? initialFormat : 'int8', initialValue));
  const [text, setText] = useState(() => String(lastGood));

  const info = intFormatInfo(format);
  const label = INT_FORMAT_LABELS[format];
  const parsed = parseIntInput(format, text);
  const value = parsed.ok ? parsed.value : lastGood;
  const bits = intBits(format, value);
  const weights = intBitWeights(format);
  const readings = sameBitsBothWays(format, value);
  const top = info.bits - 1;

  const show = (v: number) => {
    setLastGood(v);
    setText(String(v));
  };
  const typeText = (t: string) => {
    setText(t);
    const p = parseIntInput(format, t);
    if (p.ok) setLastGood(p.value);
  };
  const pickFormat = (f: IntFormat) => {
    const v = carryIntValue(format, f, value);
    setFormat(f);
    show(v);
  };
  const order = Array.from({ length: info.bits }, (_, i) => top - i); // most significant first

  return (
    <WidgetFrame title="Integers" testId="integer-bits">
      <div className="controls">
        <fieldset className="control">
          <legend>Format</legend>
          <div className="checks">
            {INT_FORMATS.map((f) => (
              <label key={f}>
                <input type="radio" name={`${id}-format`} value={f} checked={format === f} onChange={() => pickFormat(f)} data-testid={`int-format-${f}`} /> {INT_FORMAT_LABELS[f]}
              </label>
            ))}
          </div>
        </fieldset>
        <label className="control">
          <span>Value</span>
          <input
            type="number"
            min={info.min}
            max={info.max}
            step={1}
            value={text}
            onChange={(e) => typeText(e.target.value)}
            aria-invalid={!parsed.ok}
            aria-describedby={parsed.ok ? undefined : `${id}-error`}
            data-testid="int-value"
            style={{ width: '7rem' }}
          />
        </label>
        <label className="control int-slider">
          <span>
            Slide from {shortNumber(info.min)} to {shortNumber(info.max)}
          </span>
          <input type="range" min={info.min} max={info.max} step={1} value={value} onChange={(e) => show(Number(e.target.value))} data-testid="int-slider" />
        </label>
      </div>
      {!parsed.ok && (
        <WidgetError id={`${id}-error`} testId="int-error">
          {parsed.error} Still showing {shortNumber(value)}.
        </WidgetError>
      )}

      <dl className="stat-grid">
        <div className="stat">
          <dt>Smallest {label}</dt>
          <dd data-testid="int-min">{shortNumber(info.min)}</dd>
        </div>
        <div className="stat">
          <dt>Largest {label}</dt>
          <dd data-testid="int-max">{shortNumber(info.max)}</dd>
        </div>
        <div className="stat">
          <dt>Values</dt>
          <dd data-testid="int-count">
            {intValueCount(format)} = 2<sup>{info.bits}</sup>
          </dd>
        </div>
        <div className="stat">
          <dt>Code</dt>
          <dd>
            <code>{hexCode(readings.code, info.bits)}</code>
          </dd>
        </div>
      </dl>

      <BitCells
        groupLabel={`Bits of ${shortNumber(value)} in ${label}, most significant first`}
        testIdPrefix="int-bit"
        onFlip={(i) => show(flipIntBit(format, value, i))}
        cells={order.map((i) => ({
          value: bits[i],
          field: 'integer' as const,
          label: `bit ${i}, weight ${shortNumber(weights[i])}`,
          caption: shortNumber(weights[i]),
          negative: weights[i] < 0,
        }))}
      />
      <p className="widget-caption">
        Under each bit: its place value. Click a bit (or focus it and press Space) to flip it; the arrow keys move between
        bits.
        {info.signed && (
          <>
            {' '}
            In {label} the top bit counts <strong>{shortNumber(weights[top])}</strong>, not {shortNumber(intBitWeights(readings.unsignedFormat)[top])}: that is two&rsquo;s complement.
          </>
        )}
      </p>
      <ScrollRegion as="p" className="int-sum" label="Sum of the bits" data-testid="int-sum" aria-live="polite">
        {intSumText(format, value)}
      </ScrollRegion>
      <p className="widget-caption" data-testid="int-compare">
        The same bits <code>{groupedBits(readings.code, info.bits)}</code> ({hexCode(readings.code, info.bits)}) read as{' '}
        {INT_FORMAT_LABELS[readings.signedFormat]} are <strong>{shortNumber(readings.signed)}</strong> and as{' '}
        {INT_FORMAT_LABELS[readings.unsignedFormat]} <strong>{shortNumber(readings.unsigned)}</strong>.{' '}
        {readings.offset === 0 ? (
          'The top bit is 0, so both readings agree.'
        ) : (
          <>
            They differ by {readings.offset} = 2<sup>{info.bits}</sup>: the top bit counts{' '}
            {shortNumber(intBitWeights(readings.signedFormat)[top])} in one and +{shortNumber(intBitWeights(readings.unsignedFormat)[top])} in
            the other.
          </>
        )}
      </p>
    </WidgetFrame>
  );
}
