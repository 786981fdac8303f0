import { describe, expect, it } from 'vitest';
import { COMPARISON_RECIPE, LOOP, TARGET_PRESETS, trainerOptions } from './recipes';

describe('trainerOptions', () => {
  it('maps a widget recipe to TrainerOptions with the shared loop settings', () => {
    const o = trainerOptions({ mode: 'qlora', r: 4, alpha: 32, targets: 'attention', dropout: '0.05', lr: '1e-3', steps: 50, seed: 3 });
    expect(o).toEqual({
      mode: 'qlora',
      lora: { r: 4, alpha: 32, dropout: 0.05, targets: ['c_attn', 'attn.c_proj'] },
      lr: 1e-3,
      weightDecay: LOOP.weightDecay,
      batchSize: LOOP.batchSize,
      blockSize: LOOP.blockSize,
      clip: LOOP.clip,
      seed: 3,
      evalEvery: LOOP.evalEvery,
      evalWindows: LOOP.evalWindows,
      maxSteps: 50,
    });
  });

  it('uses a tenth of the learning rate for full fine-tuning and no dropout when none is given', () => {
    const o = trainerOptions({ mode: 'full', ...COMPARISON_RECIPE, dropout: undefined, steps: 10, seed: 1 });
    expect(o.lr).toBeCloseTo(3e-4, 12);
    expect(o.lora.dropout).toBe(0);
  });

  it('copies the preset, so a caller cannot change the shared table', () => {
    const o = trainerOptions({ mode: 'lora', ...COMPARISON_RECIPE, steps: 10, seed: 1 });
    expect(o.lora.targets).toEqual(TARGET_PRESETS.all);
    expect(o.lora.targets).not.toBe(TARGET_PRESETS.all);
  });
});
