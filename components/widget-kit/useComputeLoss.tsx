'use client';

import { useState, useSyncExternalStore } from 'react';
import { computeStatus } from '@/lib/compute';
import { explainComputeError, isDeviceLostError } from '@/lib/compute/device-loss';

const losses = () => computeStatus.getSnapshot().losses;
const noLosses = () => 0;

export interface ComputeLoss {
  /** True once the page's WebGPU device was lost after this widget's engine started. */
  lost: boolean;
  /** Put in useEngine's deps: it changes on Restart, so a fresh engine (and backend) is made. */
  key: string;
  /** Starts the widget again on a fresh backend (lib/compute re-creates it on the next getCompute). */
  restart(): void;
}

/**
 * Device loss for an engine-backed widget (lib/compute watches `device.lost`): `lost` turns true
 * when the device the widget's engine used is gone, and `restart()` makes a new engine.
 *
 * @example
 * const loss = useComputeLoss();
 * const { engine } = useEngine(() => new LabEngine(getCompute), [loss.key]);
 * if (loss.lost) return <DeviceLostNotice onRestart={loss.restart} />;
 */
export function useComputeLoss(): ComputeLoss {
  const count = useSyncExternalStore(computeStatus.subscribe, losses, noLosses);
  // A widget mounted after a loss (a later page of the course) starts on the new backend.
  const [seen, setSeen] = useState(() => ({ losses: losses(), restarts: 0 }));
  return {
    lost: count > seen.losses,
    key: `${seen.losses}:${seen.restarts}`,
    restart: () => setSeen((s) => ({ losses: losses(), restarts: s.restarts + 1 })),
  };
}

/** The one message an engine-backed widget shows after a device loss, with its Restart button. */
export function DeviceLostNotice({ onRestart, error }: { onRestart: () => void; error?: string | null }) {
  const text = error && isDeviceLostError(error) ? explainComputeError(error) : 'The WebGPU device was lost (the GPU was reset or taken away), so the results shown before are gone.';
  return (
    <div className="error-message" role="alert" data-testid="device-lost">
      <p>{text}</p>
      <button type="button" onClick={onRestart} data-testid="device-lost-restart">
        Restart
      </button>
    </div>
  );
}
