'use client';

import { useState } from 'react';
import { useEngine } from '@/components/widget-kit/useEngine';
import { backendLabel, getCompute } from '@/lib/compute';
import { fetchFile, importFailure } from '@/lib/io/fetch-file';
import type { OwnActivationStudy } from '@/lib/model/activation-study';
import type { TinyLMWeights } from '@/lib/model/load';
import { TINY_MODEL_URL } from '@/lib/model/tiny-model';

export interface OwnStudy {
  study: OwnActivationStudy;
  /** Where the capture ran, e.g. "WebGPU (software)". */
  backend: string;
}

/** Finished captures, one per loaded checkpoint: going back to the tiny model and again does not capture twice. */
const finished = new WeakMap<TinyLMWeights, OwnStudy>();

async function captureOwn(weights: TinyLMWeights, signal: AbortSignal, onProgress: (k: number, n: number) => void): Promise<OwnStudy> {
  const hit = finished.get(weights);
  if (hit) return hit;
  const { loadOwnActivationStudy } = await import('@/lib/model/activation-study').catch((e: unknown) => {
    throw new Error(importFailure('the calibration code', e));
  });
  // The course's calibration text (English), tokenized with the checkpoint's own BPE.
  const [compute, text] = await Promise.all([getCompute(), fetchFile(`${TINY_MODEL_URL}/calibration.txt`).then((r) => r.text())]);
  const study = await loadOwnActivationStudy(compute.tf, weights, text, { signal, onProgress });
  const r = { study, backend: backendLabel(compute) };
  finished.set(weights, r);
  return r;
}

/**
 * The activation capture on the learner's loaded checkpoint (`weights`, null for none): it starts
 * when the model is used here, reports window k of n, and `cancel` stops it between windows
 * (useEngine's signal); `again` starts it over, after a Cancel or a failure.
 */
export function useOwnStudy(weights: TinyLMWeights | null) {
  const [cancelled, setCancelled] = useState<TinyLMWeights | null>(null);
  const [attempt, setAttempt] = useState(0);
  const [progress, setProgress] = useState<{ weights: TinyLMWeights; k: number; n: number } | null>(null);
  const run = weights && cancelled !== weights ? weights : null;
  // eslint-disable-next-line react-hooks/exhaustive-deps -- `attempt` is the retry: a new one captures again
  const state = useEngine((signal) => run && captureOwn(run, signal, (k, n) => setProgress({ weights: run, k, n })), [run, attempt]);
  return {
    ...state,
    progress: progress && progress.weights === run ? { k: progress.k, n: progress.n } : null,
    cancelled: weights !== null && cancelled === weights,
    cancel: () => setCancelled(weights),
    /** After a Cancel or a failure: capture again. */
    again: () => {
      setCancelled(null);
      setAttempt((a) => a + 1);
    },
  };
}

export type OwnStudyState = ReturnType<typeof useOwnStudy>;
