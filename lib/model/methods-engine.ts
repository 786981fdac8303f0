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

/** Held-out windows of the model's block size from held-out text (eval.ts evalWindows). */
export function heldoutWindows(config: TinyLMConfig, text: string, count: number): EvalWindow[] {
  return evalWindows(encodeText(config, text).ids, config.block_size, count);
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
