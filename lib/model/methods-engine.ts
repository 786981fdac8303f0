/**
 * The data behind the GPTQ and AWQ lesson's widgets: the tiny model's weights, the inputs of every
 * Linear layer captured over calibration text from the training split (activations.ts: mean |x|,
 * a row sample, and GPTQ's Hessian (2/n)XᵀX, on the active backend), held-out windows and FP32's
 * logits on them. The quantizers are lib/quant's CPU references (gptq.ts, awq.ts) or their GPU
 * paths (lib/compute gptq-gpu.ts, awq-gpu.ts);
 * docs/numerics.md, "Beyond round-to-nearest".
 */
import type { Compute } from '../compute';
import { awq, type AwqResult } from '../quant/awq';
import { calibrateModel, type LinearInputStats, type ModelCalibration } from './activations';
import { encodeText, type TinyLMConfig } from './config';
import { evalWindows, type EvalWindow } from './eval';
import type { TinyLMWeights } from './load';
import { quantizeLinearsOnDevice, scoreWeights, type HeldOutScore, type MethodSetting, type QuantizedLinears, type WeightMethod } from './weight-methods';

export interface MethodsDeps {
  compute: () => Promise<Compute>;
  weights: () => Promise<TinyLMWeights>;
  /** Calibration text (from the training split). */
  calibrationText: () => Promise<string>;
}

export type Calibration = ModelCalibration;

/** Bounds of the calibration size offered to learners (windows of 128 characters). */
export const CALIBRATION_WINDOWS = { min: 4, max: 64, default: 32 } as const;
/** Rows of X kept per layer for AWQ's search (and its α curve). */
export const AWQ_SAMPLE_ROWS = 256;

/**
 * Captures every Linear layer's inputs over `windows` calibration windows (evenly spread through the
 * calibration text, activations.ts calibrationWindows), with the Hessian and AWQ_SAMPLE_ROWS rows.
 * `onProgress(done, total)` reports windows captured.
 */
export async function captureCalibration(deps: MethodsDeps, windows: number, onProgress?: (done: number, total: number) => void): Promise<Calibration> {
  if (!Number.isInteger(windows) || windows < CALIBRATION_WINDOWS.min || windows > CALIBRATION_WINDOWS.max) {
    throw new RangeError(`Calibration windows must be a whole number from ${CALIBRATION_WINDOWS.min} to ${CALIBRATION_WINDOWS.max}, got ${windows}.`);
  }
  const [{ tf }, weights, text] = await Promise.all([deps.compute(), deps.weights(), deps.calibrationText()]);
  return calibrateModel(tf, weights, text, windows, { hessian: true, sampleRows: AWQ_SAMPLE_ROWS, batch: 4, onProgress });
}

/** One Linear layer's weight, shape and calibration statistics, by module path. */
export function layerData(c: Calibration, name: string): { w: Float32Array; shape: [number, number]; stats: LinearInputStats } {
  const stats = c.stats.find((s) => s.name === name);
  const w = c.values.get(`${name}.weight`);
  const shape = c.shapes.get(`${name}.weight`);
  if (!stats || !w || !shape || shape.length !== 2) throw new RangeError(`The model has no calibrated Linear layer "${name}".`);
  return { w, shape: [shape[0], shape[1]], stats };
}

/** The k input channels with the largest values (e.g. mean |x|), largest first; ties by index. */
export function topChannels(values: ArrayLike<number>, k: number): number[] {
  const idx = Array.from({ length: values.length }, (_, j) => j);
  idx.sort((a, b) => values[b] - values[a] || a - b);
  return idx.slice(0, Math.max(0, Math.min(k, values.length)));
}

/** AWQ's search on one layer (awq.ts), on its sampled calibration rows. */
export function awqOnLayer(c: Calibration, name: string, o: { bits: number; groupSize: number }): AwqResult & { alphas: number[] } {
  const { w, shape, stats } = layerData(c, name);
  const r = awq(w, shape, stats.sample, [stats.sampleRows, stats.features], o);
  return { ...r, alphas: Array.from(r.losses, (_, k) => k / r.losses.length) };
}

/**
 * Every calibrated Linear weight quantized by `method` with its heavy part on the active backend
 * (weight-methods.ts quantizeLinearsOnDevice); `onLayer` as there.
 */
export function quantizeOnDevice(compute: Compute, c: Calibration, method: WeightMethod, setting: MethodSetting, onLayer?: (done: number, total: number, name: string) => boolean | void): Promise<QuantizedLinears> {
  return quantizeLinearsOnDevice(compute, c.values, c.shapes, c.stats, method, setting, onLayer);
}

/**
 * Held-out windows of min(block_size, `windowTokens`) tokens from held-out text, encoded with the
 * config's tokenizer (eval.ts evalWindows: up to `count` windows spread through the text).
 */
export function heldoutWindows(config: TinyLMConfig, text: string, count: number, windowTokens: number = config.block_size): EvalWindow[] {
  return evalWindows(encodeText(config, text).ids, Math.min(config.block_size, windowTokens), count);
}

/**
 * The bounds of the methods table on a learner's own GPT-2-family checkpoint. GPT-2 small has 12
 * blocks of four Linear layers (the widest 3,072 inputs) and a 50,257-token vocabulary, and GPTQ
 * needs an in × in float64 Hessian per layer, so the table quantizes the first few blocks only,
 * calibrates on few windows of at most 128 BPE tokens and scores few held-out windows:
 * - `windowTokens`: tokens per calibration and held-out window (min with the model's positions);
 * - `calibWindows`: calibration windows (2 of 128 tokens … 16);
 * - `heldoutWindows`: held-out windows; the logits kept for KL are windows × tokens × vocab floats
 *   (4 × 128 × 50,257 × 4 bytes = 103 MB for GPT-2), twice over while a quantized model is scored;
 * - `hessianBudgetBytes`: the most the chosen blocks' Hessians may take (hessianBytes).
 */
export const OWN_MODEL_BOUNDS = {
  windowTokens: 128,
  calibWindows: { min: 2, max: 16, default: 4 },
  heldoutWindows: { min: 1, max: 8, default: 4 },
  hessianBudgetBytes: 300e6,
} as const;

/** The Linear layers of GPT-2's block `b`, in the order the forward pass meets them. */
const BLOCK_LINEARS = ['attn.c_attn', 'attn.c_proj', 'mlp.c_fc', 'mlp.c_proj'] as const;

/** Module paths of the Linear layers of the first `blocks` blocks (4 per block), e.g. 'transformer.h.0.attn.c_attn'. */
export function linearsOfBlocks(config: Pick<TinyLMConfig, 'n_layer'>, blocks: number): string[] {
  if (!Number.isInteger(blocks) || blocks < 1 || blocks > config.n_layer) throw new RangeError(`Blocks to quantize must be a whole number from 1 to ${config.n_layer}, got ${blocks}.`);
  return Array.from({ length: blocks }, (_, b) => BLOCK_LINEARS.map((m) => `transformer.h.${b}.${m}`)).flat();
}

/**
 * Bytes of the float64 Hessians (2/n)XᵀX of the first `blocks` blocks' Linear layers: per block
 * three layers read n_embd inputs and mlp.c_proj 4·n_embd, so 8 · (3C² + 16C²) = 152·C² bytes
 * (GPT-2 small, C = 768: 89.7 MB a block).
 */
export function hessianBytes(config: Pick<TinyLMConfig, 'n_embd'>, blocks: number): number {
  return 152 * config.n_embd * config.n_embd * blocks;
}

/**
 * Multiply-adds of GPTQ's error feedback over the first `blocks` blocks' Linear layers: quantizing
 * column i of a [rows, in] weight updates the rows × (in − 1 − i) weights after it, so
 * rows · in · (in − 1) / 2 per layer (gptq.ts; the Cholesky factor of H⁻¹ adds O(in³) once per
 * layer). A block's layers are [out, in] = [3C, C], [C, C], [4C, C], [C, 4C]: about 12·C³ in all
 * (GPT-2 small, C = 768: 5.4 billion a block).
 */
export function gptqMultiplyAdds(config: Pick<TinyLMConfig, 'n_embd'>, blocks: number): number {
  const C = config.n_embd;
  const layer = (rows: number, cols: number) => (rows * cols * (cols - 1)) / 2;
  return blocks * (layer(3 * C, C) + layer(C, C) + layer(4 * C, C) + layer(C, 4 * C));
}

/** The most leading blocks whose Hessians fit in `budgetBytes` (at least 1, at most n_layer). */
export function maxBlocksWithin(config: Pick<TinyLMConfig, 'n_embd' | 'n_layer'>, budgetBytes: number = OWN_MODEL_BOUNDS.hessianBudgetBytes): number {
  return Math.max(1, Math.min(config.n_layer, Math.floor(budgetBytes / hessianBytes(config, 1))));
}

/** A calibration of the first `blocks` blocks of a loaded checkpoint, over windows of `windowTokens` tokens. */
export type OwnCalibration = Calibration & { blocks: number; windowTokens: number };

/**
 * Captures the inputs of the first `blocks` blocks' Linear layers (linearsOfBlocks) of a loaded
 * GPT-2-family checkpoint over `windows` calibration windows of min(n_positions, 128) BPE tokens
 * (OWN_MODEL_BOUNDS), with the Hessians and AWQ_SAMPLE_ROWS rows, two windows per forward pass
 * (a batch's logits over GPT-2's vocabulary: 2 × 128 × 50,257 floats). Throws a RangeError when
 * the windows or blocks are out of bounds or the Hessians would exceed the budget.
 */
export async function captureOwnCalibration(deps: MethodsDeps, o: { windows: number; blocks: number }, onProgress?: (done: number, total: number) => void): Promise<OwnCalibration> {
  const { min, max } = OWN_MODEL_BOUNDS.calibWindows;
  if (!Number.isInteger(o.windows) || o.windows < min || o.windows > max) throw new RangeError(`Calibration windows must be a whole number from ${min} to ${max}, got ${o.windows}.`);
  const [{ tf }, weights, text] = await Promise.all([deps.compute(), deps.weights(), deps.calibrationText()]);
  const layers = linearsOfBlocks(weights.config, o.blocks);
  const most = maxBlocksWithin(weights.config);
  if (o.blocks > most) throw new RangeError(`The Hessians of ${o.blocks} blocks would take ${(hessianBytes(weights.config, o.blocks) / 1e6).toFixed(0)} MB; at most ${most} fit in ${OWN_MODEL_BOUNDS.hessianBudgetBytes / 1e6} MB.`);
  const windowTokens = Math.min(weights.config.block_size, OWN_MODEL_BOUNDS.windowTokens);
  const c = await calibrateModel(tf, weights, text, o.windows, { hessian: true, sampleRows: AWQ_SAMPLE_ROWS, batch: 2, layers, windowTokens, onProgress });
  return { ...c, blocks: o.blocks, windowTokens };
}

/** FP32's own score on the held-out windows: its logits are the reference for KL and top-1. */
export async function scoreFp32(compute: Compute, c: Calibration, windows: readonly EvalWindow[]): Promise<HeldOutScore> {
  return scoreWeights(compute.tf, c.config, c.values, c.shapes, windows, null);
}

/** The model with some Linear weights replaced (`replaced`: name → dequantized weight), scored against FP32's logits. */
export async function scoreReplaced(compute: Compute, c: Calibration, replaced: ReadonlyMap<string, Float32Array>, windows: readonly EvalWindow[], fp32Logits: Float32Array): Promise<HeldOutScore> {
  const values = new Map(c.values);
  for (const [k, v] of replaced) values.set(k, v);
  return scoreWeights(compute.tf, c.config, values, c.shapes, windows, fp32Logits);
}
