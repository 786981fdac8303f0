'use client';

import { OwnModelPicker } from '@/components/own-model/OwnModelPicker';
import { IntBox } from '@/components/widget-kit/IntBox';
import { BLOCK_MATRICES } from '@/lib/model/tiny-model';
import type { OwnModelState } from '@/components/own-model/useOwnModel';
import { formatBytes, formatParameterCount } from '@/lib/memory/format';
import { gptqMultiplyAdds, hessianBytes, maxBlocksWithin, OWN_MODEL_BOUNDS } from '@/lib/model/methods-engine';

/** The methods table's settings for a loaded checkpoint: how much of it is quantized, calibrated and scored. */
export interface OwnSettings {
  blocks: number;
  calib: number;
  heldout: number;
}

export const OWN_DEFAULTS: OwnSettings = { blocks: 1, calib: OWN_MODEL_BOUNDS.calibWindows.default, heldout: OWN_MODEL_BOUNDS.heldoutWindows.default };

const B = OWN_MODEL_BOUNDS;

function NumberField({ label, value, min, max, disabled, onChange, testId }: { label: string; value: number; min: number; max: number; disabled: boolean; onChange: (v: number) => void; testId: string }) {
  return (
    <label className="control">
      <span>{label}</span>
      <IntBox value={value} min={min} max={max} disabled={disabled} onValue={onChange} testId={testId} />
    </label>
  );
}

/**
 * The shared "Your own model" picker, and while a checkpoint is used here: which leading blocks to
 * quantize (as many as their Hessians fit in OWN_MODEL_BOUNDS.hessianBudgetBytes), the calibration
 * and held-out windows, and what is bounded and why — all figures computed from the model's config.
 */
export function OwnMethodsSettings({ own, disabled, value, onChange }: { own: OwnModelState; disabled: boolean; value: OwnSettings; onChange: (v: OwnSettings) => void }) {
  const config = own.loaded?.weights.config;
  const most = config ? maxBlocksWithin(config) : 1;
  const blocks = Math.min(value.blocks, most);
  const tokens = config ? Math.min(config.block_size, B.windowTokens) : B.windowTokens;
  return (
    <OwnModelPicker own={own} disabled={disabled} usedFor="The methods table runs on it.">
      {config && (
        <>
          <div className="controls">
            <label className="control">
              <span>Blocks to quantize</span>
              <select value={blocks} disabled={disabled} onChange={(e) => onChange({ ...value, blocks: Number(e.target.value) })} data-testid="methods-own-blocks">
                {Array.from({ length: most }, (_, i) => i + 1).map((k) => (
                  <option key={k} value={k}>{k === config.n_layer ? `all ${k} blocks` : k === 1 ? 'the first block' : `the first ${k} blocks`}</option>
                ))}
              </select>
            </label>
            <NumberField label={`Calibration windows (${B.calibWindows.min}–${B.calibWindows.max})`} value={value.calib} min={B.calibWindows.min} max={B.calibWindows.max} disabled={disabled} onChange={(calib) => onChange({ ...value, calib })} testId="methods-own-calib" />
            <NumberField label={`Held-out windows (${B.heldoutWindows.min}–${B.heldoutWindows.max})`} value={value.heldout} min={B.heldoutWindows.min} max={B.heldoutWindows.max} disabled={disabled} onChange={(heldout) => onChange({ ...value, heldout })} testId="methods-own-heldout" />
          </div>
          <p className="widget-caption" data-testid="methods-own-bounds">
            Bounded for this device: the {blocks * BLOCK_MATRICES.length} Linear layers of {blocks === config.n_layer ? `all ${blocks} blocks` : `the first ${blocks === 1 ? 'block' : `${blocks} blocks`} of ${config.n_layer}`} are
            quantized; the other blocks, the embeddings and the LayerNorms stay float32. GPTQ needs a float64
            in × in Hessian per layer — {formatBytes(hessianBytes(config, 1))} a block for this model — so at most {most} block{most === 1 ? '' : 's'} ({formatBytes(hessianBytes(config, most))}) fit
            in the {formatBytes(B.hessianBudgetBytes)} allowed; its error feedback alone is {formatParameterCount(gptqMultiplyAdds(config, blocks))} multiply-adds
            for {blocks === 1 ? 'this block' : 'these blocks'} (rows × in² / 2 a layer), and the layers are quantized one at a time, with progress. Calibration: {value.calib} windows
            of {tokens} tokens of the course’s calibration text, BPE-encoded; scoring: {value.heldout} windows of {tokens} tokens of its held-out text
            (the FP32 logits kept for KL grow with windows × tokens × {config.vocab_size.toLocaleString('en-US')} vocabulary entries). Stop ends the quantizing at once, and a calibration capture after its current window.
          </p>
        </>
      )}
    </OwnModelPicker>
  );
}
