/**
 * The notebook kernel's dedicated Web Worker: tfjs on the page's backend choice (WebGPU → WebGL →
 * CPU, with tfjs's chained ops registered so cells can write `t.mul(2)`), the course library, and a
 * NotebookKernel. One message at a time, in order; a run's outputs stream back as they happen.
 */
import '@tensorflow/tfjs-core/dist/public/chained_ops/register_all_chained_ops';
import type { Compute } from '../compute';
import { initWorkerCompute } from '../compute/worker-compute';
import { fetchTinyLMWeights, type TinyLMWeights } from '../model/load';
import { NotebookKernel } from './kernel';
import { createNotebookLibrary } from './library';
import { transferablesOf } from './outputs';
import type { FromKernel, ToKernel } from './protocol';
import { errorMessage } from '../errors';

declare const self: DedicatedWorkerGlobalScope;

function post(m: FromKernel, transfer: Transferable[] = []) {
  self.postMessage(m, transfer);
}

let compute: (Compute & { failures: string[] }) | null = null;
let kernel: NotebookKernel | null = null;
let currentRun = 0;
let modelUrl = '';
let weights: Promise<TinyLMWeights> | null = null;
let heldout: Promise<string> | null = null;
let setFiles: ((f: { name: string; blob: Blob }[]) => void) | null = null;

async function fetchText(url: string): Promise<string> {
  let r: Response;
  try {
    r = await fetch(url);
  } catch (e) {
    throw new Error(`Could not fetch ${url}: ${errorMessage(e)}. Are you offline?`);
  }
  if (!r.ok) throw new Error(`Could not fetch ${url}: the server answered ${r.status}.`);
  return r.text();
}

async function init(m: Extract<ToKernel, { type: 'init' }>) {
  compute = await initWorkerCompute(m.backend, m.software);
  modelUrl = m.modelUrl;
  const c = compute;
  const lib = createNotebookLibrary({
    compute: async () => c,
    weights: () => (weights ??= fetchTinyLMWeights(modelUrl).catch((e) => { weights = null; throw e; })),
    heldout: () => (heldout ??= fetchText(`${modelUrl}/heldout.txt`).catch((e) => { heldout = null; throw e; })),
  });
  setFiles = lib.setFiles;
  kernel = new NotebookKernel(c.tf, lib.library, (cellId, output) => post({ type: 'output', runId: currentRun, cellId, output }, transferablesOf(output)));
  post({ type: 'ready', backend: c.backend, software: c.software, notes: c.failures });
}

async function handle(m: ToKernel): Promise<void> {
  try {
    if (m.type === 'init') await init(m);
    else if (m.type === 'files') setFiles?.(m.files);
    else if (m.type === 'reset') kernel?.reset();
    else if (m.type === 'run') {
      if (!kernel) throw new Error('The kernel has not started.');
      currentRun = m.runId;
      const result = await kernel.run({ cellId: m.cellId, source: m.source, labels: m.labels });
      post({ type: 'done', runId: m.runId, cellId: m.cellId, result });
    }
  } catch (e) {
    post({ type: 'fatal', message: errorMessage(e) });
  }
}

let queue = Promise.resolve();
self.onmessage = (e: MessageEvent<ToKernel>) => {
  // Interrupt jumps the queue: it must reach the running cell, which holds the queue.
  if (e.data.type === 'interrupt') {
    kernel?.interrupt();
    return;
  }
  queue = queue.then(() => handle(e.data));
};
