/**
 * Messages between the page and the training worker (components/widgets/qlora/trainer.worker.ts).
 * The worker owns tfjs and the Trainer; the page sends commands and receives snapshots, so a long
 * training run never blocks the page's main thread (issue 7: no task over 50 ms while training).
 * The worker handles messages one at a time, in order; `init` and requests are answered with a
 * `reply` carrying their id.
 */
import type { BackendName } from '../compute/backend-choice';
import type { PeftAdapterConfig } from './peft';
import type { TrainerOptions, TrainerSnapshot } from './trainer';

export type ToWorker =
  /** Starts (or restarts) a run: loads tfjs and the model once, then builds a Trainer for the given text. */
  | { type: 'init'; id: number; backend: BackendName; software: boolean; modelUrl: string; train: string; heldout: string; options: TrainerOptions; adapter?: { safetensors: ArrayBuffer; adapterConfig: unknown } }
  | { type: 'start' }
  | { type: 'stop' }
  | { type: 'step' }
  | { type: 'request'; id: number; request: WorkerRequest }
  | { type: 'dispose' };

export type WorkerRequest =
  | { kind: 'sample'; prompt: string; n: number; seed: number; temperature: number; topK?: number }
  | { kind: 'export' }
  /** Held-out loss of the adapter model, and of the base with the adapter merged in. */
  | { kind: 'merge-check' };

export type WorkerReply =
  | { kind: 'init' }
  /** `dropped`: the prompt's characters the model does not know, left out of it. */
  | { kind: 'sample'; text: string; dropped: string[] }
  | { kind: 'export'; safetensors: ArrayBuffer; adapterConfig: PeftAdapterConfig }
  | { kind: 'merge-check'; adapterLoss: number; mergedLoss: number };

export type FromWorker =
  | { type: 'ready'; backend: BackendName; software: boolean; notes: string[] }
  | { type: 'snapshot'; snapshot: TrainerSnapshot }
  | { type: 'reply'; id: number; ok: true; reply: WorkerReply }
  | { type: 'reply'; id: number; ok: false; error: string }
  | { type: 'error'; error: string };
