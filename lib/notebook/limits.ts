/** Time limits of a notebook run, in a module of their own so the page can show them without loading the session engine. */

/** Stop waits this long for a cell to yield before it restarts the kernel. */
export const STOP_GRACE_MS = 1500;
/** The per-cell time limit a notebook starts with. */
export const DEFAULT_TIME_LIMIT_MS = 120_000;
/** The largest per-cell time limit a learner can set. */
export const MAX_TIME_LIMIT_MS = 30 * 60_000;
