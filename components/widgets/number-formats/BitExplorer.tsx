'use client';

import { WidgetFrame } from '@/components/widget-kit/WidgetFrame';
import { useId, useState } from 'react';
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

interface State {
  format: FloatFormat;
  text: string;
  /** The value the learner asked for (typed, or the value of a code they set by hand). */
  input: number;
  bits: number;
  error: string | null;
}

function encodeState(format: FloatFormat, text: string, input: number): State {
  if (format === 'fp4-e2m1' && Number.isNaN(input)) {
    return { format, text, input: 0, bits: 0, error: 'FP4 E2M1 has no NaN: every one of its 16 codes is a number.' };
  }
  return { format, text, input, bits: roundingInfo(format, input).bits, error: null };
}

/** The text that names a code's value exactly, for the input box after a bit flip or a slider step. */
function textOf(value: number): string {
  return exactDecimal(value).replace('Infinity', 'inf');
}

/**
 * The bit layout explorer: type a number or walk the codes; see its bits by field, flip any bit,
 * and read the value formula with the numbers filled in, the rounding error and the gap to the
 * next representable number. All arithmetic is lib/formats'.
 */
export function BitExplorer({ initialFormat = 'bf16', initialValue = '0.1' }: { initialFormat?: FloatFormat; initialValue?: string }) {
  const id = useId();
  const [state, setState] = useState<State>(() => {
    const p = parseNumberInput(initialValue);
    return encodeState(initialFormat, initialValue, p.ok ? p.value : 0.1);
  });
  const { format, bits } = state;
  const info = floatFormatInfo(format);
  const value = decodeFloat(format, bits);
  const explanation = explainFloat(format, bits);
  const rounding = state.error ? null : roundingInfo(format, state.input);
  const signBit = 2 ** (info.bits - 1);
  const magnitude = bits >= signBit ? bits - signBit : bits;
  const maxFiniteCode = roundingInfo(format, info.maxFinite).bits;
  const up = nextUp(format, bits);
  const gap = explanation.kind === 'normal' || explanation.kind === 'subnormal' || explanation.kind === 'zero'
    ? up === null ? null : decodeFloat(format, up) - value
    : undefined;

  const setText = (text: string) => {
    const p = parseNumberInput(text);
    if (!p.ok) setState((s) => ({ ...s, text, error: p.error }));
    else setState(encodeState(format, text, p.value));
  };
  const setFormat = (f: FloatFormat) => {
    const p = parseNumberInput(state.text);
    setState(encodeState(f, state.text, p.ok ? p.value : state.input));
  };
  const setBits = (b: number) => {
    const v = decodeFloat(format, b);
    setState({ format, text: textOf(v), input: v, bits: b, error: null });
  };

  const tags: { text: string; tone?: 'warn' | 'bad' }[] = [{ text: explanation.name }];
  if (rounding) {
    if (rounding.saturated) tags.push({ text: `saturated to ${value < 0 ? '−' : ''}${shortNumber(info.maxFinite)}`, tone: 'warn' });
    if (rounding.overflowToInf) tags.push({ text: 'overflow to infinity', tone: 'bad' });
    if (rounding.underflowToZero) tags.push({ text: 'underflow to zero', tone: 'bad' });
    if (rounding.absError > 0 && !rounding.saturated && !rounding.overflowToInf && !rounding.underflowToZero) tags.push({ text: 'rounded' });
    if (rounding.absError === 0 && !Number.isNaN(state.input)) tags.push({ text: 'exact' });
  }

  return (
    <WidgetFrame title="Bit layout explorer" subtitle={<>{info.bits} bits: 1 sign, {info.exponentBits} exponent, {info.mantissaBits} mantissa; bias {info.bias}</>} testId="bit-explorer">
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
            value={state.text}
            onChange={(e) => setText(e.target.value)}
            aria-invalid={state.error !== null}
            aria-describedby={`${id}-err`}
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
      <p id={`${id}-err`} className="error-message" role={state.error ? 'alert' : undefined}>
        {state.error ? `${state.error} The bits below still show ${textOf(value)}.` : ''}
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
