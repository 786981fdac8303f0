/**
 * The page's side of the training worker (protocol: ./worker-protocol.ts), as an engine in the
 * sense of docs/design.md rule 6: the widget creates it with useEngine (components/widget-kit), reads
 * `{ snapshot, backend, error }` with useSyncExternalStore and disposes it when unmounted. The
 * worker itself starts on first use (so a page that never trains never loads tfjs in a worker);
 * `dispose` terminates it and rejects the requests still waiting for an answer.
 */
import type { BackendName } from '../compute/backend-choice';
import { createStore } from '../store';
import type { TrainerOptions, TrainerSnapshot } from './trainer';
import type { FromWorker, ToWorker, WorkerReply, WorkerRequest } from './worker-protocol';

export interface WorkerBackend {
  backend: BackendName;
  software: boolean;
  notes: string[];
}

export interface TrainerClientState {
  /** The worker Trainer's latest snapshot; null before the first init. */
  snapshot: TrainerSnapshot | null;
  /** The backend the worker's tfjs runs on, once it is ready. */
  backend: WorkerBackend | null;
  /** A failure outside a request (a crashed worker, a command that threw). */
  error: string | null;
}

export const INITIAL_TRAINER_CLIENT_STATE: TrainerClientState = { snapshot: null, backend: null, error: null };

export interface TrainerInit {
  backend: BackendName;
  software: boolean;
  /** Absolute URL of the model folder (the worker resolves nothing against the page). */
  modelUrl: string;
  train: string;
  heldout: string;
  options: TrainerOptions;
  adapter?: { safetensors: ArrayBuffer; adapterConfig: unknown };
}

export class TrainerWorkerClient {
  private readonly store = createStore<TrainerClientState>(INITIAL_TRAINER_CLIENT_STATE);
  private worker: Worker | null = null;
  private readonly pending = new Map<number, { resolve: (r: WorkerReply) => void; reject: (e: Error) => void }>();
  private nextId = 1;
  private disposed = false;

  /** `spawn` makes the Worker (the bundler needs `new Worker(new URL(...))` in the page's code). */
  constructor(private readonly spawn: () => Worker) {}

  readonly subscribe = (listener: () => void) => this.store.subscribe(listener);
  readonly getSnapshot = () => this.store.getSnapshot();

  private patch(p: Partial<TrainerClientState>) {
    if (!this.disposed) this.store.set({ ...this.store.getSnapshot(), ...p });
  }

  private ensure(): Worker {
    if (this.disposed) throw new Error('The training worker was closed.');
    if (this.worker) return this.worker;
    const w = this.spawn();
    w.onmessage = (e: MessageEvent<FromWorker>) => {
      const m = e.data;
      if (m.type === 'snapshot') this.patch({ snapshot: m.snapshot });
      else if (m.type === 'ready') this.patch({ backend: { backend: m.backend, software: m.software, notes: m.notes } });
      else if (m.type === 'error') this.patch({ error: m.error });
      else if (m.type === 'reply') {
        const p = this.pending.get(m.id);
        this.pending.delete(m.id);
        if (m.ok) p?.resolve(m.reply);
        else p?.reject(new Error(m.error));
      }
    };
    w.onerror = (e) => this.patch({ error: `The training worker failed: ${e.message || 'unknown error'}` });
    this.worker = w;
    return w;
  }

  private send(m: ToWorker, transfer: Transferable[] = []): void {
    this.ensure().postMessage(m, transfer);
  }

  /** Sends a message that the worker answers with a reply carrying `id`. */
  private ask(make: (id: number) => ToWorker, transfer: Transferable[] = []): Promise<WorkerReply> {
    const id = this.nextId++;
    return new Promise((resolve, reject) => {
      this.pending.set(id, { resolve, reject });
      try {
        this.send(make(id), transfer);
      } catch (e) {
        this.pending.delete(id);
        reject(e instanceof Error ? e : new Error(String(e)));
      }
    });
  }

  /** Clears the last error (a new init is about to start). */
  clearError(): void {
    this.patch({ error: null });
  }

  /** Builds the worker's Trainer (loading tfjs and the model the first time); resolves once it is ready. */
  async init(i: TrainerInit): Promise<void> {
    this.clearError();
    await this.ask((id) => ({ type: 'init', id, ...i }), i.adapter ? [i.adapter.safetensors] : []);
  }

  /** Asks the worker's Trainer for a sample, an export or a merge check. */
  request(r: WorkerRequest): Promise<WorkerReply> {
    return this.ask((id) => ({ type: 'request', id, request: r }));
  }

  start(): void {
    if (!this.disposed) this.send({ type: 'start' });
  }

  stop(): void {
    if (!this.disposed) this.send({ type: 'stop' });
  }

  step(): void {
    if (!this.disposed) this.send({ type: 'step' });
  }

  /** Terminates the worker (if it started) and rejects the requests still waiting; the client is done. */
  dispose(): void {
    this.disposed = true;
    this.worker?.terminate();
    this.worker = null;
    for (const p of this.pending.values()) p.reject(new Error('The training worker was closed.'));
    this.pending.clear();
  }
}
