/**
 * The quantization lab's engine (docs/design.md rule 6): holds one tensor's lab session and runs the
 * latest view the widget asked for. Changes that arrive while a run is under way are coalesced —
 * only the newest is computed next — so dragging a slider never queues up stale work. React reads
 * it with useSyncExternalStore (subscribe / getSnapshot).
 */
import { importFailure } from '../io/fetch-file';
import type { LabView } from './view';
import { labTensorKey, makeLabTensor, modelLabTensor, type LabTensor } from './tensor';
import { TINY_MODEL_NAME, TINY_MODEL_URL } from '../model/tiny-model';
import { createStore } from '../store';
import type { Compute } from '../compute/index';
import type { LabRun, LabSession } from './gpu';
import { errorMessage } from '../errors';

export interface LabSnapshot {
  state: 'loading' | 'computing' | 'ready' | 'error';
  /** The view `result` was computed for. */
  view: LabView | null;
  result: LabRun | null;
  tensor: Omit<LabTensor, 'data'> | null;
  /** A failure to start or run (not a learner's invalid settings: those are `result.errors`). */
  error: string | null;
  /** Why the lab runs on the CPU reference although a GPU backend was asked for (tfjs failed to load or start); else null. */
  fallback: string | null;
  /** Bumped by every setView; `resultVersion` is the version `result` belongs to. */
  settingsVersion: number;
  resultVersion: number;
  /** Wall time of the last run, from the settings to the statistics back in JavaScript. */
  ms: number;
}

/**
 * A matrix of the learner's own checkpoint for a 'model' view: its weights in the course's layout
 * (lib/model/own-model readOwnWeights), how the page names the model, and the short matrix name
 * ('h.0.attn.c_attn', as modelMatrices lists them). Not part of the view (nor of the URL): the
 * files never leave the learner's device, so a link cannot carry them.
 */
export interface OwnLabMatrix {
  label: string;
  weights: { values: ReadonlyMap<string, Float32Array>; shapes: ReadonlyMap<string, readonly number[]> };
  layer: string;
}

export const INITIAL_LAB_SNAPSHOT: LabSnapshot = {
  state: 'loading', view: null, result: null, tensor: null, error: null, fallback: null, settingsVersion: 0, resultVersion: 0, ms: 0,
};

export class LabEngine {
  private readonly store = createStore<LabSnapshot>(INITIAL_LAB_SNAPSHOT);
  private pending: { view: LabView; version: number; own: OwnLabMatrix | null } | null = null;
  private running = false;
  private disposed = false;
  private session: LabSession | null = null;
  private tensorKey = '';
  private tensor: LabTensor | null = null;
  /** The own model's weights the tensor was cut from (compared by identity), or null. */
  private tensorWeights: OwnLabMatrix['weights'] | null = null;
  private compute: Compute | null | undefined;

  constructor(private readonly loadCompute: () => Promise<Compute>, private readonly forceCpu = false) {}

  readonly subscribe = (listener: () => void) => this.store.subscribe(listener);
  readonly getSnapshot = () => this.store.getSnapshot();

  /**
   * Asks for `view` (a 'model' view on `own`'s matrix when given, else on the tiny model's
   * `view.layer`); computed as soon as the engine is free, superseding any earlier request.
   */
  setView(view: LabView, own: OwnLabMatrix | null = null): void {
    const version = this.store.getSnapshot().settingsVersion + 1;
    this.pending = { view, version, own };
    // Start the GPU work before telling React, so the device is busy while the page re-renders.
    void this.pump();
    this.patch({ settingsVersion: version, state: this.store.getSnapshot().result ? 'computing' : 'loading' });
  }

  dispose(): void {
    this.disposed = true;
    this.pending = null;
    this.session?.dispose();
    this.session = null;
  }

  private patch(p: Partial<LabSnapshot>) {
    this.store.set({ ...this.store.getSnapshot(), ...p });
  }

  private async pump() {
    if (this.running) return;
    this.running = true;
    try {
      while (this.pending && !this.disposed) {
        const { view, version, own } = this.pending;
        this.pending = null;
        await this.runOne(view, version, view.distribution === 'model' ? own : null);
      }
    } finally {
      this.running = false;
    }
  }

  private async runOne(view: LabView, version: number, own: OwnLabMatrix | null) {
    try {
      if (this.compute === undefined) {
        try {
          this.compute = await this.loadCompute();
        } catch (e) {
          this.compute = null; // no tfjs backend at all: the CPU reference still works, and the lab says why
          this.patch({ fallback: `The lab computes on the CPU reference because the GPU backend could not be loaded: ${errorMessage(e)}` });
        }
        if (this.disposed) return; // disposed while tfjs loaded: make no session (it would never be freed)
      }
      const key = labTensorKey(view, own?.layer ?? null);
      if (key !== this.tensorKey || (own !== null && own.weights !== this.tensorWeights) || !this.session) {
        this.session?.dispose();
        this.session = null;
        this.tensorWeights = null;
        if (own) {
          this.tensor = modelLabTensor({ layer: own.layer, corrupt: view.corrupt }, own.weights.values, own.weights.shapes, own.label);
          this.tensorWeights = own.weights;
        } else if (view.distribution === 'model') {
          // The safetensors reader loads only when a lab first shows the model's weights.
          const { sharedTinyLMWeights } = await import('../model/fetch-weights').catch((e: unknown) => {
            throw new Error(importFailure('the model’s weights reader', e));
          });
          const w = await sharedTinyLMWeights(TINY_MODEL_URL);
          if (this.disposed) return;
          this.tensor = modelLabTensor(view, w.values, w.shapes, TINY_MODEL_NAME);
        } else {
          this.tensor = makeLabTensor(view);
        }
        // The GPU session (its WGSL kernels, its CPU fallback) loads with the first run, not with the page.
        const { createLabSession } = await import('./gpu').catch((e: unknown) => {
          throw new Error(importFailure('the lab’s compute code', e));
        });
        if (this.disposed) return;
        this.session = createLabSession(this.compute, this.tensor.data, this.tensor.rows, this.tensor.cols, this.forceCpu);
        this.tensorKey = key;
      }
      const t0 = performance.now();
      const result = await this.session.run(view); // submits the GPU work synchronously when warm
      const ms = performance.now() - t0;
      if (this.disposed) return;
      const { data: _data, ...tensorInfo } = this.tensor!;
      void _data;
      this.patch({
        state: this.pending ? 'computing' : 'ready',
        view, result, tensor: tensorInfo, error: null, resultVersion: version, ms,
      });
    } catch (e) {
      if (this.disposed) return;
      this.patch({ state: 'error', error: errorMessage(e), resultVersion: version });
    }
  }
}
