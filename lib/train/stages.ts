/**
 * What the training worker is doing before a run's first step, named for the trainer widget's
 * status line (components/widgets/qlora). No tfjs here, so pages can import it.
 *
 *   backend   loading tfjs and starting its backend in the worker;
 *   weights   fetching and checking the model's weights;
 *   build     building the trainer: the base quantized to NF4 + DQ on the CPU (QLoRA) and uploaded,
 *             the adapters and the optimizer state created;
 *   compile   the held-out loss at step 0, the worker's first forward pass, which compiles the GPU
 *             kernels the training steps reuse;
 *   evaluate  the held-out loss at step 0 with the kernels already compiled (a Reset);
 *   sample    the sample before training.
 */
import type { TrainMode } from './modes';

export const TRAINER_STAGES = ['backend', 'weights', 'build', 'compile', 'evaluate', 'sample'] as const;
export type TrainerStage = (typeof TRAINER_STAGES)[number];

/** The status line for a stage of a run in `mode`. */
export function trainerStageLabel(stage: TrainerStage, mode: TrainMode): string {
  switch (stage) {
    case 'backend':
      return 'Loading tfjs in the worker…';
    case 'weights':
      return 'Loading the model…';
    case 'build':
      return mode === 'qlora' ? 'Quantizing to NF4…' : 'Uploading the weights…';
    case 'compile':
      return 'Compiling GPU kernels (scoring the held-out text)…';
    case 'evaluate':
      return 'Scoring the held-out text…';
    case 'sample':
      return 'Sampling before training…';
  }
}

/**
 * Whether the sample "before training" can be drawn after training has started, from the base
 * model with the adapters switched off: true for LoRA and QLoRA adapters that start at zero (B = 0,
 * so the adapted model at step 0 is the base model exactly: every adapter adds scale · B A x = 0,
 * docs/numerics.md "LoRA and QLoRA"). Not for full fine-tuning or QAT (the base itself trains), nor
 * for an imported or LoftQ-initialised adapter (its step 0 is not the base).
 */
export function beforeSampleFromBase(mode: TrainMode, adapterStartsAtZero: boolean): boolean {
  return (mode === 'lora' || mode === 'qlora') && adapterStartsAtZero;
}
