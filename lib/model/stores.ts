/**
 * One WeightStore per storage format for the quantized-inference comparison: FP32 keeps every tensor
 * as float32 (createFloat32Store); every other format stores the Linear weights quantized, packed on
 * WebGPU, and the rest as float32 (createQuantizedStore).
 */
import type { Compute } from '../compute';
import { createFloat32Store } from './float32-store';
import type { TinyLMWeights } from './load';
import { createQuantizedStore } from './quantized-store';
import type { WeightFormat, WeightStore } from './weights';

export function makeWeightStore(compute: Compute, format: WeightFormat, w: TinyLMWeights): WeightStore {
  return format === 'fp32' ? createFloat32Store(compute.tf, w.values, w.shapes) : createQuantizedStore(compute, w.values, w.shapes, format);
}
