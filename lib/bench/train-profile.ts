/**
 * Where a training step's GPU time goes, kernel by kernel: tf.profile over a few steps of a
 * trainer, each kernel's time summed by name and by name with its shapes, per step. On WebGPU the
 * times come from the adapter's timestamp queries (tfjs's profiler); where the backend gives none
 * they are 0 and only the counts mean anything. Times under the profiler run longer than a step
 * unprofiled (each kernel is timed on its own), so read the shares, not the sums. A custom
 * gradient's forward (the fused batch kernels, lib/compute/train-fused-gpu.ts) is one entry, named
 * "custom" with its shapes. For `window.lowbitBench.trainProfile`.
 */
import type { Trainer } from '../train/trainer';
import type { Tfjs } from '../compute';

export interface KernelTime {
  /** Kernel name, or name with input → output shapes. */
  key: string;
  /** Calls per step. */
  calls: number;
  /** Milliseconds per step. */
  ms: number;
}

export interface TrainProfile {
  steps: number;
  /** Sum of the kernels' times per step (ms). */
  kernelMs: number;
  /** Kernels run per step (reshapes and identities included: they dispatch nothing). */
  kernels: number;
  byName: KernelTime[];
  byShape: KernelTime[];
}

interface ProfiledKernel {
  name: string;
  inputShapes: number[][];
  outputShapes: number[][];
  kernelTimeMs: number | { error: string } | Promise<number | { error: string }>;
}

/**
 * Sums `kernels` by `keyOf` into per-step figures (÷ steps), largest time first:
 * ms = Σ kernelTimeMs / steps, calls = count / steps. Pure; the profiler's list in, the table out.
 */
export function summarizeKernels(kernels: readonly { key: string; ms: number }[], steps: number): KernelTime[] {
  const by = new Map<string, { calls: number; ms: number }>();
  for (const k of kernels) {
    const a = by.get(k.key) ?? { calls: 0, ms: 0 };
    a.calls += 1;
    a.ms += k.ms;
    by.set(k.key, a);
  }
  return [...by].map(([key, v]) => ({ key, calls: v.calls / steps, ms: v.ms / steps })).sort((x, y) => y.ms - x.ms || y.calls - x.calls);
}

/** Profiles `steps` steps of `trainer` (warm it up first: a first step compiles its shaders). */
export async function profileTrainSteps(tf: Tfjs, trainer: Trainer, steps = 3): Promise<TrainProfile> {
  const info = await tf.profile(async () => {
    for (let i = 0; i < steps; i++) await trainer.step();
  });
  const list = await Promise.all((info.kernels as unknown as ProfiledKernel[]).map(async (k) => {
    const t = await k.kernelTimeMs;
    const name = k.name === 'unnamed scope' ? 'custom' : k.name;
    return { name, shapes: `${JSON.stringify(k.inputShapes)} → ${JSON.stringify(k.outputShapes)}`, ms: typeof t === 'number' ? t : 0 };
  }));
  const byName = summarizeKernels(list.map((k) => ({ key: k.name, ms: k.ms })), steps);
  return {
    steps,
    kernelMs: byName.reduce((s, k) => s + k.ms, 0),
    kernels: list.length / steps,
    byName,
    byShape: summarizeKernels(list.map((k) => ({ key: `${k.name} ${k.shapes}`, ms: k.ms })), steps),
  };
}
