import { describe, expect, it } from 'vitest';
import { estimateTimeLeft, formatDuration, type ProgressMark } from './eta';

/** Marks of a run whose unit i (1-based) took durations[i − 1] ms, starting at t = 0. */
function run(durations: number[]): ProgressMark[] {
  const marks: ProgressMark[] = [{ done: 0, atMs: 0 }];
  let t = 0;
  durations.forEach((d, i) => {
    t += d;
    marks.push({ done: i + 1, atMs: t });
  });
  return marks;
}

describe('estimateTimeLeft', () => {
  it('has no basis before the first unit finishes', () => {
    expect(estimateTimeLeft([], 10)).toBeNull();
    expect(estimateTimeLeft([{ done: 0, atMs: 0 }], 10)).toBeNull();
  });

  it('uses the first unit alone while it is all there is', () => {
    expect(estimateTimeLeft(run([5000]), 10)).toBe(9 * 5000);
  });

  it('leaves a slow first unit out once a second one has finished', () => {
    // 10 s of warm-up, then 1 s per unit: 4 units done, 6 left → 6 s, not 6 × 13/4 s.
    expect(estimateTimeLeft(run([10_000, 1000, 1000, 1000]), 10)).toBe(6000);
  });

  it('averages over the newest `window` units when the speed changes', () => {
    const marks = run([1000, 1000, 1000, 1000, 3000, 3000]);
    expect(estimateTimeLeft(marks, 10, undefined, 2)).toBe(4 * 3000);
    expect(estimateTimeLeft(marks, 10, undefined, 20)).toBe(4 * ((1000 * 3 + 3000 * 2) / 5));
  });

  it('counts down between marks by at most one unit', () => {
    const marks = run([2000, 1000, 1000]); // 1 s per unit after the first, 7 left of 10
    expect(estimateTimeLeft(marks, 10, 4000 + 400)).toBe(7000 - 400);
    expect(estimateTimeLeft(marks, 10, 4000 + 60_000)).toBe(6000);
    expect(estimateTimeLeft(marks, 10, 3000)).toBe(7000); // a clock before the last mark takes nothing off
  });

  it('is 0 when done and never negative', () => {
    expect(estimateTimeLeft(run([1000, 1000]), 2)).toBe(0);
    expect(estimateTimeLeft(run([1000, 1000, 1000]), 3, 1e9)).toBe(0);
    expect(estimateTimeLeft(run([1000, 1000]), 3, 1e9)).toBe(0);
  });

  it('handles units finished several at a time and a run resumed at a later step', () => {
    // Resumed at step 40 of 100: the first mark is the resume, 5 steps per 2 s after that.
    const marks: ProgressMark[] = [{ done: 40, atMs: 0 }, { done: 41, atMs: 3000 }, { done: 46, atMs: 5000 }];
    expect(estimateTimeLeft(marks, 100)).toBe(54 * 400);
  });

  it('rejects a total of zero and marks without a start', () => {
    expect(estimateTimeLeft(run([1000]), 0)).toBeNull();
    expect(estimateTimeLeft([{ done: 3, atMs: 100 }], 10)).toBeNull();
  });
});

describe('formatDuration', () => {
  it('reads as seconds, minutes and hours', () => {
    expect(formatDuration(400)).toBe('less than a second');
    expect(formatDuration(12_300)).toBe('12 s');
    expect(formatDuration(60_000)).toBe('1 min');
    expect(formatDuration(95_000)).toBe('1 min 35 s');
    expect(formatDuration(200_000)).toBe('3 min 20 s');
    expect(formatDuration(184_000)).toBe('3 min');
    expect(formatDuration(3_900_000)).toBe('1 h 5 min');
    expect(formatDuration(7_200_000)).toBe('2 h');
    expect(formatDuration(Number.NaN)).toBe('less than a second');
  });
});
