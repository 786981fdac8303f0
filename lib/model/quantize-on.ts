/**
 * Where the GPTQ and AWQ lesson's whole-model table quantizes each method: on the page's backend
 * (lib/compute gptq-gpu.ts, awq-gpu.ts) or as lib/quant's CPU references in a worker. Kept apart
 * from methods-engine.ts so the page can decide without loading the engine.
 */
import type { Compute } from '../compute';
import type { WeightMethod } from './weight-methods';

/** Where the table quantizes: 'gpu' (GPTQ and AWQ on the page's backend), 'cpu' (the references in a worker), or 'auto'. */
export type QuantizeOn = 'auto' | 'gpu' | 'cpu';

/**
 * Whether `method` runs on the page's backend: never for round-to-nearest, plain or MSE-clipped (nothing heavy to move);
 * GPTQ only with WebGPU (its kernel is WGSL); 'auto' keeps a software GPU (SwiftShader) on the CPU,
 * where the GPU paths measured several times slower than the CPU references on the whole tiny model
 * (the GPU emulated on the same CPU cores, and its shader compiles counted in the first layer).
 */
export function quantizesOnDevice(method: WeightMethod, on: QuantizeOn, compute: Pick<Compute, 'webgpu' | 'software'>): boolean {
  if (method === 'rtn' || method === 'mse' || on === 'cpu' || (on === 'auto' && compute.software)) return false;
  return method === 'awq' || compute.webgpu !== null;
}

