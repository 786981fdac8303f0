'use client';

import { useEffect, useState } from 'react';
import { backendLabel, getCompute } from '@/lib/compute';
import { errorMessage } from '@/lib/errors';
import { fetchFile } from '@/lib/io/fetch-file';
import { sharedTinyLMWeights } from '@/lib/model/fetch-weights';
import type { Calibration } from '@/lib/model/methods-engine';
import { TINY_MODEL_URL } from '@/lib/model/tiny-model';

/** The page's captures, one per calibration size, shared by the lesson's widgets. */
const captures = new Map<number, Promise<Calibration>>();
const progress = new Map<number, string>();
const listeners = new Set<() => void>();

function setProgress(windows: number, text: string) {
  progress.set(windows, text);
  for (const l of listeners) l();
}

async function capture(windows: number): Promise<Calibration> {
  const { captureCalibration } = await import('@/lib/model/methods-engine');
  return captureCalibration(
    {
      compute: getCompute,
      weights: () => sharedTinyLMWeights(TINY_MODEL_URL),
      calibrationText: async () => (await fetchFile(`${TINY_MODEL_URL}/calibration.txt`)).text(),
    },
    windows,
    (done, total) => setProgress(windows, `Capturing the Linear layers’ inputs: ${done} of ${total} calibration windows…`),
  );
}

/** The capture over `windows` calibration windows, made once per page (a failure is forgotten so Retry captures again). */
export function sharedCalibration(windows: number): Promise<Calibration> {
  let p = captures.get(windows);
  if (!p) {
    setProgress(windows, 'Loading the model and the calibration text…');
    p = capture(windows);
    captures.set(windows, p);
    p.catch(() => captures.delete(windows));
  }
  return p;
}

export interface CalibrationState {
  calibration: Calibration | null;
  backend: string | null;
  error: string | null;
  progress: string;
}

/** A widget's view of the shared capture: started when `run` is true. */
export function useCalibration(windows: number, run: boolean): CalibrationState & { retry: () => void } {
  const [state, setState] = useState<CalibrationState>({ calibration: null, backend: null, error: null, progress: '' });
  const [attempt, setAttempt] = useState(0);
  useEffect(() => {
    if (!run) return;
    let live = true;
    const onProgress = () => live && setState((s) => (s.calibration ? s : { ...s, progress: progress.get(windows) ?? '' }));
    listeners.add(onProgress);
    // Started after this render's effects: a calibration size read from the link replaces the
    // default first, so the default's capture never starts.
    const timer = setTimeout(() => {
      onProgress();
      Promise.all([sharedCalibration(windows), getCompute()])
        .then(([calibration, compute]) => live && setState({ calibration, backend: backendLabel(compute), error: null, progress: '' }))
        .catch((e: unknown) => live && setState({ calibration: null, backend: null, error: errorMessage(e), progress: '' }));
    }, 0);
    return () => {
      live = false;
      clearTimeout(timer);
      listeners.delete(onProgress);
    };
  }, [windows, run, attempt]);
  return { ...state, retry: () => setAttempt((a) => a + 1) };
}

/** Linear layer choices: the module paths of the shipped model's 16 Linear layers. */
export const LAYER_NAMES = [0, 1, 2, 3].flatMap((b) => ['attn.c_attn', 'attn.c_proj', 'mlp.c_fc', 'mlp.c_proj'].map((m) => `transformer.h.${b}.${m}`));
export const layerLabel = (name: string) => name.replace('transformer.h.', 'block ').replace('.', ' ');
