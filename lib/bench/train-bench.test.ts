import { describe, expect, it } from 'vitest';
import { trainBenchOptions } from './train-bench';

describe('trainBenchOptions', () => {
  it('times the comparison recipe: r 8, α 16, every Linear layer, lr 3e-3, seed 1, no evaluation between steps', () => {
    expect(trainBenchOptions('qlora', 7, 8, 64)).toEqual({
      mode: 'qlora',
      lora: { r: 8, alpha: 16, dropout: 0, targets: ['c_attn', 'attn.c_proj', 'c_fc', 'mlp.c_proj'] },
      lr: 3e-3,
      weightDecay: 0,
      batchSize: 8,
      blockSize: 64,
      clip: 1,
      seed: 1,
      evalEvery: 0,
      evalWindows: 1,
      maxSteps: 7,
    });
    expect(trainBenchOptions('lora', 3, 4, 32)).toMatchObject({ mode: 'lora', lr: 3e-3, batchSize: 4, blockSize: 32, maxSteps: 3 });
    // Every weight moves in full fine-tuning and QAT: a tenth of the adapters' rate.
    expect(trainBenchOptions('full', 3, 4, 32).lr).toBeCloseTo(3e-4, 12);
    expect(trainBenchOptions('qat', 3, 4, 32)).toMatchObject({ mode: 'qat' });
    expect(trainBenchOptions('qat', 3, 4, 32).lr).toBeCloseTo(3e-4, 12);
  });
});
