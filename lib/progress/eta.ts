/**
 * Time left in a run of equal work units (training steps, formats of a comparison), from when
 * each unit finished. Pure: the caller records the marks (performance.now()) and shows the result
 * (components/widget-kit/RunProgress.tsx).
 *
 * The first unit of a GPU run is slow — shaders compile, weights upload, tfjs warms its caches —
 * so it is left out of the rate as soon as a second unit has finished: the rate is
 *
 *   per unit = (t_last − t_anchor) / (done_last − done_anchor),   time left = per unit × (total − done_last)
 *
 * where the anchor is the first mark after a unit finished (a run may start, or resume, at any
 * `done`), moved forward to keep at most
 * `window` units between it and the last mark, so that the estimate follows a run whose speed
 * changes (a moving average over units, as progress bars such as tqdm's use). With only the first
 * unit done, the first unit's own time is the rate: an overestimate that shrinks as units finish.
 */

/** `done` units had finished at time `atMs` (any clock in ms; the run started at the first mark). */
export interface ProgressMark {
  done: number;
  atMs: number;
}

/** Units the rate is averaged over, at most (the newest ones). */
export const ETA_WINDOW = 20;

/**
 * Milliseconds left until `total` units are done, or null while there is no basis yet (no unit
 * finished since the first mark, which is the run's start or resume). `marks` are in time order
 * with `done` never decreasing. With `nowMs`, the time already spent
 * on the current unit is taken off (at most one unit's worth), so that the estimate counts down
 * between marks. Never negative; 0 once `done ≥ total`.
 */
export function estimateTimeLeft(marks: readonly ProgressMark[], total: number, nowMs?: number, window: number = ETA_WINDOW): number | null {
  if (marks.length === 0 || !(total > 0)) return null;
  const last = marks[marks.length - 1];
  if (last.done >= total) return 0;
  const firstIndex = marks.findIndex((m) => m.done > marks[0].done);
  if (firstIndex < 0) return null;
  const first = marks[firstIndex];
  let perUnit: number;
  if (last.done > first.done) {
    let anchor = first;
    for (let i = firstIndex; i < marks.length; i++) {
      if (last.done - marks[i].done < Math.max(1, window)) break;
      anchor = marks[i];
    }
    perUnit = (last.atMs - anchor.atMs) / (last.done - anchor.done);
  } else {
    const start = marks[0];
    perUnit = (first.atMs - start.atMs) / (first.done - start.done);
  }
  if (!Number.isFinite(perUnit) || perUnit < 0) return null;
  const spent = nowMs === undefined ? 0 : Math.min(Math.max(nowMs - last.atMs, 0), perUnit);
  return Math.max(0, perUnit * (total - last.done) - spent);
}

/**
 * A duration as a learner reads it on a progress bar: "less than a second", "12 s", "3 min 20 s"
 * (to 10 s above two minutes), "1 h 5 min" (to the minute from an hour).
 */
export function formatDuration(ms: number): string {
  if (!Number.isFinite(ms) || ms < 1000) return 'less than a second';
  const s = Math.round(ms / 1000);
  if (s < 60) return `${s} s`;
  if (s < 120) return `1 min ${s - 60} s`.replace(/ 0 s$/, '');
  if (s < 3600) {
    const r = Math.round(s / 10) * 10;
    const min = Math.floor(r / 60), sec = r % 60;
    return sec ? `${min} min ${sec} s` : `${min} min`;
  }
  const m = Math.round(s / 60);
  const h = Math.floor(m / 60), min = m % 60;
  return min ? `${h} h ${min} min` : `${h} h`;
}
