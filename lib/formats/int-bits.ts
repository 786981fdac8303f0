/**
 * Integer bit patterns and place values, behind the "Integers" widget
 * (components/widgets/number-formats/IntegerBits): two's complement made visible. Ranges come
 * from int.ts (docs/numerics.md "Affine (integer) quantization": signed [-2^(b-1), 2^(b-1)-1],
 * unsigned [0, 2^b - 1]).
 */
import { INT_FORMAT_LABELS, flipBit, shortNumber } from './display';
import { decodeInt, encodeInt, intFormatInfo, type IntFormat } from './int';
import { pow2 } from './pow2';
import { INPUT_LIMITS, inputTooLong, quoteInput } from '../text/input';


/**
 * The place value of each bit of an integer format, index 0 = least significant: 1, 2, 4, ...,
 * and for the top bit +2^(b-1) unsigned or -2^(b-1) signed (two's complement: INT8's bit 7 weighs
 * -128, so the weights of the set bits add up to the value).
 */
export function intBitWeights(format: IntFormat): number[] {
  const { bits, signed } = intFormatInfo(format);
  return Array.from({ length: bits }, (_, i) => (signed && i === bits - 1 ? -pow2(i) : pow2(i)));
}

/** The bits of a value's code, index 0 = least significant. INT8 -63 = 0xC1 -> [1,0,0,0,0,0,1,1]. */
export function intBits(format: IntFormat, value: number): (0 | 1)[] {
  const code = encodeInt(format, value);
  const { bits } = intFormatInfo(format);
  return Array.from({ length: bits }, (_, i) => (Math.floor(code / pow2(i)) % 2) as 0 | 1);
}

/** The weights of the value's set bits, most significant first: INT8 -63 -> [-128, 64, 1]. Their sum is the value. */
export function intSumTerms(format: IntFormat, value: number): number[] {
  const weights = intBitWeights(format);
  return intBits(format, value)
    .map((b, i) => (b ? weights[i] : null))
    .filter((w): w is number => w !== null)
    .reverse();
}

/** The value written as the sum of its set bits' place values: INT8 -63 -> "−128 + 64 + 1 = −63"; 0 -> "0 = 0". */
export function intSumText(format: IntFormat, value: number): string {
  const terms = intSumTerms(format, value);
  const left = terms.length === 0 ? '0' : terms.map((t) => shortNumber(t)).join(' + ');
  return `${left} = ${shortNumber(value)}`;
}

/** The value after flipping bit `index` (0 = least significant) of its code: INT8 127 bit 7 -> -1. */
export function flipIntBit(format: IntFormat, value: number, index: number): number {
  const { bits } = intFormatInfo(format);
  if (!Number.isInteger(index) || index < 0 || index >= bits) {
    throw new RangeError(`${format} has bits 0 to ${bits - 1}, got ${index}`);
  }
  return decodeInt(format, flipBit(encodeInt(format, value), index));
}

/** The number of values of an integer format: max - min + 1 = 2^bits. */
export function intValueCount(format: IntFormat): number {
  const { min, max } = intFormatInfo(format);
  return max - min + 1;
}

const COUNTERPART: Readonly<Record<IntFormat, IntFormat>> = { int8: 'uint8', uint8: 'int8', int4: 'uint4', uint4: 'int4' };

/** The format of the same width with the other signedness: int8 <-> uint8, int4 <-> uint4. */
export function intCounterpart(format: IntFormat): IntFormat {
  return COUNTERPART[format];
}

/** The same bits read both ways; see {@link sameBitsBothWays}. */
export interface IntReadings {
  code: number;
  signed: number;
  unsigned: number;
  signedFormat: IntFormat;
  unsignedFormat: IntFormat;
  /** unsigned - signed: 0 when the top bit is clear, 2^bits when it is set. */
  offset: number;
}

/** A value's code read as signed and as unsigned: INT8 -63 -> code 0xC1, signed -63, unsigned 193. */
export function sameBitsBothWays(format: IntFormat, value: number): IntReadings {
  const code = encodeInt(format, value);
  const signedFormat = intFormatInfo(format).signed ? format : intCounterpart(format);
  const unsignedFormat = intCounterpart(signedFormat);
  const signed = decodeInt(signedFormat, code);
  const unsigned = decodeInt(unsignedFormat, code);
  return { code, signed, unsigned, signedFormat, unsignedFormat, offset: unsigned - signed };
}

/**
 * The value to show after switching integer formats: between formats of the same width the bit
 * pattern is kept (INT8 -63 -> UINT8 193); otherwise the value is kept if it fits and clamped to
 * the new range if not (INT8 -63 -> INT4 -8, UINT8 200 -> UINT4 15).
 */
export function carryIntValue(from: IntFormat, to: IntFormat, value: number): number {
  const a = intFormatInfo(from);
  const b = intFormatInfo(to);
  if (a.bits === b.bits) return decodeInt(to, encodeInt(from, value));
  return clampInt(to, value);
}

/** The nearest value the format holds: rounded to an integer (Math.round: halves go up) and clamped to [min, max]; NaN -> 0 clamped. */
export function clampInt(format: IntFormat, value: number): number {
  const { min, max } = intFormatInfo(format);
  const v = Number.isNaN(value) ? 0 : Math.round(value);
  return Math.min(max, Math.max(min, v)) + 0;
}

/** The result of reading a typed integer; see {@link parseIntInput}. */
export type ParsedInt = { ok: true; value: number } | { ok: false; error: string };

/**
 * Reads a whole number typed for an integer format ("−63", "+5", " 12 "; "−" counts as minus).
 * Rejects empty text, non-numbers, fractions and values outside [min, max], with a message naming
 * the range.
 */
export function parseIntInput(format: IntFormat, text: string): ParsedInt {
  const { min, max } = intFormatInfo(format);
  const label = INT_FORMAT_LABELS[format];
  const range = `${shortNumber(min)} to ${shortNumber(max)}`;
  const long = inputTooLong(text, INPUT_LIMITS.number, 'a number');
  if (long) return { ok: false, error: long };
  const t = text.trim().replace(/\u2212/g, '-');
  if (t === '') return { ok: false, error: `Type a whole number from ${range}.` };
  if (!/^[+-]?(\d+\.?\d*|\.\d+)(e[+-]?\d+)?$/i.test(t)) {
    return { ok: false, error: `${quoteInput(text.trim())} is not a number. Type a whole number from ${range}.` };
  }
  const v = Number(t);
  if (!Number.isInteger(v)) return { ok: false, error: `${label} stores whole numbers only, and ${quoteInput(text.trim())} is not one. Type a whole number from ${range}.` };
  if (v < min || v > max) return { ok: false, error: `${shortNumber(v)} is outside ${label}'s range, ${range}.` };
  return { ok: true, value: v + 0 };
}
