import { describe, expect, it } from 'vitest';
import { getCompute } from '../compute';
import { createTfjsOpsLabSession } from '../lab/tfjs-ops';
import { runLabReference } from '../lab/lab';
import type { LabSettings } from '../lab/types';
import { syntheticMatrix } from '../tensors/synthetic';
import { statsAgreement } from './stats';

// The op chain on tfjs's CPU backend (what getCompute picks in Node) against the CPU reference.
// The benchmark page repeats this check on WebGPU at 1M elements.
const base: LabSettings = { bits: 8, signed: true, symmetric: true, granularity: 'tensor', groupSize: 64, calibration: 'minmax', percentile: 99.9 };

describe('lab-tfjs-ops', () => {
  it.each([
    ['INT8 symmetric, outliers', base, 'outliers'],
    ['UINT4 affine, outliers', { ...base, bits: 4, signed: false, symmetric: false }, 'outliers'],
    // The weight of largest magnitude is positive: x / scale = +3.5 rounds (half to even) to 4 > qmax = 3, one clipped code.
    ['INT3 symmetric, uniform', { ...base, bits: 3 }, 'uniform'],
  ] as const)('computes the reference statistics (%s)', async (_name, settings, distribution) => {
    const compute = await getCompute();
    const rows = 64, cols = 128;
    const x = syntheticMatrix({ distribution, rows, cols, seed: 1 });
    const session = createTfjsOpsLabSession(compute, x, rows, cols);
    const before = compute.tf.memory().numTensors;
    try {
      const ops = await session.run(settings);
      const ref = runLabReference(x, rows, cols, settings);
      if (!ops.ok || !ref.ok) throw new Error('a run failed');
      expect(compute.tf.memory().numTensors).toBe(before);
      expect(ops.params.scale[0]).toBe(ref.params.scale[0]);
      expect(ops.params.zeroPoint[0]).toBe(ref.params.zeroPoint[0]);
      expect(ops.stats.count).toBe(ref.stats.count);
      if (distribution === 'uniform') expect(ref.stats.clippedFraction * x.length).toBe(1);
      const d = statsAgreement(ops.stats, ref.stats);
      expect(d.max).toBeLessThan(1e-5);
      expect(d.histogramMoves).toBeLessThanOrEqual(2);
      expect(ops.stats.sqnrDb).toBeCloseTo(ref.stats.sqnrDb, 4);
      expect(ops.stats.cellMse).toHaveLength(0);
      // The second run reuses the measured range and still leaks nothing.
      await session.run(settings);
      expect(compute.tf.memory().numTensors).toBe(before);
    } finally {
      session.dispose();
    }
  });

  it('refuses what it does not implement, and non-finite input', async () => {
    const compute = await getCompute();
    const x = new Float32Array(64).fill(0.5);
    x[3] = Infinity;
    const session = createTfjsOpsLabSession(compute, x, 8, 8);
    try {
      const channel = await session.run({ ...base, granularity: 'channel' });
      expect(channel.ok).toBe(false);
      const inf = await session.run(base);
      expect(inf.ok).toBe(false);
      if (!inf.ok) expect(inf.errors[0]).toMatch(/finite/);
    } finally {
      session.dispose();
    }
  });
});
