/// <reference lib="webworker" />
/**
 * The training worker: tfjs, the model (the course's tiny one, or the learner's own checkpoint) and one Trainer per slot (lib/train) live here, off the
 * page's main thread. One worker serves a page's trainer and comparison widgets, each in its own
 * slot; they share tfjs, the device and the model's weights. Protocol: ./worker-protocol.ts.
 */
import type { Compute } from '../compute';
import { initWorkerCompute } from '../compute/worker-compute';
import { errorMessage } from '../errors';
import { encodeText } from '../model/config';
import { fetchTinyLMWeights, type TinyLMWeights } from '../model/load';
import { BpeTokenizer } from '../text/bpe';
import { buildTrainer } from './replace-trainer';
import type { TrainerStage } from './stages';
import { Trainer } from './trainer';
import type { FromWorker, ToWorker, WorkerReply, WorkerRequest } from './worker-protocol';

declare const self: DedicatedWorkerGlobalScope;

/** A slot's run: its trainer, the texts it was built on, and its snapshot subscription. */
interface Run {
  trainer: Trainer;
  /** The base model an exported adapter names (undefined: the course's tiny model). */
  baseName?: string;
  texts: { train: string; heldout: string };
  unsubscribe: () => void;
}

let compute: (Compute & { failures: string[] }) | null = null;
/** The model the slots train: `url` is the course model's URL, or "own:" + the learner's load key; `name` what an exported adapter calls its base. */
let weights: { url: string; name?: string; value: TinyLMWeights } | null = null;
const runs = new Map<number, Run>();

function post(m: FromWorker, transfer: Transferable[] = []) {
  self.postMessage(m, transfer);
}

function drop(slot: number) {
  const run = runs.get(slot);
  run?.unsubscribe();
  run?.trainer.dispose();
  runs.delete(slot);
}

/** Whether a forward pass has run in this worker (so its GPU kernels are compiled). */
let compiled = false;

async function init(m: Extract<ToWorker, { type: 'init' }>) {
  const stage = (s: TrainerStage) => post({ type: 'progress', slot: m.slot, stage: s });
  // A lost WebGPU device ends this worker's usefulness: the page shows why and offers Restart (a new worker).
  if (!compute) stage('backend');
  compute ??= await initWorkerCompute(m.backend, m.software, (reason) => {
    for (const run of runs.values()) void run.trainer.stop();
    post({ type: 'error', error: `${reason} Press Restart to start the trainer again on a fresh device.` });
  });
  const url = m.model ? `own:${m.model.key}` : m.modelUrl;
  if (!weights || weights.url !== url) {
    stage('weights');
    if (m.model) {
      const { config, tokenizer, values, shapes, name } = m.model;
      if (values.length === 0) throw new Error('The training worker no longer holds your model; press Reset to send it again.');
      weights = { url, name, value: { config: { ...config, tokenizer: { type: 'bpe', bpe: new BpeTokenizer(tokenizer) } }, values: new Map(values), shapes: new Map(shapes) } };
    } else {
      weights = { url, value: await fetchTinyLMWeights(m.modelUrl) };
    }
  }
  stage('build');
  // Everything is validated and the new trainer built before the slot's current one is touched: a
  // bad adapter file throws here and the trained run stays as it was (./replace-trainer).
  // An imported adapter brings its own r, α, dropout and targets (adapter_config.json).
  const t = await buildTrainer({ compute, weights: weights.value, train: m.train, heldout: m.heldout }, m.options, m.adapter);
  drop(m.slot);
  const unsubscribe = t.subscribe(() => post({ type: 'snapshot', slot: m.slot, snapshot: t.getSnapshot() }));
  runs.set(m.slot, { trainer: t, baseName: weights.name, texts: { train: m.train, heldout: m.heldout }, unsubscribe });
  post({ type: 'ready', backend: compute.backend, software: compute.software, notes: compute.failures });
  stage(compiled ? 'evaluate' : 'compile');
  await t.evaluate(); // the held-out loss at step 0, before any training
  compiled = true;
}

async function answer(slot: number, r: WorkerRequest): Promise<{ reply: WorkerReply; transfer?: Transferable[] }> {
  const run = runs.get(slot);
  if (!run || !compute || !weights) throw new Error('The trainer has not started yet.');
  const { trainer, texts } = run;
  if (r.kind === 'sample') {
    const dropped = encodeText(trainer.tinyLM.config, r.prompt).unknown;
    return { reply: { kind: 'sample', text: await trainer.sample(r.prompt, r.n, r.seed, { temperature: r.temperature, topK: r.topK, base: r.base }), dropped } };
  }
  if (r.kind === 'export') {
    const { safetensors, adapterConfig } = await trainer.exportAdapter(run.baseName);
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
        post({ type: 'reply', id: m.id, ok: false, error: errorMessage(err) });
      }
    } else if (m.type === 'start') runs.get(m.slot)?.trainer.start();
    else if (m.type === 'stop') await runs.get(m.slot)?.trainer.stop();
    else if (m.type === 'step') await runs.get(m.slot)?.trainer.step();
    else if (m.type === 'dispose') drop(m.slot);
    else if (m.type === 'request') {
      try {
        const { reply, transfer } = await answer(m.slot, m.request);
        post({ type: 'reply', id: m.id, ok: true, reply }, transfer);
      } catch (err) {
        post({ type: 'reply', id: m.id, ok: false, error: errorMessage(err) });
      }
    }
  } catch (err) {
    post({ type: 'error', slot: m.slot, error: errorMessage(err) });
  }
}

// One message at a time, in arrival order: a request never overtakes the init before it. (start
// returns at once — the loop runs on its own — so a run never holds up the messages behind it.)
let queue = Promise.resolve();
self.onmessage = (e: MessageEvent<ToWorker>) => {
  queue = queue.then(() => handle(e.data));
};
