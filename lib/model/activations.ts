/**
 * Calibration activations: the inputs X [tokens, in] of every Linear layer of the tiny model,
 * gathered over calibration windows on the active backend. Activation-aware methods read them:
 * LLM.int8() and SmoothQuant look at per-channel magnitudes max_t |x_tj|, AWQ at the mean
 * magnitude mean_t |x_tj|, GPTQ at the Hessian of the layer-wise loss H = (2/n) XᵀX (Frantar et al.
 * 2022; the reference code's `add_batch` accumulates the same sum). docs/numerics.md, "Beyond
 * round-to-nearest".
 *
 * The model reports each Linear input through its adapter hook (tiny-lm.ts `LinearAdapters`): the
 * capture computes the statistics there, on the device, keeps only those few tensors past the
 * forward pass's tidy, and folds them into float64 accumulators on the CPU after each batch.
 */
import type { Tensor, Tensor2D } from '@tensorflow/tfjs-core';
import type { Tfjs } from '../compute';
import { encodeText, type TinyLMConfig } from './config';
import { createFloat32Store } from './float32-store';
import type { TinyLMWeights } from './load';
import { TinyLM, type LinearAdapters } from './tiny-lm';

/** What the capture gathers for one Linear layer. */
export interface LinearInputStats {
  /** nanoGPT's module path, e.g. 'transformer.h.0.mlp.c_fc'. */
  name: string;
  /** Input features (columns of X, of W). */
  features: number;
  /** Rows of X seen: tokens over all windows. */
  tokens: number;
  /** max_t |x_tj| per input channel j. */
  absMax: Float32Array;
  /** mean_t |x_tj| per input channel j (float64 sums, stored as float32). */
  absMean: Float32Array;
  /** (2 / tokens) · XᵀX, features × features row-major, when asked for. */
  hessian: Float64Array | null;
  /** The first `sampleRows` rows of X, row-major (fewer if fewer tokens were seen). */
  sample: Float32Array;
  sampleRows: number;
}

export interface CaptureOptions {
  /** Accumulate (2/n) XᵀX for every layer (GPTQ's Hessian). Default false. */
  hessian?: boolean;
  /** Rows of X kept per layer, from the first window on. Default 0; at most MAX_SAMPLE_ROWS. */
  sampleRows?: number;
  /** Windows per forward pass. Default 8. */
  batch?: number;
  /** Called after each batch with windows done and in all; return false (or throw) to stop. */
  onProgress?: (done: number, total: number) => void;
  /**
   * Window counts (1..windows.length) after which `onSnapshot` receives the statistics of the
   * windows read so far — the first k windows, exactly what a capture over windows.slice(0, k)
   * returns (batches are cut at these counts). Lets one pass serve several calibration sizes.
   */
  snapshotsAt?: readonly number[];
  onSnapshot?: (windows: number, stats: LinearInputStats[]) => void;
  /**
   * Only these Linear layers (module paths, e.g. 'transformer.h.0.mlp.c_fc') are captured; the
   * others pass through untouched, so a large model's Hessians are held for the chosen layers only.
   * Absent: every Linear layer. A name the forward pass never meets is a RangeError.
   */
  layers?: readonly string[];
}

/** Largest number of rows of X a capture keeps per layer (a heatmap's worth). */
export const MAX_SAMPLE_ROWS = 4096;
/** Most windows one capture reads (128 characters each: 1 MiB of text). */
export const MAX_CAPTURE_WINDOWS = 8192;

interface Accumulator {
  name: string;
  features: number;
  tokens: number;
  absMax: Float32Array;
  absSum: Float64Array;
  xtx: Float64Array | null;
  sample: Float32Array;
  sampleRows: number;
}

interface Pending {
  name: string;
  rows: number;
  absMax: Tensor;
  absSum: Tensor;
  xtx: Tensor | null;
  sample: Tensor | null;
}

/**
 * Runs the model over `windows` (token id sequences of one length, 1..block_size) and returns the
 * statistics of every Linear layer's input, in the order the forward pass meets them (per block:
 * attn.c_attn, attn.c_proj, mlp.c_fc, mlp.c_proj). The model's own adapters (LoRA) are set aside
 * for the capture and put back afterwards; no tensor outlives the call.
 */
export async function captureLinearInputs(tf: Tfjs, model: TinyLM, windows: readonly (readonly number[])[], o: CaptureOptions = {}): Promise<LinearInputStats[]> {
  if (windows.length === 0) throw new RangeError('Calibration needs at least one window of text.');
  if (windows.length > MAX_CAPTURE_WINDOWS) throw new RangeError(`At most ${MAX_CAPTURE_WINDOWS} calibration windows, got ${windows.length}.`);
  const sampleRows = o.sampleRows ?? 0;
  if (!Number.isInteger(sampleRows) || sampleRows < 0 || sampleRows > MAX_SAMPLE_ROWS) throw new RangeError(`sampleRows must be a whole number from 0 to ${MAX_SAMPLE_ROWS}, got ${sampleRows}.`);
  const batch = o.batch ?? 8;
  if (!Number.isInteger(batch) || batch < 1) throw new RangeError(`batch must be a whole number ≥ 1, got ${batch}.`);
  const cuts = [...new Set(o.snapshotsAt ?? [])].sort((a, b) => a - b);
  for (const k of cuts) if (!Number.isInteger(k) || k < 1 || k > windows.length) throw new RangeError(`Snapshot window counts must be whole numbers from 1 to ${windows.length}, got ${k}.`);
  const T = windows[0].length;
  windows.forEach((w, i) => {
    if (w.length !== T) throw new RangeError(`Window ${i} has ${w.length} tokens; every window needs ${T}.`);
    model.checkTokens(w);
  });

  const acc = new Map<string, Accumulator>();
  const only = o.layers ? new Set(o.layers) : null;
  let pending: Pending[] = [];
  const hook: LinearAdapters = {
    delta(x: Tensor2D, prefix: string) {
      if (only && !only.has(prefix)) return null;
      const [rows, features] = x.shape;
      let a = acc.get(prefix);
      if (!a) {
        a = { name: prefix, features, tokens: 0, absMax: new Float32Array(features), absSum: new Float64Array(features), xtx: o.hessian ? new Float64Array(features * features) : null, sample: new Float32Array(sampleRows * features), sampleRows: 0 };
        acc.set(prefix, a);
      }
      const abs = tf.abs(x);
      const take = Math.min(rows, sampleRows - a.sampleRows - pending.filter((p) => p.name === prefix).reduce((s, p) => s + (p.sample ? p.sample.shape[0]! : 0), 0));
      pending.push({
        name: prefix,
        rows,
        absMax: tf.keep(tf.max(abs, 0)),
        absSum: tf.keep(tf.sum(abs, 0)),
        xtx: o.hessian ? tf.keep(tf.matMul(x, x, true, false)) : null,
        sample: take > 0 ? tf.keep(tf.slice(x, [0, 0], [take, features])) : null,
      });
      return null;
    },
  };

  const saved = model.adapters;
  model.adapters = hook;
  try {
    for (let start = 0, end = 0; start < windows.length; start = end) {
      end = Math.min(windows.length, start + batch, cuts.find((k) => k > start) ?? Infinity);
      const part = windows.slice(start, end);
      const logits = model.logitsBatchTensor(part);
      logits.dispose();
      const done = pending;
      pending = [];
      try {
        for (const p of done) await fold(acc.get(p.name)!, p);
      } finally {
        for (const p of done) tf.dispose([p.absMax, p.absSum, ...(p.xtx ? [p.xtx] : []), ...(p.sample ? [p.sample] : [])]);
      }
      if (o.onSnapshot && cuts.includes(end)) o.onSnapshot(end, finish(acc));
      o.onProgress?.(end, windows.length);
    }
  } finally {
    model.adapters = saved;
    for (const p of pending) tf.dispose([p.absMax, p.absSum, ...(p.xtx ? [p.xtx] : []), ...(p.sample ? [p.sample] : [])]);
  }
  const missing = o.layers?.filter((name) => !acc.has(name)) ?? [];
  if (missing.length > 0) throw new RangeError(`The model has no Linear layer ${missing.map((m) => `"${m}"`).join(', ')}.`);
  return finish(acc);
}

/** The statistics of the windows folded so far (copies: the accumulators may go on). */
function finish(acc: ReadonlyMap<string, Accumulator>): LinearInputStats[] {
  return [...acc.values()].map((a) => {
    const absMean = new Float32Array(a.features);
    for (let j = 0; j < a.features; j++) absMean[j] = a.absSum[j] / a.tokens;
    let hessian: Float64Array | null = null;
    if (a.xtx) {
      const k = 2 / a.tokens;
      hessian = a.xtx.map((v) => v * k);
    }
    return { name: a.name, features: a.features, tokens: a.tokens, absMax: a.absMax.slice(), absMean, hessian, sample: a.sample.slice(0, a.sampleRows * a.features), sampleRows: a.sampleRows };
  });
}

async function fold(a: Accumulator, p: Pending): Promise<void> {
  const [mx, sm, xtx, sample] = await Promise.all([p.absMax.data(), p.absSum.data(), p.xtx ? p.xtx.data() : null, p.sample ? p.sample.data() : null]);
  for (let j = 0; j < a.features; j++) {
    if (mx[j] > a.absMax[j]) a.absMax[j] = mx[j];
    a.absSum[j] += sm[j];
  }
  if (xtx && a.xtx) for (let i = 0; i < xtx.length; i++) a.xtx[i] += xtx[i];
  if (sample) {
    a.sample.set(sample as Float32Array, a.sampleRows * a.features);
    a.sampleRows += sample.length / a.features;
  }
  a.tokens += p.rows;
}

/**
 * Calibration windows from a text's token ids: `count` windows of `length` tokens, evenly spaced
 * from the start (window i starts at floor(i · (n − length) / max(1, count − 1))), so a few
 * thousand characters cover the whole text rather than its first page.
 */
export function calibrationWindows(ids: readonly number[], length: number, count: number): number[][] {
  if (!Number.isInteger(length) || length < 1) throw new RangeError(`Window length must be a whole number ≥ 1, got ${length}.`);
  if (!Number.isInteger(count) || count < 1) throw new RangeError(`The number of windows must be a whole number ≥ 1, got ${count}.`);
  if (ids.length < length) throw new RangeError(`The calibration text has ${ids.length} tokens; one window needs ${length}.`);
  const span = ids.length - length;
  const out: number[][] = [];
  for (let i = 0; i < count; i++) {
    const start = count === 1 ? 0 : Math.floor((i * span) / (count - 1));
    out.push(ids.slice(start, start + length));
  }
  return out;
}

/** A calibration of the model: its weights and the statistics of every Linear input. */
export interface ModelCalibration {
  config: TinyLMConfig;
  values: Map<string, Float32Array>;
  shapes: Map<string, number[]>;
  /** One entry per Linear layer, in the model's order. */
  stats: LinearInputStats[];
  /** Windows read (block_size tokens each unless calibrateModel was given fewer), and the wall time of the capture (ms). */
  windows: number;
  captureMs: number;
}

/**
 * Builds the FP32 model from `weights`, captures every Linear input (or `o.layers`) over
 * `windowCount` windows of min(block_size, `o.windowTokens`) tokens spread evenly through
 * `calibrationText` (encoded with the config's tokenizer: characters for the tiny model, BPE for a
 * GPT-2 checkpoint; calibrationWindows), and disposes the model. The activations and GPTQ/AWQ
 * lessons calibrate through this, with their own options.
 */
export async function calibrateModel(tf: Tfjs, weights: TinyLMWeights, calibrationText: string, windowCount: number, o: CaptureOptions & { windowTokens?: number } = {}): Promise<ModelCalibration> {
  const { config, values, shapes } = weights;
  const length = o.windowTokens === undefined ? config.block_size : Math.min(config.block_size, o.windowTokens);
  const windows = calibrationWindows(encodeText(config, calibrationText).ids, length, windowCount);
  const model = new TinyLM(tf, config, createFloat32Store(tf, values, shapes));
  const t0 = performance.now();
  try {
    const stats = await captureLinearInputs(tf, model, windows, o);
    return { config, values, shapes, stats, windows: windowCount, captureMs: performance.now() - t0 };
  } finally {
    model.dispose();
  }
}
