'use client';

import { WidgetFrame } from '@/components/widget-kit/WidgetFrame';
import { useEffect, useId } from 'react';
import { useParsedText } from '@/components/ui/useParsedInput';
import { useWidgetState } from '@/components/widget-kit/useWidgetState';
import { IgnoredLinkValues } from '@/components/widget-kit/IgnoredLinkValues';
import { INPUT_LIMITS } from '@/lib/text/input';
import type { StateSpec } from '@/lib/url/widget-state';
import { BitCells } from '@/components/ui/BitCells';
import { ScrollRegion } from '@/components/ui/ScrollRegion';
import {
  FLOAT_FORMATS,
  decodeFloat,
  floatFormatInfo,
  nextUp,
  roundingInfo,
  type FloatFormat,
} from '@/lib/formats';
import { FLOAT_FORMAT_LABELS, bitArray, exactDecimal, flipBit, hexCode, shortNumber } from '@/lib/formats/display';
import { bitField, explainFloat, gapText } from '@/lib/formats/explain';
import { parseNumberInput } from '@/lib/formats/parse';

/** The text that names a code's value exactly, for the input box after a bit flip or a slider step. */
function textOf(value: number): string {
  return exactDecimal(value).replace('Infinity', 'inf');
}

/** In the URL: the format, the number typed, and the code when it was set bit by bit (-1: the code the number rounds to). */
type State = { format: FloatFormat; value: string; code: number };
const SPEC: StateSpec<State> = {
  format: { kind: 'oneOf', options: FLOAT_FORMATS },
  value: { kind: 'text', maxLength: INPUT_LIMITS.number },
  code: { kind: 'number', min: -1, max: 2 ** 32 - 1, integer: true },
};
const FP4_NAN = 'FP4 E2M1 has no NaN: every one of its 16 codes is a number.';

/**
 * The bit layout explorer: type a number or walk the codes; see its bits by field, flip any bit,
 * and read the value formula with the numbers filled in, the rounding error and the gap to the
 * next representable number. All arithmetic is lib/formats'. Its state is shared by link
 * (`?<id>.format=…&<id>.value=…&<id>.code=…`); a link's value that cannot be shown is named.
 */
export function BitExplorer({ id = 'explorer', initialFormat = 'bf16', initialValue = '0.1' }: { id?: string; initialFormat?: FloatFormat; initialValue?: string }) {
  const uid = useId();
  const [state, update, ignored, reject] = useWidgetState(id, SPEC, { format: initialFormat, value: initialValue, code: -1 });
  const { format, code } = state;
  const info = floatFormatInfo(format);
  const parsed = useParsedText(state.value, parseNumberInput, 0.1);
  const fp4NaN = format === 'fp4-e2m1' && Number.isNaN(parsed.value);
  const error = parsed.error ?? (fp4NaN ? FP4_NAN : null);
  const codeFits = code >= 0 && code < 2 ** info.bits;
  useEffect(() => {
    if (parsed.error) reject('value'); // only while the box still holds the link's value
    if (code >= 2 ** info.bits) reject('code');
  }, [parsed.error, code, info.bits, reject]);
  const bits = codeFits ? code : fp4NaN ? 0 : roundingInfo(format, parsed.value).bits;
  const value = decodeFloat(format, bits);
  const explanation = explainFloat(format, bits);
  const rounding = error ? null : roundingInfo(format, parsed.value);
  const signBit = 2 ** (info.bits - 1);
  const magnitude = bits >= signBit ? bits - signBit : bits;
  const maxFiniteCode = roundingInfo(format, info.maxFinite).bits;
  const up = nextUp(format, bits);
  const gap = explanation.kind === 'normal' || explanation.kind === 'subnormal' || explanation.kind === 'zero'
    ? up === null ? null : decodeFloat(format, up) - value
    : undefined;

  const setText = (text: string) => update({ value: text, code: -1 });
  const setFormat = (f: FloatFormat) => update({ format: f, code: -1 });
  const setBits = (b: number) => update({ value: textOf(decodeFloat(format, b)), code: b });

  const tags: { text: string; tone?: 'warn' | 'bad' }[] = [{ text: explanation.name }];
  if (rounding) {
    if (rounding.saturated) tags.push({ text: `saturated to ${value < 0 ? '−' : ''}${shortNumber(info.maxFinite)}`, tone: 'warn' });
    if (rounding.overflowToInf) tags.push({ text: 'overflow to infinity', tone: 'bad' });
    if (rounding.underflowToZero) tags.push({ text: 'underflow to zero', tone: 'bad' });
    if (rounding.absError > 0 && !rounding.saturated && !rounding.overflowToInf && !rounding.underflowToZero) tags.push({ text: 'rounded' });
    if (rounding.absError === 0 && !Number.isNaN(parsed.value)) tags.push({ text: 'exact' });
  }

  return (
    <WidgetFrame stateId={id} title="Bit layout explorer" subtitle={<>{info.bits} bits: 1 sign, {info.exponentBits} exponent, {info.mantissaBits} mantissa; bias {info.bias}</>} testId="bit-explorer">
      <div className="controls">
        <label className="control">
          <span>Format</span>
          <select value={format} onChange={(e) => setFormat(e.target.value as FloatFormat)} data-testid="explorer-format">
            {FLOAT_FORMATS.map((f) => (
              <option key={f} value={f}>{FLOAT_FORMAT_LABELS[f]}</option>
            ))}
          </select>
        </label>
        <label className="control">
          <span>Number</span>
          <input
            type="text"
            inputMode="decimal"
            value={state.value}
            onChange={(e) => setText(e.target.value)}
            aria-invalid={error !== null}
            aria-describedby={`${uid}-err`}
            data-testid="explorer-input"
            size={16}
          />
        </label>
        <label className="control" style={{ flex: '1 1 14rem' }}>
          <span>Walk the positive codes (sign kept)</span>
          <input
            type="range"
            min={0}
            max={maxFiniteCode}
            step={1}
            value={Math.min(magnitude, maxFiniteCode)}
            onChange={(e) => setBits((bits >= signBit ? signBit : 0) + Number(e.target.value))}
            aria-valuetext={shortNumber(value)}
            data-testid="explorer-slider"
          />
        </label>
      </div>
      <IgnoredLinkValues ignored={ignored} />
      <p id={`${uid}-err`} className="error-message" role={error ? 'alert' : undefined}>
        {error ? `${error} The bits below still show ${textOf(value)}.` : ''}
      </p>
      <div className="bit-legend" aria-hidden="true">
        <span><span className="swatch bit-sign" />S sign</span>
        <span><span className="swatch bit-exponent" />E exponent</span>
        <span><span className="swatch bit-mantissa" />M mantissa</span>
        <span>Click a bit, or press Space on it, to flip it; ←/→ move between bits.</span>
      </div>
      <BitCells
        groupLabel={`${FLOAT_FORMAT_LABELS[format]} bits, most significant first`}
        testIdPrefix="explorer-bit"
        onFlip={(i) => setBits(flipBit(bits, i))}
        cells={bitArray(bits, info.bits).map((v, i) => {
          const lsb = info.bits - 1 - i;
          const field = bitField(format, lsb);
          return { value: v, field, label: `bit ${lsb}, ${field}` };
        })}
      />
      <ScrollRegion as="p" className="formula" label="Formula" data-testid="explorer-formula">
        {explanation.formula}
        <br />= {explanation.evaluation}
      </ScrollRegion>
      <div className="tags" data-testid="explorer-status">
        {tags.map((t) => (
          <span key={t.text} className={`tag${t.tone ? ` ${t.tone}` : ''}`}>{t.text}</span>
        ))}
      </div>
      <dl className="stat-grid">
        <div className="stat">
          <dt>Bits (hex)</dt>
          <dd data-testid="explorer-hex">{hexCode(bits, info.bits)}</dd>
        </div>
        <div className="stat">
          <dt>Stored value</dt>
          <dd data-testid="explorer-stored" title={exactDecimal(value)} style={{ overflowWrap: 'anywhere' }}>{textOf(value).replace(/^-/, '−')}</dd>
        </div>
        <div className="stat">
          <dt>Absolute error</dt>
          <dd data-testid="explorer-abs-error">{rounding ? shortNumber(rounding.absError) : '—'}</dd>
        </div>
        <div className="stat">
          <dt>Relative error</dt>
          <dd data-testid="explorer-rel-error">{rounding ? (Number.isFinite(rounding.relError) ? `${shortNumber(rounding.relError * 100, 4)}%` : shortNumber(rounding.relError)) : '—'}</dd>
        </div>
        <div className="stat">
          <dt>Gap to the next number up</dt>
          <dd data-testid="explorer-gap">{gap === undefined ? '—' : gapText(gap)}</dd>
        </div>
      </dl>
    </WidgetFrame>
  );
}
