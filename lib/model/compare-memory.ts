/**
 * What the quantized-inference comparison (inference-compare.ts) holds at its peak when it runs on a
 * loaded checkpoint, from the config alone: the figure "Your own model" compares with the memory
 * budget before any weight is read (gpt2-checkpoint.ts Gpt2MemoryNeeds). docs/numerics.md, "GPT-2
 * checkpoints", gives the formulas and GPT-2 small's check values.
 *
 * The comparison measures one format at a time (each model and its store freed before the next) while
 * the float32 weights the load read stay on the host (weightBytes, counted by the caller). Per format:
 * - the store on the backend: FP32 4 bytes a weight; a packed format its words plus float32 for the
 *   rest, and where the forward takes tfjs ops (an emulated GPU, or a backend without the dequantizing
 *   matmul) every Linear weight expanded to float32 at once inside the forward's tf.tidy. The largest
 *   is FP16/BF16 so expanded: 2 + 4 bytes a Linear weight, 4 for the others (`storeBytes`);
 * - TinyLM's causal mask, 4 · P² bytes;
 * - FP32's scored logits, kept for the KL and top-1 of the formats after it: 4 · V · T · W bytes;
 * - then either scoring one batch of b windows (its logits on the device and their copy on the host,
 *   2 · 4 · V · T · b, and the forward's intermediates, `forwardBytes`), or decoding (the fused path's
 *   KV cache, 8 · P · C bytes a layer plus the one layer a step replaces, and for a model small enough
 *   for the one-dispatch step its packed copy of the weights and the host arrays it is packed from).
 */
import { megaUnsupported } from '../compute/kernels/decode-mega';
import type { TinyLMConfig } from './config';
import { OWN_WINDOW_TOKENS } from './own-model-text';
import { COMPARISON_WINDOWS } from './tiny-model';

/** Bytes of logits one scored batch may take (on the device, and again on the host): windows are scored in batches of at most this, one window at least. */
export const SCORE_BATCH_BYTES = 32 * 2 ** 20;

/** Windows per scored batch: ⌊SCORE_BATCH_BYTES / (4 · T · V)⌋, at least 1 (all 8 of the tiny model's; one of GPT-2's 128 tokens × 50,257). */
export function scoreBatchWindows(windowLength: number, vocab: number, batchBytes = SCORE_BATCH_BYTES): number {
  return Math.max(1, Math.floor(batchBytes / (4 * windowLength * vocab)));
}

/** Values a tfjs forward keeps per position, channel and layer until its tidy ends (LayerNorms, projections, GELU's chain, residuals): an upper bound counted from tiny-lm.ts's ops. */
export const FORWARD_VALUES_PER_CHANNEL = 96;
/** Values kept per attention score and layer (scores, scaled, masked, softmax, with margin). */
export const FORWARD_VALUES_PER_SCORE = 6;

/**
 * Bytes of intermediates a forward over b sequences of T tokens keeps on the backend until its tidy
 * ends, logits aside: 4 · b · T · (L · (96 · C + 6 · H · T) + 16 · C) (embeddings and the final
 * LayerNorm the 16 · C).
 */
export function forwardBytes(c: Pick<TinyLMConfig, 'n_layer' | 'n_head' | 'n_embd'>, b: number, T: number): number {
  const C = c.n_embd;
  return 4 * b * T * (c.n_layer * (FORWARD_VALUES_PER_CHANNEL * C + FORWARD_VALUES_PER_SCORE * c.n_head * T) + 16 * C);
}

export interface ComparisonMemory {
  /** Linear weights (c_attn, c_proj, c_fc, mlp.c_proj): 12 · L · C². */
  linearParameters: number;
  /** The largest format's store with its float32 expansions: 6 · linear + 4 · (parameters − linear). */
  storeBytes: number;
  /** TinyLM's causal mask, 4 · P². */
  maskBytes: number;
  /** FP32's scored logits, 4 · V · T · W (T = min(P, OWN_WINDOW_TOKENS), W = COMPARISON_WINDOWS). */
  referenceBytes: number;
  /** One scored batch of b windows: 2 · 4 · V · T · b + forwardBytes(b, T). */
  scoringBytes: number;
  /** Decoding: the KV cache 8 · P · C · (L + 1), and 3 · 4 · parameters when the one-dispatch step takes the model. */
  decodeBytes: number;
  /** storeBytes + maskBytes + referenceBytes + max(scoringBytes, decodeBytes). */
  peakBytes: number;
}

/** What the comparison holds on top of the host's float32 weights, at its peak, for a model of `parameters` parameters. */
export function comparisonMemory(c: Pick<TinyLMConfig, 'n_layer' | 'n_head' | 'n_embd' | 'block_size' | 'vocab_size'>, parameters: number): ComparisonMemory {
  const { n_layer: L, n_embd: C, block_size: P, vocab_size: V } = c;
  const linearParameters = 12 * L * C * C;
  const storeBytes = 6 * linearParameters + 4 * (parameters - linearParameters);
  const maskBytes = 4 * P * P;
  const T = Math.min(P, OWN_WINDOW_TOKENS);
  const referenceBytes = 4 * V * T * COMPARISON_WINDOWS;
  const b = Math.min(COMPARISON_WINDOWS, scoreBatchWindows(T, V));
  const scoringBytes = 2 * 4 * V * T * b + forwardBytes(c, b, T);
  const mega = megaUnsupported({ nLayer: L, nHead: c.n_head, C, capacity: P, vocab: V }) === null;
  const decodeBytes = 8 * P * C * (L + 1) + (mega ? 3 * 4 * parameters : 0);
  return { linearParameters, storeBytes, maskBytes, referenceBytes, scoringBytes, decodeBytes, peakBytes: storeBytes + maskBytes + referenceBytes + Math.max(scoringBytes, decodeBytes) };
}
