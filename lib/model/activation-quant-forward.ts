/**
 * W8A8 against weight-only quantization on the whole tiny model. Weight-only schemes (W8A16, W4A16)
 * replace each Linear weight by its dequantized copy and leave activations in float. W8A8 also
 * fake-quantizes every Linear's input x on the fly, as SmoothQuant's `W8A8Linear` does
 * (mit-han-lab `smoothquant/fake_quant.py`): symmetric absmax int8, one scale per token (dynamic) or
 * one per tensor from a calibrated range (static), q = clamp(round(x / scale), ±127), round half to
 * even (tf.round), x' = q · scale. lib/quant/activation-quant.ts is the float64 CPU reference;
 * docs/numerics.md, "Beyond round-to-nearest".
 *
 * The activation quantizer runs through the model's adapter hook (tiny-lm.ts `LinearAdapters`): the
 * model computes x W'ᵀ + b with the dequantized weight W', and the adapter adds (x' − x) W'ᵀ, so the
 * layer's output is x' W'ᵀ + b.
 */
import type { Tensor2D } from '@tensorflow/tfjs-core';
import type { Tfjs } from '../compute';
import { quantizeWeightsAbsmax } from '../quant/activation-quant';
import { gptqRoundToNearest } from '../quant/gptq';
import type { LinearInputStats } from './activations';
import type { TinyLMConfig } from './config';
import type { EvalWindow } from './eval';
import type { LinearAdapters } from './tiny-lm';
import { scoreWeights, type HeldOutScore } from './weight-methods';

export type ActivationScheme = 'fp32' | 'w8a16' | 'w4a16' | 'w8a8-token' | 'w8a8-static';

export const ACTIVATION_SCHEMES: readonly ActivationScheme[] = ['fp32', 'w8a16', 'w4a16', 'w8a8-token', 'w8a8-static'];

export const ACTIVATION_SCHEME_LABELS: Readonly<Record<ActivationScheme, string>> = {
  fp32: 'FP32 (reference)',
  w8a16: 'W8A16: int8 weights, float activations',
  w4a16: 'W4A16: int4 weights (groups of 64), float activations',
  'w8a8-token': 'W8A8: int8 weights, int8 activations per token (dynamic)',
  'w8a8-static': 'W8A8: int8 weights, int8 activations per tensor (static, calibrated)',
};

/** Group size of the W4A16 scheme's int4 weights. */
export const W4_GROUP_SIZE = 64;

/**
 * Dequantized copies of the Linear weights `${name}.weight` for each name in `linears`: 'int8' is
 * symmetric absmax per output channel (SmoothQuant's `quantize_weight_per_channel_absmax`), 'int4'
 * round-to-nearest on GPTQ's min/max grid in groups of W4_GROUP_SIZE (gptq.ts
 * `gptqRoundToNearest`). Other tensors are shared with `values`.
 */
export function quantizedWeightValues(
  values: ReadonlyMap<string, Float32Array>,
  shapes: ReadonlyMap<string, readonly number[]>,
  linears: readonly string[],
  weights: 'int8' | 'int4',
): Map<string, Float32Array> {
  const out = new Map(values);
  for (const name of linears) {
    const key = `${name}.weight`;
    const w = values.get(key);
    const shape = shapes.get(key);
    if (!w || !shape || shape.length !== 2) throw new RangeError(`The model has no Linear weight "${key}".`);
    const s = shape as [number, number];
    out.set(key, weights === 'int8' ? Float32Array.from(quantizeWeightsAbsmax(w, s, { granularity: 'per-channel' }).values) : gptqRoundToNearest(w, s, { bits: 4, groupSize: W4_GROUP_SIZE }).weight);
  }
  return out;
}

/** How the Linear inputs are quantized: dynamic per token, or static per tensor with one calibrated absmax per layer. */
export type ActivationQuantMode = { granularity: 'per-token' } | { granularity: 'per-tensor'; staticAbsmax: ReadonlyMap<string, number> };

/** Static per-tensor ranges from a calibration capture: each layer's largest |x| over all channels and tokens. */
export function staticRanges(stats: readonly LinearInputStats[]): Map<string, number> {
  return new Map(stats.map((s) => [s.name, s.absMax.reduce((m, v) => Math.max(m, v), 0)]));
}

/**
 * Int8 absmax fake quantization of x [N, in] on the device: scale = max(absmax, 1e-5) / 127 per
 * row (per token) or from `staticAbsmax`; x' = clamp(round(x / scale), −127, 127) · scale.
 */
export function fakeQuantizeInt8(tf: Tfjs, x: Tensor2D, staticAbsmax?: number): Tensor2D {
  return tf.tidy(() => {
    const absmax = staticAbsmax === undefined ? tf.max(tf.abs(x), 1, true) : tf.scalar(staticAbsmax);
    const scale = tf.div(tf.maximum(absmax, 1e-5), 127);
    return tf.mul(tf.clipByValue(tf.round(tf.div(x, scale)), -127, 127), scale) as Tensor2D;
  });
}

/**
 * The adapter that turns a model's Linears into W8A8 layers: for the Linear `prefix` it returns
 * (x' − x) W'ᵀ with x' the int8 fake-quantized input and W' the weight `${prefix}.weight` in
 * `weights` (the model's own, already dequantized). Holds W'ᵀ per layer on the device; dispose() frees them.
 */
export function activationQuantAdapters(tf: Tfjs, weights: ReadonlyMap<string, Float32Array>, shapes: ReadonlyMap<string, readonly number[]>, linears: readonly string[], mode: ActivationQuantMode): LinearAdapters & { dispose(): void } {
  const held = new Map<string, Tensor2D>();
  for (const name of linears) {
    const key = `${name}.weight`;
    const w = weights.get(key);
    const shape = shapes.get(key);
    if (!w || !shape || shape.length !== 2) throw new RangeError(`The model has no Linear weight "${key}".`);
    if (mode.granularity === 'per-tensor' && !mode.staticAbsmax.has(name)) throw new RangeError(`No calibrated range for "${name}".`);
    held.set(name, tf.tensor2d(w, shape as [number, number]));
  }
  return {
    delta(x: Tensor2D, prefix: string) {
      const w = held.get(prefix);
      if (!w) return null;
      const xq = fakeQuantizeInt8(tf, x, mode.granularity === 'per-tensor' ? mode.staticAbsmax.get(prefix) : undefined);
      return tf.matMul(tf.sub(xq, x), w, false, true);
    },
    dispose() {
      for (const t of held.values()) t.dispose();
      held.clear();
    },
  };
}

/**
 * The tiny model under `scheme` scored on held-out `windows` against `reference` logits (FP32's;
 * null for the scheme's own): perplexity, KL from FP32 and top-1 agreement (weight-methods.ts
 * `scoreWeights`). `stats` supplies the Linear names and, for 'w8a8-static', the calibrated ranges.
 */
export async function scoreActivationScheme(
  tf: Tfjs,
  config: TinyLMConfig,
  values: ReadonlyMap<string, Float32Array>,
  shapes: ReadonlyMap<string, readonly number[]>,
  stats: readonly LinearInputStats[],
  scheme: ActivationScheme,
  windows: readonly EvalWindow[],
  reference: Float32Array | null,
): Promise<HeldOutScore> {
  const linears = stats.map((s) => s.name);
  if (scheme === 'fp32') return scoreWeights(tf, config, values, shapes, windows, reference);
  const weights = quantizedWeightValues(values, shapes, linears, scheme === 'w4a16' ? 'int4' : 'int8');
  if (scheme === 'w8a16' || scheme === 'w4a16') return scoreWeights(tf, config, weights, shapes, windows, reference);
  const mode: ActivationQuantMode = scheme === 'w8a8-token' ? { granularity: 'per-token' } : { granularity: 'per-tensor', staticAbsmax: staticRanges(stats) };
  const adapters = activationQuantAdapters(tf, weights, shapes, linears, mode);
  try {
    return await scoreWeights(tf, config, weights, shapes, windows, reference, adapters);
  } finally {
    adapters.dispose();
  }
}
