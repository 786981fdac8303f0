/**
 * Messages between the page and the training worker (./trainer.worker.ts). The worker owns tfjs,
 * the model and one Trainer per slot; the page sends commands and receives snapshots, so a long
 * training run never blocks the page's main thread (docs/design.md rule 6). One worker serves a
 * page: each widget that trains (the trainer, the comparison) has its own slot, a number the page's
 * client hands out (./worker-client.ts). The worker handles messages one at a time, in order;
 * `init` and requests are answered with a `reply` carrying their id.
 */
import type { BackendName } from '../compute/backend-choice';
import type { TinyLMConfig } from '../model/config';
import type { BpeTokenizerSpec } from '../text/bpe';
import type { PeftAdapterConfig } from './peft';
import type { TrainerStage } from './stages';
import type { TrainerOptions, TrainerSnapshot } from './trainer';

/**
 * The learner's own checkpoint for the worker (copied, not transferred: the page keeps its copy for
 * its other widgets): its float32 weights, its config without the tokenizer and its BPE tokenizer's
 * spec, which the worker rebuilds (lib/text/bpe.ts `BpeTokenizer.spec`). `key` names this load, so
 * the worker reuses a model it already holds, and the page then sends `values` and `shapes` empty;
 * `name` is the base model an exported adapter names.
 */
export interface OwnModelPayload {
  key: string;
  name: string;
  config: Omit<TinyLMConfig, 'tokenizer'>;
  tokenizer: BpeTokenizerSpec;
  values: [string, Float32Array][];
  shapes: [string, number[]][];
}

export type ToWorker =
  /**
   * Starts (or restarts) the slot's run: loads tfjs and the model once, then builds a Trainer for the
   * given text — on the course's model at `modelUrl`, or on `model`, the learner's own, when given.
   */
  | { type: 'init'; id: number; slot: number; backend: BackendName; software: boolean; modelUrl: string; model?: OwnModelPayload; train: string; heldout: string; options: TrainerOptions; adapter?: { safetensors: ArrayBuffer; adapterConfig: unknown } }
  | { type: 'start'; slot: number }
  | { type: 'stop'; slot: number }
  | { type: 'step'; slot: number }
  | { type: 'request'; id: number; slot: number; request: WorkerRequest }
  /** The slot's widget is gone: its Trainer is disposed (the worker stays for the page's other widgets). */
  | { type: 'dispose'; slot: number };

export type WorkerRequest =
  /** `base`: the frozen base alone, adapters switched off (LoRA and QLoRA; Trainer.sample). */
  | { kind: 'sample'; prompt: string; n: number; seed: number; temperature: number; topK?: number; base?: boolean }
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
  | { type: 'snapshot'; slot: number; snapshot: TrainerSnapshot }
  /** What the slot's init is doing now (the widget's status line names it). */
  | { type: 'progress'; slot: number; stage: TrainerStage }
  | { type: 'reply'; id: number; ok: true; reply: WorkerReply }
  | { type: 'reply'; id: number; ok: false; error: string }
  /** A failure outside a request: of one slot's command, or (no slot) of the whole worker, e.g. a lost device. */
  | { type: 'error'; slot?: number; error: string };
