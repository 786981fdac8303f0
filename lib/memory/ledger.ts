/**
 * The memory ledger of the "How much memory does a model need?" widget: a model's weights in each
 * chosen format, plus the KV cache of serving it, against today's GPU cards, and the scale of its
 * bar chart. Pure arithmetic over lib/memory (weightBytes, kvCacheBytes, fitsInGpu); formulas and
 * check values: docs/numerics.md, "Memory" (Llama-2-7B at 4,096 tokens × 16 sequences in FP16:
 * 34.4 GB of KV cache against 13.5 GB of weights).
 */
import {
  BYTES_PER_GIB,
  GPU_CARDS,
  bitsPerParameter,
  fitsInGpu,
  kvCacheBytes,
  kvCacheBytesPerToken,
  weightBytes,
  type GpuCard,
  type KvCacheDType,
  type KvCacheShape,
  type WeightFormatName,
} from './index';
import { WEIGHT_FORMAT_TABLE, WEIGHT_FORMATS, shortFormatName, type WeightFormat } from '../quant/weight-formats';

export interface MemoryLedgerInput {
  /** Parameters of the model (a preset's count, or a typed size). */
  parameters: number;
  /** The attention shape that sets the KV cache; null for a bare parameter count (weights only, no cache). */
  attention: KvCacheShape | null;
  kvDtype: KvCacheDType;
  /** Tokens per sequence and sequences (bounds: kvCacheBytes). */
  context: number;
  batch: number;
  /** The weight formats to compare, in the order shown. */
  formats: readonly WeightFormatName[];
}

export interface MemoryLedgerRow {
  format: WeightFormatName;
  /** Bits per weight (bitsPerParameter). */
  bits: number;
  /** Weight bytes: parameters × bits / 8. */
  weights: number;
  /** weights + the KV cache. */
  total: number;
  /** Whether `total` fits each card of GPU_CARDS, in its order (fitsInGpu). */
  fits: boolean[];
  /** Whether the largest card holds it. */
  fitsAnyCard: boolean;
}

export interface MemoryLedger {
  parameters: number;
  /** KV cache bytes per token: 2 × layers × KV heads × head size × bytes per value; 0 without an attention shape. */
  kvPerToken: number;
  /** KV cache bytes: kvPerToken × context × batch; 0 without an attention shape. */
  kv: number;
  /** FP16 weight bytes, the yardstick the cache is compared with. */
  fp16Weights: number;
  /** kv / fp16Weights. */
  kvToFp16Weights: number;
  rows: MemoryLedgerRow[];
}

/** The ledger: each format's weight bytes, plus the KV cache, and which cards hold the sum. */
export function memoryLedger(input: MemoryLedgerInput): MemoryLedger {
  const { parameters, attention } = input;
  const kvPerToken = attention ? kvCacheBytesPerToken(attention, input.kvDtype) : 0;
  const kv = attention ? kvCacheBytes(attention, input.kvDtype, input.context, input.batch) : 0;
  const fp16Weights = weightBytes(parameters, 'fp16');
  const largest = GPU_CARDS[GPU_CARDS.length - 1].gib;
  const rows = input.formats.map((format) => {
    const weights = weightBytes(parameters, format);
    const total = weights + kv;
    return { format, bits: bitsPerParameter(format), weights, total, fits: GPU_CARDS.map((c) => fitsInGpu(total, c.gib)), fitsAnyCard: fitsInGpu(total, largest) };
  });
  return { parameters, kvPerToken, kv, fp16Weights, kvToFp16Weights: kv / fp16Weights, rows };
}

export interface MemoryChartMarker extends GpuCard {
  /** Position on the chart, in percent of its domain. */
  at: number;
  /** The label row (0, 1, 2) where it does not crowd the previous label, or -1 for no label. */
  row: number;
}

export interface MemoryChartScale {
  /** Bytes at the chart's right edge: 1.04 × the largest bar, or the smallest card if every bar is smaller. */
  domain: number;
  /** The cards inside the domain, with their label rows. */
  markers: MemoryChartMarker[];
}

/**
 * The bar chart's linear scale: domain = 1.04 · max(largest total, smallest card's gib · 2^30);
 * markers at 100 · gib · 2^30 / domain percent, each label placed in the first of three rows where
 * it is at least `minGap` percent right of that row's last label.
 */
export function memoryChartScale(totals: readonly number[], minGap = 9): MemoryChartScale {
  const largest = Math.max(0, ...totals);
  const domain = Math.max(largest, GPU_CARDS[0].gib * BYTES_PER_GIB) * 1.04;
  const lastInRow = [-Infinity, -Infinity, -Infinity];
  const markers = GPU_CARDS.filter((c) => c.gib * BYTES_PER_GIB <= domain).map((c) => {
    const at = (100 * c.gib * BYTES_PER_GIB) / domain;
    const row = lastInRow.findIndex((last) => at - last >= minGap);
    if (row !== -1) lastInRow[row] = at;
    return { ...c, at, row };
  });
  return { domain, markers };
}

/** A whole number typed in a box, or why it is not one in [min, max] ("," "_" and spaces are ignored). */
export function parseWholeNumber(text: string, min: number, max: number, what: string): { ok: true; value: number } | { ok: false; error: string } {
  const t = text.trim().replace(/[,_\s]/g, '');
  const n = Number(t);
  if (t === '' || !Number.isInteger(n) || n < min || n > max) {
    return { ok: false, error: `${what} must be a whole number from ${min.toLocaleString('en-US')} to ${max.toLocaleString('en-US')}.` };
  }
  return { ok: true, value: n };
}

/** "4,096 tokens (4k)": a token count with its k/M shorthand when it is a multiple of 1024 (2^20 for M). */
export function formatTokens(n: number): string {
  const short = n >= 1024 && n % 1024 === 0 ? (n >= 2 ** 20 && n % 2 ** 20 === 0 ? ` (${n / 2 ** 20}M)` : ` (${n / 1024}k)`) : '';
  return `${n.toLocaleString('en-US')} token${n === 1 ? '' : 's'}${short}`;
}

export interface MemoryFormatChoice {
  /** The format whose figure the row shows. */
  format: WeightFormat;
  /** Its label, with the formats it stands for: 'FP16 / BF16'. */
  label: string;
  /** Its short name (lib/quant `shortFormatName`: 'int8'), for data attributes and test ids. */
  key: WeightFormatName;
}

/**
 * The rows a memory comparison offers: the registry's formats in order, a format whose bits per
 * weight equal the previous row's joining that row (FP16 and BF16, both 16 bits: "FP16 / BF16").
 */
export function memoryFormatChoices(): MemoryFormatChoice[] {
  const rows: MemoryFormatChoice[] = [];
  for (const format of WEIGHT_FORMATS) {
    const spec = WEIGHT_FORMAT_TABLE[format];
    const last = rows[rows.length - 1];
    if (last && WEIGHT_FORMAT_TABLE[last.format].bitsPerWeight === spec.bitsPerWeight) last.label += ` / ${spec.shortLabel}`;
    else rows.push({ format, label: spec.shortLabel, key: shortFormatName(format) });
  }
  return rows;
}
