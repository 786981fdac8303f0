/**
 * "Check this computer": the one-line verdict on whether the QLoRA demo runs live on this device,
 * from the measured time of one training step of the real trainer (lib/bench/train-bench.ts,
 * QLoRA mode, the fine-tuning comparison's recipe). The run time is steps × step time — the
 * held-out evaluations between steps come on top.
 */
import { formatDuration } from './eta';

/** A demo run is fast enough when its steps take at most this long (ms): a few minutes of class. */
export const DEMO_FAST_MS = 3 * 60_000;
/** Up to this long (ms) it can still be shown if started early; longer is too slow to show live. */
export const DEMO_SLOW_MS = 10 * 60_000;

export type VerdictLevel = 'fast' | 'slow' | 'too-slow';

export interface QloraVerdict {
  level: VerdictLevel;
  /** Seconds per step, rounded for reading (2 significant digits). */
  secondsPerStep: number;
  /** steps × step time, ms. */
  runMs: number;
  sentence: string;
}

/** Rounds to 2 significant digits (0.96 → 0.96, 1.04 → 1, 12.6 → 13). */
function twoDigits(x: number): number {
  return Number(x.toPrecision(2));
}

/**
 * The verdict for a QLoRA step of `msPerStep` and a run of `steps` steps: 'fast' when the run
 * takes at most DEMO_FAST_MS, 'slow' up to DEMO_SLOW_MS, else 'too-slow'.
 */
export function qloraVerdict(msPerStep: number, steps: number): QloraVerdict {
  if (!(msPerStep > 0) || !Number.isFinite(msPerStep)) throw new RangeError(`The step time must be a positive number of ms, got ${msPerStep}.`);
  if (!Number.isSafeInteger(steps) || steps < 1) throw new RangeError(`The number of steps must be a whole number ≥ 1, got ${steps}.`);
  const secondsPerStep = twoDigits(msPerStep / 1000);
  const runMs = msPerStep * steps;
  const per = `about ${secondsPerStep} s per step`;
  const run = `${steps} steps take about ${formatDuration(runMs)}`;
  if (runMs <= DEMO_FAST_MS) return { level: 'fast', secondsPerStep, runMs, sentence: `Fast enough for the QLoRA demo: ${per} (${run}).` };
  if (runMs <= DEMO_SLOW_MS) return { level: 'slow', secondsPerStep, runMs, sentence: `Slow for a live QLoRA demo: ${per} (${run}) — start it early, or choose fewer steps.` };
  return { level: 'too-slow', secondsPerStep, runMs, sentence: `Too slow for a live QLoRA demo: ${per} (${run}) — try another backend or a computer with a GPU.` };
}

/** Steps of the QLoRA widget's default run (components/widgets/qlora/QloraTrainer reads it): the demo the verdict is about. */
export const QLORA_DEMO_STEPS = 100;
