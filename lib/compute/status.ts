/**
 * A tiny external store for the compute status, read by React through useSyncExternalStore
 * (docs/design.md rule 6). Framework-free: subscribe / getSnapshot / set.
 */
import type { BackendName } from './backend-choice';

export interface ComputeStatus {
  /**
   * pending: still probing or loading; ready: `backend` is in use (or chosen); error: nothing works;
   * lost: the WebGPU device was lost (`reason` says so) and the next getCompute() starts afresh.
   */
  state: 'pending' | 'ready' | 'error' | 'lost';
  backend: BackendName | null;
  /** Why this backend: shown as the badge's tooltip. */
  reason: string;
  /** True for a software WebGPU adapter (SwiftShader on the CPU). */
  software: boolean;
  /** True once tfjs itself has initialised the backend (a widget needed it), not just probed. */
  initialised: boolean;
  /** How many times this page's WebGPU device was lost; widgets made before a loss must restart. */
  losses: number;
}

export const INITIAL_STATUS: ComputeStatus = {
  state: 'pending',
  backend: null,
  reason: 'Looking for WebGPU and WebGL…',
  software: false,
  initialised: false,
  losses: 0,
};

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
