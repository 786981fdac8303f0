import { describe, expect, it } from 'vitest';
import { INT_FORMATS, decodeInt, intFormatInfo } from './index';
import {
  carryIntValue,
  clampInt,
  flipIntBit,
  intBitWeights,
  intBits,
  intCounterpart,
  intSumTerms,
  intSumText,
  intValueCount,
  parseIntInput,
  sameBitsBothWays,
} from './int-bits';

describe('integer bits', () => {
  it('place values: the signed top bit weighs -2^(b-1)', () => {
    expect(intBitWeights('int8')).toEqual([1, 2, 4, 8, 16, 32, 64, -128]);
    expect(intBitWeights('uint8')).toEqual([1, 2, 4, 8, 16, 32, 64, 128]);
    expect(intBitWeights('int4')).toEqual([1, 2, 4, -8]);
    expect(intBitWeights('uint4')).toEqual([1, 2, 4, 8]);
  });
  it('INT8 -63 = 0xC1 = -128 + 64 + 1', () => {
    expect(intBits('int8', -63)).toEqual([1, 0, 0, 0, 0, 0, 1, 1]);
    expect(intSumTerms('int8', -63)).toEqual([-128, 64, 1]);
    expect(intSumText('int8', -63)).toBe('−128 + 64 + 1 = −63');
    expect(intSumText('int8', -1)).toBe('−128 + 64 + 32 + 16 + 8 + 4 + 2 + 1 = −1');
    expect(intSumText('int8', 0)).toBe('0 = 0');
    expect(intSumText('int8', -128)).toBe('−128 = −128');
    expect(intSumText('uint8', 193)).toBe('128 + 64 + 1 = 193');
    expect(intSumText('int4', -8)).toBe('−8 = −8');
  });
  it.each(INT_FORMATS)('%s: for every value the set bits\' weights add up to it and the bits are its code', (f) => {
    const { min, max, bits } = intFormatInfo(f);
    for (let v = min; v <= max; v++) {
      expect(intSumTerms(f, v).reduce((s, w) => s + w, 0)).toBe(v);
      const b = intBits(f, v);
      expect(b).toHaveLength(bits);
      expect(decodeInt(f, b.reduce<number>((s, bit, i) => s + bit * 2 ** i, 0))).toBe(v);
    }
  });
  it('flipIntBit', () => {
    expect(flipIntBit('int8', 127, 7)).toBe(-1);
    expect(flipIntBit('int8', -63, 7)).toBe(65);
    expect(flipIntBit('int8', -63, 0)).toBe(-64);
    expect(flipIntBit('uint8', 193, 7)).toBe(65);
    expect(flipIntBit('int4', -8, 3)).toBe(0);
    expect(flipIntBit('uint4', 0, 3)).toBe(8);
    expect(() => flipIntBit('int8', 0, 8)).toThrow(RangeError);
    expect(() => flipIntBit('int4', 0, -1)).toThrow(RangeError);
    expect(() => flipIntBit('int4', 0, 1.5)).toThrow(RangeError);
  });
  it('counts and counterparts', () => {
    expect(INT_FORMATS.map(intValueCount)).toEqual([256, 256, 16, 16]);
    expect(INT_FORMATS.map(intCounterpart)).toEqual(['uint8', 'int8', 'uint4', 'int4']);
  });
  it('the same bits read signed and unsigned differ by 2^b when the top bit is set', () => {
    expect(sameBitsBothWays('int8', -63)).toEqual({ code: 0xc1, signed: -63, unsigned: 193, signedFormat: 'int8', unsignedFormat: 'uint8', offset: 256 });
    expect(sameBitsBothWays('uint8', 255)).toEqual({ code: 0xff, signed: -1, unsigned: 255, signedFormat: 'int8', unsignedFormat: 'uint8', offset: 256 });
    expect(sameBitsBothWays('int4', 5)).toEqual({ code: 5, signed: 5, unsigned: 5, signedFormat: 'int4', unsignedFormat: 'uint4', offset: 0 });
    for (let v = -128; v <= 127; v++) {
      const r = sameBitsBothWays('int8', v);
      expect(r.unsigned - r.signed).toBe(v < 0 ? 256 : 0);
      expect(r.offset).toBe(r.unsigned - r.signed);
    }
  });
  it('carryIntValue keeps the bits at the same width and clamps otherwise', () => {
    expect(carryIntValue('int8', 'uint8', -63)).toBe(193);
    expect(carryIntValue('uint8', 'int8', 193)).toBe(-63);
    expect(carryIntValue('int4', 'uint4', -1)).toBe(15);
    expect(carryIntValue('int8', 'int4', -63)).toBe(-8);
    expect(carryIntValue('int8', 'int4', 5)).toBe(5);
    expect(carryIntValue('uint8', 'uint4', 200)).toBe(15);
    expect(carryIntValue('int4', 'uint8', -3)).toBe(0);
    expect(carryIntValue('int4', 'int8', -3)).toBe(-3);
  });
  it('clampInt', () => {
    expect(clampInt('int8', -63)).toBe(-63);
    expect(clampInt('int8', 300)).toBe(127);
    expect(clampInt('int8', -1e9)).toBe(-128);
    expect(clampInt('uint4', -3)).toBe(0);
    expect(clampInt('int4', 2.6)).toBe(3);
    expect(clampInt('int4', Infinity)).toBe(7);
    expect(clampInt('uint8', NaN)).toBe(0);
    expect(Object.is(clampInt('int8', -0.2), 0)).toBe(true);
  });
  it('parseIntInput', () => {
    expect(parseIntInput('int8', '-63')).toEqual({ ok: true, value: -63 });
    expect(parseIntInput('int8', ' −63 ')).toEqual({ ok: true, value: -63 });
    expect(parseIntInput('int8', '+5')).toEqual({ ok: true, value: 5 });
    expect(parseIntInput('int8', '-0')).toEqual({ ok: true, value: 0 });
    expect(Object.is((parseIntInput('int8', '-0') as { value: number }).value, 0)).toBe(true);
    expect(parseIntInput('int8', '127')).toEqual({ ok: true, value: 127 });
    expect(parseIntInput('int8', '')).toEqual({ ok: false, error: 'Type a whole number from −128 to 127.' });
    expect(parseIntInput('int8', '128')).toEqual({ ok: false, error: "128 is outside INT8's range, −128 to 127." });
    expect(parseIntInput('uint8', '-1')).toEqual({ ok: false, error: "−1 is outside UINT8's range, 0 to 255." });
    expect(parseIntInput('int4', '2.5')).toEqual({ ok: false, error: 'INT4 stores whole numbers only, and “2.5” is not one. Type a whole number from −8 to 7.' });
    expect(parseIntInput('uint4', 'abc')).toEqual({ ok: false, error: '“abc” is not a number. Type a whole number from 0 to 15.' });
    expect(parseIntInput('uint4', '1'.repeat(5000))).toEqual({ ok: false, error: 'This is 5,000 characters; a number takes at most 1,000. Nothing was read.' });
    expect(parseIntInput('uint4', 'NaN').ok).toBe(false);
    expect(parseIntInput('uint4', 'Infinity').ok).toBe(false);
  });
});
