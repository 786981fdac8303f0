/** Tests for lib/formats/int.ts: ranges from docs/numerics.md "Affine (integer) quantization" ("Ranges"). */
import { describe, expect, it } from 'vitest';
import { INT_FORMATS, decodeInt, encodeInt, intFormatInfo, type IntFormat } from './index';

describe('intFormatInfo', () => {
  it('signed b bits [-2^(b-1), 2^(b-1)-1], unsigned [0, 2^b - 1]', () => {
    expect(intFormatInfo('int8')).toEqual({ bits: 8, signed: true, min: -128, max: 127 });
    expect(intFormatInfo('uint8')).toEqual({ bits: 8, signed: false, min: 0, max: 255 });
    expect(intFormatInfo('int4')).toEqual({ bits: 4, signed: true, min: -8, max: 7 });
    expect(intFormatInfo('uint4')).toEqual({ bits: 4, signed: false, min: 0, max: 15 });
  });
  it('rejects unknown formats', () => {
    expect(() => intFormatInfo('int16' as IntFormat)).toThrow(RangeError);
  });
});

describe('encodeInt / decodeInt', () => {
  it("two's complement", () => {
    expect(encodeInt('int8', -1)).toBe(0xff);
    expect(encodeInt('int8', -128)).toBe(0x80);
    expect(encodeInt('int8', 127)).toBe(0x7f);
    expect(encodeInt('int4', -8)).toBe(0b1000);
    expect(encodeInt('int4', -1)).toBe(0b1111);
    expect(encodeInt('int4', 7)).toBe(0b0111);
    expect(encodeInt('uint8', 255)).toBe(0xff);
    expect(encodeInt('int8', -0)).toBe(0);
    expect(Object.is(encodeInt('int8', -0), 0)).toBe(true);
    expect(decodeInt('int8', 0xff)).toBe(-1);
    expect(decodeInt('int8', 0x80)).toBe(-128);
    expect(decodeInt('int4', 0b1000)).toBe(-8);
    expect(decodeInt('uint4', 0b1000)).toBe(8);
  });
  it.each(INT_FORMATS)('%s: every value in range round-trips, codes cover 0..2^b-1 once', (f) => {
    const { bits, min, max } = intFormatInfo(f);
    const seen = new Set<number>();
    for (let v = min; v <= max; v++) {
      const c = encodeInt(f, v);
      expect(c).toBeGreaterThanOrEqual(0);
      expect(c).toBeLessThan(2 ** bits);
      expect(decodeInt(f, c)).toBe(v);
      // agrees with the platform's two's complement for the 8-bit formats
      if (bits === 8) expect(c).toBe(f === 'int8' ? new Uint8Array(new Int8Array([v]).buffer)[0] : v);
      seen.add(c);
    }
    expect(seen.size).toBe(2 ** bits);
  });
  it('throws RangeError for non-integers and values out of range', () => {
    expect(() => encodeInt('int8', 128)).toThrow(RangeError);
    expect(() => encodeInt('int8', -129)).toThrow(RangeError);
    expect(() => encodeInt('int4', 8)).toThrow(RangeError);
    expect(() => encodeInt('int4', -9)).toThrow(RangeError);
    expect(() => encodeInt('uint8', -1)).toThrow(RangeError);
    expect(() => encodeInt('uint4', 16)).toThrow(RangeError);
    expect(() => encodeInt('int8', 0.5)).toThrow(RangeError);
    expect(() => encodeInt('int8', NaN)).toThrow(RangeError);
    expect(() => encodeInt('int8', Infinity)).toThrow(RangeError);
    expect(() => decodeInt('int8', 256)).toThrow(RangeError);
    expect(() => decodeInt('int4', 16)).toThrow(RangeError);
    expect(() => decodeInt('uint4', -1)).toThrow(RangeError);
    expect(() => decodeInt('uint8', 1.5)).toThrow(RangeError);
  });
});
