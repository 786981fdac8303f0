/**
 * How fast a model decodes: tokens per second after the prompt's prefill, and the GPU dispatches one
 * token costs. Shared by the quantized-inference comparison and `npm run bench`'s decode figures.
 *
 *   first token = time from the call to the first id read back: the prompt's prefill and one draw
 *   speed       = (n − 1) / (time the n-th id arrives − time the first one arrived)
 *   dispatches per token = (dispatches of generate(prompt, n) − of generate(prompt, 3)) / (n − 3)
 * The 3-token run comes first and doubles as the warm-up (the kernels compile).
 */
import { countDispatches } from '../compute/dispatch-count';
import type { GenerateOptions, TinyLM } from './tiny-lm';

export interface DecodeSpeed {
  tokensPerSecond: number;
  /** From the call to the first id: the prefill and one draw. */
  prefillSeconds: number;
  /** Null off WebGPU, where dispatches are not counted. */
  dispatchesPerToken: number | null;
  /** The n generated ids of the timed run. */
  generated: number[];
  /** Milliseconds between consecutive ids of the timed run (n − 1 of them). */
  intervalsMs: number[];
}

/** Measures `model` decoding n ≥ 4 tokens after `prompt` with `sampling`; `now` in milliseconds. */
export async function measureDecodeSpeed(model: TinyLM, prompt: readonly number[], n: number, sampling: GenerateOptions, now: () => number = () => performance.now()): Promise<DecodeSpeed> {
  if (!Number.isSafeInteger(n) || n < 4) throw new RangeError(`Decoding speed needs at least 4 tokens, got ${n}.`);
  const { tf } = model;
  const three = await countDispatches(tf, () => model.generate(prompt, 3, sampling));
  const arrived: number[] = [];
  let t0 = 0;
  const timed = await countDispatches(tf, () => {
    t0 = now();
    return model.generate(prompt, n, { ...sampling, onToken: () => arrived.push(now()) });
  });
  const generated = timed.value;
  const dispatchesPerToken = three.dispatches === null || timed.dispatches === null ? null : (timed.dispatches - three.dispatches) / (n - 3);
  const seconds = Math.max((arrived[n - 1] - arrived[0]) / 1000, 1e-9);
  const intervalsMs = arrived.slice(1).map((t, i) => t - arrived[i]);
  return { tokensPerSecond: (n - 1) / seconds, prefillSeconds: (arrived[0] - t0) / 1000, dispatchesPerToken, generated, intervalsMs };
}
