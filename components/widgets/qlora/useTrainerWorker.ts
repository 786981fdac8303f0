'use client';

import { useCallback, useState, useSyncExternalStore } from 'react';
import { useEngine } from '@/components/widget-kit/useEngine';
import { detectCompute } from '@/lib/compute';
import type { TrainerOptions } from '@/lib/train/trainer';
import { INITIAL_TRAINER_CLIENT_STATE, TrainerWorkerClient } from '@/lib/train/worker-client';
import type { WorkerReply, WorkerRequest } from '@/lib/train/worker-protocol';
import { TINY_MODEL_URL } from '@/lib/model/tiny-model';

export type { WorkerBackend } from '@/lib/train/worker-client';

const spawnTrainerWorker = () => new Worker(new URL('./trainer.worker.ts', import.meta.url), { type: 'module' });
const noSubscription = () => () => {};
const initialState = () => INITIAL_TRAINER_CLIENT_STATE;
const notReady = () => new Error('The training worker is not ready yet.');

/**
 * The page's side of the training worker: a TrainerWorkerClient (lib/train/worker-client) held by
 * useEngine — created when the widget mounts, disposed (the worker terminated) when it unmounts,
 * StrictMode-safe. The worker starts on first use. The backend is the one the page's probe chose
 * (detectCompute: no tfjs on the main thread), including a ?backend= override.
 */
export function useTrainerWorker() {
  // `generation` changes on restart(): a new worker after a WebGPU device loss.
  const [generation, setGeneration] = useState(0);
  // eslint-disable-next-line react-hooks/exhaustive-deps -- the key is the restart: a new one makes a new engine
  const { engine: client } = useEngine(() => new TrainerWorkerClient(spawnTrainerWorker), [generation]);
  const state = useSyncExternalStore(client?.subscribe ?? noSubscription, client?.getSnapshot ?? initialState, initialState);

  /** Builds the worker's Trainer (loading tfjs and the model the first time); resolves once it is ready. */
  const init = useCallback(async (train: string, heldout: string, options: TrainerOptions, adapter?: { safetensors: ArrayBuffer; adapterConfig: unknown }) => {
    if (!client) throw notReady();
    client.clearError();
    const status = await detectCompute();
    const modelUrl = new URL(`${TINY_MODEL_URL}/`, location.href).href;
    await client.init({ backend: status.backend ?? 'cpu', software: status.software, modelUrl, train, heldout, options, adapter });
  }, [client]);

  const request = useCallback((r: WorkerRequest): Promise<WorkerReply> => (client ? client.request(r) : Promise.reject(notReady())), [client]);

  return {
    snapshot: state.snapshot,
    backend: state.backend,
    error: state.error,
    init,
    start: useCallback(() => client?.start(), [client]),
    stop: useCallback(() => client?.stop(), [client]),
    step: useCallback(() => client?.step(), [client]),
    request,
    /** Terminates the worker and starts a new one (after a device loss); the run so far is gone. */
    restart: useCallback(() => setGeneration((g) => g + 1), []),
  };
}
