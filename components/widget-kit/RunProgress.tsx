'use client';

import { useEffect, useState } from 'react';
import { estimateTimeLeft, formatDuration, type ProgressMark } from '@/lib/progress/eta';

/** Marks kept per run (the estimate averages over the newest units only, lib/progress/eta). */
const MAX_MARKS = 100;

/**
 * When each unit of a run finished (performance.now()), for lib/progress/eta: a new run starts
 * when `running` turns true (a resume too, so paused time never counts); each change of `done`
 * while running adds a mark.
 */
export function useRunMarks(done: number, running: boolean): ProgressMark[] {
  const [marks, setMarks] = useState<ProgressMark[]>([]);
  useEffect(() => {
    const now = performance.now();
    // eslint-disable-next-line react-hooks/set-state-in-effect -- records when a run starts and when each unit finishes
    setMarks((m) => (!running ? [] : m.length === 0 ? [{ done, atMs: now }] : m[m.length - 1].done !== done ? [...m.slice(-(MAX_MARKS - 1)), { done, atMs: now }] : m));
  }, [done, running]);
  return running ? marks : [];
}

/** A clock that ticks every second while `on`, so that the time left counts down between units. */
function useTick(on: boolean): number {
  const [now, setNow] = useState(0);
  useEffect(() => {
    if (!on) return;
    const t = setInterval(() => setNow(performance.now()), 1000);
    return () => clearInterval(t);
  }, [on]);
  return now;
}

/**
 * A slow run's progress: a bar, "<done> of <total> <units>" and the time left, estimated from
 * when the units finished (lib/progress/eta: the slow first unit left out). Shown while `running`.
 */
export function RunProgress({ done, total, running, units, label, testId }: { done: number; total: number; running: boolean; units: string; label: string; testId?: string }) {
  const marks = useRunMarks(done, running);
  const now = useTick(running);
  if (!running || total <= 0) return null;
  const left = estimateTimeLeft(marks, total, now > 0 ? now : undefined);
  const text = left === null ? 'estimating the time left…' : left === 0 ? 'finishing…' : `about ${formatDuration(left)} left`;
  return (
    <div className="run-progress" data-testid={testId} data-time-left-ms={left === null ? undefined : Math.round(left)}>
      <progress max={total} value={Math.min(done, total)} aria-label={label} />
      <span className="run-progress-text">
        {Math.min(done, total)} of {total} {units} · {text}
      </span>
    </div>
  );
}
