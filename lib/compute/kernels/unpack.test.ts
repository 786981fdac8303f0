import { describe, expect, it } from 'vitest';
import { UNPACK_ELEMENTS, UNPACK_WORKGROUP, unpackProgram, unpackUniforms } from './unpack';

describe('unpackProgram', () => {
  it('keys the pipeline by format only, sizes travel as uniforms', () => {
    const a = unpackProgram('int4-group64', [37, 91]);
    const b = unpackProgram('int4-group64', [512, 128]);
    expect(a.shaderKey).toBe(b.shaderKey);
    expect(a.getUserCode()).toBe(b.getUserCode());
    expect(new Set((['fp16', 'bf16', 'int8-channel', 'int4-group64'] as const).map((f) => unpackProgram(f, [2, 2]).shaderKey)).size).toBe(4);
    expect(a.variableNames).toEqual([...UNPACK_ELEMENTS['int4-group64'].inputs]);
    expect(unpackUniforms([37, 91], 64, 2, 'int4-group64').map((u) => u.data[0])).toEqual([3367, 421, 91, 64, 2]);
  });

  it('dispatches one thread per word, over y when x would exceed 65,535 workgroups', () => {
    expect(unpackProgram('fp16', [37, 91]).dispatch).toEqual([Math.ceil(1684 / UNPACK_WORKGROUP), 1, 1]);
    const words = 70000 * UNPACK_WORKGROUP; // fp16 codes of 140,000 × 64 weights
    const [x, y, z] = unpackProgram('fp16', [140000, 64]).dispatch;
    expect(x).toBeLessThanOrEqual(65535);
    expect(y).toBe(2);
    expect(z).toBe(1);
    expect(x * y * UNPACK_WORKGROUP).toBeGreaterThanOrEqual(words);
  });
});
