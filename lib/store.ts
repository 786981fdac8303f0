/**
 * The one external store of the project: a value, `getSnapshot`, `subscribe` and `set`, the shape
 * React's useSyncExternalStore reads (docs/design.md rule 6). Engines (the compute status, the lab,
 * the trainer, the inference comparison, the notebook session) hold their snapshot in one.
 * Framework-free.
 */
export interface Store<T> {
  getSnapshot(): T;
  subscribe(listener: () => void): () => void;
  set(next: T): void;
}

/** A store holding one immutable value; `set` notifies every subscriber. */
export function createStore<T>(initial: T): Store<T> {
  let value = initial;
  const listeners = new Set<() => void>();
  return {
    getSnapshot: () => value,
    subscribe(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    set(next) {
      value = next;
      for (const l of [...listeners]) l();
    },
  };
}
