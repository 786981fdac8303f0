import { describe, expect, it } from 'vitest';
import { bitField, explainFloat } from './explain';

describe('explainFloat', () => {
  it('fills in a bf16 normal: 0.1 -> 0x3DCD', () => {
    const e = explainFloat('bf16', 0x3dcd);
    expect(e.kind).toBe('normal');
    expect(e.formula).toBe('(−1)^0 × 2^(123 − 127) × (1 + 77/128)');
    expect(e.evaluation).toBe('2^−4 × 1.6015625 = 0.10009765625');
    expect(e.value).toBe(0.10009765625);
  });
  it('writes a negative value and subnormals', () => {
    expect(explainFloat('bf16', 0xbdcd).evaluation).toBe('−2^−4 × 1.6015625 = −0.10009765625');
    const s = explainFloat('fp16', 0x0001);
    expect(s.kind).toBe('subnormal');
    expect(s.formula).toBe('(−1)^0 × 2^(1 − 15) × (0 + 1/1024)');
    expect(s.evaluation).toBe('2^−14 × 0.0009765625 = 0.000000059604644775390625');
  });
  it('names zero, infinity and NaN', () => {
    expect(explainFloat('fp16', 0x8000).name).toBe('negative zero');
    expect(explainFloat('fp16', 0x7c00).evaluation).toBe('+∞');
    expect(explainFloat('fp8-e4m3', 0x7f).kind).toBe('nan');
    expect(explainFloat('fp8-e4m3', 0x7e).evaluation).toBe('2^8 × 1.75 = 448');
    expect(explainFloat('fp4-e2m1', 0x7).evaluation).toBe('2^2 × 1.5 = 6');
  });
});

describe('bitField', () => {
  it('splits bf16 as 1/8/7 and E4M3 as 1/4/3', () => {
    expect(bitField('bf16', 15)).toBe('sign');
    expect(bitField('bf16', 14)).toBe('exponent');
    expect(bitField('bf16', 7)).toBe('exponent');
    expect(bitField('bf16', 6)).toBe('mantissa');
    expect([7, 6, 3, 2, 0].map((i) => bitField('fp8-e4m3', i))).toEqual(['sign', 'exponent', 'exponent', 'mantissa', 'mantissa']);
  });
});
