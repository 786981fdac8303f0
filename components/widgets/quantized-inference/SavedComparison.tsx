'use client';

import { useEffect } from 'react';
import { adapterLabel, useSavedResult } from '@/components/widget-kit/SavedResult';
import { hasFields, isArrayOf } from '@/lib/results-store-guards';
import type { InferenceResult, InferenceSnapshot } from '@/lib/model/inference-compare';
import { WEIGHT_FORMATS } from '@/lib/quant/weight-formats';

/** What is kept of a finished comparison: its table's rows and what they were measured with. */
export interface SavedComparison {
  prompt: string;
  seed: number;
  backend: string;
  scoredTokens: number;
  results: InferenceResult[];
}

const NUMBERS = ['bytesHeld', 'bitsPerWeight', 'tokensPerSecond', 'bytesPerToken'] as const;
/** NaN where a measure does not apply (FP32 against itself), null off WebGPU: both read back as null. */
const NULLABLE = ['dispatchesPerToken', 'perplexity', 'klFromFp32', 'top1Agreement'] as const;
const isResult = (x: unknown): x is InferenceResult =>
  hasFields(x, NUMBERS, ['format', 'label', 'residency', 'decodePath', 'sample'], NULLABLE) && (WEIGHT_FORMATS as readonly unknown[]).includes(x.format);
const isSaved = (x: unknown): x is SavedComparison =>
  hasFields(x, ['seed', 'scoredTokens'], ['prompt', 'backend']) && isArrayOf(x.results, isResult, WEIGHT_FORMATS.length);

/** JSON keeps NaN (FP32's own KL and top-1, shown as —) as null: back to NaN. */
function revive(r: InferenceResult): InferenceResult {
  const nan = (v: number | null) => (v === null ? Number.NaN : v);
  return { ...r, klFromFp32: nan(r.klFromFp32), top1Agreement: nan(r.top1Agreement), perplexity: nan(r.perplexity) };
}

/**
 * The comparison's last finished run, kept in the browser (lib/results-store) and read back as a
 * snapshot the widget's Results can draw; saved when a run is done.
 */
export function useSavedComparison(id: string, snap: InferenceSnapshot, request: { prompt: string; seed: number } | null) {
  const { saved, save } = useSavedResult(`inference:${id}`, isSaved);
  useEffect(() => {
    if (snap.state !== 'done' || !request || snap.results.length === 0) return;
    const data: SavedComparison = { prompt: request.prompt, seed: request.seed, backend: snap.backend ?? '', scoredTokens: snap.scoredTokens, results: snap.results };
    void adapterLabel(snap.backend ?? '').then((adapter) => save(adapter, data));
  }, [snap, request, save]);
  if (!saved) return null;
  const d = saved.data;
  const restored: InferenceSnapshot = { state: 'done', backend: d.backend, results: d.results.map(revive), current: null, error: null, scoredTokens: d.scoredTokens, droppedCharacters: [] };
  return { savedAt: saved.savedAt, adapter: saved.adapter, prompt: d.prompt, seed: d.seed, snap: restored };
}
