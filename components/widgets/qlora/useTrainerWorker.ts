'use client';

import { useCallback, useEffect, useRef, useState } from 'react';
import { detectCompute } from '@/lib/compute';
import type { BackendName } from '@/lib/compute';
import type { TrainerOptions, TrainerSnapshot } from '@/lib/train/trainer';
import type { FromWorker, ToWorker, WorkerReply, WorkerRequest } from '@/lib/train/worker-protocol';
import { TINY_MODEL_URL } from '@/lib/model/tiny-model';

export interface WorkerBackend {
  backend: BackendName;
  software: boolean;
  notes: string[];
}

/**
 * The page's side of the training worker: starts it on first use, forwards commands, keeps the
 * latest snapshot for React, and turns requests into promises. The backend is the one the page's
 * probe chose (detectCompute: no tfjs on the main thread), including a ?backend= override.
 */
export function useTrainerWorker() {
  const worker = useRef<Worker | null>(null);
  const pending = useRef(new Map<number, { resolve: (r: WorkerReply) => void; reject: (e: Error) => void }>());
  const nextId = useRef(1);
  const [snapshot, setSnapshot] = useState<TrainerSnapshot | null>(null);
  const [backend, setBackend] = useState<WorkerBackend | null>(null);
  const [error, setError] = useState<string | null>(null);

  const ensure = useCallback((): Worker => {
    if (worker.current) return worker.current;
    const w = new Worker(new URL('./trainer.worker.ts', import.meta.url), { type: 'module' });
    w.onmessage = (e: MessageEvent<FromWorker>) => {
      const m = e.data;
      if (m.type === 'snapshot') setSnapshot(m.snapshot);
      else if (m.type === 'ready') setBackend({ backend: m.backend, software: m.software, notes: m.notes });
      else if (m.type === 'error') setError(m.error);
      else if (m.type === 'reply') {
        const p = pending.current.get(m.id);
        pending.current.delete(m.id);
        if (m.ok) p?.resolve(m.reply);
        else p?.reject(new Error(m.error));
      }
    };
    w.onerror = (e) => setError(`The training worker failed: ${e.message || 'unknown error'}`);
    worker.current = w;
    return w;
  }, []);

  useEffect(() => () => {
    worker.current?.terminate();
    worker.current = null;
    for (const p of pending.current.values()) p.reject(new Error('The training worker was closed.'));
    pending.current.clear();
  }, []);

  const send = useCallback((m: ToWorker, transfer: Transferable[] = []) => ensure().postMessage(m, transfer), [ensure]);

  /** Sends a message that the worker answers with a reply carrying `id`. */
  const ask = useCallback((make: (id: number) => ToWorker, transfer: Transferable[] = []): Promise<WorkerReply> => {
    const id = nextId.current++;
    return new Promise((resolve, reject) => {
      pending.current.set(id, { resolve, reject });
      send(make(id), transfer);
    });
  }, [send]);

  /** Builds the worker's Trainer (loading tfjs and the model the first time); resolves once it is ready. */
  const init = useCallback(async (train: string, heldout: string, options: TrainerOptions, adapter?: { safetensors: ArrayBuffer; adapterConfig: unknown }) => {
    setError(null);
    const status = await detectCompute();
    const modelUrl = new URL(`${TINY_MODEL_URL}/`, location.href).href;
    await ask((id) => ({ type: 'init', id, backend: status.backend ?? 'cpu', software: status.software, modelUrl, train, heldout, options, adapter }), adapter ? [adapter.safetensors] : []);
  }, [ask]);

  const request = useCallback((r: WorkerRequest): Promise<WorkerReply> => ask((id) => ({ type: 'request', id, request: r })), [ask]);

  return {
    snapshot,
    backend,
    error,
    init,
    start: useCallback(() => send({ type: 'start' }), [send]),
    stop: useCallback(() => send({ type: 'stop' }), [send]),
    step: useCallback(() => send({ type: 'step' }), [send]),
    request,
  };
}
