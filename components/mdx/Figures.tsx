import { floatFormatInfo, roundToFormat, type FloatFormat } from '@/lib/formats';
import { exactDecimal, shortNumber } from '@/lib/formats/display';
import { positiveFiniteValues } from '@/lib/formats/number-line';
import { presetArchitecture, totalParameters } from '@/lib/lora/architectures';
import {
  GPU_CARDS,
  bitsPerParameter,
  formatBinaryBytes,
  formatBytes,
  formatBytesIn,
  kvCacheBytes,
  kvCacheBytesPerToken,
  trimNumber,
  weightBytes,
  type ByteUnit,
  type GpuTier,
  type KvCacheDType,
  type WeightFormat,
} from '@/lib/memory';

/**
 * Figures quoted in lesson prose, computed by lib/memory rather than typed by hand
 * (docs/design.md, rule 7): `<WeightBytes parameters={65e9} format="fp32" />` renders "260 GB".
 */
export function WeightBytes({ parameters, format }: { parameters: number; format: WeightFormat }) {
  return <span className="figure">{formatBytes(weightBytes(parameters, format))}</span>;
}

/** Bits per weight of a format, to `digits` decimals: `<BitsPerWeight format="nf4-dq" />` renders "4.127". */
export function BitsPerWeight({ format, digits = 3 }: { format: WeightFormat; digits?: number }) {
  const bits = bitsPerParameter(format);
  return <span className="figure">{Number.isInteger(bits) ? String(bits) : bits.toFixed(digits)}</span>;
}

type FormatFactName = 'maxFinite' | 'minNormal' | 'minSubnormal' | 'epsilon' | 'bits' | 'exponentBits' | 'mantissaBits' | 'bias';

/**
 * A fact of a float format from lib/formats' floatFormatInfo, written for prose:
 * `<FormatFact format="fp16" fact="maxFinite" />` renders "65504"; `exact` writes the full decimal
 * expansion instead of six significant digits.
 */
export function FormatFact({ format, fact, exact = false }: { format: FloatFormat; fact: FormatFactName; exact?: boolean }) {
  const v = floatFormatInfo(format)[fact];
  return <span className="figure">{exact ? exactDecimal(v) : shortNumber(v)}</span>;
}

/** The value a float format stores for `value`: `<StoredAs format="bf16" value={0.1} />` renders "0.10009765625". */
export function StoredAs({ format, value }: { format: FloatFormat; value: number }) {
  return <span className="figure">{exactDecimal(roundToFormat(format, value))}</span>;
}

/**
 * Every non-negative value of a small float format, written as a list: `<FormatValues
 * format="fp4-e2m1" />` renders "0, 0.5, 1, 1.5, 2, 3, 4 and 6" (lib/formats positiveFiniteValues).
 */
export function FormatValues({ format }: { format: FloatFormat }) {
  const values = [0, ...positiveFiniteValues(format)].map((v) => shortNumber(v));
  return <span className="figure">{values.length > 1 ? `${values.slice(0, -1).join(', ')} and ${values[values.length - 1]}` : values[0]}</span>;
}

/** Bytes in `unit` if given, else decimal (formatBytes) or, with unit="binary", binary units (formatBinaryBytes). */
function bytesText(bytes: number, unit?: ByteUnit | 'binary'): string {
  return unit === undefined ? formatBytes(bytes) : unit === 'binary' ? formatBinaryBytes(bytes) : formatBytesIn(bytes, unit);
}

/**
 * The weights of a real model (a preset of lib/lora/architectures: "llama-2-7b", "llama-3-8b",
 * "llama-3-70b", …) in a format, from its exact parameter count:
 * `<ModelWeightBytes arch="llama-2-7b" format="fp16" />` renders "13.5 GB".
 */
export function ModelWeightBytes({ arch, format, unit }: { arch: string; format: WeightFormat; unit?: ByteUnit | 'binary' }) {
  return <span className="figure">{bytesText(weightBytes(totalParameters(presetArchitecture(arch)), format), unit)}</span>;
}

/**
 * An attention-shape fact of a preset, for the KV cache formula: `<ModelShape arch="llama-3-8b"
 * fact="kvHeads" />` renders "8"; facts: layers, heads (query heads), kvHeads, headDim, hidden.
 */
export function ModelShape({ arch, fact }: { arch: string; fact: 'layers' | 'heads' | 'kvHeads' | 'headDim' | 'hidden' }) {
  return <span className="figure">{presetArchitecture(arch)[fact].toLocaleString('en-US')}</span>;
}

/**
 * KV cache bytes per token of a preset (lib/memory `kvCacheBytesPerToken`: 2 × layers × KV heads ×
 * head size × bytes per value): `<KvCacheBytesPerToken arch="llama-2-7b" dtype="fp16" unit="MiB" />`
 * renders "0.5 MiB"; without `unit` "524 kB"; `unit="binary"` "512 KiB"; `unit="B"` "524288 B".
 */
export function KvCacheBytesPerToken({ arch, dtype = 'fp16', unit }: { arch: string; dtype?: KvCacheDType; unit?: ByteUnit | 'binary' }) {
  return <span className="figure">{bytesText(kvCacheBytesPerToken(presetArchitecture(arch), dtype), unit)}</span>;
}

/**
 * The KV cache of `batch` sequences of `context` tokens (lib/memory `kvCacheBytes`):
 * `<KvCacheBytes arch="llama-2-7b" context={4096} batch={16} dtype="fp16" />` renders "34.4 GB";
 * `unit="GiB"` "32 GiB".
 */
export function KvCacheBytes({ arch, context, batch = 1, dtype = 'fp16', unit }: { arch: string; context: number; batch?: number; dtype?: KvCacheDType; unit?: ByteUnit | 'binary' }) {
  return <span className="figure">{bytesText(kvCacheBytes(presetArchitecture(arch), dtype, context, batch), unit)}</span>;
}

/**
 * The KV cache as a multiple of the weights: `<KvCacheToWeights arch="llama-2-7b" context={4096}
 * batch={16} dtype="fp16" format="fp16" />` renders "2.55×" (34.4 GB of cache against 13.5 GB).
 */
export function KvCacheToWeights({ arch, context, batch = 1, dtype = 'fp16', format = 'fp16' }: { arch: string; context: number; batch?: number; dtype?: KvCacheDType; format?: WeightFormat }) {
  const a = presetArchitecture(arch);
  const ratio = kvCacheBytes(a, dtype, context, batch) / weightBytes(totalParameters(a), format);
  return <span className="figure">{trimNumber(ratio)}×</span>;
}

/**
 * The GPU cards the memory widget compares against (lib/memory GPU_CARDS), as a list, optionally one
 * tier: `<GpuCards tier="data centre" />` renders "H100 (80 GB), H200 (141 GB) and B200 (192 GB)";
 * `sizes` gives the memory sizes alone ("80, 141 and 192 GB").
 */
export function GpuCards({ tier, sizes = false }: { tier?: GpuTier; sizes?: boolean }) {
  const cards = GPU_CARDS.filter((c) => tier === undefined || c.tier === tier);
  const items = sizes ? cards.map((c) => String(c.gib)) : cards.map((c) => `${c.name} (${c.gib} GB)`);
  const list = items.length > 1 ? `${items.slice(0, -1).join(', ')} and ${items[items.length - 1]}` : (items[0] ?? '');
  return <span className="figure">{sizes ? `${list} GB` : list}</span>;
}
