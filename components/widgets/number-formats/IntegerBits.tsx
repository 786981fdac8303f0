'use client';

import { WidgetFrame } from '@/components/widget-kit/WidgetFrame';
import { WidgetError } from '@/components/widget-kit/WidgetError';
import { useEffect, useId, useState } from 'react';
import { useWidgetState } from '@/components/widget-kit/useWidgetState';
import { IgnoredLinkValues } from '@/components/widget-kit/IgnoredLinkValues';
import { INPUT_LIMITS } from '@/lib/text/input';
import type { StateSpec } from '@/lib/url/widget-state';
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

/** In the URL: the format and the value typed (checked against the format's range when read). */
type State = { format: IntFormat; value: string };
const SPEC: StateSpec<State> = {
  format: { kind: 'oneOf', options: INT_FORMATS },
  value: { kind: 'text', maxLength: INPUT_LIMITS.number },
};

/**
 * "Integers": an integer format's range, and a value's bit pattern with each bit's place value.
 * Signed formats are two's complement: the top bit weighs -2^(n-1). Bits are native buttons
 * (click, Space or Enter flips one; Left/Right, Home/End move between them). All arithmetic is
 * lib/formats'.
 */
export function IntegerBits({ id = 'intbits', initialFormat = 'int8', initialValue = -63 }: { id?: string; initialFormat?: IntFormat; initialValue?: number }) {
  const uid = useId();
  const first = INT_FORMATS.includes(initialFormat) ? initialFormat : 'int8';
  const [state, update, ignored, reject] = useWidgetState(id, SPEC, { format: first, value: String(clampInt(first, initialValue)) });
  const { format, value: text } = state;
  const parsed = parseIntInput(format, text);
  // The last value that parsed, shown while the box holds one that does not (adjusted while rendering).
  const [lastGood, setLastGood] = useState(() => (parsed.ok ? parsed.value : clampInt(first, initialValue)));
  if (parsed.ok && !Object.is(parsed.value, lastGood)) setLastGood(parsed.value);
  useEffect(() => {
    if (!parsed.ok) reject('value'); // only while the box still holds the link's value
  }, [parsed.ok, reject]);

  const info = intFormatInfo(format);
  const label = INT_FORMAT_LABELS[format];
  const value = parsed.ok ? parsed.value : lastGood;
  const bits = intBits(format, value);
  const weights = intBitWeights(format);
  const readings = sameBitsBothWays(format, value);
  const top = info.bits - 1;

  const show = (v: number) => update({ value: String(v) });
  const typeText = (t: string) => update({ value: t });
  const pickFormat = (f: IntFormat) => update({ format: f, value: String(carryIntValue(format, f, value)) });
  const order = Array.from({ length: info.bits }, (_, i) => top - i); // most significant first

  return (
    <WidgetFrame stateId={id} title="Integers" testId="integer-bits">
      <div className="controls">
        <fieldset className="control">
          <legend>Format</legend>
          <div className="checks">
            {INT_FORMATS.map((f) => (
              <label key={f}>
                <input type="radio" name={`${uid}-format`} value={f} checked={format === f} onChange={() => pickFormat(f)} data-testid={`int-format-${f}`} /> {INT_FORMAT_LABELS[f]}
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
            aria-describedby={parsed.ok ? undefined : `${uid}-error`}
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
      <IgnoredLinkValues ignored={ignored} />
      {!parsed.ok && (
        <WidgetError id={`${uid}-error`} testId="int-error">
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
