/**
 * The training benchmark: a QLoRA step (NF4 + DQ base, dequantized by the GPU kernel in
 * every forward pass) against a LoRA step on the float32 base, and a QAT step (every Linear weight
 * fake-quantized in the forward pass, lib/train/qat.ts, 4-bit per row) against a plain full
 * fine-tuning step, for the same model, batch and seed, on the page's backend. The trainers step in turn, so both see the same machine
 * load; each is warmed up first (kernels compile). Ratios are of medians measured side by side in
 * one run (DEVELOPERS: never timed assertions in tests).
 */
import type { Compute } from '../compute';
import { installSoftwareKernels, softwareKernelsInstalled, uninstallSoftwareKernels } from '../compute/software-kernels';
import type { TinyLMWeights } from '../model/load';
import { Trainer, type TrainerOptions } from '../train/trainer';
import type { TrainMode } from '../train/modes';
import { COMPARISON_RECIPE, LOOP, trainerOptions } from '../train/recipes';
import { median } from './stats';
import { profileTrainSteps, type TrainProfile } from './train-profile';

export interface TrainBenchOptions {
  /** Timed steps per mode (default 5). */
  steps?: number;
  /** Untimed steps per mode first (default 2). */
  warmup?: number;
  batchSize?: number;
  blockSize?: number;
  /** The modes to time, in this order (default LoRA, QLoRA, full fine-tuning, QAT). */
  modes?: readonly TrainMode[];
  /**
   * WebGPU only: which kernels serve the run — tfjs's own or the software-adapter ones
   * (lib/compute/software-kernels: vec4 matmul, row reductions and softmax) — put back as they were
   * afterwards. Default: whichever the page installed.
   */
  kernels?: 'tfjs' | 'software';
  /**
   * How the model computes attention, the GELU and layer norm over the batch (TinyLM.batchOps):
   * 'auto' as the app does (fused kernels on WebGPU), 'ops' tfjs ops, or 'both': each mode twice,
   * fused and ops, stepping in turn so the two see the same machine load.
   */
  batchOps?: 'auto' | 'ops' | 'both';
}

export interface TrainBenchRow {
  mode: TrainMode;
  /** The model's batchOps for this row. */
  batchOps: 'auto' | 'ops';
  steps: number;
  medianMs: number;
  minMs: number;
  maxMs: number;
  stepsPerSecond: number;
  tokensPerSecond: number;
  /** Base weight bytes as the backend holds them. */
  baseBytes: number;
}

export interface TrainBenchReport {
  backend: string;
  /** Which WebGPU kernels served the run (null off WebGPU). */
  kernels: 'tfjs' | 'software' | null;
  batchSize: number;
  blockSize: number;
  rows: TrainBenchRow[];
  /** Median QLoRA step time over median LoRA step time (target: under 1.3); null unless both ran. */
  qloraOverLora: number | null;
  /** Median QAT step time over median full fine-tuning step time (target: at most 1.3 on WebGPU); null unless both ran. */
  qatOverFull: number | null;
}

const ALL_MODES: readonly TrainMode[] = ['lora', 'qlora', 'full', 'qat'];

export const TRAIN_BENCH_DEFAULTS = { steps: 5, warmup: 2, batchSize: LOOP.batchSize, blockSize: LOOP.blockSize } as const;

/**
 * A benchmarked trainer's options: the fine-tuning comparison's recipe (lib/train/recipes
 * COMPARISON_RECIPE: r 8, α 16, every Linear layer, lr 3e-3), seed 1, `maxSteps` steps of
 * `batchSize` windows of `blockSize` characters, and no held-out evaluation between them.
 */
export function trainBenchOptions(mode: TrainMode, maxSteps: number, batchSize: number, blockSize: number): TrainerOptions {
  return { ...trainerOptions({ mode, ...COMPARISON_RECIPE, steps: maxSteps, seed: 1 }), batchSize, blockSize, evalEvery: 0, evalWindows: 1 };
}

/** Runs the comparison on `compute`'s backend with the tiny model and a fine-tuning text. */
export async function runTrainBench(compute: Compute, weights: TinyLMWeights, text: string, o: TrainBenchOptions = {}, onProgress: (m: string) => void = () => {}): Promise<TrainBenchReport> {
  const { steps, warmup, batchSize, blockSize } = { ...TRAIN_BENCH_DEFAULTS, ...o };
  const split = Math.floor(text.length * 0.9);
  const modes = [...(o.modes ?? ALL_MODES)];
  const { tf } = compute;
  const had = compute.webgpu ? softwareKernelsInstalled(tf) : false;
  if (compute.webgpu && o.kernels) {
    if (o.kernels === 'software') installSoftwareKernels(tf);
    else uninstallSoftwareKernels(tf);
  }
  const kernels = compute.webgpu ? (softwareKernelsInstalled(tf) ? 'software' : 'tfjs') : null;
  const trainers: Trainer[] = [];
  const ops: ('auto' | 'ops')[] = o.batchOps === 'both' ? ['auto', 'ops'] : [o.batchOps ?? 'auto'];
  const runs = modes.flatMap((mode) => ops.map((batchOps) => ({ mode, batchOps })));
  try {
    for (const r of runs) {
      const t = new Trainer({ compute, weights, train: text.slice(0, split), heldout: text.slice(split) }, trainBenchOptions(r.mode, warmup + steps, batchSize, blockSize));
      trainers.push(t);
      t.tinyLM.batchOps = r.batchOps;
    }
    const times: number[][] = runs.map(() => []);
    for (let i = 0; i < warmup + steps; i++) {
      for (let k = 0; k < runs.length; k++) {
        const r = await trainers[k].step();
        if (i >= warmup) times[k].push(r.ms);
      }
      onProgress(`${i < warmup ? 'warm-up' : 'timed'} step ${i + 1} of ${warmup + steps} done for ${modes.join(', ')}`);
    }
    const rows = runs.map(({ mode, batchOps }, k): TrainBenchRow => {
      const med = median(times[k]);
      return {
        mode, batchOps, steps, medianMs: med, minMs: Math.min(...times[k]), maxMs: Math.max(...times[k]),
        stepsPerSecond: 1000 / med, tokensPerSecond: (1000 * batchSize * blockSize) / med,
        baseBytes: trainers[k].getSnapshot().memory.baseBytes,
      };
    });
    const backend = compute.backend + (compute.software ? ' (software)' : '');
    const ratio = (x: TrainMode, y: TrainMode) => {
      const a = rows.find((r) => r.mode === x && r.batchOps === ops[0]), b = rows.find((r) => r.mode === y && r.batchOps === ops[0]);
      return a && b ? a.medianMs / b.medianMs : null;
    };
    return { backend, kernels, batchSize, blockSize, rows, qloraOverLora: ratio('qlora', 'lora'), qatOverFull: ratio('qat', 'full') };
  } finally {
    for (const t of trainers) t.dispose();
    if (compute.webgpu && o.kernels) {
      if (had) installSoftwareKernels(tf);
      else uninstallSoftwareKernels(tf);
    }
  }
}

/**
 * One trainer of `mode` (the benchmark's options), warmed up by one step, then profiled kernel by
 * kernel over `steps` steps (train-profile.ts) — where the step's GPU time goes.
 */
export async function runTrainProfile(compute: Compute, weights: TinyLMWeights, text: string, o: { mode?: TrainMode; steps?: number; batchOps?: 'auto' | 'ops' } = {}): Promise<TrainProfile & { mode: TrainMode; backend: string }> {
  const mode = o.mode ?? 'lora';
  const steps = o.steps ?? 3;
  const split = Math.floor(text.length * 0.9);
  const trainer = new Trainer({ compute, weights, train: text.slice(0, split), heldout: text.slice(split) }, trainBenchOptions(mode, steps + 1, TRAIN_BENCH_DEFAULTS.batchSize, TRAIN_BENCH_DEFAULTS.blockSize));
  try {
    trainer.tinyLM.batchOps = o.batchOps ?? 'auto';
    await trainer.step();
    return { mode, backend: compute.backend + (compute.software ? ' (software)' : ''), ...(await profileTrainSteps(compute.tf, trainer, steps)) };
  } finally {
    trainer.dispose();
  }
}
