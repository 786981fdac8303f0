'use client';

import type { OwnLoaded } from '@/components/own-model/session';
import { formatBytes } from '@/lib/memory/format';
import { memoryBudget } from '@/lib/model/own-model';
import { ownTrainingFits, ownTrainingMemory, type AdapterTrainMode } from '@/lib/train/own-model-training';
import { COMPARISON_RECIPE } from '@/lib/train/recipes';
import type { TrainMode } from '@/lib/train/modes';

/**
 * What a step of this trainer would hold on the learner's own checkpoint (loaded in this tab by
 * another widget), against this device's budget, and why the trainer stays on the course's tiny
 * model. Loaded only once a model is in the tab (the checkpoint code is then loaded already).
 * `nf4Packed`: whether the worker's backend holds NF4 packed (WebGPU, or not known yet).
 */
export default function OwnModelTrainingNote({ own, mode, nf4Packed }: { own: OwnLoaded; mode: TrainMode; nf4Packed: boolean }) {
  const adapterMode: AdapterTrainMode = mode === 'lora' ? 'lora' : 'qlora';
  const m = ownTrainingMemory(own.weights.config, adapterMode, { nf4Packed });
  const budget = memoryBudget((navigator as Navigator & { deviceMemory?: number }).deviceMemory);
  const fits = ownTrainingFits(m, budget.bytes);
  const base = adapterMode === 'lora' ? 'float32' : nf4Packed ? 'NF4 + DQ' : 'NF4 values held as float32 off WebGPU';
  return (
    <p className="widget-caption" data-testid="qlora-own-model" data-total-bytes={m.totalBytes} data-budget-bytes={budget.bytes} data-fits={fits}>
      Loaded in this tab: <strong>{own.label}</strong>. A {adapterMode === 'lora' ? 'LoRA' : 'QLoRA'} step of this
      trainer on it (rank {COMPARISON_RECIPE.r} on every Linear layer, {m.batch} windows of {m.seq} tokens) would hold about{' '}
      <strong data-testid="qlora-own-total">{formatBytes(m.totalBytes)}</strong>: {formatBytes(m.baseBytes)} of base weights ({base}),{' '}
      {formatBytes(m.adapterBytes)} of adapters with their gradients and AdamW&rsquo;s two moments,{' '}
      {formatBytes(m.activationBytes)} of activations (an estimate, in float32), {formatBytes(m.logitsBytes)} of logits and their
      gradients and {formatBytes(m.maskBytes)} of causal mask. This device&rsquo;s budget is {formatBytes(budget.bytes)}: {budget.source}.{' '}
      {fits
        ? 'That fits, but in this version the trainer runs only on the course’s tiny model: its worker is given the tiny model’s weights and character tokenizer, not your model’s weights and BPE tokenizer.'
        : 'That does not fit, so the trainer stays on the course’s tiny model.'}
    </p>
  );
}
