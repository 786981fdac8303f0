import { describe, expect, it } from 'vitest';
import { TRAIN_MODES } from './modes';
import { beforeSampleFromBase, TRAINER_STAGES, trainerStageLabel } from './stages';

describe('trainer stages', () => {
  it('names every stage for every mode, and NF4 quantization only for QLoRA', () => {
    for (const mode of TRAIN_MODES) for (const s of TRAINER_STAGES) expect(trainerStageLabel(s, mode)).toMatch(/…$/);
    expect(trainerStageLabel('build', 'qlora')).toBe('Quantizing to NF4…');
    expect(trainerStageLabel('build', 'lora')).not.toContain('NF4');
    expect(trainerStageLabel('compile', 'qlora')).toContain('Compiling GPU kernels');
  });

  it('draws the sample before training from the base only for adapters that start at zero', () => {
    expect(beforeSampleFromBase('qlora', true)).toBe(true);
    expect(beforeSampleFromBase('lora', true)).toBe(true);
    expect(beforeSampleFromBase('qlora', false)).toBe(false);
    expect(beforeSampleFromBase('full', true)).toBe(false);
    expect(beforeSampleFromBase('qat', true)).toBe(false);
  });
});
