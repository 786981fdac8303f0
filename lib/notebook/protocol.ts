/**
 * Messages between the page and the notebook kernel's Web Worker. The worker is the sandbox: no
 * DOM, one cell at a time, killable. Outputs are data (lib/notebook/outputs), never HTML.
 */
import type { BackendName } from '../compute/backend-choice';
import type { RunResult } from './kernel';
import type { CellOutput } from './outputs';

export interface KernelFile {
  name: string;
  blob: Blob;
}

export type ToKernel =
  | { type: 'init'; backend: BackendName; software: boolean; modelUrl: string }
  | { type: 'run'; runId: number; cellId: string; source: string; labels: Record<string, string> }
  | { type: 'interrupt' }
  | { type: 'reset' }
  | { type: 'files'; files: KernelFile[] };

export type FromKernel =
  | { type: 'ready'; backend: BackendName; software: boolean; notes: string[] }
  | { type: 'output'; runId: number; cellId: string; output: CellOutput }
  | { type: 'done'; runId: number; cellId: string; result: RunResult }
  | { type: 'fatal'; message: string };
