'use client';

import { useEffect } from 'react';

import type { OwnLoaded } from '@/components/own-model/session';
import { formatBytes } from '@/lib/memory/format';
import { memoryBudget } from '@/lib/model/own-model';
import { ownTrainingFits, ownTrainingMemory, type AdapterTrainMode } from '@/lib/train/own-model-training';
import { TARGET_PRESETS, type TargetPreset } from '@/lib/train/recipes';
import type { TrainMode } from '@/lib/train/modes';

/**
 * What a step of this trainer would hold on the learner's own checkpoint (loaded in this tab by
 * another widget), against this device's budget; when it fits, the choice to train it instead of
 * the course's tiny model, else why the trainer stays on the tiny one. Loaded only once a model is in the tab (the checkpoint code is then loaded already).
 * `nf4Packed`: whether the worker's backend holds NF4 packed (WebGPU, or not known yet).
 */
export default function OwnModelTrainingNote({ own, mode, r, targets, nf4Packed, training, onTrain, disabled }: {
  own: OwnLoaded;
  mode: TrainMode;
  /** The learner's rank and adapted layers: the run the figure describes. */
  r: number;
  targets: TargetPreset;
  nf4Packed: boolean;
  /** Whether the trainer is set to train this model; `onTrain` switches (the next Start builds a new run). */
  training: boolean;
  onTrain: (train: boolean) => void;
  disabled: boolean;
}) {
  const adapterMode: AdapterTrainMode = mode === 'lora' ? 'lora' : 'qlora';
  const m = ownTrainingMemory(own.weights.config, adapterMode, { nf4Packed, r, targets });
  const budget = memoryBudget((navigator as Navigator & { deviceMemory?: number }).deviceMemory);
  const adapterRun = mode === 'lora' || mode === 'qlora';
  const fitsBudget = ownTrainingFits(m, budget.bytes);
  const fits = fitsBudget && adapterRun;
  // A setting that no longer fits (a larger rank, WebGL's float32 base, full fine-tuning) returns the trainer to the tiny model.
  useEffect(() => {
    if (training && !fits) onTrain(false);
  }, [training, fits, onTrain]);
  const base = adapterMode === 'lora' ? 'float32' : nf4Packed ? 'NF4 + DQ' : 'NF4 values held as float32 off WebGPU';
  return (
    <>
    <p className="widget-caption" data-testid="qlora-own-model" data-total-bytes={m.totalBytes} data-budget-bytes={budget.bytes} data-fits={fits}>
      Loaded in this tab: <strong>{own.label}</strong>. A {adapterMode === 'lora' ? 'LoRA' : 'QLoRA'} step of this
      trainer on it (rank {r} on {TARGET_PRESETS[targets].join(', ')}, {m.batch} windows of {m.seq} tokens) would hold about{' '}
      <strong data-testid="qlora-own-total">{formatBytes(m.totalBytes)}</strong>: {formatBytes(m.baseBytes)} of base weights ({base}),{' '}
      {formatBytes(m.adapterBytes)} of adapters with their gradients and AdamW&rsquo;s two moments,{' '}
      {formatBytes(m.activationBytes)} of activations (an estimate, in float32), {formatBytes(m.logitsBytes)} of logits and their
      gradients, {formatBytes(m.maskBytes)} of causal mask and {formatBytes(m.workerCopyBytes)} for the training worker&rsquo;s copy of the
      weights. This device&rsquo;s budget is {formatBytes(budget.bytes)}: {budget.source}.{' '}
      {!adapterRun
        ? 'The trainer trains your model with LoRA or QLoRA only; in this mode it stays on the course’s tiny model.'
        : fitsBudget
          ? 'That fits, so the trainer can train it instead of the course’s tiny model: its worker then gets a copy of your model’s weights and its BPE tokenizer, and the texts are read in your model’s tokens.'
          : 'That does not fit, so the trainer stays on the course’s tiny model.'}
    </p>
    {fits && (
      <label className="control" style={{ flexDirection: 'row', alignItems: 'center', gap: '0.4rem' }}>
        <input type="checkbox" checked={training} disabled={disabled} onChange={(e) => onTrain(e.target.checked)} data-testid="qlora-own-train" />
        <span>Train your model instead of the tiny model (the next Start begins a new run; on a CPU-emulated GPU a step of a model this size can take minutes)</span>
      </label>
    )}
    </>
  );
}
