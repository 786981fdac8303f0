/**
 * Bit-for-bit comparison of float32 results, as the GPU self-tests use it: a GPU kernel and its
 * CPU reference agree only if every value has the same 32 bits (so −0 ≠ +0 and NaN payloads count).
 */

/** Values whose float32 bits differ, and the largest |got − want|. Throws if the lengths differ. */
export function compareFloat32Bits(got: Float32Array, want: Float32Array, what = 'the kernel'): { mismatches: number; maxAbsDifference: number } {
  if (got.length !== want.length) throw new Error(`${what} returned ${got.length} values, ${want.length} expected`);
  const g = new Uint32Array(got.buffer, got.byteOffset, got.length);
  const w = new Uint32Array(want.buffer, want.byteOffset, want.length);
  let mismatches = 0, maxAbsDifference = 0;
  for (let i = 0; i < want.length; i++) {
    if (g[i] !== w[i]) mismatches++;
    maxAbsDifference = Math.max(maxAbsDifference, Math.abs(got[i] - want[i]));
  }
  return { mismatches, maxAbsDifference };
}
