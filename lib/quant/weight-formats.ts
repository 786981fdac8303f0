/**
 * The storage formats of a Linear weight [out, in]: one type, `WeightFormat`, and one table,
 * `WEIGHT_FORMAT_TABLE`, keyed by it. Each entry (its own file in lib/quant/formats/) holds the
 * format's labels, codes per word, bits per weight in the memory figures, its byte layout, its CPU
 * quantize and dequantize (the oracle of its unpack kernel, docs/design.md rule 3) and its
 * self-test weights. lib/memory, the weight stores (lib/model), the GPU kernels' table
 * (lib/compute/weight-format-gpu.ts), /gpu/ and the widgets read this table.
 * Formulas: docs/numerics.md "Floats", "Affine (integer) quantization", "4-bit blockwise", "Memory".
 *
 * Bits per weight of a tensor are measured from the buffers actually uploaded (`weightLayout`,
 * `storedBytes`), padding included; scalars that travel as kernel uniforms (NF4's float32 offset)
 * count too. Format-wide code books (the NF4 and dynamic-code tables) are the format's, not the
 * tensor's, and are not counted.
 *
 * Adding a format: write its file in lib/quant/formats/ (a WeightFormatSpec), add it to
 * `StoredWeightByFormat` and `WEIGHT_FORMAT_TABLE` below, and give it a kernel entry in
 * lib/compute/weight-format-gpu.ts (`WEIGHT_FORMAT_KERNELS`); the compiler names any table that
 * lacks it.
 */
import type { MatrixShape } from './per-channel';
import { BF16 } from './formats/bf16';
import { FP16 } from './formats/fp16';
import { FP32, type Fp32Weight } from './formats/fp32';
import type { HalfWeight } from './formats/half';
import { INT4_GROUP64, INT4_GROUP_SIZE, type Int4Group64Weight } from './formats/int4-group64';
import { INT8_CHANNEL, type Int8ChannelWeight } from './formats/int8-channel';
import { NF4_DQ, type NF4DQWeight } from './formats/nf4-dq';
import { halfCodeAt, int4CodeAt, int8CodeAt, type LayoutPart, type WeightFormatSpec } from './formats/spec';

export { INT4_GROUP_SIZE, halfCodeAt, int4CodeAt, int8CodeAt, type LayoutPart, type WeightFormatSpec };
export { WEIGHT_TENSOR_CASES, weightSelfTestTensor, type WeightTensorCase, type WeightTensorKind } from './formats/selftest-tensors';

/** What quantizeWeight returns for each format. */
interface StoredWeightByFormat {
  fp32: Fp32Weight;
  fp16: HalfWeight<'fp16'>;
  bf16: HalfWeight<'bf16'>;
  'int8-channel': Int8ChannelWeight;
  'int4-group64': Int4Group64Weight;
  'nf4-dq': NF4DQWeight;
}

/** A storage format of a Linear weight: 'fp32', 'fp16', 'bf16', 'int8-channel', 'int4-group64' or 'nf4-dq'. */
export type WeightFormat = keyof StoredWeightByFormat;

/** The stored weight of format F. */
export type StoredWeightOf<F extends WeightFormat> = StoredWeightByFormat[F];

/** A weight in any storage format (discriminated by `format`). */
export type StoredWeight = StoredWeightByFormat[WeightFormat];

/** Every format's entry, in the order the lessons list them. */
export const WEIGHT_FORMAT_TABLE: { readonly [F in WeightFormat]: WeightFormatSpec<F, StoredWeightOf<F>> } = {
  fp32: FP32,
  fp16: FP16,
  bf16: BF16,
  'int8-channel': INT8_CHANNEL,
  'int4-group64': INT4_GROUP64,
  'nf4-dq': NF4_DQ,
};

/** The formats, in the table's order. */
export const WEIGHT_FORMATS: readonly WeightFormat[] = Object.freeze(Object.keys(WEIGHT_FORMAT_TABLE) as WeightFormat[]);

/** Learner-facing names of the formats (each entry's `label`): 'INT8, per channel'. */
export const FORMAT_LABELS = Object.freeze(Object.fromEntries(WEIGHT_FORMATS.map((f) => [f, WEIGHT_FORMAT_TABLE[f].label]))) as Readonly<Record<WeightFormat, string>>;

/**
 * Older, shorter names still accepted wherever a format is read (lib/memory, lesson figures,
 * notebook cells, links): the memory figures called the integer formats 'int8' and 'int4'.
 */
export const WEIGHT_FORMAT_ALIASES = { int8: 'int8-channel', int4: 'int4-group64' } as const satisfies Record<string, WeightFormat>;

/** A format's name or one of its aliases. */
export type WeightFormatName = WeightFormat | keyof typeof WEIGHT_FORMAT_ALIASES;

/** The short name of a format: its alias if it has one ('int8'), else the format itself. The memory figures' data attributes use it. */
export function shortFormatName(format: WeightFormat): WeightFormatName {
  const alias = (Object.keys(WEIGHT_FORMAT_ALIASES) as (keyof typeof WEIGHT_FORMAT_ALIASES)[]).find((a) => WEIGHT_FORMAT_ALIASES[a] === format);
  return alias ?? format;
}

/** Whether `name` is a format or an alias. */
export function isWeightFormatName(name: unknown): name is WeightFormatName {
  return typeof name === 'string' && (Object.hasOwn(WEIGHT_FORMAT_TABLE, name) || Object.hasOwn(WEIGHT_FORMAT_ALIASES, name));
}

/** The format a name or alias stands for; a RangeError naming the choices for anything else. */
export function parseWeightFormat(name: unknown): WeightFormat {
  if (!isWeightFormatName(name)) {
    throw new RangeError(`unknown weight format "${String(name).slice(0, 40)}"; use one of ${WEIGHT_FORMATS.join(', ')}`);
  }
  return Object.hasOwn(WEIGHT_FORMAT_ALIASES, name) ? WEIGHT_FORMAT_ALIASES[name as keyof typeof WEIGHT_FORMAT_ALIASES] : (name as WeightFormat);
}

/** The table entry of a format (or alias). */
export function weightFormatSpec<F extends WeightFormat>(format: F): WeightFormatSpec<F, StoredWeightOf<F>>;
export function weightFormatSpec(format: WeightFormatName): WeightFormatSpec<WeightFormat, StoredWeight>;
export function weightFormatSpec(format: WeightFormatName): WeightFormatSpec<WeightFormat, StoredWeight> {
  return WEIGHT_FORMAT_TABLE[parseWeightFormat(format)] as unknown as WeightFormatSpec<WeightFormat, StoredWeight>;
}

/** What a weight of a given format and shape occupies, computed from the layout rules alone. */
export interface WeightLayout {
  /** The buffers, in the order the device receives them. */
  buffers: LayoutPart[];
  /** Per-tensor scalars handed to the kernel as uniforms (NF4's float32 offset), in bytes. */
  scalarBytes: number;
  /** buffers + scalarBytes. */
  total: number;
  /** 8 * total / weights. */
  bitsPerWeight: number;
}

function checkMatrix(length: number, shape: readonly number[]): MatrixShape {
  if (shape.length !== 2) throw new RangeError(`a stored weight must be a 2-D matrix [out, in], got shape [${shape.join(', ')}]`);
  const [rows, cols] = shape;
  if (!Number.isSafeInteger(rows) || !Number.isSafeInteger(cols) || rows <= 0 || cols <= 0) {
    throw new RangeError(`shape must be two positive whole numbers [out, in], got [${rows}, ${cols}]`);
  }
  if (rows * cols !== length) throw new RangeError(`shape [${rows}, ${cols}] needs ${rows * cols} values, got ${length}`);
  return [rows, cols];
}

/** The layout of a [rows, cols] weight in `format`: buffer sizes in bytes (words rounded up). */
export function weightLayout(format: WeightFormat, shape: readonly number[]): WeightLayout {
  const spec = weightFormatSpec(format);
  const s = checkMatrix(shape[0] * shape[1], shape);
  const { buffers, scalarBytes } = spec.layout(s);
  const total = buffers.reduce((sum, b) => sum + b.bytes, 0) + scalarBytes;
  return { buffers, scalarBytes, total, bitsPerWeight: (8 * total) / (s[0] * s[1]) };
}

/** Bytes of the stored representation's own arrays (words, scales, ...) as uploaded, plus its uniform scalars. */
export function storedBytes(w: StoredWeight): number {
  const spec = weightFormatSpec(w.format);
  return spec.bufferBytes(w).reduce((a, b) => a + b, 0) + spec.layout(w.shape).scalarBytes;
}

function checkFinite(x: Float32Array, format: WeightFormat): void {
  for (let i = 0; i < x.length; i++) {
    const v = x[i];
    if (v - v !== 0) throw new RangeError(`value ${i} of the weight is ${v}; only finite weights can be stored in ${format}`);
  }
}

/**
 * Stores a row-major [out, in] weight in `format` (the entry's quantize). Throws a RangeError for an
 * unknown format, for a shape that is not a 2-D matrix of x.length values, for NaN or ±Infinity
 * anywhere (no format here stores them faithfully, and the kernels may assume finite values), and
 * for a value that would overflow to infinity in fp16 (|x| >= 65520) or bf16.
 */
export function quantizeWeight<F extends WeightFormat>(format: F, x: Float32Array, shape: readonly number[]): StoredWeightOf<F>;
export function quantizeWeight(format: WeightFormat, x: Float32Array, shape: readonly number[]): StoredWeight;
export function quantizeWeight(format: WeightFormat, x: Float32Array, shape: readonly number[]): StoredWeight {
  const spec = weightFormatSpec(format);
  const s = checkMatrix(x.length, shape);
  checkFinite(x, spec.format);
  return spec.quantize(x, s);
}

/**
 * The reference dequantization, read back from the packed words (the same layout the kernels read):
 * fp16/bf16: lib/formats decodeFloat of each code; int8-channel: scale[row] * q; int4-group64:
 * scale[g] * (q - zp[g]); nf4-dq: lib/quant dequantizeNF4Weight. Products are float32 (the
 * integer factor is exact, so one rounding, as the GPU's f32 multiply).
 */
export function dequantizeWeight(w: StoredWeight): Float32Array {
  return weightFormatSpec(w.format).dequantize(w);
}
