'use client';

import { getOwnModel, onOwnModelChange } from '@/components/own-model/session';
import { getCompute } from '@/lib/compute';
import { fetchFile } from '@/lib/io/fetch-file';
import type { TinyLMWeights } from '@/lib/model/load';
import type { OwnCalibration } from '@/lib/model/methods-engine';
import { TINY_MODEL_URL } from '@/lib/model/tiny-model';

/** The last capture of a loaded checkpoint (one kept: its Hessians are large), reused while the model, windows and blocks stay. */
let last: { weights: TinyLMWeights; windows: number; blocks: number; capture: Promise<OwnCalibration> } | null = null;

// A capture of a model the tab no longer holds is let go with it (its Hessians go with the weights).
onOwnModelChange(() => {
  if (last && getOwnModel()?.weights !== last.weights) last = null;
});

/**
 * The chosen blocks of a loaded checkpoint calibrated on the course's calibration text, BPE-encoded
 * (lib/model/methods-engine captureOwnCalibration); captured on Run, then kept for the next runs
 * with the same model, windows and blocks. A failed or stopped capture is forgotten.
 */
export function ownCalibration(weights: TinyLMWeights, windows: number, blocks: number, onWindows: (done: number, total: number) => void): Promise<OwnCalibration> {
  if (last && last.weights === weights && last.windows === windows && last.blocks === blocks) return last.capture;
  const capture = import('@/lib/model/methods-engine').then((engine) =>
    engine.captureOwnCalibration(
      {
        compute: getCompute,
        weights: async () => weights,
        calibrationText: async () => (await fetchFile(`${TINY_MODEL_URL}/calibration.txt`)).text(),
      },
      { windows, blocks },
      onWindows,
    ),
  );
  const entry = { weights, windows, blocks, capture };
  last = entry;
  capture.catch(() => {
    if (last === entry) last = null;
  });
  return capture;
}
