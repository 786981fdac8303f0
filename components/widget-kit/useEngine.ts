'use client';

import { useEffect, useState, type DependencyList, type RefObject } from 'react';
import { useOnScreen } from '@/components/ui/useOnScreen';
import { ENGINE_IDLE, followScreen, startEngine, type EngineFactory, type EngineState } from '@/lib/engine-lifecycle';

export type { EngineFactory, EngineState, Pausable } from '@/lib/engine-lifecycle';

export interface EngineOptions {
  /**
   * The widget's root: while it is off screen (or the tab hidden) an engine with pause()/resume()
   * (lib/engine-lifecycle Pausable) is paused, and resumed when it comes back.
   */
  pauseOffScreen?: RefObject<Element | null>;
}

const NO_ELEMENT: RefObject<Element | null> = { current: null };

/**
 * A widget's engine (a LabEngine, an InferenceComparison, the training worker's client, or the
 * result of one async job such as a GPU check), with a lifecycle that survives React StrictMode.
 *
 * - The engine is created **in an effect** by `factory` and disposed (`dispose()`, if it has one)
 *   **in that same effect's cleanup** — on unmount, and when `deps` change (a new one is made).
 *   StrictMode in `next dev` mounts, cleans up and mounts again: the first engine is disposed and
 *   the second is the one the widget keeps. Never create an engine in render or useState and
 *   dispose it in an effect: after StrictMode's cleanup the widget would hold a dead engine.
 * - `factory(signal)` may return a promise (dynamic imports, fetches). Stale work is cancelled: when
 *   the run is cleaned up, `signal` aborts, and an engine that arrives afterwards is disposed and
 *   never shown. Return null for "nothing to run yet" (e.g. `near ? … : null`).
 * - Returns `{ status, engine, error }`: `idle` (no engine: not mounted yet, or the factory
 *   returned null), `starting` (its promise is pending), `ready` (`engine` is live) or `failed`
 *   (`error` is the message). The server render, and the first client render, are `idle`.
 * - The widget owns what the factory returns: it is disposed with the run. A shared object (the
 *   page's `getCompute()` backend) may be returned only because it has no `dispose`.
 * - `deps` are the values the factory reads, as for useEffect (ESLint's exhaustive-deps checks
 *   them: eslint.config.mjs lists useEngine). `[]`: one engine for the widget's life.
 *
 * - `options.pauseOffScreen` (the widget's root ref): long work waits while the learner reads
 *   elsewhere — the engine is paused off screen and resumed on screen (lib/engine-lifecycle
 *   followScreen, tested there). `offScreen` in the result says so, for the widget to show.
 *
 * Read an engine's own state with useSyncExternalStore(engine?.subscribe ?? …, engine?.getSnapshot ?? …).
 * The lifecycle itself is lib/engine-lifecycle.ts (tested there); e2e-dev/ checks a lab under `next dev`.
 *
 * @example
 * const { engine } = useEngine(() => new LabEngine(getCompute), []);
 * const check = useEngine(() => (x ? checkOnDevice(x) : null), [x]); // a one-shot async job
 * const run = useEngine(() => request && makeComparison(request), [request], { pauseOffScreen: rootRef });
 */
export function useEngine<E>(factory: EngineFactory<E>, deps: DependencyList, options: EngineOptions = {}): EngineState<E> & { offScreen: boolean } {
  const [state, setState] = useState<EngineState<E>>(ENGINE_IDLE);
  useEffect(
    () => startEngine(factory, setState),
    // The caller's deps are the factory's (checked at the call site by exhaustive-deps).
    // eslint-disable-next-line react-hooks/exhaustive-deps
    deps,
  );
  const watch = options.pauseOffScreen !== undefined;
  const onScreen = useOnScreen(options.pauseOffScreen ?? NO_ELEMENT);
  useEffect(() => {
    if (watch) followScreen(state.engine, onScreen);
  }, [watch, state.engine, onScreen]);
  return { ...state, offScreen: watch && !onScreen };
}
