/// <reference lib="webworker" />
/**
 * The training worker: tfjs, the tiny model and one Trainer (lib/train) live here, off the page's
 * main thread. Protocol: lib/train/worker-protocol.ts.
 */
import type { Compute } from '@/lib/compute';
import { initWorkerCompute } from '@/lib/compute/worker-compute';
import { encodeText } from '@/lib/model/config';
import { fetchTinyLMWeights, type TinyLMWeights } from '@/lib/model/load';
import { buildTrainer } from '@/lib/train/replace-trainer';
import { Trainer } from '@/lib/train/trainer';
import type { FromWorker, ToWorker, WorkerReply, WorkerRequest } from '@/lib/train/worker-protocol';

declare const self: DedicatedWorkerGlobalScope;

let compute: (Compute & { failures: string[] }) | null = null;
let weights: { url: string; value: TinyLMWeights } | null = null;
let trainer: Trainer | null = null;
let texts: { train: string; heldout: string } | null = null;
let unsubscribe: (() => void) | null = null;

function post(m: FromWorker, transfer: Transferable[] = []) {
  self.postMessage(m, transfer);
}

function message(e: unknown): string {
  return e instanceof Error ? e.message : String(e);
}

async function init(m: Extract<ToWorker, { type: 'init' }>) {
  // A lost WebGPU device ends this worker's usefulness: the page shows why and offers Restart (a new worker).
  compute ??= await initWorkerCompute(m.backend, m.software, (reason) => {
    void trainer?.stop();
    post({ type: 'error', error: `${reason} Press Restart to start the trainer again on a fresh device.` });
  });
  if (!weights || weights.url !== m.modelUrl) weights = { url: m.modelUrl, value: await fetchTinyLMWeights(m.modelUrl) };
  // Everything is validated and the new trainer built before the current one is touched: a bad
  // adapter file throws here and the trained run stays as it was (lib/train/replace-trainer).
  // An imported adapter brings its own r, α, dropout and targets (adapter_config.json).
  const t = await buildTrainer({ compute, weights: weights.value, train: m.train, heldout: m.heldout }, m.options, m.adapter);
  unsubscribe?.();
  trainer?.dispose();
  trainer = t;
  texts = { train: m.train, heldout: m.heldout };
  unsubscribe = t.subscribe(() => post({ type: 'snapshot', snapshot: t.getSnapshot() }));
  post({ type: 'ready', backend: compute.backend, software: compute.software, notes: compute.failures });
  await t.evaluate(); // the held-out loss at step 0, before any training
}

async function answer(r: WorkerRequest): Promise<{ reply: WorkerReply; transfer?: Transferable[] }> {
  if (!trainer || !compute || !weights || !texts) throw new Error('The trainer has not started yet.');
  if (r.kind === 'sample') {
    const dropped = encodeText(weights.value.config, r.prompt).unknown;
    return { reply: { kind: 'sample', text: await trainer.sample(r.prompt, r.n, r.seed, { temperature: r.temperature, topK: r.topK }), dropped } };
  }
  if (r.kind === 'export') {
    const { safetensors, adapterConfig } = await trainer.exportAdapter();
    return { reply: { kind: 'export', safetensors: safetensors.buffer, adapterConfig }, transfer: [safetensors.buffer] };
  }
  // merge-check: the adapter model's held-out loss, then the merged float32 model's on the same windows.
  const adapterLoss = await trainer.evaluate();
  const merged = await trainer.mergedWeights();
  const plain = new Trainer({ compute, weights: merged, train: texts.train, heldout: texts.heldout }, { ...trainer.options, mode: 'full', maxSteps: 0 });
  try {
    return { reply: { kind: 'merge-check', adapterLoss, mergedLoss: await plain.evaluate() } };
  } finally {
    plain.dispose();
  }
}

async function handle(m: ToWorker): Promise<void> {
  try {
    if (m.type === 'init') {
      try {
        await init(m);
        post({ type: 'reply', id: m.id, ok: true, reply: { kind: 'init' } });
      } catch (err) {
        post({ type: 'reply', id: m.id, ok: false, error: message(err) });
      }
    } else if (m.type === 'start') trainer?.start();
    else if (m.type === 'stop') await trainer?.stop();
    else if (m.type === 'step') await trainer?.step();
    else if (m.type === 'dispose') {
      unsubscribe?.();
      trainer?.dispose();
      trainer = null;
    } else if (m.type === 'request') {
      try {
        const { reply, transfer } = await answer(m.request);
        post({ type: 'reply', id: m.id, ok: true, reply }, transfer);
      } catch (err) {
        post({ type: 'reply', id: m.id, ok: false, error: message(err) });
      }
    }
  } catch (err) {
    post({ type: 'error', error: message(err) });
  }
}

// One message at a time, in arrival order: a request never overtakes the init before it. (start
// returns at once — the loop runs on its own — so a run never holds up the messages behind it.)
let queue = Promise.resolve();
self.onmessage = (e: MessageEvent<ToWorker>) => {
  queue = queue.then(() => handle(e.data));
};
