import { describe, expect, it } from 'vitest';
import { DEMO_FAST_MS, DEMO_SLOW_MS, qloraVerdict } from './verdict';

describe('qloraVerdict', () => {
  it('calls a run within DEMO_FAST_MS fast enough and quotes the step time', () => {
    const v = qloraVerdict(1040, 100);
    expect(v.level).toBe('fast');
    expect(v.secondsPerStep).toBe(1);
    expect(v.runMs).toBe(104_000);
    expect(v.sentence).toBe('Fast enough for the QLoRA demo: about 1 s per step (100 steps take about 1 min 44 s).');
  });

  it('has its thresholds at the run times, inclusive', () => {
    expect(qloraVerdict(DEMO_FAST_MS / 100, 100).level).toBe('fast');
    expect(qloraVerdict(DEMO_FAST_MS / 100 + 1, 100).level).toBe('slow');
    expect(qloraVerdict(DEMO_SLOW_MS / 100, 100).level).toBe('slow');
    expect(qloraVerdict(DEMO_SLOW_MS / 100 + 1, 100).level).toBe('too-slow');
  });

  it('rounds the step time to two significant digits', () => {
    expect(qloraVerdict(12_600, 100).secondsPerStep).toBe(13);
    expect(qloraVerdict(456, 100).secondsPerStep).toBe(0.46);
    expect(qloraVerdict(12_600, 100).sentence).toMatch(/^Too slow for a live QLoRA demo: about 13 s per step \(100 steps take about 21 min\)/);
  });

  it('rejects step times and step counts that cannot be', () => {
    expect(() => qloraVerdict(0, 100)).toThrow(RangeError);
    expect(() => qloraVerdict(Number.NaN, 100)).toThrow(RangeError);
    expect(() => qloraVerdict(1000, 0)).toThrow(RangeError);
  });
});
