/**
 * How many bytes a model's weights take in each number format — the arithmetic behind
 * "Why quantize?". Sources: ../shared/NUMERICS.md ("LoRA and QLoRA" memory figures and
 * "4-bit blockwise" double-quantization cost). Bytes are decimal (1 GB = 10^9 bytes), as model
 * sizes are quoted; GPU memory is sold in binary units (an "80 GB" card holds 80 GiB = 80 x 2^30 bytes).
 */

import { fourBitBitsPerParameter } from '../quant/four-bit';
import { quoteInput } from '../text/input';

export type WeightFormat = 'fp32' | 'fp16' | 'bf16' | 'int8' | 'int4' | 'nf4-dq';

export const WEIGHT_FORMATS: readonly WeightFormat[] = ['fp32', 'fp16', 'bf16', 'int8', 'int4', 'nf4-dq'];

export const WEIGHT_FORMAT_LABELS: Readonly<Record<WeightFormat, string>> = {
  fp32: 'FP32',
  fp16: 'FP16',
  bf16: 'BF16',
  int8: 'INT8',
  int4: 'INT4',
  'nf4-dq': 'NF4 + DQ',
};

/** Bits per parameter of bitsandbytes' 4-bit storage: lib/quant/four-bit, re-exported for the memory figures. */
export { fourBitBitsPerParameter };

/** Bits one weight takes in `format`. Plain INT8/INT4 here count the codes only (no scales). */
export function bitsPerParameter(format: WeightFormat): number {
  switch (format) {
    case 'fp32':
      return 32;
    case 'fp16':
    case 'bf16':
      return 16;
    case 'int8':
      return 8;
    case 'int4':
      return 4;
    case 'nf4-dq':
      return fourBitBitsPerParameter(64, true, 256);
  }
}

/** Bytes of `parameters` weights: parameters x bits / 8 (NUMERICS.md seed figures: 65e9 x 4 = 260 GB). */
export function weightBytes(parameters: number, format: WeightFormat): number {
  if (!Number.isFinite(parameters) || parameters < 0) throw new RangeError('parameter count must be a finite number >= 0');
  return (parameters * bitsPerParameter(format)) / 8;
}

export const BYTES_PER_GB = 1e9;
export const BYTES_PER_GIB = 2 ** 30;

/** Memory sizes of common GPUs, in GiB as the cards are sold (consumer 8/16/24, workstation 48, data-centre 80). */
export const GPU_MEMORY_GIB: readonly number[] = [8, 16, 24, 48, 80];

/** True when the weights alone fit in a card of `gib` GiB (activations, KV cache and runtime overhead not counted). */
export function fitsInGpu(bytes: number, gib: number): boolean {
  return bytes <= gib * BYTES_PER_GIB;
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

/** "7B", "405B", "1.5B", "350M": a parameter count the way model cards say it. */
export function formatParameterCount(parameters: number): string {
  const units: [number, string][] = [[1e12, 'T'], [1e9, 'B'], [1e6, 'M'], [1e3, 'K']];
  for (const [size, suffix] of units) {
    if (parameters >= size) return `${trimNumber(parameters / size)}${suffix}`;
  }
  return trimNumber(parameters);
}

/**
 * Bytes in decimal units with up to three significant figures and no trailing zeros:
 * 260e9 -> "260 GB", 32.5e9 -> "32.5 GB", 3.6e12 -> "3.6 TB", 5e8 -> "500 MB".
 */
export function formatBytes(bytes: number): string {
  const units: [number, string][] = [[1e12, 'TB'], [1e9, 'GB'], [1e6, 'MB'], [1e3, 'kB']];
  for (const [size, suffix] of units) {
    if (bytes >= size) return `${trimNumber(bytes / size)} ${suffix}`;
  }
  return `${trimNumber(bytes)} B`;
}

/** A number to three significant figures (four when it is >= 1000), without trailing zeros or exponent. */
export function trimNumber(x: number): string {
  if (x === 0) return '0';
  const digits = Math.abs(x) >= 1000 ? 4 : 3;
  const rounded = Number(x.toPrecision(digits));
  return rounded.toLocaleString('en-US', { maximumFractionDigits: 20, useGrouping: false });
}
