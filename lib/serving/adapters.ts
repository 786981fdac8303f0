/**
 * Serving LoRA adapters (Hu et al. 2021): merged into the weights, W' = W + (α/r) B A, one full copy
 * of the model per adapter and no extra work per token; or kept separate, one base shared by every
 * adapter plus r · (in + out) parameters per adapted Linear per adapter, at the cost of two thin
 * matmuls per adapted Linear per token (x Aᵀ then · Bᵀ: 2 · r · (in + out) FLOPs) — the multi-adapter
 * serving of S-LoRA (Sheng et al. 2023) and Punica (Chen et al. 2023). Parameter counts from
 * lib/lora (loraTrainableParams, parameterBreakdown); bytes from lib/memory. docs/numerics.md, "Serving".
 */
import { parameterBreakdown, type Architecture } from '../lora/architectures';
import { loraTrainableParams, type LoraTargets } from '../lora/params';
import { weightBytes, type WeightFormat } from '../memory';

export interface AdapterServingCost {
  /** Bytes of model weights held to serve `adapters` adapters. */
  bytes: number;
  /** FLOPs per generated token (Linear layers and lm_head; attention scores excluded). */
  flopsPerToken: number;
  /** Extra FLOPs per token over the base model alone. */
  extraFlopsPerToken: number;
}

export interface AdapterServingOptions {
  targets: LoraTargets;
  r: number;
  adapters: number;
  /** Base weights' storage. */
  format: WeightFormat;
  /** Bytes per adapter parameter (2 for FP16). */
  adapterBytes: number;
}

/** Max number of adapters the widget accepts. */
export const MAX_ADAPTERS = 1000;

/**
 * FLOPs per token of the base model: 2 × (Linear parameters + the output projection vocab · hidden,
 * tied or not) — a multiply and an add per weight the token passes through.
 */
export function baseFlopsPerToken(a: Architecture): number {
  return 2 * (parameterBreakdown(a).linear + a.vocab * a.hidden);
}

function check(o: AdapterServingOptions): void {
  if (!Number.isSafeInteger(o.adapters) || o.adapters < 1 || o.adapters > MAX_ADAPTERS) throw new RangeError(`adapters must be a whole number from 1 to ${MAX_ADAPTERS}, got ${o.adapters}`);
  if (!(o.adapterBytes > 0)) throw new RangeError(`adapterBytes must be positive, got ${o.adapterBytes}`);
}

/** Merged: adapters × weightBytes(total parameters, format); FLOPs per token as the base's. */
export function mergedServing(a: Architecture, o: AdapterServingOptions): AdapterServingCost {
  check(o);
  loraTrainableParams(a, o.targets, o.r); // checks r
  const base = baseFlopsPerToken(a);
  return { bytes: o.adapters * weightBytes(parameterBreakdown(a).total, o.format), flopsPerToken: base, extraFlopsPerToken: 0 };
}

/**
 * Separate: weightBytes(total, format) + adapters × loraTrainableParams × adapterBytes; each token
 * runs its own adapter, 2 × loraTrainableParams extra FLOPs. Check: Llama-2-7B, q and v, r = 8:
 * 4,194,304 parameters = 8.39 MB in FP16 per adapter, 8,388,608 extra FLOPs per token.
 */
export function separateServing(a: Architecture, o: AdapterServingOptions): AdapterServingCost {
  check(o);
  const lora = loraTrainableParams(a, o.targets, o.r);
  const base = baseFlopsPerToken(a);
  return {
    bytes: weightBytes(parameterBreakdown(a).total, o.format) + o.adapters * lora * o.adapterBytes,
    flopsPerToken: base + 2 * lora,
    extraFlopsPerToken: 2 * lora,
  };
}
