'use client';

import { useEngine } from '@/components/widget-kit/useEngine';
import { backendLabel, getCompute } from '@/lib/compute';
import { fetchFile, importFailure } from '@/lib/io/fetch-file';
import type { ActivationStudy } from '@/lib/model/activation-study';
import { BLOCK_MATRICES, TINY_MODEL_LAYERS, TINY_MODEL_URL, matrixLabel } from '@/lib/model/tiny-model';

export interface LoadedStudy {
  study: ActivationStudy;
  /** Where the capture ran, e.g. "WebGPU". */
  backend: string;
}

let shared: Promise<LoadedStudy> | null = null;

/**
 * The calibration capture the lesson's layer widgets share: loaded once per page (model weights,
 * the training-split calibration text, then every Linear input captured on the active backend).
 * A failed load is forgotten, so the next widget to ask tries again.
 */
export function loadSharedStudy(): Promise<LoadedStudy> {
  shared ??= (async () => {
    const [{ loadActivationStudy }, { sharedTinyLMWeights }] = await Promise.all([import('@/lib/model/activation-study'), import('@/lib/model/fetch-weights')]).catch((e: unknown) => {
      throw new Error(importFailure('the model and its calibration code', e));
    });
    const [compute, weights, text] = await Promise.all([getCompute(), sharedTinyLMWeights(TINY_MODEL_URL), fetchFile(`${TINY_MODEL_URL}/calibration.txt`).then((r) => r.text())]);
    const study = await loadActivationStudy(compute.tf, weights, text);
    return { study, backend: backendLabel(compute) };
  })().catch((e: unknown) => {
    shared = null;
    throw e;
  });
  return shared;
}

/** The shared study, loaded when `run` is true (a widget asks once it is on screen). */
export function useStudy(run: boolean) {
  return useEngine(() => (run ? loadSharedStudy() : null), [run]);
}

/** The Linear layers of a model of `nLayer` blocks as short names ('h.0.attn.c_attn', …). */
export function layerOptions(nLayer: number): string[] {
  return Array.from({ length: nLayer }, (_, l) => BLOCK_MATRICES.map((m) => `h.${l}.${m}`)).flat();
}

/** The tiny model's Linear layers, the URL state's options. */
export const LAYER_OPTIONS: readonly string[] = layerOptions(TINY_MODEL_LAYERS);

/** nanoGPT's module path of a short layer name. */
export function layerPath(short: string): string {
  return `transformer.${short}`;
}

export function LayerSelect({ value, onChange, testId, options = LAYER_OPTIONS, disabled = false }: { value: string; onChange: (v: string) => void; testId: string; options?: readonly string[]; disabled?: boolean }) {
  return (
    <label className="control">
      <span>Layer (its input X)</span>
      <select value={value} onChange={(e) => onChange(e.target.value)} disabled={disabled} data-testid={testId}>
        {options.map((o) => (
          <option key={o} value={o}>{matrixLabel(o)}</option>
        ))}
      </select>
    </label>
  );
}

/** The "Synthetic outliers" box the activation widgets share: scales a few channels up, labelled as synthetic. */
export function SyntheticToggle({ checked, onChange, testId }: { checked: boolean; onChange: (on: boolean) => void; testId: string }) {
  return (
    <label className="control">
      <span>
        <input type="checkbox" checked={checked} onChange={(e) => onChange(e.target.checked)} data-testid={testId} /> Synthetic outliers
      </span>
    </label>
  );
}

/** The line a widget shows while the shared capture of the layer inputs runs. */
export function CaptureNote({ shown }: { shown: boolean }) {
  return shown ? <p className="widget-caption">Capturing the layer inputs on this device…</p> : null;
}
