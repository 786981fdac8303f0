/**
 * Compares two runs of the quantization lab — the GPU's and the CPU reference's — the way the
 * tests judge them (docs/design.md rule 3): codes identical, statistics within a relative tolerance.
 */
import type { LabStats } from './types';

/** |a - b| / max(|a|, |b|, floor); 0 when both are equal (including both infinite). */
export function relativeDifference(a: number, b: number, floor = 1e-30): number {
  if (a === b) return 0;
  if (!Number.isFinite(a) || !Number.isFinite(b)) return Infinity;
  return Math.abs(a - b) / Math.max(Math.abs(a), Math.abs(b), floor);
}

export interface LabComparison {
  /** Elements whose codes differ. */
  codeMismatches: number;
  /** Largest relative difference over mse, sqnr, max |error|, clipped fraction and counts. */
  maxStatDifference: number;
  /** Which statistic that was. */
  worstStat: string;
  /** Largest relative difference of the per-cell MSE (floor: 1e-6 of the mean cell MSE). */
  maxCellDifference: number;
  /** Elements counted in different error-histogram bins (half the L1 distance of the two histograms). */
  histogramMoves: number;
}

export function compareLabRuns(a: { codes: Int32Array; stats: LabStats }, b: { codes: Int32Array; stats: LabStats }): LabComparison {
  if (a.codes.length !== b.codes.length) throw new Error(`code arrays differ in length: ${a.codes.length} vs ${b.codes.length}`);
  let codeMismatches = 0;
  for (let i = 0; i < a.codes.length; i++) if (a.codes[i] !== b.codes[i]) codeMismatches++;
  const fields: (keyof LabStats)[] = ['count', 'nonFinite', 'mse', 'sqnrDb', 'maxAbsError', 'clippedFraction', 'errorRange'];
  let maxStatDifference = 0, worstStat = 'none';
  for (const k of fields) {
    const d = relativeDifference(a.stats[k] as number, b.stats[k] as number);
    if (d > maxStatDifference) { maxStatDifference = d; worstStat = k; }
  }
  let meanCell = 0;
  for (const v of b.stats.cellMse) meanCell += v / b.stats.cellMse.length;
  let maxCellDifference = 0;
  for (let c = 0; c < a.stats.cellMse.length; c++) {
    const d = relativeDifference(a.stats.cellMse[c], b.stats.cellMse[c], meanCell * 1e-6 + 1e-30);
    if (d > maxCellDifference) maxCellDifference = d;
  }
  let l1 = 0;
  for (let i = 0; i < a.stats.errorHistogram.length; i++) l1 += Math.abs(a.stats.errorHistogram[i] - b.stats.errorHistogram[i]);
  return { codeMismatches, maxStatDifference, worstStat, maxCellDifference, histogramMoves: l1 / 2 };
}
