import { describe, expect, it } from 'vitest';
import type { Compute } from '../compute';
import { cpuTfjs } from '../model/cpu-tfjs';
import { measureRoofline } from './roofline-measure';

describe('measuring the roofline', () => {
  it('bandwidth = 8 bytes per element per pass / median time; FLOP/s = 2n³ per matmul / median time', async () => {
    const tf = await cpuTfjs();
    const compute: Compute = { tf, backend: 'cpu', webgpu: null, software: false };
    // A clock that advances 10 ms per reading: every repetition takes 10 ms.
    let t = 0;
    const before = tf.memory().numTensors;
    const m = await measureRoofline(compute, { elements: 1024, matmulSizes: [8, 16], passes: 2, repetitions: 3, minSeconds: 0.02, now: () => (t += 10), tick: async () => {} });
    expect(m.bandwidth).toBeCloseTo((8 * 1024 * 2) / 0.01, 6);
    // 10 ms < minSeconds, so it goes on to the last size.
    expect(m.matmulSize).toBe(16);
    expect(m.peakFlops).toBeCloseTo((2 * 16 ** 3 * 2) / 0.01, 6);
    expect(tf.memory().numTensors).toBe(before);
  });
  it('stops growing the matmul once a repetition is long enough', async () => {
    const tf = await cpuTfjs();
    let t = 0;
    const m = await measureRoofline({ tf, backend: 'cpu', webgpu: null, software: false }, { elements: 64, matmulSizes: [8, 16], passes: 1, repetitions: 1, minSeconds: 0.005, now: () => (t += 10), tick: async () => {} });
    expect(m.matmulSize).toBe(8);
  });
});
