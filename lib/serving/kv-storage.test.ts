import { describe, expect, it } from 'vitest';
import type { Tensor2D } from '@tensorflow/tfjs-core';
import { cpuTfjs } from '../model/cpu-tfjs';
import { normalArray } from '../random';
import { createKvStorage, kvStorageReference, type KvStorageKind } from './kv-storage';

// docs/numerics.md, "Serving": INT8/INT4 absmax per token per head, FP8 E4M3 round-to-nearest-even, saturating.
async function viaTf(x: Float32Array, T: number, C: number, kind: KvStorageKind, heads: number): Promise<Float32Array> {
  const tf = await cpuTfjs();
  const s = createKvStorage(tf, kind, heads)!;
  const y = tf.tidy(() => s.store(tf.tensor2d(x, [T, C]) as Tensor2D, 'k', 0));
  const out = (await y.data()) as Float32Array;
  y.dispose();
  return out;
}

describe('KV storage', () => {
  it('fp32 stores nothing', async () => {
    expect(createKvStorage(await cpuTfjs(), 'fp32', 4)).toBeNull();
  });

  it('INT8 reference: one absmax scale per token per head, codes in −127..127', () => {
    // Two tokens, two heads of two values.
    const x = Float32Array.from([1.27, -0.5, 0.01, 0.02, 0, 0, -2.54, 1]);
    const y = kvStorageReference(x, 2, 4, 'int8', 2);
    expect(y[0]).toBeCloseTo(1.27, 6);
    expect(y[1]).toBeCloseTo(-50 * 0.01, 6);
    expect(y[2]).toBeCloseTo(Math.round((0.01 / 0.02) * 127) * (0.02 / 127), 7);
    expect(y[3]).toBeCloseTo(0.02, 7);
    expect([y[4], y[5]]).toEqual([0, 0]); // an all-zero head stays 0
    expect(y[7]).toBeCloseTo(Math.round(127 / 2.54) * (2.54 / 127), 6);
  });

  it('INT4 reference: levels k · absmax / 7', () => {
    // absmax 0.875 → s = 0.125; −0.0625 / s = −0.5 rounds half to even, to 0.
    const y = kvStorageReference(Float32Array.from([0.875, 0.375, -0.0625, 0.125]), 1, 4, 'int4', 1);
    expect(Array.from(y).map((v) => v / 0.125)).toEqual([7, 3, 0, 1]);
  });

  it('FP8 reference: E4M3 ties to even and saturation at 448', () => {
    const y = kvStorageReference(Float32Array.from([1.0625, 1.1875, 1000, -0.001]), 1, 4, 'fp8', 1);
    expect(Array.from(y)).toEqual([1, 1.25, 448, -0.001953125]);
  });

  for (const kind of ['int8', 'int4', 'fp8'] as const) {
    it(`${kind}: the tf ops agree with the float64 reference on seeded keys`, async () => {
      const T = 16, C = 128, heads = 4;
      const x = normalArray(T * C, 11, 0, 1.5);
      x[5] = 0; x[6] = 600; x[7] = -3e-4; // a zero, a value beyond E4M3's range, a subnormal
      const got = await viaTf(x, T, C, kind, heads);
      const want = kvStorageReference(x, T, C, kind, heads);
      for (let i = 0; i < got.length; i++) expect(Math.abs(got[i] - want[i])).toBeLessThanOrEqual(1e-5 * Math.max(1, Math.abs(want[i])));
      // And it really rounds: the error is not zero.
      expect(Array.from(x).some((v, i) => v !== got[i])).toBe(true);
    });
  }

  it('rejects a width that does not split into the heads', async () => {
    expect(() => kvStorageReference(new Float32Array(6), 1, 6, 'int8', 4)).toThrow(RangeError);
    const tf = await cpuTfjs();
    const s = createKvStorage(tf, 'int8', 4)!;
    expect(() => tf.tidy(() => s.store(tf.zeros([1, 6]) as Tensor2D, 'v', 0))).toThrow(RangeError);
  });
});
