import { describe, expect, it } from 'vitest';
import { loraScaling } from './scale';

describe('loraScaling (docs/numerics.md "LoRA and QLoRA")', () => {
  it('is α / r: the QLoRA recipe, α = 16 and r = 64, scales by 0.25; PEFT defaults (8, 8) by 1', () => {
    expect(loraScaling(16, 64)).toBe(0.25);
    expect(loraScaling(8, 8)).toBe(1);
    expect(loraScaling(16, 8)).toBe(2);
  });

  it('is α / √r with rsLoRA: 16 / √64 = 2, 16 / √16 = 4', () => {
    expect(loraScaling(16, 64, true)).toBe(2);
    expect(loraScaling(16, 16, true)).toBe(4);
    expect(loraScaling(8, 2, true)).toBeCloseTo(8 / Math.SQRT2, 12);
  });

  it('rejects a rank that is not a whole number ≥ 1 and an α that is not positive and finite', () => {
    for (const r of [0, -1, 2.5, Number.NaN]) expect(() => loraScaling(16, r)).toThrow(RangeError);
    for (const alpha of [0, -8, Number.POSITIVE_INFINITY, Number.NaN]) expect(() => loraScaling(alpha, 8)).toThrow(RangeError);
  });
});
