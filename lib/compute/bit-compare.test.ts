import { describe, expect, it } from 'vitest';
import { compareFloat32Bits } from './bit-compare';

describe('compareFloat32Bits', () => {
  it('counts values whose bits differ, including −0 against +0, and the largest difference', () => {
    const r = compareFloat32Bits(new Float32Array([1, -0, 2.5, 3]), new Float32Array([1, 0, 2, 3]));
    expect(r).toEqual({ mismatches: 2, maxAbsDifference: 0.5 });
  });
  it('names a length mismatch', () => {
    expect(() => compareFloat32Bits(new Float32Array(2), new Float32Array(3), 'the store')).toThrow('the store returned 2 values, 3 expected');
  });
});
