/**
 * Round-to-nearest, GPTQ and AWQ on the whole tiny model: every Linear weight quantized by one
 * method at one setting (bits, group size) from the calibration statistics (activations.ts), the
 * model rebuilt from the dequantized weights, and its held-out perplexity, KL divergence from FP32
 * and top-1 agreement measured. The quantizers are lib/quant's CPU references (gptq.ts, awq.ts;
 * docs/numerics.md, "Beyond round-to-nearest"); the forward passes run on the active backend.
 *
 * One simplification against the reference scripts: every layer is calibrated on the FP32 model's
 * inputs (one capture), where GPTQ's and AWQ's scripts walk the model block by block and calibrate
 * each block on the outputs of the blocks already quantized. The embeddings and LayerNorms stay
 * float32, as in the rest of the course.
 */
import type { Compute, Tfjs } from '../compute';
import { awqOnDevice } from '../compute/awq-gpu';
import { gptqOnDevice, type MethodPath } from '../compute/gptq-gpu';
import { awq } from '../quant/awq';
import { gptq, gptqProxyLoss, gptqRoundToNearest } from '../quant/gptq';
import { mseClippedRows } from '../quant/mse-rows';
import type { LinearInputStats } from './activations';
import type { TinyLMConfig } from './config';
import { crossEntropy, klDivergence, perplexity, top1Agreement, type EvalWindow } from './eval';
import { createFloat32Store } from './float32-store';
import { TinyLM, type LinearAdapters } from './tiny-lm';

export type WeightMethod = 'rtn' | 'mse' | 'gptq' | 'awq';

export const WEIGHT_METHOD_LABELS: Readonly<Record<WeightMethod, string>> = {
  rtn: 'Round to nearest',
  mse: 'Round to nearest, MSE-clipped rows',
  gptq: 'GPTQ',
  awq: 'AWQ',
};

export interface MethodSetting {
  /** Bits per code, 2–8. */
  bits: number;
  /** Columns per group along a row (must divide every layer's input features), or −1 for one per row. */
  groupSize: number;
}

export interface LayerOutcome {
  /** The Linear's module path, e.g. 'transformer.h.0.mlp.c_fc'. */
  name: string;
  /** GPTQ's layer-wise proxy loss tr((W − Q) H (W − Q)ᵀ) with the calibration Hessian, for any method. */
  proxyLoss: number;
  /** AWQ's chosen α (null for the other methods). */
  alpha: number | null;
  /** Wall time of this layer's quantization, ms. */
  ms: number;
  /** Where the heavy part ran: 'cpu-reference' (lib/quant) or a tfjs backend. */
  path: MethodPath;
}

export interface QuantizedLinears {
  /** The model's tensors with every calibrated Linear weight replaced by its dequantized value. */
  values: Map<string, Float32Array>;
  layers: LayerOutcome[];
  /** Sum of the layers' times, ms. */
  ms: number;
}

/**
 * The setting as a layer of `cols` inputs takes it: a group wider than the row is one group per row
 * (groupSize −1), as in GPTQ's reference code (its first group, W[:, 0:groupsize], is then the
 * whole row), so a small checkpoint (n_embd 32) runs at group 128 too. Other groups are unchanged.
 */
export function settingForLayer(setting: MethodSetting, cols: number): MethodSetting {
  return setting.groupSize !== -1 && setting.groupSize > cols ? { ...setting, groupSize: -1 } : setting;
}

/** One layer's weight, shape and calibration data, checked: what every quantizer needs. */
function layerInputs(values: ReadonlyMap<string, Float32Array>, shapes: ReadonlyMap<string, readonly number[]>, s: LinearInputStats, method: WeightMethod) {
  const key = `${s.name}.weight`;
  const w = values.get(key);
  const shape = shapes.get(key);
  if (!w || !shape || shape.length !== 2) throw new RangeError(`The model has no Linear weight "${key}".`);
  const [rows, cols] = shape as [number, number];
  if (cols !== s.features) throw new RangeError(`"${key}" has ${cols} inputs; its calibration data has ${s.features}.`);
  if (!s.hessian) throw new RangeError(`The calibration of "${s.name}" has no Hessian: capture with { hessian: true }.`);
  if (method === 'awq' && s.sampleRows === 0) throw new RangeError(`AWQ needs sampled inputs of "${s.name}": capture with sampleRows > 0.`);
  return { key, w, shape: [rows, cols] as [number, number], hessian: s.hessian };
}

/**
 * Quantizes every Linear weight `${name}.weight` for which `stats` holds calibration data, by
 * `method` at `setting` (a group wider than a layer's row of inputs: one group per row,
 * settingForLayer): 'rtn' is round-to-nearest on GPTQ's grid (min/max including 0, per row or
 * group, no error feedback); 'mse' round-to-nearest with each row's range chosen by the MSE search
 * (lib/quant/mse-rows.ts; per row only); 'gptq' the reference algorithm with the layer's Hessian (2/n)XᵀX,
 * damp 1%, blocks of 128; 'awq' llm-awq's scale search over α = k/20 on the layer's sampled inputs,
 * with its group-wise zero-point grid. `values` holds the model's float32 tensors by name, `shapes`
 * their shapes ([out, in] for Linear weights). `now` is a clock in ms (injected for tests).
 * lib/quant's CPU references run here; quantizeLinearsOnDevice runs GPTQ and AWQ on the GPU.
 */
export function quantizeLinears(
  values: ReadonlyMap<string, Float32Array>,
  shapes: ReadonlyMap<string, readonly number[]>,
  stats: readonly LinearInputStats[],
  method: WeightMethod,
  setting: MethodSetting,
  now: () => number = () => performance.now(),
): QuantizedLinears {
  const out = new Map(values);
  const layers: LayerOutcome[] = [];
  for (const s of stats) {
    const { key, w, shape, hessian } = layerInputs(values, shapes, s, method);
    const layerSetting = settingForLayer(setting, shape[1]);
    const t0 = now();
    let weight: Float32Array;
    let alpha: number | null = null;
    if (method === 'rtn') {
      weight = gptqRoundToNearest(w, shape, layerSetting).weight;
    } else if (method === 'mse') {
      if (setting.groupSize !== -1) throw new RangeError('MSE-clipped rounding chooses one range per row: use groupSize −1.');
      weight = mseClippedRows(w, shape, setting.bits).weight;
    } else if (method === 'gptq') {
      weight = gptq(w, shape, hessian, layerSetting).weight;
    } else {
      const r = awq(w, shape, s.sample, [s.sampleRows, shape[1]], layerSetting);
      weight = r.weight;
      alpha = r.alpha;
    }
    const ms = now() - t0;
    out.set(key, weight);
    layers.push({ name: s.name, proxyLoss: gptqProxyLoss(w, weight, shape, hessian), alpha, ms, path: 'cpu-reference' });
  }
  return { values: out, layers, ms: layers.reduce((a, l) => a + l.ms, 0) };
}

/**
 * quantizeLinears with GPTQ's column loop and AWQ's α search on the active backend
 * (lib/compute gptqOnDevice, awqOnDevice: float32, checked against the references on the "Check
 * your GPU" page). Round-to-nearest has no heavy part and runs the CPU reference. `onLayer(done,
 * total, name)` reports each finished layer; return false from it to stop (the result so far is
 * then returned, with fewer layers).
 */
export async function quantizeLinearsOnDevice(
  compute: Compute,
  values: ReadonlyMap<string, Float32Array>,
  shapes: ReadonlyMap<string, readonly number[]>,
  stats: readonly LinearInputStats[],
  method: WeightMethod,
  setting: MethodSetting,
  onLayer?: (done: number, total: number, name: string) => boolean | void,
  now: () => number = () => performance.now(),
): Promise<QuantizedLinears> {
  if (method === 'rtn' || method === 'mse') return quantizeLinears(values, shapes, stats, method, setting, now);
  const out = new Map(values);
  const layers: LayerOutcome[] = [];
  for (const s of stats) {
    const { key, w, shape, hessian } = layerInputs(values, shapes, s, method);
    const t0 = now();
    const layerSetting = settingForLayer(setting, shape[1]);
    const r = method === 'gptq'
      ? { ...(await gptqOnDevice(compute, w, shape, hessian, layerSetting)), alpha: null }
      : await awqOnDevice(compute, w, shape, s.sample, [s.sampleRows, shape[1]], layerSetting);
    const ms = now() - t0;
    out.set(key, r.weight);
    layers.push({ name: s.name, proxyLoss: gptqProxyLoss(w, r.weight, shape, hessian), alpha: r.alpha, ms, path: r.path });
    if (onLayer?.(layers.length, stats.length, s.name) === false) break;
  }
  return { values: out, layers, ms: layers.reduce((a, l) => a + l.ms, 0) };
}

export interface HeldOutScore {
  perplexity: number;
  /** Mean KL(P_fp32 ‖ P_model) over the held-out positions, nats (0 when `reference` is the model's own logits). */
  klFromFp32: number;
  /** Share of held-out positions whose most likely next token matches FP32's. */
  top1Agreement: number;
  /** The logits, [windows × block_size, vocab] row-major, e.g. to serve as the FP32 reference. */
  logits: Float32Array;
}

/**
 * The tiny model built from `values` (float32 store) scored on held-out `windows`: perplexity
 * exp(mean NLL), and against `reference` logits (FP32's; null scores against itself) the mean KL and
 * the top-1 agreement (eval.ts). `adapters`, if given, are added to the Linear outputs (e.g. the
 * activation quantization of activation-quant-forward.ts); the caller owns them. The model is
 * disposed before this returns.
 */
export async function scoreWeights(
  tf: Tfjs,
  config: TinyLMConfig,
  values: ReadonlyMap<string, Float32Array>,
  shapes: ReadonlyMap<string, readonly number[]>,
  windows: readonly EvalWindow[],
  reference: Float32Array | null,
  adapters: LinearAdapters | null = null,
): Promise<HeldOutScore> {
  const model = new TinyLM(tf, config, createFloat32Store(tf, values, shapes), { adapters });
  try {
    const t = model.logitsBatchTensor(windows.map((w) => w.inputs));
    let logits: Float32Array;
    try {
      logits = (await t.data()) as Float32Array;
    } finally {
      t.dispose();
    }
    const targets = windows.flatMap((w) => w.targets);
    const ref = reference ?? logits;
    return {
      perplexity: perplexity(crossEntropy(logits, config.vocab_size, targets)),
      klFromFp32: klDivergence(ref, logits, config.vocab_size),
      top1Agreement: top1Agreement(ref, logits, config.vocab_size),
      logits,
    };
  } finally {
    model.dispose();
  }
}
