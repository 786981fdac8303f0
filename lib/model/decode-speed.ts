/**
 * How fast a model decodes: tokens per second after the prompt's prefill, and the GPU dispatches one
 * token costs. Shared by the quantized-inference comparison and `npm run bench`'s decode figures.
 *
 *   first token = time from the call to the first id read back: the prompt's prefill and one draw
 *   speed       = (n − 1) / (time the n-th id arrives − time the first one arrived)
 *   dispatches per token = dispatches of generate(prompt, 3) − of generate(prompt, 2)
 * Both counting runs come first and double as the warm-up (the kernels compile).
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

/** Measures `model` decoding n ≥ 2 tokens after `prompt` with `sampling`; `now` in milliseconds. */
export async function measureDecodeSpeed(model: TinyLM, prompt: readonly number[], n: number, sampling: GenerateOptions, now: () => number = () => performance.now()): Promise<DecodeSpeed> {
  if (!Number.isSafeInteger(n) || n < 2) throw new RangeError(`Decoding speed needs at least 2 tokens, got ${n}.`);
  const { tf } = model;
  const two = await countDispatches(tf, () => model.generate(prompt, 2, sampling));
  const three = await countDispatches(tf, () => model.generate(prompt, 3, sampling));
  const dispatchesPerToken = two.dispatches === null || three.dispatches === null ? null : three.dispatches - two.dispatches;
  const arrived: number[] = [];
  const t0 = now();
  const generated = await model.generate(prompt, n, { ...sampling, onToken: () => arrived.push(now()) });
  const seconds = Math.max((arrived[n - 1] - arrived[0]) / 1000, 1e-9);
  const intervalsMs = arrived.slice(1).map((t, i) => t - arrived[i]);
  return { tokensPerSecond: (n - 1) / seconds, prefillSeconds: (arrived[0] - t0) / 1000, dispatchesPerToken, generated, intervalsMs };
}
