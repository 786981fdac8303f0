/**
 * The GPU self-test: runs the lab's fused kernels and the CPU reference on the same seeded
 * tensors, for every granularity and calibration, and compares them (codes identical, statistics
 * within 1e-5 relative). The "Check your GPU" page shows it; the e2e suite asserts on it.
 */
import { cellLayout, quantizeSlices, runLabReference } from './lab';
import { compareLabRuns, type LabComparison } from './compare';
import { INT8_PER_TENSOR, type LabSettings } from './types';
import { syntheticMatrix, type Distribution } from '../tensors/synthetic';
import type { Compute } from '../compute/index';
import { createLabSession } from './gpu';
import { errorMessage } from '../errors';

export interface SelfTestCase {
  name: string;
  rows: number;
  cols: number;
  distribution: Distribution | 'constant' | 'with-nan';
  seed: number;
  settings: LabSettings;
}

const base: LabSettings = INT8_PER_TENSOR;

/** The cases the self-test runs: each granularity and calibration, odd bit widths, and bad tensors. */
export const SELF_TEST_CASES: readonly SelfTestCase[] = [
  { name: 'INT8 per tensor, symmetric, min–max', rows: 512, cols: 512, distribution: 'normal', seed: 1, settings: base },
  { name: 'UINT4 per tensor, affine, 99.9th percentile', rows: 256, cols: 512, distribution: 'laplace', seed: 2, settings: { ...base, bits: 4, signed: false, symmetric: false, calibration: 'percentile' } },
  { name: 'INT3 per tensor, symmetric, MSE clipping', rows: 256, cols: 256, distribution: 'outliers', seed: 3, settings: { ...base, bits: 3, calibration: 'mse' } },
  { name: 'INT4 per channel, symmetric', rows: 384, cols: 256, distribution: 'outliers', seed: 4, settings: { ...base, bits: 4, granularity: 'channel' } },
  { name: 'UINT4 group-wise (64), affine', rows: 256, cols: 512, distribution: 'normal', seed: 5, settings: { ...base, bits: 4, signed: false, symmetric: false, granularity: 'group', groupSize: 64 } },
  { name: 'INT2 group-wise (32), symmetric', rows: 128, cols: 256, distribution: 'uniform', seed: 6, settings: { ...base, bits: 2, granularity: 'group', groupSize: 32 } },
  { name: 'INT8 per channel, with NaN and ±Inf entries', rows: 128, cols: 256, distribution: 'with-nan', seed: 7, settings: { ...base, granularity: 'channel' } },
  { name: 'INT8 per tensor, all values equal', rows: 64, cols: 128, distribution: 'constant', seed: 8, settings: base },
  { name: 'INT5 per channel, 64 × 100 (cells of 50: the scalar kernel)', rows: 64, cols: 100, distribution: 'laplace', seed: 9, settings: { ...base, bits: 5, granularity: 'channel' } },
  // Per tensor the fused pass only sums err² per cell ('sums'); these check how it skips NaN/±Inf.
  { name: 'INT8 per tensor, with NaN and ±Inf entries', rows: 128, cols: 256, distribution: 'with-nan', seed: 10, settings: base },
  { name: 'UINT5 per tensor, affine, 64 × 100 with NaN and ±Inf (the scalar kernel)', rows: 64, cols: 100, distribution: 'with-nan', seed: 11, settings: { ...base, bits: 5, signed: false, symmetric: false } },
];

/** The tensor of a case, deterministic by its seed. */
export function selfTestTensor(c: SelfTestCase): Float32Array {
  if (c.distribution === 'constant') return new Float32Array(c.rows * c.cols).fill(0.25);
  if (c.distribution === 'with-nan') {
    const x = syntheticMatrix({ distribution: 'normal', rows: c.rows, cols: c.cols, seed: c.seed });
    for (let i = 0; i < x.length; i += 997) x[i] = i % 3 === 0 ? Number.NaN : i % 3 === 1 ? Infinity : -Infinity;
    return x;
  }
  return syntheticMatrix({ distribution: c.distribution, rows: c.rows, cols: c.cols, seed: c.seed });
}

export interface SelfTestResult extends LabComparison {
  name: string;
  elements: number;
  passed: boolean;
  gpuMs: number;
  cpuMs: number;
  error?: string;
}

/** Statistics must agree within this relative difference (the 1e-5). */
export const STAT_TOLERANCE = 1e-5;

/** Runs one case on the GPU session and on the CPU reference and compares them. */
export async function runSelfTestCase(compute: Compute, c: SelfTestCase): Promise<SelfTestResult> {
  const x = selfTestTensor(c);
  const session = createLabSession(compute, x, c.rows, c.cols);
  try {
    await session.run(c.settings); // warm-up: compiles the kernels
    let t0 = performance.now();
    const gpu = await session.run(c.settings);
    const gpuMs = performance.now() - t0;
    const gpuCodes = await session.codes(c.settings);
    t0 = performance.now();
    const cpu = runLabReference(x, c.rows, c.cols, c.settings);
    const cpuMs = performance.now() - t0;
    if (!gpu.ok || !cpu.ok) throw new Error([...(gpu.ok ? [] : gpu.errors), ...(cpu.ok ? [] : cpu.errors)].join(' '));
    const cpuCodes = quantizeSlices(x, cellLayout(c.rows, c.cols, c.settings), cpu.params, c.settings);
    const cmp = compareLabRuns({ codes: gpuCodes, stats: gpu.stats }, { codes: cpuCodes, stats: cpu.stats });
    const passed = cmp.codeMismatches === 0 && cmp.maxStatDifference <= STAT_TOLERANCE && cmp.maxCellDifference <= STAT_TOLERANCE && cmp.histogramMoves <= STAT_TOLERANCE * x.length;
    return { name: c.name, elements: x.length, passed, gpuMs, cpuMs, ...cmp };
  } catch (e) {
    return {
      name: c.name, elements: x.length, passed: false, gpuMs: NaN, cpuMs: NaN,
      codeMismatches: NaN, maxStatDifference: NaN, worstStat: 'error', maxCellDifference: NaN, histogramMoves: NaN,
      error: errorMessage(e),
    };
  } finally {
    session.dispose();
  }
}
