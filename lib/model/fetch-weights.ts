/**
 * The tiny model's weights, fetched once per page and shared by every widget that needs them (the
 * quantization lab's real matrices, the quantized-inference comparison).
 */
import { fetchTinyLMWeights, type TinyLMWeights } from './load';

export type { TinyLMWeights } from './load';

const cache = new Map<string, Promise<TinyLMWeights>>();

/** fetchTinyLMWeights, once per URL per page; a failed fetch is forgotten so that a retry fetches again. */
export function sharedTinyLMWeights(url: string): Promise<TinyLMWeights> {
  let p = cache.get(url);
  if (!p) {
    p = fetchTinyLMWeights(url);
    cache.set(url, p);
    p.catch(() => cache.delete(url));
  }
  return p;
}
