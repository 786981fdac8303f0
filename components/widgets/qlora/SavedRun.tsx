'use client';

import { useEffect, useRef } from 'react';
import { LossChart } from '@/components/charts/LossChart';
import { SavedResult, adapterLabel, useSavedResult } from '@/components/widget-kit/SavedResult';
import { shortNumber } from '@/lib/formats/display';
import { hasFields, isArrayOf } from '@/lib/results-store-guards';
import type { LossPoint, TrainerSnapshot } from '@/lib/train/trainer';

/** What is kept of a run: its settings in words, how far it got, and its loss curves. */
export interface RunSummary {
  what: string;
  step: number;
  maxSteps: number;
  trainLoss: LossPoint[];
  heldoutLoss: LossPoint[];
}

const MAX_POINTS = 1000;
const isPoint = (x: unknown): x is LossPoint => hasFields(x, ['step', 'loss']);
const isSummary = (x: unknown): x is RunSummary =>
  hasFields(x, ['step', 'maxSteps'], ['what']) && isArrayOf(x.trainLoss, isPoint, MAX_POINTS) && isArrayOf(x.heldoutLoss, isPoint, MAX_POINTS);

/** At most MAX_POINTS points, every k-th one and the last (a 2,000-step run keeps 1,000). */
function thin(points: readonly LossPoint[]): LossPoint[] {
  if (points.length <= MAX_POINTS) return [...points];
  const k = Math.ceil(points.length / MAX_POINTS);
  return points.filter((_, i) => i % k === 0 || i === points.length - 1).slice(-MAX_POINTS);
}

/**
 * The trainer's last run kept in the browser (lib/results-store): saved each time a run pauses or
 * ends, shown on return until a new run starts.
 */
export function useSavedRun(id: string, snap: TrainerSnapshot | null, running: boolean, backend: string | null, what: string) {
  const { saved, save } = useSavedResult(`qlora:${id}`, isSummary);
  const wasRunning = useRef(false);
  useEffect(() => {
    const stopped = wasRunning.current && !running;
    wasRunning.current = running;
    if (!stopped || !snap || snap.step === 0 || !backend) return;
    const summary: RunSummary = { what, step: snap.step, maxSteps: snap.maxSteps, trainLoss: thin(snap.trainLoss), heldoutLoss: thin(snap.heldoutLoss) };
    void adapterLabel(backend).then((adapter) => save(adapter, summary));
  }, [running, snap, backend, what, save]);
  return saved;
}

/** A run from an earlier visit: when and on what it was computed, its curves and held-out loss, and Run again. */
export function SavedRunView({ saved, onRunAgain, disabled }: { saved: NonNullable<ReturnType<typeof useSavedRun>>; onRunAgain: () => void; disabled: boolean }) {
  const r = saved.data;
  const first = r.heldoutLoss[0]?.loss, last = r.heldoutLoss[r.heldoutLoss.length - 1]?.loss;
  return (
    <SavedResult savedAt={saved.savedAt} adapter={saved.adapter} onRunAgain={onRunAgain} runDisabled={disabled} testId="qlora-saved">
      <p className="widget-caption">
        {r.what}: {r.step} of {r.maxSteps} steps.
        {first !== undefined && last !== undefined && ` Held-out loss ${shortNumber(first, 4)} → ${shortNumber(last, 4)} nats per character.`}
      </p>
      <LossChart
        title={`Training and held-out loss over ${r.step} steps (last run)`}
        maxStep={r.maxSteps}
        series={[
          { key: 'train', label: 'training batches', points: r.trainLoss, colour: 'var(--chart-1)' },
          { key: 'heldout', label: 'held-out text', points: r.heldoutLoss, colour: 'var(--chart-2)', dashed: true },
        ]}
      />
    </SavedResult>
  );
}
