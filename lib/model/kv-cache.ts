/**
 * The KV cache of the tiny GPT's tfjs forward pass: for each block, the keys and values of every
 * position fed so far, per head ([n_head, t, head_dim]), kept on the backend. A decode step computes
 * q, k, v for the new position only, appends k and v, and attends over the cache: the same numbers as
 * the forward pass over the whole context, at the cost of one position (docs/numerics.md, "Decoding with a KV cache").
 *
 * Memory: 2 (K and V) × layers × n_embd × 4 bytes per position in float32 — the formula of
 * lib/memory `kvCacheBytes` with kv_heads × head_dim = n_embd.
 */
import type { Tensor3D } from '@tensorflow/tfjs-core';

export interface KvLayer {
  k: Tensor3D;
  v: Tensor3D;
}

/** Keys and values per block; `length` positions so far, at most `capacity` (the model's block_size). */
export class KvCache {
  private layers: (KvLayer | null)[];
  private disposed = false;
  length = 0;

  constructor(readonly nLayer: number, readonly capacity: number) {
    this.layers = Array.from({ length: nLayer }, () => null);
  }

  /** Block `layer`'s keys and values, null before the first position. */
  get(layer: number): KvLayer | null {
    if (this.disposed) throw new Error('This KV cache has been disposed.');
    return this.layers[layer];
  }

  /** Replaces block `layer`'s tensors (the cache owns them from now on) and frees the old ones. */
  set(layer: number, kv: KvLayer): void {
    if (this.disposed) throw new Error('This KV cache has been disposed.');
    const old = this.layers[layer];
    this.layers[layer] = kv;
    if (old && old.k !== kv.k) old.k.dispose();
    if (old && old.v !== kv.v) old.v.dispose();
  }

  /** Bytes the cached keys and values take on the backend: 2 × layers × length × n_embd × 4. */
  bytes(): number {
    return this.layers.reduce((s, kv) => s + (kv ? (kv.k.size + kv.v.size) * 4 : 0), 0);
  }

  dispose(): void {
    if (this.disposed) return;
    this.disposed = true;
    for (const kv of this.layers) {
      kv?.k.dispose();
      kv?.v.dispose();
    }
    this.layers = [];
  }
}
