/**
 * Measuring a language model and comparing two of them, in plain TypeScript on logits read back
 * from the model ([positions × vocab], row-major): cross-entropy and perplexity against the real next
 * tokens, and KL divergence and top-1 agreement of a quantized model against the float32 one.
 * Sums are in float64; log-softmax subtracts the row maximum so no exp overflows.
 */

function checkRows(logits: Float32Array, vocab: number, what: string): number {
  if (!Number.isSafeInteger(vocab) || vocab < 1) throw new RangeError(`vocab must be a whole number ≥ 1, got ${vocab}.`);
  if (logits.length === 0 || logits.length % vocab !== 0) throw new RangeError(`${what} has ${logits.length} values, not a whole number (≥ 1) of rows of ${vocab}.`);
  return logits.length / vocab;
}

/**
 * log softmax of row `r`: log p_i = z_i − m − log Σ_j exp(z_j − m), m = max_j z_j (float64).
 */
export function logSoftmaxRow(logits: Float32Array, vocab: number, r: number): Float64Array {
  const row = logits.subarray(r * vocab, (r + 1) * vocab);
  let max = -Infinity;
  for (const v of row) max = Math.max(max, v);
  let sum = 0;
  for (const v of row) sum += Math.exp(v - max);
  const lse = max + Math.log(sum);
  return Float64Array.from(row, (v) => v - lse);
}

/**
 * Mean negative log-likelihood of the targets, in nats per token:
 *
 *   CE = −(1/T) Σ_t log softmax(z_t)[y_t]
 *
 * as PyTorch's F.cross_entropy (reduction 'mean') computes it, which is the loss nanoGPT trains on.
 * `logits` holds targets.length rows of `vocab`.
 */
export function crossEntropy(logits: Float32Array, vocab: number, targets: readonly number[]): number {
  const rows = checkRows(logits, vocab, 'The logits');
  if (rows !== targets.length) throw new RangeError(`There are ${rows} rows of logits but ${targets.length} targets.`);
  let total = 0;
  targets.forEach((y, t) => {
    if (!Number.isInteger(y) || y < 0 || y >= vocab) throw new RangeError(`Target ${t} is ${y}, outside the vocabulary 0..${vocab - 1}.`);
    total -= logSoftmaxRow(logits, vocab, t)[y];
  });
  return total / rows;
}

/** Perplexity from a mean negative log-likelihood in nats: PPL = exp(CE). A uniform guess over V tokens scores V. */
export function perplexity(meanNll: number): number {
  return Math.exp(meanNll);
}

/**
 * Mean over positions of the Kullback–Leibler divergence (Kullback & Leibler 1951) of Q (the model
 * under test, e.g. quantized) from P (the reference, float32), in nats:
 *
 *   KL(P‖Q) = (1/T) Σ_t Σ_i p_ti (log p_ti − log q_ti),   p_t = softmax(pLogits_t), q_t = softmax(qLogits_t)
 *
 * Terms with p_ti = 0 contribute 0. It is 0 exactly when the two distributions agree at every position.
 */
export function klDivergence(pLogits: Float32Array, qLogits: Float32Array, vocab: number): number {
  const rows = checkRows(pLogits, vocab, 'The reference logits');
  if (qLogits.length !== pLogits.length) throw new RangeError(`The two sets of logits differ in size (${pLogits.length} and ${qLogits.length}).`);
  let total = 0;
  for (let r = 0; r < rows; r++) {
    const lp = logSoftmaxRow(pLogits, vocab, r);
    const lq = logSoftmaxRow(qLogits, vocab, r);
    for (let i = 0; i < vocab; i++) {
      const p = Math.exp(lp[i]);
      if (p > 0) total += p * (lp[i] - lq[i]);
    }
  }
  return total / rows;
}

function rowArgmax(logits: Float32Array, vocab: number, r: number): number {
  let best = 0;
  for (let i = 1; i < vocab; i++) if (logits[r * vocab + i] > logits[r * vocab + best]) best = i;
  return best;
}

/**
 * Top-1 agreement: the share of positions at which both models' most likely token (argmax, ties to
 * the lowest id) is the same, in [0, 1].
 */
export function top1Agreement(a: Float32Array, b: Float32Array, vocab: number): number {
  const rows = checkRows(a, vocab, 'The first logits');
  if (b.length !== a.length) throw new RangeError(`The two sets of logits differ in size (${a.length} and ${b.length}).`);
  let same = 0;
  for (let r = 0; r < rows; r++) if (rowArgmax(a, vocab, r) === rowArgmax(b, vocab, r)) same++;
  return same / rows;
}

export interface EvalWindow {
  /** Where the window starts in `ids`. */
  start: number;
  /** ids[start .. start + blockSize): what the model reads. */
  inputs: number[];
  /** ids[start + 1 .. start + blockSize + 1): the next token at every input position. */
  targets: number[];
}

/**
 * Held-out windows for perplexity, as the pretraining script (scripts/pretrain) evaluates its held-out
 * loss: windows of blockSize + 1 tokens starting at 0, B, 2B, … for every start s < n − B − 1
 * (Python's `range(0, n - B - 1, B)`), so that the targets tile the text and no token is scored
 * twice. If there are more than `maxWindows`, it keeps `maxWindows` of them spread evenly through the
 * text (window i·count/maxWindows, rounded down, for i = 0 … maxWindows − 1). Deterministic.
 */
export function evalWindows(ids: readonly number[], blockSize: number, maxWindows: number): EvalWindow[] {
  if (!Number.isSafeInteger(blockSize) || blockSize < 1) throw new RangeError(`blockSize must be a whole number ≥ 1, got ${blockSize}.`);
  if (!Number.isSafeInteger(maxWindows) || maxWindows < 1) throw new RangeError(`maxWindows must be a whole number ≥ 1, got ${maxWindows}.`);
  const starts: number[] = [];
  for (let s = 0; s < ids.length - blockSize - 1; s += blockSize) starts.push(s);
  if (starts.length === 0) throw new RangeError(`The text has ${ids.length} tokens; a window needs more than ${blockSize + 1}.`);
  const chosen = starts.length <= maxWindows ? starts : Array.from({ length: maxWindows }, (_, i) => starts[Math.floor((i * starts.length) / maxWindows)]);
  return chosen.map((start) => ({
    start,
    inputs: ids.slice(start, start + blockSize),
    targets: ids.slice(start + 1, start + blockSize + 1),
  }));
}
