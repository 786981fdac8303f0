import { describe, expect, it } from 'vitest';
import { bitArray, exactDecimal, flipBit, hexCode, shortNumber } from './display';

describe('exactDecimal', () => {
  it.each([
    [0.10009765625, '0.10009765625'],
    [Math.fround(0.1), '0.100000001490116119384765625'],
    [448, '448'],
    [-0.5, '-0.5'],
    [2 ** -24, '0.000000059604644775390625'],
    [65504, '65504'],
    [3.4028234663852886e38, '340282346638528859811704183484516925440'],
    [-0, '-0'],
    [Infinity, 'Infinity'],
    [Number.NaN, 'NaN'],
  ])('%d -> %s', (x, s) => expect(exactDecimal(x)).toBe(s));
});

describe('codes', () => {
  it('formats hex to the width and flips bits unsigned', () => {
    expect(hexCode(0x3dcd, 16)).toBe('0x3DCD');
    expect(hexCode(0x7e, 8)).toBe('0x7E');
    expect(hexCode(5, 4)).toBe('0x5');
    expect(hexCode(0x3f800000, 32)).toBe('0x3F800000');
    expect(bitArray(0b1010, 4)).toEqual([1, 0, 1, 0]);
    expect(bitArray(0x80000000, 32)[0]).toBe(1);
    expect(flipBit(0x3dcd, 15)).toBe(0xbdcd);
    expect(flipBit(0x3f800000, 31)).toBe(0xbf800000);
  });
  it('writes short numbers', () => {
    expect(shortNumber(0.10009765625)).toBe('0.100098');
    expect(shortNumber(3.4028234663852886e38)).toBe('3.40282e38');
    expect(shortNumber(-(2 ** -149))).toBe('−1.4013e-45');
    expect(shortNumber(Infinity)).toBe('∞');
  });
});
