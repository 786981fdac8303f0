'use client';

import { useEffect, useRef, useState } from 'react';
import type { TrainerSnapshot } from '@/lib/train/trainer';
import type { TrainerStage } from '@/lib/train/stages';

/**
 * Times a run from the Start click to its first finished step (performance.now), for the widget's
 * data-first-step-ms (read by scripts/bench.mjs), and leaves performance marks a script can read:
 * `lowbit:qlora:start`, `lowbit:qlora:stage:<stage>` as the worker reports each stage, and
 * `lowbit:qlora:first-step`.
 */
export function useFirstStepTimer(snap: TrainerSnapshot | null, stage: TrainerStage | null) {
  const startedAt = useRef<number | null>(null);
  const [ms, setMs] = useState<number | null>(null);
  const step = snap?.step ?? 0;

  useEffect(() => {
    if (startedAt.current === null || step < 1) return;
    performance.mark('lowbit:qlora:first-step');
    setMs(performance.now() - startedAt.current);
    startedAt.current = null;
  }, [step]);

  useEffect(() => {
    if (stage && startedAt.current !== null) performance.mark(`lowbit:qlora:stage:${stage}`);
  }, [stage]);

  return {
    ms,
    /** Called by the Start click of a run at step 0. */
    arm: () => {
      startedAt.current = performance.now();
      performance.mark('lowbit:qlora:start');
      setMs(null);
    },
    /** A Reset or an import: the next Start starts a new measurement. */
    disarm: () => {
      startedAt.current = null;
    },
  };
}
