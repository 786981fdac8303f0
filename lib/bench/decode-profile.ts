/**
 * Where a fused decode step's time goes, on the page's WebGPU adapter: the JavaScript that queues a
 * step's dispatches, a step's time when the page never waits for the GPU (queued back to back, one
 * read at the end), and a step's time when each token's id is read back before the next is queued.
 * The differences are the GPU's own time per step and the read-back's latency. For `npm run bench`.
 */
import type { Tensor1D } from '@tensorflow/tfjs-core';
import type { TinyLM } from '../model/tiny-lm';

export interface DecodeProfile {
  steps: number;
  /** Milliseconds of JavaScript per step to queue its dispatches. */
  queueMs: number;
  /** Milliseconds per step, steps queued back to back, one read-back at the end. */
  pipelinedMs: number;
  /** Milliseconds per step when each id is read back before the next step is queued. */
  syncedMs: number;
}

/** Profiles `steps` fused decode steps after `prompt` (greedy); null when the model cannot decode fused. */
export async function profileFusedDecode(model: TinyLM, prompt: readonly number[], steps = 20): Promise<DecodeProfile | null> {
  const decoder = model.fusedDecoder();
  if (typeof decoder === 'string' || prompt.length + 2 * steps + 2 > model.config.block_size) return null;
  const greedy = { temperature: 0 };
  const cache = model.newCache();
  const logits0 = model.stepTensor(cache, prompt);
  const fc = decoder.fromOpsCache(cache);
  cache.dispose();
  let id = decoder.sample(logits0, greedy, 0);
  logits0.dispose();
  const step = () => {
    const logits = decoder.step(fc, id);
    id.dispose();
    id = decoder.sample(logits as Tensor1D, greedy, 0);
    logits.dispose();
  };
  try {
    step(); // warm-up
    await id.data();
    let t0 = performance.now();
    for (let i = 0; i < steps; i++) step();
    const queued = performance.now();
    await id.data();
    const pipelinedMs = (performance.now() - t0) / steps;
    const queueMs = (queued - t0) / steps;
    t0 = performance.now();
    for (let i = 0; i < steps; i++) {
      step();
      await id.data();
    }
    return { steps, queueMs, pipelinedMs, syncedMs: (performance.now() - t0) / steps };
  } finally {
    id.dispose();
    for (const t of fc.layers) t.dispose();
  }
}
