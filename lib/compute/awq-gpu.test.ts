import { describe, expect, it } from 'vitest';
import { awq } from '../quant/awq';
import { syntheticMatrix } from '../tensors/synthetic';
import { awqOnDevice } from './awq-gpu';
import { getCompute } from './index';

const w = syntheticMatrix({ distribution: 'normal', rows: 24, cols: 32, seed: 3 });
const x = syntheticMatrix({ distribution: 'outliers', rows: 40, cols: 32, seed: 4 });

describe('awqOnDevice (tfjs ops, here on the CPU backend)', () => {
  it('follows the float64 reference: the same α, scales and curve, the same weight up to float32 noise', async () => {
    const compute = await getCompute();
    for (const o of [{ bits: 4, groupSize: 8 }, { bits: 3, groupSize: -1, grid: 7 }]) {
      const got = await awqOnDevice(compute, w, [24, 32], x, [40, 32], o);
      const want = awq(w, [24, 32], x, [40, 32], o);
      expect(got.alpha).toBe(want.alpha);
      expect(got.losses).toHaveLength(want.losses.length);
      want.losses.forEach((l, k) => expect(Math.abs(got.losses[k] - l) / l).toBeLessThan(1e-4));
      expect(got.scales).toEqual(want.scales);
      got.weight.forEach((v, i) => expect(Math.abs(v - want.weight[i])).toBeLessThan(1e-5));
      expect(got.path).toBe('cpu');
    }
  });

  it('batches the α grid when one pass would hold too much, with the same curve', async () => {
    const compute = await getCompute();
    const big = syntheticMatrix({ distribution: 'normal', rows: 2048, cols: 1024, seed: 5 }); // 2M values: two α per pass
    const xs = syntheticMatrix({ distribution: 'laplace', rows: 4, cols: 1024, seed: 6 });
    const got = await awqOnDevice(compute, big, [2048, 1024], xs, [4, 1024], { bits: 4, groupSize: 128, grid: 5 });
    const want = awq(big, [2048, 1024], xs, [4, 1024], { bits: 4, groupSize: 128, grid: 5 });
    want.losses.forEach((l, k) => expect(Math.abs(got.losses[k] - l) / l).toBeLessThan(1e-4));
  }, 60_000);

  it('rejects what the reference rejects, before uploading anything', async () => {
    const compute = await getCompute();
    const before = compute.tf.memory().numTensors;
    await expect(awqOnDevice(compute, w, [24, 32], x.subarray(0, 40 * 31), [40, 31], { bits: 4, groupSize: 8 })).rejects.toThrow(/columns/);
    await expect(awqOnDevice(compute, w, [24, 32], x, [40, 32], { bits: 4, groupSize: 5 })).rejects.toThrow(RangeError);
    expect(compute.tf.memory().numTensors).toBe(before);
  });
});
