/**
 * Choosing the next token from a row of logits, in plain TypeScript so that generation is
 * reproducible on every backend: temperature scaling, optional top-k truncation, softmax and one
 * draw from a seeded uniform. This is nanoGPT's `generate` (model.py: `logits / temperature`,
 * `torch.topk`, `F.softmax`, `torch.multinomial`), with argmax at temperature 0.
 */

export interface SamplingOptions {
  /** 0 picks the most likely token (greedy); larger values flatten the distribution. */
  temperature: number;
  /** Keep only the k most likely tokens before sampling (ties broken by the lower id). */
  topK?: number;
}

/** Throws a RangeError unless vocab ≥ 1, the temperature is finite and ≥ 0, and topK (if given) is a whole number ≥ 1. */
export function checkSamplingOptions(vocab: number, o: SamplingOptions): void {
  if (vocab < 1) throw new RangeError('There are no logits to sample from.');
  if (!Number.isFinite(o.temperature) || o.temperature < 0) throw new RangeError(`The temperature must be a finite number ≥ 0, got ${o.temperature}.`);
  if (o.topK !== undefined && (!Number.isSafeInteger(o.topK) || o.topK < 1)) throw new RangeError(`top-k must be a whole number ≥ 1, got ${o.topK}.`);
}

function checkLogits(logits: Float32Array): void {
  for (let i = 0; i < logits.length; i++) {
    const v = logits[i];
    if (Number.isNaN(v) || v === Infinity) throw new RangeError(`Logit ${i} is ${v}; the model's output is broken (a NaN or infinite weight?).`);
  }
}

/** The id of the largest logit; ties go to the lowest id. */
export function argmax(logits: ArrayLike<number>): number {
  let best = 0;
  for (let i = 1; i < logits.length; i++) if (logits[i] > logits[best]) best = i;
  return best;
}

/**
 * The ids of the k largest logits, in decreasing order of logit, ties broken by the lower id
 * (a stable sort of ids by logit, descending). k ≥ vocab returns every id.
 */
export function topKIds(logits: ArrayLike<number>, k: number): number[] {
  const ids = Array.from({ length: logits.length }, (_, i) => i);
  ids.sort((a, b) => logits[b] - logits[a] || a - b);
  return ids.slice(0, Math.min(k, ids.length));
}

/**
 * The distribution the sampler draws from, as probabilities over the whole vocabulary (float64):
 *
 *   p_i = exp((z_i − m) / τ) / Σ_{j ∈ K} exp((z_j − m) / τ)   for i ∈ K, 0 otherwise,
 *
 * where τ is the temperature, K the top-k ids (all ids without topK) and m = max_{j ∈ K} z_j
 * (subtracted so that no exp overflows). Temperature 0 is the limit τ → 0: all mass on the argmax
 * (lowest id on ties). Throws a RangeError for NaN or +∞ logits or bad options.
 */
export function tokenProbabilities(logits: Float32Array, o: SamplingOptions): Float64Array {
  checkSamplingOptions(logits.length, o);
  checkLogits(logits);
  const p = new Float64Array(logits.length);
  if (o.temperature === 0) {
    p[argmax(logits)] = 1;
    return p;
  }
  const keep = o.topK === undefined || o.topK >= logits.length ? null : topKIds(logits, o.topK);
  const ids = keep ?? Array.from({ length: logits.length }, (_, i) => i);
  let max = -Infinity;
  for (const i of ids) max = Math.max(max, logits[i]);
  if (max === -Infinity) throw new RangeError('Every candidate logit is −∞: there is nothing to sample.');
  let sum = 0;
  for (const i of ids) {
    p[i] = Math.exp((logits[i] - max) / o.temperature);
    sum += p[i];
  }
  for (const i of ids) p[i] /= sum;
  return p;
}

/**
 * One token id drawn from `tokenProbabilities(logits, o)` by inverse transform sampling: with
 * u = rand() in [0, 1), the first id (in id order) whose cumulative probability exceeds u. `rand`
 * is called once per draw, and not at all at temperature 0 (argmax). Pass lib/random's
 * `mulberry32(seed)` for a reproducible sequence.
 */
export function sampleToken(logits: Float32Array, o: SamplingOptions, rand: () => number): number {
  if (o.temperature === 0) {
    checkSamplingOptions(logits.length, o);
    checkLogits(logits);
    return argmax(logits);
  }
  const p = tokenProbabilities(logits, o);
  const u = rand();
  let cumulative = 0;
  let last = 0;
  for (let i = 0; i < p.length; i++) {
    if (p[i] === 0) continue;
    cumulative += p[i];
    last = i;
    if (u < cumulative) return i;
  }
  return last; // u within rounding of 1: the last id with mass
}
