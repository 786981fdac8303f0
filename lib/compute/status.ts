/**
 * The compute status: which backend the page uses and why, held in a lib/store.ts store that React
 * reads through useSyncExternalStore (docs/design.md rule 6).
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
