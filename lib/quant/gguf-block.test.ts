import { describe, expect, it } from 'vitest';
import { dequantizeGGUF, quantizeGGUF } from './gguf';
import { ggufTypeLabel, inspectGGUFBlock, parseBlockValues } from './gguf-block';

const ramp = Float32Array.from({ length: 32 }, (_, i) => (i - 12) / 8); // -1.5 .. 2.375

describe('inspectGGUFBlock', () => {
  it('Q4_0: d = m / -8 at bytes 0-1, element j in the low nibble of qs[j], j + 16 in the high nibble', () => {
    const v = inspectGGUFBlock('q4_0', ramp);
    expect(v.bytes.length).toBe(18);
    expect(v.header).toHaveLength(1);
    // m = 2.375 (largest |x|), d = -0.296875, exactly representable in fp16: 0xB4C0.
    expect(v.header[0]).toMatchObject({ name: 'd', offset: 0, bits: 0xb4c0, value: -0.296875 });
    expect(v.codesOffset).toBe(2);
    expect(v.elements[3]).toMatchObject({ byte: 5, nibble: 'low', code: v.bytes[5] & 15 });
    expect(v.elements[19]).toMatchObject({ byte: 5, nibble: 'high', code: v.bytes[5] >> 4 });
    // x = 2.375 -> trunc(2.375 / -0.296875 + 8.5) = trunc(0.5) = 0, decoded (0 - 8) * d = 2.375.
    expect(v.elements[31]).toMatchObject({ code: 0, value: 2.375 });
    expect(v.elements.map((e) => e.value)).toEqual(Array.from(dequantizeGGUF('q4_0', quantizeGGUF('q4_0', ramp), 32)));
  });

  it('Q4_1: d then m, codes from byte 4', () => {
    const v = inspectGGUFBlock('q4_1', ramp);
    expect(v.header.map((h) => [h.name, h.offset])).toEqual([['d', 0], ['m', 2]]);
    expect(v.header[1].value).toBe(-1.5);
    expect(v.codesOffset).toBe(4);
    expect(v.elements[0]).toMatchObject({ byte: 4, nibble: 'low', code: 0, value: -1.5 });
    expect(v.elements[31].code).toBe(15);
  });

  it('Q8_0: one signed byte per code after d', () => {
    const v = inspectGGUFBlock('q8_0', ramp);
    expect(v.bytes.length).toBe(34);
    expect(v.elements[0]).toMatchObject({ byte: 2, nibble: null });
    // amax 2.375 -> code +127 for the last element, and -1.5 -> round(-1.5 * 127 / 2.375) = -80.
    expect(v.elements[31].code).toBe(127);
    expect(v.elements[0].code).toBe(-80);
  });

  it('rejects a block of the wrong length', () => {
    expect(() => inspectGGUFBlock('q4_0', new Float32Array(31))).toThrow(/32 values/);
  });
});

describe('parseBlockValues', () => {
  it('reads 32 numbers in any common separator, with brackets', () => {
    const text = `[${Array.from(ramp).join(', ')}]`;
    const p = parseBlockValues(text);
    expect(p.ok && Array.from(p.values)).toEqual(Array.from(ramp));
    expect(parseBlockValues(Array.from(ramp).join('\n')).ok).toBe(true);
  });
  it('names what is wrong: empty, a count other than 32, a non-number, NaN, float32 overflow', () => {
    expect(parseBlockValues('   ')).toEqual({ ok: false, error: expect.stringMatching(/Paste 32 numbers/) });
    expect(parseBlockValues('1 2 3')).toEqual({ ok: false, error: expect.stringMatching(/exactly 32 values; you pasted 3/) });
    expect(parseBlockValues('1 abc')).toEqual({ ok: false, error: expect.stringMatching(/Value 2/) });
    expect(parseBlockValues('nan 1')).toEqual({ ok: false, error: expect.stringMatching(/finite/) });
    expect(parseBlockValues('1e39')).toEqual({ ok: false, error: expect.stringMatching(/too large for float32/) });
  });
  it('quotes a bad value briefly, and does not read a paste past its size cap (a 10 MB token once gave a 21-million-character error)', () => {
    const token = 'x'.repeat(900);
    const bad = parseBlockValues(`1 ${token}`);
    expect(bad.ok).toBe(false);
    if (!bad.ok) {
      expect(bad.error.length).toBeLessThan(300);
      expect(bad.error).toContain('Value 2: “xxxx');
      expect(bad.error).toContain('(900 characters) is not a number');
    }
    const huge = parseBlockValues('1, '.repeat(5_000_000));
    expect(huge).toEqual({ ok: false, error: 'This is 15,000,000 characters; a block of 32 numbers takes at most 20,000. Nothing was read.' });
  });
});

it('labels a type with its block bytes and bits per weight', () => {
  expect(ggufTypeLabel('q4_1')).toBe('Q4_1 (20 bytes, 5 bits/weight)');
});
