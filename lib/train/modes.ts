/** The ways the course fine-tunes the tiny model (no tfjs here, so pages can import the names). */
export type TrainMode = 'full' | 'lora' | 'qlora' | 'qat';

export const TRAIN_MODES: readonly TrainMode[] = ['full', 'lora', 'qlora', 'qat'];

/** The three runs the fine-tuning comparison trains, in its order. */
export const COMPARED_MODES: readonly TrainMode[] = ['full', 'lora', 'qlora'];

export const TRAIN_MODE_LABELS: Readonly<Record<TrainMode, string>> = {
  full: 'Full fine-tuning (FP32)',
  lora: 'LoRA on an FP32 base',
  qlora: 'QLoRA: LoRA on an NF4 + DQ base',
  qat: 'QAT: full fine-tuning with fake-quantized weights',
};
