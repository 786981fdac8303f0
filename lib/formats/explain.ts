/**
 * Explains a float code the way the lesson writes it: which field each bit belongs to, and the
 * value formula with the actual numbers filled in (docs/numerics.md "Floats": normals are
 * (-1)^s x 2^(e - bias) x 1.m; subnormals, exponent field 0, are (-1)^s x 2^(1 - bias) x 0.m).
 */
import { describeFloat, floatFormatInfo, type FloatFormat } from './float';
import { exactDecimal, shortNumber } from './display';

export type BitFieldName = 'sign' | 'exponent' | 'mantissa';

/** The field of bit `indexFromLsb` (0 = least significant): mantissa, then exponent, then the sign on top. */
export function bitField(format: FloatFormat, indexFromLsb: number): BitFieldName {
  const { mantissaBits, exponentBits } = floatFormatInfo(format);
  if (indexFromLsb < mantissaBits) return 'mantissa';
  if (indexFromLsb < mantissaBits + exponentBits) return 'exponent';
  return 'sign';
}

export interface FloatExplanation {
  kind: 'zero' | 'subnormal' | 'normal' | 'infinity' | 'nan';
  /** "normal", "subnormal", "zero", "infinity", "NaN (not a number)". */
  name: string;
  /** The formula with the fields filled in, e.g. "(−1)^0 × 2^(123 − 127) × (1 + 77/128)". */
  formula: string;
  /** Its evaluation, e.g. "2^-4 × 1.6015625 = 0.10009765625". */
  evaluation: string;
  value: number;
}

const MINUS = '\u2212';
const signed = (n: number) => (n < 0 ? `${MINUS}${-n}` : String(n));

export function explainFloat(format: FloatFormat, bits: number): FloatExplanation {
  const d = describeFloat(format, bits);
  const info = floatFormatInfo(format);
  const m = 2 ** info.mantissaBits;
  const sign = `(${MINUS}1)^${d.sign}`;
  const valueText = exactDecimal(d.value).replace(/^-/, MINUS);
  switch (d.kind) {
    case 'normal':
      return {
        kind: d.kind,
        name: 'normal',
        formula: `${sign} × 2^(${d.exponentField} ${MINUS} ${info.bias}) × (1 + ${d.mantissaField}/${m})`,
        evaluation: `${d.sign ? MINUS : ''}2^${signed(d.unbiasedExponent)} × ${exactDecimal(d.significand)} = ${valueText}`,
        value: d.value,
      };
    case 'subnormal':
      return {
        kind: d.kind,
        name: 'subnormal',
        formula: `${sign} × 2^(1 ${MINUS} ${info.bias}) × (0 + ${d.mantissaField}/${m})`,
        evaluation: `${d.sign ? MINUS : ''}2^${signed(d.unbiasedExponent)} × ${exactDecimal(d.significand)} = ${valueText}`,
        value: d.value,
      };
    case 'zero':
      return {
        kind: d.kind,
        name: d.sign ? 'negative zero' : 'zero',
        formula: `${sign} × 2^(1 ${MINUS} ${info.bias}) × (0 + 0/${m})`,
        evaluation: `exponent and mantissa all zero: ${d.sign ? MINUS : '+'}0`,
        value: d.value,
      };
    case 'infinity':
      return {
        kind: d.kind,
        name: 'infinity',
        formula: `exponent all ones (${d.exponentField}), mantissa zero`,
        evaluation: `${d.sign ? MINUS : '+'}∞`,
        value: d.value,
      };
    case 'nan':
      return {
        kind: d.kind,
        name: 'NaN (not a number)',
        formula: format === 'fp8-e4m3' ? 'exponent and mantissa all ones: E4M3’s only NaN pattern' : `exponent all ones (${d.exponentField}), mantissa not zero`,
        evaluation: 'NaN',
        value: d.value,
      };
  }
}

/** The gap from a finite value to the next representable one up (Infinity past the top when the format overflows to inf). */
export function gapText(gap: number | null): string {
  if (gap === null) return 'none: this is the largest value';
  if (!Number.isFinite(gap)) return 'the next code is infinity';
  return shortNumber(gap, 6);
}
