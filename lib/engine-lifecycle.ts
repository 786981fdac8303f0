/**
 * The lifecycle of a widget's engine for one run of an effect, framework-free so it can be tested
 * in Node; components/widget-kit/useEngine.ts is the React side (docs/design.md rule 6: widgets hold
 * engines with start/stop/subscribe/getSnapshot/dispose).
 *
 * One call of `startEngine` is one effect run: it creates the engine and returns the cleanup that
 * ends that engine and no other. React StrictMode (development only) runs mount → cleanup → mount,
 * so the first engine is disposed and the second is the one the widget keeps; an engine created
 * outside the effect but disposed in its cleanup would instead be left dead after the first
 * cleanup. Async work is tied to its run: a factory's promise that settles after the cleanup has
 * its value disposed and never published, and the factory's AbortSignal fires at the cleanup.
 */
import { errorMessage } from './errors';

/** What a widget sees of its engine. `idle`: none asked for (the factory returned null) or not yet mounted. */
export type EngineState<E> =
  | { status: 'idle'; engine: null; error: null }
  | { status: 'starting'; engine: null; error: null }
  | { status: 'ready'; engine: E; error: null }
  | { status: 'failed'; engine: null; error: string };

/**
 * Makes the engine, synchronously or as a promise; null when there is nothing to run yet (e.g. the
 * widget is still off screen). `signal` aborts when this run is cleaned up: pass it to fetch, or
 * check it between steps of a long start.
 */
export type EngineFactory<E> = (signal: AbortSignal) => E | Promise<E> | null;

export const ENGINE_IDLE: EngineState<never> = { status: 'idle', engine: null, error: null };
export const ENGINE_STARTING: EngineState<never> = { status: 'starting', engine: null, error: null };

/** Calls `value.dispose()` if the value has one (engines, models); plain results have none. */
export function disposeValue(value: unknown): void {
  if (value !== null && typeof value === 'object' && typeof (value as { dispose?: unknown }).dispose === 'function') {
    (value as { dispose(): void }).dispose();
  }
}

function isThenable<E>(x: E | Promise<E>): x is Promise<E> {
  return x !== null && typeof x === 'object' && typeof (x as { then?: unknown }).then === 'function';
}

/**
 * Runs `factory` and reports the engine's state through `publish` (idle, starting, ready or
 * failed); returns the cleanup, which aborts the run's signal and disposes the engine it made —
 * now, or when a promise settles after it. Nothing is published after the cleanup.
 */
export function startEngine<E>(factory: EngineFactory<E>, publish: (state: EngineState<E>) => void): () => void {
  const controller = new AbortController();
  let engine: E | null = null;
  const cleanup = () => {
    controller.abort();
    const e = engine;
    engine = null;
    disposeValue(e);
  };

  let made: E | Promise<E> | null;
  try {
    made = factory(controller.signal);
  } catch (e) {
    publish({ status: 'failed', engine: null, error: errorMessage(e) });
    return cleanup;
  }
  if (made === null) {
    publish(ENGINE_IDLE);
  } else if (isThenable(made)) {
    publish(ENGINE_STARTING);
    made.then(
      (e) => {
        if (controller.signal.aborted) {
          disposeValue(e); // this run was cleaned up while the engine was starting
          return;
        }
        engine = e;
        publish({ status: 'ready', engine: e, error: null });
      },
      (e: unknown) => {
        if (!controller.signal.aborted) publish({ status: 'failed', engine: null, error: errorMessage(e) });
      },
    );
  } else {
    engine = made;
    publish({ status: 'ready', engine: made, error: null });
  }
  return cleanup;
}

/**
 * An engine whose long run can wait off screen (docs/design.md rule 6): `pause()` holds the run at
 * its next step boundary, `resume()` lets it go on from there. useEngine's `pauseOffScreen` calls
 * them as the widget leaves and comes back to the screen (or the tab is hidden and shown).
 */
export interface Pausable {
  pause(): void;
  resume(): void;
}

/** True when `value` has pause() and resume(). */
export function isPausable(value: unknown): value is Pausable {
  return (
    value !== null && typeof value === 'object' &&
    typeof (value as Partial<Pausable>).pause === 'function' && typeof (value as Partial<Pausable>).resume === 'function'
  );
}

/** What the widget's visibility asks of its engine: pause it off screen, resume it on screen (no-op for others). */
export function followScreen(engine: unknown, onScreen: boolean): void {
  if (!isPausable(engine)) return;
  if (onScreen) engine.resume();
  else engine.pause();
}

/**
 * The gate a pausable engine's run awaits between steps: `wait()` resolves at once while open, and
 * when the gate is shut (`pause()`) only once it opens again (`resume()`). Pausing twice, or
 * resuming an open gate, changes nothing. An engine that stops or is disposed opens its gate so
 * the waiting run can end.
 */
export class PauseGate {
  private waiters: (() => void)[] = [];
  private shut = false;

  get paused(): boolean {
    return this.shut;
  }

  pause(): void {
    this.shut = true;
  }

  resume(): void {
    this.shut = false;
    const waiters = this.waiters;
    this.waiters = [];
    for (const w of waiters) w();
  }

  wait(): Promise<void> {
    return this.shut ? new Promise((resolve) => this.waiters.push(resolve)) : Promise.resolve();
  }
}
