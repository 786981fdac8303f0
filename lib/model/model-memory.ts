/**
 * What the tiny model weighs in each storage format, from the layout rules alone (lib/quant
 * weight-formats `weightLayout`): the Linear weights in the format, every other tensor (embeddings,
 * LayerNorm, biases) in float32 — the split lib/model/quantized-store makes on the device.
 */
import { weightLayout, type WeightFormat } from '../quant/weight-formats';
import type { TinyLMConfig } from './config';
import { isQuantizedWeightName } from './quantized-store';
import { tinyLMTensorShapes } from './reference-forward';

export interface ModelStorage {
  /** Parameters in the Linear weights (quantized) and in everything else (kept float32). */
  linearParams: number;
  otherParams: number;
  linearBytes: number;
  otherBytes: number;
  totalBytes: number;
  /** 8 · linearBytes / linearParams. */
  linearBitsPerWeight: number;
}

/** Bytes of the model with its Linear weights in `format` (Σ weightLayout(format, shape).total) and the rest in float32 (4 bytes each). */
export function modelStorage(config: TinyLMConfig, format: WeightFormat): ModelStorage {
  let linearParams = 0, otherParams = 0, linearBytes = 0;
  for (const [name, shape] of tinyLMTensorShapes(config)) {
    const n = shape.reduce((a, b) => a * b, 1);
    if (isQuantizedWeightName(name)) {
      linearParams += n;
      linearBytes += weightLayout(format, shape).total;
    } else {
      otherParams += n;
    }
  }
  const otherBytes = 4 * otherParams;
  return { linearParams, otherParams, linearBytes, otherBytes, totalBytes: linearBytes + otherBytes, linearBitsPerWeight: (8 * linearBytes) / linearParams };
}

/** Every parameter of the model: Σ over tinyLMTensorShapes (the tied lm_head counted once). */
export function parameterCount(config: TinyLMConfig): number {
  let n = 0;
  for (const shape of tinyLMTensorShapes(config).values()) n += shape.reduce((a, b) => a * b, 1);
  return n;
}
