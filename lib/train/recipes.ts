/**
 * The training recipes the course uses, in one place: the trainer widget's choices and its
 * settings → TrainerOptions mapping, the fine-tuning comparison's fixed adapter recipe, and the
 * training benchmark's (lib/bench/train-bench). No tfjs here (type imports only), so pages can
 * import it. The recipe follows QLoRA (Dettmers et al. 2023): adapters on every Linear layer,
 * r = 8, α = 16, AdamW with a constant learning rate; full fine-tuning uses a tenth of the LoRA
 * learning rate (docs/numerics.md, LoRA).
 */
import type { LoraTarget } from './lora';
import type { TrainMode } from './modes';
import type { TrainerOptions } from './trainer';

/** The adapted layers a learner can choose, by preset name. */
export const TARGET_PRESETS = {
  all: ['c_attn', 'attn.c_proj', 'c_fc', 'mlp.c_proj'],
  attention: ['c_attn', 'attn.c_proj'],
  mlp: ['c_fc', 'mlp.c_proj'],
  qkv: ['c_attn'],
} as const satisfies Record<string, readonly LoraTarget[]>;

export type TargetPreset = keyof typeof TARGET_PRESETS;

export const TARGET_LABELS: Readonly<Record<TargetPreset, string>> = {
  all: 'All Linear layers (QLoRA’s choice)',
  attention: 'Attention only (c_attn, c_proj)',
  mlp: 'MLP only (c_fc, c_proj)',
  qkv: 'q, k, v only (c_attn)',
};

/** Ranks, learning rates (as written in the URL), LoRA dropouts and step budgets offered. */
export const RANKS = [1, 2, 4, 8, 16, 32, 64] as const;
export const LRS = ['1e-4', '3e-4', '1e-3', '3e-3', '1e-2'] as const;
export const DROPOUTS = ['0', '0.05', '0.1'] as const;
export const STEP_CHOICES = [10, 20, 50, 100, 200, 400, 800];

/** The choices behind one run: what trainerOptions turns into TrainerOptions. */
export interface TrainingRecipe {
  mode: TrainMode;
  r: number;
  alpha: number;
  targets: TargetPreset;
  /** LoRA dropout as written in the URL ('0' when left out). */
  dropout?: (typeof DROPOUTS)[number];
  lr: (typeof LRS)[number];
  steps: number;
  seed: number;
}

/** Batch, window and evaluation settings shared by the trainer widgets (small enough for a software GPU). */
export const LOOP = { batchSize: 8, blockSize: 64, evalEvery: 20, evalWindows: 8, clip: 1.0, weightDecay: 0 } as const;

/**
 * The adapter recipe of the fine-tuning comparison and the training benchmark: QLoRA's own (every
 * Linear layer, r = 8, α = 16, scale α/r = 2), learning rate 3e-3, no dropout.
 */
export const COMPARISON_RECIPE = { r: 8, alpha: 16, targets: 'all', lr: '3e-3', dropout: '0' } as const satisfies Omit<TrainingRecipe, 'mode' | 'steps' | 'seed'>;

/**
 * Trainer options for a recipe: the LOOP settings, the adapters of the chosen preset, and the
 * learning rate — a tenth of it for full fine-tuning (every weight moves, so the LoRA rate would
 * overshoot).
 */
export function trainerOptions(s: TrainingRecipe): TrainerOptions {
  const lr = Number(s.lr);
  return {
    mode: s.mode,
    lora: { r: s.r, alpha: s.alpha, dropout: Number(s.dropout ?? '0'), targets: [...TARGET_PRESETS[s.targets]] },
    lr: s.mode === 'full' || s.mode === 'qat' ? lr / 10 : lr,
    weightDecay: LOOP.weightDecay,
    batchSize: LOOP.batchSize,
    blockSize: LOOP.blockSize,
    clip: LOOP.clip,
    seed: s.seed,
    evalEvery: LOOP.evalEvery,
    evalWindows: LOOP.evalWindows,
    maxSteps: s.steps,
  };
}

/** How the trainer widget samples before and after: characters, seed, temperature and top-k. */
export const SAMPLE_RECIPE = { n: 60, seed: 7, temperature: 0.8, topK: 20 } as const;
