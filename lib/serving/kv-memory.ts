/**
 * The KV cache against the weights (the serving lesson's first widget), from lib/memory's
 * kvCacheBytes (2 × layers × KV heads × head_dim × bytes per value × context × batch) and
 * weightBytes over lib/lora's architecture presets. docs/numerics.md, "Serving".
 */
import { totalParameters, type Architecture } from '../lora/architectures';
import { kvCacheBytes, kvCacheBytesPerToken, MAX_KV_CONTEXT, weightBytes, type KvCacheDType, type WeightFormat } from '../memory';

/**
 * The shortest context at which `batch` sequences' cache reaches the weights' bytes:
 * ⌈weights / (bytes per token × batch)⌉, or null beyond MAX_KV_CONTEXT. Check: Llama-2-7B, FP16
 * cache and FP16 weights (13,476,831,232 bytes), batch 1 → ⌈13,476,831,232 / 524,288⌉ = 25,706 tokens.
 */
export function kvCrossoverContext(a: Architecture, dtype: KvCacheDType, batch: number, format: WeightFormat): number | null {
  const perToken = kvCacheBytesPerToken(a, dtype);
  kvCacheBytes(a, dtype, 1, batch); // checks the batch
  const c = Math.ceil(weightBytes(totalParameters(a), format) / (perToken * batch));
  return c <= MAX_KV_CONTEXT ? c : null;
}

export interface KvCurvePoint {
  context: number;
  bytes: number;
}

/** Cache bytes at each power of two from 2^minLog2 to 2^maxLog2 tokens of context, for `batch` sequences. */
export function kvCurve(a: Architecture, dtype: KvCacheDType, batch: number, minLog2 = 7, maxLog2 = 20): KvCurvePoint[] {
  const out: KvCurvePoint[] = [];
  for (let e = minLog2; e <= maxLog2; e++) out.push({ context: 2 ** e, bytes: kvCacheBytes(a, dtype, 2 ** e, batch) });
  return out;
}
