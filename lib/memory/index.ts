/**
 * How many bytes a model's weights take in each number format — the arithmetic behind
 * "Why quantize?". Sources: docs/numerics.md ("LoRA and QLoRA" memory figures and
 * "4-bit blockwise" double-quantization cost) and, for the KV cache, "Beyond round-to-nearest". Bytes are decimal (1 GB = 10^9 bytes), as model
 * sizes are quoted; GPU memory is sold in binary units (an "80 GB" card holds 80 GiB = 80 x 2^30 bytes).
 */

import { fourBitBitsPerParameter } from '../quant/four-bit';
import { parseWeightFormat, WEIGHT_FORMAT_TABLE, WEIGHT_FORMATS, type WeightFormat, type WeightFormatName } from '../quant/weight-formats';
import { quoteInput } from '../text/input';

/**
 * The storage formats are lib/quant's registry (lib/quant/weight-formats.ts). The memory figures
 * also accept the registry's aliases: 'int8' for 'int8-channel' and 'int4' for 'int4-group64'.
 */
export { WEIGHT_FORMATS, type WeightFormat, type WeightFormatName };

/** Short names of the formats in the memory figures (each registry entry's `shortLabel`): 'INT8', 'NF4 + DQ'. */
export const WEIGHT_FORMAT_LABELS = Object.freeze(
  Object.fromEntries(WEIGHT_FORMATS.map((f) => [f, WEIGHT_FORMAT_TABLE[f].shortLabel])),
) as Readonly<Record<WeightFormat, string>>;

/** Bits per parameter of bitsandbytes' 4-bit storage: lib/quant/four-bit, re-exported for the memory figures. */
export { fourBitBitsPerParameter };

/**
 * Bits one weight takes in `format` (a format or an alias), the registry entry's `bitsPerWeight`
 * (docs/numerics.md, "Memory"): 32, 16, 16, 8, 4 and 4.126953125 for NF4 + DQ. INT8 and INT4
 * count the codes only (no scales). Throws a RangeError for an unknown name.
 */
export function bitsPerParameter(format: WeightFormatName): number {
  return WEIGHT_FORMAT_TABLE[parseWeightFormat(format)].bitsPerWeight;
}

/** Bytes of `parameters` weights: parameters x bits / 8 (docs/numerics.md seed figures: 65e9 x 4 = 260 GB). */
export function weightBytes(parameters: number, format: WeightFormatName): number {
  if (!Number.isFinite(parameters) || parameters < 0) throw new RangeError('parameter count must be a finite number >= 0');
  return (parameters * bitsPerParameter(format)) / 8;
}

export const BYTES_PER_GB = 1e9;
export const BYTES_PER_GIB = 2 ** 30;

/** Where a card is sold: a gaming PC, a workstation, or a data-centre server. */
export type GpuTier = 'consumer' | 'workstation' | 'data centre';

export interface GpuCard {
  /** The card's name as NVIDIA sells it. */
  name: string;
  /** Memory as the card is sold ("80 GB"), read as GiB (fitsInGpu). */
  gib: number;
  tier: GpuTier;
}

/**
 * Current NVIDIA cards, one per memory size, as their spec sheets give the memory: RTX 4090 24 GB
 * and RTX 5090 32 GB (GDDR6X / GDDR7, consumer); RTX 6000 Ada 48 GB and RTX PRO 6000 Blackwell
 * 96 GB (workstation); H100 80 GB (SXM/PCIe, HBM3), H200 141 GB and B200 192 GB (HBM3e, data
 * centre). The sizes are nominal: the driver reports a little less (ECC, reserved memory), and
 * HGX/DGX B200 systems give each B200 180 GB.
 */
export const GPU_CARDS: readonly GpuCard[] = [
  { name: 'RTX 4090', gib: 24, tier: 'consumer' },
  { name: 'RTX 5090', gib: 32, tier: 'consumer' },
  { name: 'RTX 6000 Ada', gib: 48, tier: 'workstation' },
  { name: 'H100', gib: 80, tier: 'data centre' },
  { name: 'RTX PRO 6000 Blackwell', gib: 96, tier: 'workstation' },
  { name: 'H200', gib: 141, tier: 'data centre' },
  { name: 'B200', gib: 192, tier: 'data centre' },
];

/** The memory sizes of GPU_CARDS, in GiB, ascending (24, 32, 48, 80, 96, 141, 192). */
export const GPU_MEMORY_GIB: readonly number[] = GPU_CARDS.map((c) => c.gib);

/** True when `bytes` fit in a card of `gib` GiB: bytes <= gib · 2^30 (the caller says what the bytes count). */
export function fitsInGpu(bytes: number, gib: number): boolean {
  return bytes <= gib * BYTES_PER_GIB;
}

/** Data types a KV cache is stored in. */
export type KvCacheDType = 'fp16' | 'bf16' | 'fp8' | 'int8' | 'int4';

export const KV_CACHE_DTYPES: readonly KvCacheDType[] = ['fp16', 'bf16', 'fp8', 'int8', 'int4'];

export const KV_CACHE_DTYPE_LABELS: Readonly<Record<KvCacheDType, string>> = {
  fp16: 'FP16', bf16: 'BF16', fp8: 'FP8', int8: 'INT8', int4: 'INT4',
};

/**
 * Bytes per cached value: 2 (FP16, BF16), 1 (FP8 E4M3/E5M2, INT8), 0.5 (INT4). Integer caches also
 * store scales (e.g. llama.cpp's q8_0 and q4_0 cache types: 8.5 and 4.5 bits); like the weights'
 * INT8/INT4 rows, the codes alone are counted here.
 */
export const KV_CACHE_BYTES_PER_VALUE: Readonly<Record<KvCacheDType, number>> = { fp16: 2, bf16: 2, fp8: 1, int8: 1, int4: 0.5 };

/** The attention shape that sets the KV cache's size (lib/lora/architectures' presets have these fields). */
export interface KvCacheShape {
  layers: number;
  /** Key/value heads: fewer than the query heads under grouped-query attention (Llama-3, Mistral, Llama-2-70B). */
  kvHeads: number;
  headDim: number;
}

function checkWhole(name: string, v: number, min: number): void {
  if (!Number.isSafeInteger(v) || v < min) throw new RangeError(`${name} must be a whole number >= ${min}, got ${v}`);
}

/**
 * KV cache bytes per token (docs/numerics.md, "Beyond round-to-nearest"): every layer keeps a key and a
 * value vector per KV head, so 2 × layers × kvHeads × headDim × bytes per value.
 * Check: Llama-2-7B (32 layers, 32 KV heads × 128) in FP16 = 524,288 bytes = 0.5 MiB.
 */
export function kvCacheBytesPerToken(shape: KvCacheShape, dtype: KvCacheDType): number {
  checkWhole('layers', shape.layers, 1);
  checkWhole('kvHeads', shape.kvHeads, 1);
  checkWhole('headDim', shape.headDim, 1);
  return 2 * shape.layers * shape.kvHeads * shape.headDim * KV_CACHE_BYTES_PER_VALUE[dtype];
}

/** Longest context the course's widgets and figures accept: 2^20 = 1,048,576 tokens. */
export const MAX_KV_CONTEXT = 2 ** 20;
/** Largest batch (concurrent sequences) they accept. */
export const MAX_KV_BATCH = 1024;

/**
 * KV cache bytes of `batch` sequences of `context` tokens each, every position filled:
 * kvCacheBytesPerToken × context × batch. Check: Llama-2-7B in FP16 at 4,096 tokens × 16 sequences
 * = 0.5 MiB × 65,536 = 32 GiB = 34.4 GB, against 13.5 GB of FP16 weights.
 */
export function kvCacheBytes(shape: KvCacheShape, dtype: KvCacheDType, context: number, batch: number): number {
  checkWhole('context', context, 1);
  checkWhole('batch', batch, 1);
  if (context > MAX_KV_CONTEXT) throw new RangeError(`context must be at most ${MAX_KV_CONTEXT}, got ${context}`);
  if (batch > MAX_KV_BATCH) throw new RangeError(`batch must be at most ${MAX_KV_BATCH}, got ${batch}`);
  return kvCacheBytesPerToken(shape, dtype) * context * batch;
}


/**
 * Reads a model size typed by a learner: "7", "7B", "7e9", "405 B", "1.5b", "350M", "7,000,000,000".
 * A bare number below 1e6 is taken as billions (people say "a 7 model" meaning 7B).
 * Returns the parameter count, or an error message saying what was wrong.
 */
export function parseParameterCount(text: string): { ok: true; parameters: number } | { ok: false; error: string } {
  const t = text.trim().replace(/,/g, '').replace(/_/g, '');
  if (t === '') return { ok: false, error: 'Type a model size, e.g. 7B or 350M.' };
  const m = /^(\d+(?:\.\d*)?|\.\d+)(?:e([+-]?\d+))?\s*([kmbt])?$/i.exec(t);
  if (!m) return { ok: false, error: `${quoteInput(text.trim())} is not a model size. Try 7B, 1.5B or 350M.` };
  let value = Number(m[1]) * 10 ** Number(m[2] ?? 0);
  const unit = m[3]?.toLowerCase();
  if (unit) value *= { k: 1e3, m: 1e6, b: 1e9, t: 1e12 }[unit as 'k' | 'm' | 'b' | 't'];
  else if (value < 1e6) value *= 1e9;
  if (!Number.isFinite(value) || value <= 0) return { ok: false, error: 'The model size must be more than zero.' };
  if (value > 1e15) return { ok: false, error: 'That is over a quadrillion parameters; try something below 1000T.' };
  return { ok: true, parameters: value };
}

export * from './format';
