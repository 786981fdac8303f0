import { describe, expect, it } from 'vitest';
import { runLabReference } from '../lab/lab';
import type { LabSettings } from '../lab/types';
import { median, percentile, ratioTable, statsAgreement, summarizeLatency, summarizeRuns, type BenchRow } from './stats';

describe('percentile and median', () => {
  it('takes the middle sample, or the mean of the two middle ones', () => {
    expect(median([5, 1, 3])).toBe(3);
    expect(median([4, 1, 3, 2])).toBe(2.5);
    expect(median([7])).toBe(7);
  });
  it('interpolates between the closest ranks (numpy default)', () => {
    // numpy.percentile([1, 2, 3, 4, 5, 6, 7, 8, 9, 10], 95) = 9.55; (…, 90) = 9.1; (…, 0) = 1; (…, 100) = 10
    const xs = [10, 9, 8, 7, 6, 5, 4, 3, 2, 1];
    expect(percentile(xs, 95)).toBeCloseTo(9.55, 12);
    expect(percentile(xs, 90)).toBeCloseTo(9.1, 12);
    expect(percentile(xs, 0)).toBe(1);
    expect(percentile(xs, 100)).toBe(10);
  });
  it('does not reorder its input', () => {
    const xs = [3, 1, 2];
    median(xs);
    expect(xs).toEqual([3, 1, 2]);
  });
  it('rejects empty or non-finite samples and p outside [0, 100]', () => {
    expect(() => median([])).toThrow(RangeError);
    expect(() => median([1, Number.NaN])).toThrow(RangeError);
    expect(() => percentile([1, 2], 101)).toThrow(RangeError);
    expect(() => percentile([1, 2], Number.NaN)).toThrow(RangeError);
  });
});

describe('summaries', () => {
  it('summarizes timed runs as a quantize.json row', () => {
    expect(summarizeRuns('fused-webgpu', 1024, [12, 10, 30, 11, 13])).toEqual({
      impl: 'fused-webgpu', elements: 1024, medianMs: 12, minMs: 10, maxMs: 30, runs: 5,
    });
  });
  it('summarizes latency samples with p50 and p95', () => {
    const s = summarizeLatency(Array.from({ length: 20 }, (_, i) => 20 - i)); // 1 … 20
    expect(s).toEqual({ samples: 20, p50Ms: 10.5, p95Ms: 19.05, minMs: 1, maxMs: 20 });
  });
  it('puts the three medians of a size side by side with their ratios to the fused kernels', () => {
    const row = (impl: BenchRow['impl'], elements: number, medianMs: number): BenchRow => ({ impl, elements, medianMs, minMs: medianMs, maxMs: medianMs, runs: 5 });
    const table = ratioTable([
      row('cpu-reference', 16, 800), row('fused-webgpu', 16, 20), row('tfjs-ops-webgpu', 16, 100),
      row('fused-webgpu', 4, 10), row('cpu-reference', 4, 50),
    ]);
    expect(table).toEqual([
      { elements: 4, fusedMs: 10, tfjsOpsMs: null, cpuMs: 50, tfjsOpsOverFused: null, cpuOverFused: 5 },
      { elements: 16, fusedMs: 20, tfjsOpsMs: 100, cpuMs: 800, tfjsOpsOverFused: 5, cpuOverFused: 40 },
    ]);
  });
});

describe('statsAgreement', () => {
  const settings: LabSettings = { bits: 4, signed: true, symmetric: true, granularity: 'tensor', groupSize: 64, calibration: 'minmax', percentile: 99.9 };
  const x = Float32Array.from({ length: 256 }, (_, i) => Math.sin(i * 1.7) * (1 + (i % 5)));
  const r = runLabReference(x, 16, 16, settings);
  if (!r.ok) throw new Error('reference failed');

  it('is zero between a run and itself', () => {
    expect(statsAgreement(r.stats, r.stats)).toEqual({ mse: 0, maxAbsError: 0, clippedFraction: 0, max: 0, histogramMoves: 0 });
  });
  it('reports each relative difference, the largest, and histogram moves', () => {
    const hist = r.stats.errorHistogram.slice();
    const full = hist.findIndex((n) => n > 0);
    hist[full] -= 2;
    hist[(full + 1) % hist.length] += 2;
    const a = { ...r.stats, mse: r.stats.mse * 1.001, maxAbsError: r.stats.maxAbsError * 1.01, errorHistogram: hist };
    const d = statsAgreement(a, r.stats);
    expect(d.mse).toBeCloseTo(0.001 / 1.001, 9);
    expect(d.maxAbsError).toBeCloseTo(0.01 / 1.01, 9);
    expect(d.clippedFraction).toBe(0);
    expect(d.max).toBe(d.maxAbsError);
    expect(d.histogramMoves).toBe(2);
  });
});
