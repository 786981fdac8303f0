/**
 * Small pure helpers for the benchmarks (`npm run bench`, app/bench): order statistics of timing
 * samples, the rows of bench/results/quantize.json, the ratio table printed beside them, and the
 * agreement of two implementations' statistics.
 */
import { relativeDifference } from '../lab/compare';
import type { LabStats } from '../lab/types';

function sortedFinite(xs: readonly number[]): number[] {
  if (xs.length === 0) throw new RangeError('no samples');
  for (const x of xs) if (!Number.isFinite(x)) throw new RangeError(`samples must be finite numbers, got ${x}`);
  return [...xs].sort((a, b) => a - b);
}

/**
 * The p-th percentile (0 <= p <= 100) by linear interpolation between the closest ranks
 * (numpy's default, Hyndman & Fan type 7): with the samples sorted s[0..n-1], h = (n - 1) · p / 100,
 * result = s[floor h] + (h - floor h) · (s[floor h + 1] - s[floor h]). p = 50 is the median.
 */
export function percentile(xs: readonly number[], p: number): number {
  if (!(p >= 0 && p <= 100)) throw new RangeError(`p must be in [0, 100], got ${p}`);
  const s = sortedFinite(xs);
  const h = ((s.length - 1) * p) / 100;
  const lo = Math.floor(h);
  const hi = Math.min(lo + 1, s.length - 1);
  return s[lo] + (h - lo) * (s[hi] - s[lo]);
}

/** The median: the middle sample, or the mean of the two middle ones. */
export function median(xs: readonly number[]): number {
  return percentile(xs, 50);
}

export type BenchImpl = 'fused-webgpu' | 'tfjs-ops-webgpu' | 'cpu-reference';

export const BENCH_IMPLS: readonly BenchImpl[] = ['fused-webgpu', 'tfjs-ops-webgpu', 'cpu-reference'];

/** One row of bench/results/quantize.json. */
export interface BenchRow {
  impl: BenchImpl;
  elements: number;
  medianMs: number;
  minMs: number;
  maxMs: number;
  runs: number;
}

/** Median, min and max of timed runs (milliseconds). */
export function summarizeRuns(impl: BenchImpl, elements: number, times: readonly number[]): BenchRow {
  const s = sortedFinite(times);
  return { impl, elements, medianMs: median(s), minMs: s[0], maxMs: s[s.length - 1], runs: s.length };
}

/** One line of the printed comparison: the three medians at one size and their ratios to the fused kernels. */
export interface RatioRow {
  elements: number;
  fusedMs: number | null;
  tfjsOpsMs: number | null;
  cpuMs: number | null;
  /** tfjs-ops median / fused median (null when either is missing). */
  tfjsOpsOverFused: number | null;
  /** CPU reference median / fused median. */
  cpuOverFused: number | null;
}

/** Groups rows by size (ascending) and divides each median by the fused kernels' median at that size. */
export function ratioTable(rows: readonly BenchRow[]): RatioRow[] {
  const sizes = [...new Set(rows.map((r) => r.elements))].sort((a, b) => a - b);
  return sizes.map((elements) => {
    const at = (impl: BenchImpl) => rows.find((r) => r.elements === elements && r.impl === impl)?.medianMs ?? null;
    const fusedMs = at('fused-webgpu'), tfjsOpsMs = at('tfjs-ops-webgpu'), cpuMs = at('cpu-reference');
    const ratio = (t: number | null) => (t !== null && fusedMs !== null && fusedMs > 0 ? t / fusedMs : null);
    return { elements, fusedMs, tfjsOpsMs, cpuMs, tfjsOpsOverFused: ratio(tfjsOpsMs), cpuOverFused: ratio(cpuMs) };
  });
}

/** Interaction latency summary (bench/results/interaction.json, less `elements` and `backend`). */
export interface LatencySummary {
  samples: number;
  p50Ms: number;
  p95Ms: number;
  minMs: number;
  maxMs: number;
}

export function summarizeLatency(samples: readonly number[]): LatencySummary {
  const s = sortedFinite(samples);
  return { samples: s.length, p50Ms: percentile(s, 50), p95Ms: percentile(s, 95), minMs: s[0], maxMs: s[s.length - 1] };
}

/** How far one implementation's statistics are from the reference's. */
export interface StatsAgreement {
  /** Relative differences (lab-compare `relativeDifference`) of mean squared error, max |error| and clipped fraction. */
  mse: number;
  maxAbsError: number;
  clippedFraction: number;
  /** The largest of the three. */
  max: number;
  /** Elements counted in different error-histogram bins (half the L1 distance). */
  histogramMoves: number;
}

export function statsAgreement(a: LabStats, reference: LabStats): StatsAgreement {
  const mse = relativeDifference(a.mse, reference.mse);
  const maxAbsError = relativeDifference(a.maxAbsError, reference.maxAbsError);
  const clippedFraction = relativeDifference(a.clippedFraction, reference.clippedFraction);
  let l1 = 0;
  const n = Math.max(a.errorHistogram.length, reference.errorHistogram.length);
  for (let i = 0; i < n; i++) l1 += Math.abs((a.errorHistogram[i] ?? 0) - (reference.errorHistogram[i] ?? 0));
  return { mse, maxAbsError, clippedFraction, max: Math.max(mse, maxAbsError, clippedFraction), histogramMoves: l1 / 2 };
}
