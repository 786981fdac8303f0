/**
 * The page's side of the training worker (protocol: ./worker-protocol.ts), as engines in the sense
 * of docs/design.md rule 6. A TrainerWorkerClient owns the worker — started on first use, so a page
 * that never trains never loads tfjs in a worker — and hands out one TrainerChannel per widget: a
 * slot in the worker with its own Trainer. A widget reads its channel's `{ snapshot, backend, error,
 * autoPaused }` with useSyncExternalStore (subscribe / getSnapshot) and disposes it when it
 * unmounts; the client terminates the worker when its last channel is disposed.
 * `openPageTrainerChannel` gives every widget of a page a channel of the same client: one worker
 * per page.
 *
 * A channel pauses its run while its widget is off screen or the tab hidden (`setVisible`) and
 * resumes it when the widget comes back, as every engine does (docs/design.md rule 6).
 */
import type { BackendName } from '../compute/backend-choice';
import { errorMessage } from '../errors';
import { createStore, type Store } from '../store';
import type { TrainingTexts } from './datasets';
import type { TrainerStage } from './stages';
import type { TrainerOptions, TrainerSnapshot } from './trainer';
import type { FromWorker, OwnModelPayload, ToWorker, WorkerReply, WorkerRequest } from './worker-protocol';

export interface WorkerBackend {
  backend: BackendName;
  software: boolean;
  notes: string[];
}

/** What a widget reads of its channel. */
export interface TrainerChannelState {
  /** The slot's Trainer's latest snapshot; null before the first init. */
  snapshot: TrainerSnapshot | null;
  /** The backend the worker's tfjs runs on, once it is ready. */
  backend: WorkerBackend | null;
  /** A failure outside a request (a crashed worker, a lost device, a command that threw). */
  error: string | null;
  /** True while the run is paused because its widget is off screen; it resumes when the widget is back. */
  autoPaused: boolean;
  /** What the slot's init is doing while it runs (lib/train/stages); null otherwise. */
  stage: TrainerStage | null;
}

export const INITIAL_TRAINER_CHANNEL_STATE: TrainerChannelState = { snapshot: null, backend: null, error: null, autoPaused: false, stage: null };

/** An imported adapter: adapter_model.safetensors's bytes and adapter_config.json's parsed value. */
export interface AdapterUpload {
  safetensors: ArrayBuffer;
  adapterConfig: unknown;
}

/** Where the worker runs and what it loads, asked at each init (the page's probe, the model's absolute URL). */
export interface TrainerWorkerEnv {
  /** The backend the page's probe chose (no tfjs on the main thread), including a ?backend= override. */
  backend(): Promise<{ backend: BackendName | null; software: boolean }>;
  /** Absolute URL of the model folder (the worker resolves nothing against the page). */
  modelUrl(): string;
}

const closed = () => new Error('The training worker was closed.');

export class TrainerWorkerClient {
  private worker: Worker | null = null;
  private readonly pending = new Map<number, { resolve: (r: WorkerReply) => void; reject: (e: Error) => void }>();
  private readonly channels = new Map<number, TrainerChannel>();
  private nextId = 1;
  private nextSlot = 1;
  private backend: WorkerBackend | null = null;
  private disposed = false;
  /** The learner's model the worker holds (its load key), so an init sends its weights once, not each time. */
  heldModel: string | null = null;

  /**
   * `spawn` makes the Worker (the bundler needs `new Worker(new URL(...))` in the page's code);
   * `env` says where it runs and what it loads.
   */
  constructor(private readonly spawn: () => Worker, readonly env: TrainerWorkerEnv) {}

  get isDisposed(): boolean {
    return this.disposed;
  }

  /** A new slot in the worker, for one widget. */
  openChannel(): TrainerChannel {
    if (this.disposed) throw closed();
    const slot = this.nextSlot++;
    const c = new TrainerChannel(this, slot);
    this.channels.set(slot, c);
    c.receive({ backend: this.backend });
    return c;
  }

  /** Called by a channel's dispose: frees its slot; the last one terminates the worker. */
  close(slot: number): void {
    if (!this.channels.delete(slot)) return;
    if (this.channels.size === 0) this.dispose();
    else if (this.worker) this.send({ type: 'dispose', slot });
  }

  private ensure(): Worker {
    if (this.disposed) throw closed();
    if (this.worker) return this.worker;
    const w = this.spawn();
    w.onmessage = (e: MessageEvent<FromWorker>) => {
      if (w === this.worker) this.receive(e.data);
    };
    w.onerror = (e) => {
      if (w === this.worker) this.broadcast({ error: `The training worker failed: ${e.message || 'unknown error'}` });
    };
    this.worker = w;
    return w;
  }

  private receive(m: FromWorker): void {
    if (m.type === 'snapshot') this.channels.get(m.slot)?.receive({ snapshot: m.snapshot });
    else if (m.type === 'progress') this.channels.get(m.slot)?.receive({ stage: m.stage });
    else if (m.type === 'ready') {
      this.backend = { backend: m.backend, software: m.software, notes: m.notes };
      this.broadcast({ backend: this.backend });
    } else if (m.type === 'error') {
      if (m.slot === undefined) this.broadcast({ error: m.error });
      else this.channels.get(m.slot)?.receive({ error: m.error });
    } else if (m.type === 'reply') {
      const p = this.pending.get(m.id);
      this.pending.delete(m.id);
      if (m.ok) p?.resolve(m.reply);
      else p?.reject(new Error(m.error));
    }
  }

  private broadcast(p: Partial<TrainerChannelState>): void {
    for (const c of this.channels.values()) c.receive(p);
  }

  /** Posts a command (starting the worker if it has not started). */
  send(m: ToWorker, transfer: Transferable[] = []): void {
    this.ensure().postMessage(m, transfer);
  }

  /** Sends a message that the worker answers with a reply carrying `id`. */
  ask(make: (id: number) => ToWorker, transfer: Transferable[] = []): Promise<WorkerReply> {
    const id = this.nextId++;
    return new Promise((resolve, reject) => {
      this.pending.set(id, { resolve, reject });
      try {
        this.send(make(id), transfer);
      } catch (e) {
        this.pending.delete(id);
        reject(e instanceof Error ? e : new Error(errorMessage(e)));
      }
    });
  }

  /** Terminates the worker without closing the client (after a lost device): every channel starts over, the next use starts a fresh worker. */
  restart(): void {
    this.terminate();
    this.backend = null;
    for (const c of this.channels.values()) c.reset();
  }

  private terminate(): void {
    this.worker?.terminate();
    this.worker = null;
    this.heldModel = null;
    for (const p of this.pending.values()) p.reject(closed());
    this.pending.clear();
  }

  /** Terminates the worker (if it started) and rejects the requests still waiting; the client is done. */
  dispose(): void {
    this.disposed = true;
    this.terminate();
    const open = [...this.channels.values()];
    this.channels.clear();
    for (const c of open) c.dispose();
  }
}

/** One widget's slot in the page's training worker: its own Trainer, snapshot and pause state. */
export class TrainerChannel {
  private readonly store: Store<TrainerChannelState> = createStore(INITIAL_TRAINER_CHANNEL_STATE);
  private visible = true;
  private disposed = false;

  constructor(private readonly client: TrainerWorkerClient, readonly slot: number) {}

  readonly subscribe = (listener: () => void) => this.store.subscribe(listener);
  readonly getSnapshot = () => this.store.getSnapshot();

  /** Called by the client with what the worker reported for this slot (or for all). */
  receive(p: Partial<TrainerChannelState>): void {
    if (this.disposed) return;
    this.store.set({ ...this.store.getSnapshot(), ...p });
    this.reconcile();
  }

  /** Called by the client on restart: back to the initial state. */
  reset(): void {
    if (!this.disposed) this.store.set(INITIAL_TRAINER_CHANNEL_STATE);
  }

  /** Clears the last error (a new init is about to start). */
  clearError(): void {
    if (this.getSnapshot().error !== null) this.receive({ error: null });
  }

  /**
   * Builds this slot's Trainer (loading tfjs and the model the first time) for the texts, with
   * `adapter` imported if given, on the course's model or on `model`, the learner's own (copied to
   * the worker); resolves once it is ready. A failure leaves the slot's current run
   * as it was.
   */
  async init(texts: TrainingTexts, options: TrainerOptions, adapter?: AdapterUpload, model?: OwnModelPayload): Promise<void> {
    if (this.disposed) throw closed();
    this.clearError();
    const { backend, software } = await this.client.env.backend();
    const modelUrl = this.client.env.modelUrl();
    this.clearError();
    // The worker keeps the model it last loaded: a model it holds goes without its weights.
    const sent = model && this.client.heldModel === model.key ? { ...model, values: [], shapes: [] } : model;
    const m = { slot: this.slot, backend: backend ?? 'cpu', software, modelUrl, model: sent, train: texts.train, heldout: texts.heldout, options, adapter } as const;
    this.client.heldModel = null; // unknown until the worker answers (a failed init may have replaced it)
    try {
      await this.client.ask((id) => ({ type: 'init', id, ...m }), adapter ? [adapter.safetensors] : []);
      this.client.heldModel = model?.key ?? null;
    } finally {
      if (this.getSnapshot().stage !== null) this.receive({ stage: null });
    }
  }

  /** Asks this slot's Trainer for a sample, an export or a merge check. */
  request(r: WorkerRequest): Promise<WorkerReply> {
    if (this.disposed) return Promise.reject(closed());
    return this.client.ask((id) => ({ type: 'request', id, slot: this.slot, request: r }));
  }

  /** Starts (or resumes) the run; while the widget is off screen it waits until the widget is back. */
  start(): void {
    if (this.disposed) return;
    if (!this.visible) this.receive({ autoPaused: true });
    else this.client.send({ type: 'start', slot: this.slot });
  }

  /** Pauses the run (and forgets a pending resume). */
  stop(): void {
    if (this.disposed) return;
    if (this.getSnapshot().autoPaused) this.receive({ autoPaused: false });
    this.client.send({ type: 'stop', slot: this.slot });
  }

  /** One training step. */
  step(): void {
    if (!this.disposed) this.client.send({ type: 'step', slot: this.slot });
  }

  /** Whether the widget is on screen (and the tab shown): a running run pauses when it is not, and resumes when it is again. */
  setVisible(visible: boolean): void {
    this.visible = visible;
    this.reconcile();
  }

  private reconcile(): void {
    if (this.disposed) return;
    const s = this.getSnapshot();
    if (!this.visible && s.snapshot?.state === 'running' && !s.autoPaused) {
      this.store.set({ ...s, autoPaused: true });
      this.client.send({ type: 'stop', slot: this.slot });
    } else if (this.visible && s.autoPaused) {
      this.store.set({ ...s, autoPaused: false });
      this.client.send({ type: 'start', slot: this.slot });
    }
  }

  /** Terminates the worker and starts a new one on next use (after a lost device); every widget's run so far is gone. */
  restart(): void {
    if (!this.disposed) this.client.restart();
  }

  /** Frees the slot (disposing its Trainer in the worker); the worker ends with the page's last channel. */
  dispose(): void {
    if (this.disposed) return;
    this.disposed = true;
    this.client.close(this.slot);
  }
}

let pageClient: TrainerWorkerClient | null = null;

/**
 * A channel of the page's training worker: every widget on a page that trains gets one of the same
 * client, so the page runs one worker (tfjs, the device and the model's weights loaded once). When
 * the page's last channel is disposed (its widgets unmounted) the worker ends, and the next page
 * starts its own.
 */
export function openPageTrainerChannel(spawn: () => Worker, env: TrainerWorkerEnv): TrainerChannel {
  if (!pageClient || pageClient.isDisposed) pageClient = new TrainerWorkerClient(spawn, env);
  return pageClient.openChannel();
}
