/**
 * Reading GGUF files (llama.cpp / ggml) and writing small ones. Format: ggml's docs/gguf.md
 * ("File Structure"), with the validation rules of ggml's own reader (src/gguf.cpp) where the spec
 * leaves them open. All numbers are little-endian:
 *
 *   header       magic "GGUF" (bytes 47 47 55 46), version u32 (2 or 3 here; 1 used 32-bit counts
 *                and is no longer read by llama.cpp), tensor_count u64, metadata_kv_count u64
 *   metadata     metadata_kv_count × { key: string, value_type u32, value }, where a string is
 *                u64 byte length + UTF-8 bytes (no terminator) and an array is item type u32 +
 *                u64 count + the items (arrays may nest: each inner array has its own type and count)
 *   tensor table tensor_count × { name: string, n_dims u32 (≤ 4), dims u64[n_dims], ggml type u32,
 *                offset u64 (relative to the data section, a multiple of ALIGNMENT) }
 *   padding      zeros up to the next multiple of ALIGNMENT = metadata general.alignment (a u32
 *                power of two) or 32
 *   data         the tensors' bytes, each at its offset, padded to ALIGNMENT.
 *
 * Dimension order: GGUF stores ggml's ne[] — dims[0] is the innermost (contiguous) axis. A tensor
 * with dims [4096, 11008] is a row-major (numpy/PyTorch) [11008, 4096] matrix. Each tensor info
 * exposes both: `dims` in GGUF order and `shape` = dims reversed, row-major.
 *
 * Bounds: counts, string lengths, array lengths and the header size are capped (constants below)
 * and checked against the bytes left in the file before anything is allocated; u64 fields above
 * 2^53 are refused by name (JS numbers are exact only below it). Every malformed case throws a
 * GGUFError whose `problem` code names the case and whose message names the place, for a learner.
 *
 * Dequantization to float32 (ggufTensorToFloat32): F32, F16, BF16, and the block types Q8_0, Q4_0,
 * Q4_1 through lib/quant/gguf's dequantizeGGUF (bit-exact with ggml's dequantize_row_*). Every
 * other ggml type is listed by name and refused as "not supported here".
 */

import { decodeFloat, encodeFloat } from '../formats';
import { dequantizeGGUF, quantizeGGUF } from '../quant/gguf';

// ---------------------------------------------------------------------------------------------
// ggml types

/** A ggml tensor type: its id in ggml.h's enum ggml_type, its name, and the block layout (values per block, bytes per block). */
export interface GGMLTypeInfo {
  id: number;
  name: string;
  blockValues: number;
  blockBytes: number;
}

/**
 * The ggml types a GGUF file may hold, with ids from ggml's include/ggml.h `enum ggml_type` and block
 * sizes from src/ggml-common.h (the static_assert on each block struct) and src/ggml.c type_traits.
 * Ids 4, 5 (Q4_2, Q4_3), 31–33 (Q4_0_4_4 …) and 36–38 (IQ4_NL_4_4 …) were removed from ggml.
 */
export const GGML_TYPES: readonly GGMLTypeInfo[] = [
  { id: 0, name: 'F32', blockValues: 1, blockBytes: 4 },
  { id: 1, name: 'F16', blockValues: 1, blockBytes: 2 },
  { id: 2, name: 'Q4_0', blockValues: 32, blockBytes: 18 },
  { id: 3, name: 'Q4_1', blockValues: 32, blockBytes: 20 },
  { id: 6, name: 'Q5_0', blockValues: 32, blockBytes: 22 },
  { id: 7, name: 'Q5_1', blockValues: 32, blockBytes: 24 },
  { id: 8, name: 'Q8_0', blockValues: 32, blockBytes: 34 },
  { id: 9, name: 'Q8_1', blockValues: 32, blockBytes: 36 },
  { id: 10, name: 'Q2_K', blockValues: 256, blockBytes: 84 },
  { id: 11, name: 'Q3_K', blockValues: 256, blockBytes: 110 },
  { id: 12, name: 'Q4_K', blockValues: 256, blockBytes: 144 },
  { id: 13, name: 'Q5_K', blockValues: 256, blockBytes: 176 },
  { id: 14, name: 'Q6_K', blockValues: 256, blockBytes: 210 },
  { id: 15, name: 'Q8_K', blockValues: 256, blockBytes: 292 },
  { id: 16, name: 'IQ2_XXS', blockValues: 256, blockBytes: 66 },
  { id: 17, name: 'IQ2_XS', blockValues: 256, blockBytes: 74 },
  { id: 18, name: 'IQ3_XXS', blockValues: 256, blockBytes: 98 },
  { id: 19, name: 'IQ1_S', blockValues: 256, blockBytes: 50 },
  { id: 20, name: 'IQ4_NL', blockValues: 32, blockBytes: 18 },
  { id: 21, name: 'IQ3_S', blockValues: 256, blockBytes: 110 },
  { id: 22, name: 'IQ2_S', blockValues: 256, blockBytes: 82 },
  { id: 23, name: 'IQ4_XS', blockValues: 256, blockBytes: 136 },
  { id: 24, name: 'I8', blockValues: 1, blockBytes: 1 },
  { id: 25, name: 'I16', blockValues: 1, blockBytes: 2 },
  { id: 26, name: 'I32', blockValues: 1, blockBytes: 4 },
  { id: 27, name: 'I64', blockValues: 1, blockBytes: 8 },
  { id: 28, name: 'F64', blockValues: 1, blockBytes: 8 },
  { id: 29, name: 'IQ1_M', blockValues: 256, blockBytes: 56 },
  { id: 30, name: 'BF16', blockValues: 1, blockBytes: 2 },
  { id: 34, name: 'TQ1_0', blockValues: 256, blockBytes: 54 },
  { id: 35, name: 'TQ2_0', blockValues: 256, blockBytes: 66 },
  { id: 39, name: 'MXFP4', blockValues: 32, blockBytes: 17 },
  { id: 40, name: 'NVFP4', blockValues: 64, blockBytes: 36 },
  { id: 41, name: 'Q1_0', blockValues: 128, blockBytes: 18 },
  { id: 42, name: 'Q2_0', blockValues: 64, blockBytes: 18 },
];

const REMOVED_TYPES: Readonly<Record<number, string>> = { 4: 'Q4_2', 5: 'Q4_3', 31: 'Q4_0_4_4', 32: 'Q4_0_4_8', 33: 'Q4_0_8_8', 36: 'IQ4_NL_4_4', 37: 'IQ4_NL_4_8', 38: 'IQ4_NL_8_8' };

const TYPE_BY_ID = new Map(GGML_TYPES.map((t) => [t.id, t]));
const TYPE_BY_NAME = new Map(GGML_TYPES.map((t) => [t.name, t]));

/** The ggml type with this id, or undefined (unknown or removed). */
export function ggmlTypeInfo(id: number): GGMLTypeInfo | undefined {
  return TYPE_BY_ID.get(id);
}

/** The ggml type name of an id ('Q4_0' for 2), 'removed Q4_2' for a removed id, 'unknown (n)' otherwise. */
export function ggmlTypeName(id: number): string {
  return TYPE_BY_ID.get(id)?.name ?? (REMOVED_TYPES[id] ? `removed ${REMOVED_TYPES[id]}` : `unknown (${id})`);
}

/** The types ggufTensorToFloat32 converts; every other type is refused by name. */
export type GGUFFloatType = 'F32' | 'F16' | 'BF16' | 'Q8_0' | 'Q4_0' | 'Q4_1';
export const GGUF_FLOAT_TYPES: readonly GGUFFloatType[] = ['F32', 'F16', 'BF16', 'Q8_0', 'Q4_0', 'Q4_1'];

// ---------------------------------------------------------------------------------------------
// Metadata values

/** GGUF metadata value types, indexed by their id in docs/gguf.md `enum gguf_metadata_value_type` (0 … 12). */
export const GGUF_VALUE_TYPES = ['uint8', 'int8', 'uint16', 'int16', 'uint32', 'int32', 'float32', 'bool', 'string', 'array', 'uint64', 'int64', 'float64'] as const;
export type GGUFValueType = (typeof GGUF_VALUE_TYPES)[number];

/**
 * The items of a metadata array: a typed array for 8/16/32-bit integers and floats, and plain arrays
 * for 64-bit integers (each a number when within ±(2^53 − 1), else a bigint), bools, strings and
 * nested arrays.
 */
export type GGUFArrayItems = Uint8Array | Int8Array | Uint16Array | Int16Array | Uint32Array | Int32Array | Float32Array | Float64Array | (number | bigint)[] | boolean[] | string[] | GGUFArray[];

export interface GGUFArray {
  itemType: GGUFValueType;
  items: GGUFArrayItems;
}

/** One metadata value with its GGUF type. 64-bit integers are numbers when within ±(2^53 − 1), bigints otherwise. */
export type GGUFValue =
  | { type: 'uint8' | 'int8' | 'uint16' | 'int16' | 'uint32' | 'int32' | 'float32' | 'float64'; value: number }
  | { type: 'uint64' | 'int64'; value: number | bigint }
  | { type: 'bool'; value: boolean }
  | { type: 'string'; value: string }
  | { type: 'array'; value: GGUFArray };

// ---------------------------------------------------------------------------------------------
// Header, tensor infos, errors

export interface GGUFTensorInfo {
  name: string;
  /** Dimensions as stored, GGUF/ggml order: dims[0] = ne[0], the innermost (contiguous) axis. */
  dims: number[];
  /** Row-major (numpy/PyTorch) shape: dims reversed. */
  shape: number[];
  /** ggml type id (ggml.h enum ggml_type). */
  typeId: number;
  /** ggml type name, e.g. 'Q4_0'. */
  type: string;
  elements: number;
  /** Bytes of data: elements / blockValues × blockBytes. */
  byteLength: number;
  /** Offset as stored, relative to the data section. */
  offset: number;
  /** Offset from the start of the file: dataStart + offset. */
  fileOffset: number;
}

export interface GGUFHeader {
  version: 2 | 3;
  /** Metadata in file order. */
  metadata: Map<string, GGUFValue>;
  /** Tensor infos in file order. */
  tensors: GGUFTensorInfo[];
  /** general.alignment, or 32. */
  alignment: number;
  /** Where the data section starts: the end of the tensor table rounded up to the alignment. */
  dataStart: number;
  fileSize: number;
}

/** A GGUF file held in memory: its parsed header and its bytes. */
export interface GGUFFile extends GGUFHeader {
  bytes: Uint8Array;
}

export type GGUFProblem =
  | 'too-short'
  | 'bad-magic'
  | 'big-endian'
  | 'unsupported-version'
  | 'truncated'
  | 'too-many-tensors'
  | 'too-many-kv'
  | 'string-too-long'
  | 'array-too-long'
  | 'nesting-too-deep'
  | 'unknown-value-type'
  | 'bad-bool'
  | 'bad-utf8'
  | 'bad-key'
  | 'duplicate-key'
  | 'bad-alignment'
  | 'name-too-long'
  | 'duplicate-tensor'
  | 'too-many-dims'
  | 'value-too-large'
  | 'unknown-ggml-type'
  | 'bad-row-length'
  | 'misaligned-offset'
  | 'data-past-end'
  | 'overlapping-tensors'
  | 'header-too-big'
  | 'unsupported-type'
  | 'too-many-elements'
  | 'no-such-tensor'
  | 'bad-input';

/** A malformed or unsupported GGUF file (or writer input); `problem` names the case, the message says what and where. */
export class GGUFError extends Error {
  readonly problem: GGUFProblem;
  constructor(problem: GGUFProblem, message: string) {
    super(message);
    this.name = 'GGUFError';
    this.problem = problem;
  }
}

export const GGUF_MAGIC = new Uint8Array([0x47, 0x47, 0x55, 0x46]);
export const GGUF_DEFAULT_ALIGNMENT = 32;
/** ggml's GGML_MAX_DIMS. */
export const GGUF_MAX_DIMS = 4;
/** docs/gguf.md: a tensor name is at most 64 bytes. */
export const GGUF_MAX_NAME_BYTES = 64;
/** docs/gguf.md: a key is at most 65535 bytes. */
export const GGUF_MAX_KEY_BYTES = 65_535;
export const MAX_GGUF_TENSORS = 1_000_000;
export const MAX_GGUF_KV = 1_000_000;
/** Longest string value accepted: 16 MiB (chat templates and token strings are far shorter). */
export const MAX_GGUF_STRING_BYTES = 2 ** 24;
/** Longest array accepted: 2^24 items (vocabularies hold a few hundred thousand). */
export const MAX_GGUF_ARRAY_LENGTH = 2 ** 24;
export const MAX_GGUF_ARRAY_DEPTH = 8;
/** Largest header + metadata + tensor table the Blob reader will load: 256 MiB. */
export const MAX_GGUF_HEADER_BYTES = 2 ** 28;
/** Most elements ggufTensorToFloat32 converts by default: 2^28 (1 GiB of float32). */
export const MAX_GGUF_TENSOR_ELEMENTS = 2 ** 28;

const fmt = (n: number) => n.toLocaleString('en-US');

/** Thrown inside the parser when the bytes in hand end before the file does; the Blob reader then reads more. */
class NeedMore {
  constructor(readonly needed: number) {}
}

const MIN_ITEM_BYTES: Record<GGUFValueType, number> = { uint8: 1, int8: 1, bool: 1, uint16: 2, int16: 2, uint32: 4, int32: 4, float32: 4, uint64: 8, int64: 8, float64: 8, string: 8, array: 12 };

class Cursor {
  pos = 0;
  where = 'the header';
  private readonly view: DataView;
  constructor(private readonly bytes: Uint8Array, private readonly fileSize: number) {
    this.view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  }
  remaining(): number {
    return this.fileSize - this.pos;
  }
  need(n: number): number {
    const at = this.pos;
    if (at + n > this.fileSize) throw new GGUFError('truncated', `The file ends in ${this.where}: ${fmt(n)} more bytes were needed at byte ${fmt(at)} of a ${fmt(this.fileSize)}-byte file.`);
    if (at + n > this.bytes.length) throw new NeedMore(at + n);
    this.pos += n;
    return at;
  }
  u8(): number { return this.bytes[this.need(1)]; }
  u16(): number { return this.view.getUint16(this.need(2), true); }
  u32(): number { return this.view.getUint32(this.need(4), true); }
  /** A u64 that must be ≤ 2^53 − 1 (a count, length, dimension or offset). */
  size(what: string): number {
    const at = this.need(8);
    const lo = this.view.getUint32(at, true);
    const hi = this.view.getUint32(at + 4, true);
    if (hi >= 2 ** 21) throw new GGUFError('value-too-large', `${what} in ${this.where} is ${(BigInt(hi) << 32n) | BigInt(lo)}, above 2^53, which this reader cannot hold exactly.`);
    return hi * 2 ** 32 + lo;
  }
  bigU64(): bigint { return this.view.getBigUint64(this.need(8), true); }
  bigI64(): bigint { return this.view.getBigInt64(this.need(8), true); }
  raw(n: number): Uint8Array { const at = this.need(n); return this.bytes.subarray(at, at + n); }
  string(what: string, max: number, problem: GGUFProblem): string {
    const n = this.size(`The length of ${what}`);
    if (n > max) throw new GGUFError(problem, `${what[0].toUpperCase()}${what.slice(1)} in ${this.where} says it is ${fmt(n)} bytes long, more than the ${fmt(max)} this reader accepts.`);
    if (n > this.remaining()) throw new GGUFError('truncated', `The file ends in ${this.where}: ${what} says it is ${fmt(n)} bytes long but only ${fmt(this.remaining())} bytes remain.`);
    const bytes = this.raw(n);
    try {
      return UTF8.decode(bytes);
    } catch {
      throw new GGUFError('bad-utf8', `${what[0].toUpperCase()}${what.slice(1)} in ${this.where} is not valid UTF-8.`);
    }
  }
}

const UTF8 = new TextDecoder('utf-8', { fatal: true });

const safe64 = (v: bigint): number | bigint => (v <= BigInt(Number.MAX_SAFE_INTEGER) && v >= -BigInt(Number.MAX_SAFE_INTEGER) ? Number(v) : v);

function valueTypeOf(c: Cursor, what: string): GGUFValueType {
  const id = c.u32();
  const t = GGUF_VALUE_TYPES[id];
  if (t === undefined) throw new GGUFError('unknown-value-type', `${what} in ${c.where} has value type ${id}; GGUF defines types 0–12 (${GGUF_VALUE_TYPES.join(', ')}).`);
  return t;
}

function readScalar(c: Cursor, type: Exclude<GGUFValueType, 'array'>): GGUFValue {
  switch (type) {
    case 'uint8': return { type, value: c.u8() };
    case 'int8': return { type, value: (c.u8() << 24) >> 24 };
    case 'uint16': return { type, value: c.u16() };
    case 'int16': return { type, value: (c.u16() << 16) >> 16 };
    case 'uint32': return { type, value: c.u32() };
    case 'int32': return { type, value: c.u32() | 0 };
    case 'float32': { const b = c.raw(4); return { type, value: new DataView(b.buffer, b.byteOffset, 4).getFloat32(0, true) }; }
    case 'float64': { const b = c.raw(8); return { type, value: new DataView(b.buffer, b.byteOffset, 8).getFloat64(0, true) }; }
    case 'uint64': return { type, value: safe64(c.bigU64()) };
    case 'int64': return { type, value: safe64(c.bigI64()) };
    case 'bool': {
      const b = c.u8();
      if (b > 1) throw new GGUFError('bad-bool', `A bool in ${c.where} is stored as ${b}; GGUF bools are 0 or 1.`);
      return { type, value: b === 1 };
    }
    case 'string': return { type, value: c.string('a string value', MAX_GGUF_STRING_BYTES, 'string-too-long') };
  }
}

const TYPED_ARRAYS = {
  uint8: Uint8Array, int8: Int8Array, uint16: Uint16Array, int16: Int16Array, uint32: Uint32Array, int32: Int32Array, float32: Float32Array, float64: Float64Array,
} as const;

function readArray(c: Cursor, depth: number): GGUFArray {
  if (depth > MAX_GGUF_ARRAY_DEPTH) throw new GGUFError('nesting-too-deep', `Arrays in ${c.where} nest more than ${MAX_GGUF_ARRAY_DEPTH} deep.`);
  const itemType = valueTypeOf(c, 'An array');
  const n = c.size('An array length');
  if (n > MAX_GGUF_ARRAY_LENGTH) throw new GGUFError('array-too-long', `An array in ${c.where} says it holds ${fmt(n)} items, more than the ${fmt(MAX_GGUF_ARRAY_LENGTH)} this reader accepts.`);
  if (n * MIN_ITEM_BYTES[itemType] > c.remaining()) throw new GGUFError('truncated', `The file ends in ${c.where}: an array of ${fmt(n)} ${itemType} items needs at least ${fmt(n * MIN_ITEM_BYTES[itemType])} bytes but only ${fmt(c.remaining())} remain.`);
  if (itemType === 'array') {
    const items: GGUFArray[] = [];
    for (let i = 0; i < n; i++) items.push(readArray(c, depth + 1));
    return { itemType, items };
  }
  if (itemType in TYPED_ARRAYS) {
    const Ctor = TYPED_ARRAYS[itemType as keyof typeof TYPED_ARRAYS];
    const width = Ctor.BYTES_PER_ELEMENT;
    const bytes = c.raw(n * width).slice();
    if (!LITTLE_ENDIAN && width > 1) for (let i = 0; i < bytes.length; i += width) bytes.subarray(i, i + width).reverse();
    return { itemType, items: new Ctor(bytes.buffer) };
  }
  const items: unknown[] = [];
  for (let i = 0; i < n; i++) items.push(readScalar(c, itemType as Exclude<GGUFValueType, 'array'>).value);
  return { itemType, items: items as GGUFArrayItems };
}

const LITTLE_ENDIAN = new Uint8Array(new Uint16Array([1]).buffer)[0] === 1;

const alignUp = (x: number, a: number) => Math.ceil(x / a) * a;

function parse(bytes: Uint8Array, fileSize: number): GGUFHeader {
  if (fileSize < 4) throw new GGUFError('too-short', `The file is ${fileSize} bytes long, too short for the 4-byte GGUF magic.`);
  const c = new Cursor(bytes, fileSize);
  const magic = c.raw(4);
  if (!GGUF_MAGIC.every((b, k) => magic[k] === b)) {
    const shown = Array.from(magic, (b) => (b >= 0x20 && b < 0x7f ? String.fromCharCode(b) : `\\x${b.toString(16).padStart(2, '0')}`)).join('');
    throw new GGUFError('bad-magic', `The file starts with "${shown}", not the GGUF magic "GGUF": this is not a GGUF file.`);
  }
  const version = c.u32();
  if (version !== 0 && (version & 0xffff) === 0) throw new GGUFError('big-endian', `The version field reads 0x${version.toString(16)}, which is a big-endian GGUF file; this reader reads little-endian files only.`);
  if (version !== 2 && version !== 3) throw new GGUFError('unsupported-version', `This is GGUF version ${version}; this reader reads versions 2 and 3${version === 1 ? ' (version 1 used 32-bit counts and llama.cpp no longer reads it)' : ''}.`);
  const tensorCount = c.size('The tensor count');
  const kvCount = c.size('The metadata count');
  if (tensorCount > MAX_GGUF_TENSORS) throw new GGUFError('too-many-tensors', `The header says the file holds ${fmt(tensorCount)} tensors, more than the ${fmt(MAX_GGUF_TENSORS)} this reader accepts.`);
  if (kvCount > MAX_GGUF_KV) throw new GGUFError('too-many-kv', `The header says the file holds ${fmt(kvCount)} metadata entries, more than the ${fmt(MAX_GGUF_KV)} this reader accepts.`);
  // Each entry needs at least a key length, a type and one byte; each tensor info at least 24 bytes.
  if (kvCount * 13 + tensorCount * 24 > c.remaining()) throw new GGUFError('truncated', `The header says the file holds ${fmt(kvCount)} metadata entries and ${fmt(tensorCount)} tensors, which need at least ${fmt(kvCount * 13 + tensorCount * 24)} bytes, but only ${fmt(c.remaining())} remain.`);

  const metadata = new Map<string, GGUFValue>();
  for (let i = 0; i < kvCount; i++) {
    c.where = `metadata entry ${i}`;
    const key = c.string('the key', GGUF_MAX_KEY_BYTES, 'bad-key');
    if (key === '') throw new GGUFError('bad-key', `Metadata entry ${i} has an empty key.`);
    c.where = `metadata entry ${i} ("${key}")`;
    if (metadata.has(key)) throw new GGUFError('duplicate-key', `The metadata key "${key}" appears twice.`);
    const type = valueTypeOf(c, 'The value');
    metadata.set(key, type === 'array' ? { type, value: readArray(c, 1) } : readScalar(c, type));
  }

  let alignment = GGUF_DEFAULT_ALIGNMENT;
  const a = metadata.get('general.alignment');
  if (a !== undefined) {
    if (a.type !== 'uint32') throw new GGUFError('bad-alignment', `general.alignment is a ${a.type}; GGUF requires a uint32.`);
    if (a.value === 0 || (a.value & (a.value - 1)) !== 0) throw new GGUFError('bad-alignment', `general.alignment is ${a.value}, not a power of two.`);
    alignment = a.value;
  }

  const tensors: GGUFTensorInfo[] = [];
  const names = new Set<string>();
  for (let i = 0; i < tensorCount; i++) {
    c.where = `the tensor table (tensor ${i})`;
    const name = c.string('the tensor name', GGUF_MAX_NAME_BYTES, 'name-too-long');
    if (names.has(name)) throw new GGUFError('duplicate-tensor', `Two tensors are named "${name}".`);
    names.add(name);
    c.where = `the tensor table (tensor ${i}, "${name}")`;
    const nDims = c.u32();
    if (nDims > GGUF_MAX_DIMS) throw new GGUFError('too-many-dims', `Tensor "${name}" has ${nDims} dimensions; ggml tensors have at most ${GGUF_MAX_DIMS}.`);
    const dims: number[] = [];
    let elements = 1;
    for (let d = 0; d < nDims; d++) {
      const n = c.size(`Dimension ${d}`);
      dims.push(n);
      elements *= n;
    }
    if (!Number.isSafeInteger(elements)) throw new GGUFError('value-too-large', `Tensor "${name}" with dims [${dims.join(', ')}] has more than 2^53 elements.`);
    const typeId = c.u32();
    const info = TYPE_BY_ID.get(typeId);
    if (!info) {
      throw new GGUFError('unknown-ggml-type', REMOVED_TYPES[typeId]
        ? `Tensor "${name}" has ggml type ${typeId} (${REMOVED_TYPES[typeId]}), which ggml has removed.`
        : `Tensor "${name}" has ggml type ${typeId}, which ggml does not define.`);
    }
    const row = nDims > 0 ? dims[0] : 1; // ggml pads missing dims with 1
    if (row % info.blockValues !== 0) throw new GGUFError('bad-row-length', `Tensor "${name}" of type ${info.name} has rows of ${fmt(row)} values, not a multiple of its block of ${info.blockValues}.`);
    const offset = c.size('The data offset');
    if (offset % alignment !== 0) throw new GGUFError('misaligned-offset', `Tensor "${name}" has data offset ${fmt(offset)}, not a multiple of the alignment ${alignment}.`);
    const byteLength = (elements / info.blockValues) * info.blockBytes;
    tensors.push({ name, dims, shape: [...dims].reverse(), typeId, type: info.name, elements, byteLength, offset, fileOffset: 0 });
  }
  const dataStart = tensorCount > 0 ? alignUp(c.pos, alignment) : c.pos;
  for (const t of tensors) {
    t.fileOffset = dataStart + t.offset;
    if (t.fileOffset + t.byteLength > fileSize) {
      throw new GGUFError('data-past-end', `Tensor "${t.name}" (${t.type}, dims [${t.dims.join(', ')}]) needs bytes ${fmt(t.fileOffset)}–${fmt(t.fileOffset + t.byteLength)}, past the end of the ${fmt(fileSize)}-byte file.`);
    }
  }
  const sorted = [...tensors].sort((x, y) => x.offset - y.offset);
  for (let i = 1; i < sorted.length; i++) {
    const p = sorted[i - 1];
    if (sorted[i].offset < p.offset + p.byteLength) throw new GGUFError('overlapping-tensors', `Tensors "${p.name}" and "${sorted[i].name}" overlap in the data section.`);
  }
  return { version, metadata, tensors, alignment, dataStart, fileSize };
}

/**
 * Parses and validates the header, metadata and tensor table (docs/gguf.md "File Structure") from
 * `bytes`, the first bytes of a file of `fileSize` bytes (default: `bytes` is the whole file).
 * Checks every rule in the module comment; the tensor data are not read.
 *
 * @throws GGUFError for a malformed file; a RangeError if `bytes` ends inside the tensor table of a
 *   longer file (use readGGUFBlobHeader for partial reads).
 */
export function parseGGUFHeader(bytes: Uint8Array, fileSize: number = bytes.length): GGUFHeader {
  try {
    return parse(bytes, fileSize);
  } catch (e) {
    if (e instanceof NeedMore) throw new RangeError(`parseGGUFHeader: the header needs the first ${e.needed} bytes, got ${bytes.length}`);
    throw e;
  }
}

/** Reads a whole GGUF file held in memory: the parsed header plus the bytes, for ggufTensorToFloat32. */
export function readGGUF(bytes: Uint8Array): GGUFFile {
  return { ...parseGGUFHeader(bytes), bytes };
}

function findTensor(header: GGUFHeader, tensor: GGUFTensorInfo | string): GGUFTensorInfo {
  if (typeof tensor !== 'string') return tensor;
  const t = header.tensors.find((x) => x.name === tensor);
  if (!t) throw new GGUFError('no-such-tensor', `The file has no tensor named "${tensor}".`);
  return t;
}

/** A tensor's raw bytes in a file held in memory (a view, not a copy). */
export function ggufTensorBytes(file: GGUFFile, tensor: GGUFTensorInfo | string): Uint8Array {
  const t = findTensor(file, tensor);
  return file.bytes.subarray(t.fileOffset, t.fileOffset + t.byteLength);
}

/** A metadata value as plain JS (number, bigint, boolean, string or the array's items), or undefined if the key is absent. */
export function ggufMetadataValue(header: GGUFHeader, key: string): number | bigint | boolean | string | GGUFArrayItems | undefined {
  const v = header.metadata.get(key);
  if (v === undefined) return undefined;
  return v.type === 'array' ? v.value.items : v.value;
}

let fp16Table: Float32Array | undefined;

function assertConvertible(info: GGUFTensorInfo, maxElements = MAX_GGUF_TENSOR_ELEMENTS): void {
  if (!(GGUF_FLOAT_TYPES as readonly string[]).includes(info.type)) {
    throw new GGUFError('unsupported-type', `Tensor "${info.name}" is ${info.type}, which is not supported here: this reader converts ${GGUF_FLOAT_TYPES.join(', ')} to float32.`);
  }
  if (info.elements > maxElements) throw new GGUFError('too-many-elements', `Tensor "${info.name}" has ${fmt(info.elements)} elements, more than the ${fmt(maxElements)} allowed here.`);
}

/**
 * Converts one tensor's raw bytes to float32 values in GGUF element order (ne[0] fastest, which is
 * row-major order for `shape`):
 * - F32: the little-endian float32s as they are;
 * - F16: IEEE binary16 decoded (lib/formats decodeFloat('fp16'), exact in float32);
 * - BF16: the float32 whose top 16 bits are the code (bits << 16, exact);
 * - Q8_0, Q4_0, Q4_1: lib/quant/gguf dequantizeGGUF (x = q·d, (q − 8)·d, q·d + m with fp16 d, m).
 *
 * @throws GGUFError('unsupported-type') for any other ggml type (named), ('too-many-elements') above
 *   `maxElements` (default MAX_GGUF_TENSOR_ELEMENTS), ('bad-input') if the byte count is wrong.
 */
export function dequantizeGGUFTensor(info: GGUFTensorInfo, bytes: Uint8Array, o: { maxElements?: number } = {}): Float32Array {
  assertConvertible(info, o.maxElements);
  if (bytes.length !== info.byteLength) throw new GGUFError('bad-input', `Tensor "${info.name}" needs ${fmt(info.byteLength)} bytes, got ${fmt(bytes.length)}.`);
  const n = info.elements;
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  switch (info.type as GGUFFloatType) {
    case 'F32': {
      const out = new Float32Array(n);
      for (let i = 0; i < n; i++) out[i] = view.getFloat32(4 * i, true);
      return out;
    }
    case 'F16': {
      if (!fp16Table) {
        fp16Table = new Float32Array(65536);
        for (let b = 0; b < 65536; b++) fp16Table[b] = decodeFloat('fp16', b);
      }
      const out = new Float32Array(n);
      for (let i = 0; i < n; i++) out[i] = fp16Table[view.getUint16(2 * i, true)];
      return out;
    }
    case 'BF16': {
      const out = new Float32Array(n);
      const bits = new Uint32Array(out.buffer);
      for (let i = 0; i < n; i++) bits[i] = view.getUint16(2 * i, true) << 16 >>> 0;
      return out;
    }
    case 'Q8_0': return dequantizeGGUF('q8_0', bytes, n);
    case 'Q4_0': return dequantizeGGUF('q4_0', bytes, n);
    case 'Q4_1': return dequantizeGGUF('q4_1', bytes, n);
  }
}

/** A tensor of a file held in memory as float32 (see {@link dequantizeGGUFTensor}); `tensor` is an info or a name. */
export function ggufTensorToFloat32(file: GGUFFile, tensor: GGUFTensorInfo | string, o: { maxElements?: number } = {}): Float32Array {
  const t = findTensor(file, tensor);
  return dequantizeGGUFTensor(t, ggufTensorBytes(file, t), o);
}

// ---------------------------------------------------------------------------------------------
// Reading from a Blob

/** First read of a Blob's header: 1 MiB (grown as the metadata needs). */
export const GGUF_FIRST_READ_BYTES = 2 ** 20;
/** Default piece size for reading tensor data: 4 MiB. */
export const GGUF_CHUNK_BYTES = 4 * 2 ** 20;

/**
 * Reads only the header, metadata and tensor table of a GGUF Blob (a dropped File), with
 * Blob.slice: first `firstReadBytes`, then — while the parser needs bytes past what it has — the
 * missing bytes, at least doubling what is held each time, up to `maxHeaderBytes` (default
 * MAX_GGUF_HEADER_BYTES; past it a GGUFError('header-too-big')). Tensor data are read later, on
 * demand, by readGGUFTensorBytes.
 */
export async function readGGUFBlobHeader(blob: Blob, o: { firstReadBytes?: number; maxHeaderBytes?: number } = {}): Promise<GGUFHeader> {
  const cap = o.maxHeaderBytes ?? MAX_GGUF_HEADER_BYTES;
  let have = new Uint8Array(await blob.slice(0, Math.min(blob.size, o.firstReadBytes ?? GGUF_FIRST_READ_BYTES)).arrayBuffer());
  for (;;) {
    try {
      return parse(have, blob.size);
    } catch (e) {
      if (!(e instanceof NeedMore)) throw e;
      if (e.needed > cap) throw new GGUFError('header-too-big', `The header, metadata and tensor table run past ${fmt(cap)} bytes, more than this reader loads.`);
      const target = Math.min(blob.size, cap, Math.max(e.needed, 2 * have.length));
      const more = new Uint8Array(await blob.slice(have.length, target).arrayBuffer());
      const grown = new Uint8Array(have.length + more.length);
      grown.set(have);
      grown.set(more, have.length);
      have = grown;
    }
  }
}

/** Reads one tensor's raw bytes from a GGUF Blob in slices of at most `chunkBytes`, reporting `onProgress(done, total)`. */
export async function readGGUFTensorBytes(
  blob: Blob,
  header: GGUFHeader,
  tensor: GGUFTensorInfo | string,
  o: { chunkBytes?: number; onProgress?: (done: number, total: number) => void } = {},
): Promise<Uint8Array<ArrayBuffer>> {
  const t = findTensor(header, tensor);
  const chunk = o.chunkBytes ?? GGUF_CHUNK_BYTES;
  if (!Number.isInteger(chunk) || chunk < 1) throw new RangeError(`chunkBytes must be a positive whole number, got ${chunk}`);
  if (blob.size !== header.fileSize) throw new GGUFError('bad-input', `The Blob has ${fmt(blob.size)} bytes but the header was read from a ${fmt(header.fileSize)}-byte file.`);
  const out = new Uint8Array(t.byteLength);
  for (let at = 0; at < t.byteLength; at += chunk) {
    const end = Math.min(t.byteLength, at + chunk);
    out.set(new Uint8Array(await blob.slice(t.fileOffset + at, t.fileOffset + end).arrayBuffer()), at);
    o.onProgress?.(end, t.byteLength);
  }
  return out;
}

/** One tensor of a GGUF Blob as float32: its bytes read on demand, then {@link dequantizeGGUFTensor}. */
export async function readGGUFTensorBlob(
  blob: Blob,
  header: GGUFHeader,
  tensor: GGUFTensorInfo | string,
  o: { chunkBytes?: number; onProgress?: (done: number, total: number) => void; maxElements?: number } = {},
): Promise<Float32Array> {
  const t = findTensor(header, tensor);
  assertConvertible(t, o.maxElements); // before reading any bytes
  return dequantizeGGUFTensor(t, await readGGUFTensorBytes(blob, header, t, o), o);
}

/** A GGUF Blob opened lazily: its header, and its tensors read when asked for. */
export interface GGUFBlobFile {
  header: GGUFHeader;
  tensorBytes(tensor: GGUFTensorInfo | string, o?: { chunkBytes?: number; onProgress?: (done: number, total: number) => void }): Promise<Uint8Array<ArrayBuffer>>;
  tensorToFloat32(tensor: GGUFTensorInfo | string, o?: { chunkBytes?: number; onProgress?: (done: number, total: number) => void; maxElements?: number }): Promise<Float32Array>;
}

/**
 * Opens a GGUF Blob for a notebook's `files[name]`: reads the header now ({@link readGGUFBlobHeader})
 * and returns functions that read one tensor's bytes, or its float32 values, on demand.
 */
export async function openGGUFBlob(blob: Blob, o: { firstReadBytes?: number; maxHeaderBytes?: number } = {}): Promise<GGUFBlobFile> {
  const header = await readGGUFBlobHeader(blob, o);
  return {
    header,
    tensorBytes: (tensor, r) => readGGUFTensorBytes(blob, header, tensor, r),
    tensorToFloat32: (tensor, r) => readGGUFTensorBlob(blob, header, tensor, r),
  };
}

// ---------------------------------------------------------------------------------------------
// Writing (small files, for tests and downloads)

/** A tensor to write: `shape` row-major (written reversed as GGUF dims); `values` for the six float types, or `raw` bytes for any known type. */
export interface GGUFWriteTensor {
  name: string;
  shape: readonly number[];
  type: string;
  values?: Float32Array;
  raw?: Uint8Array;
}

function encodeTensor(t: GGUFWriteTensor, info: GGMLTypeInfo, elements: number): Uint8Array {
  const byteLength = (elements / info.blockValues) * info.blockBytes;
  if (t.raw) {
    if (t.raw.length !== byteLength) throw new GGUFError('bad-input', `Tensor "${t.name}": ${info.name} with shape [${t.shape.join(', ')}] takes ${fmt(byteLength)} bytes, raw has ${fmt(t.raw.length)}.`);
    return t.raw;
  }
  const v = t.values;
  if (!v) throw new GGUFError('bad-input', `Tensor "${t.name}" needs values or raw bytes.`);
  if (v.length !== elements) throw new GGUFError('bad-input', `Tensor "${t.name}": shape [${t.shape.join(', ')}] has ${fmt(elements)} elements but values has ${fmt(v.length)}.`);
  const out = new Uint8Array(byteLength);
  const view = new DataView(out.buffer);
  switch (info.name) {
    case 'F32': v.forEach((x, i) => view.setFloat32(4 * i, x, true)); return out;
    case 'F16': v.forEach((x, i) => view.setUint16(2 * i, encodeFloat('fp16', x), true)); return out;
    case 'BF16': v.forEach((x, i) => view.setUint16(2 * i, encodeFloat('bf16', x), true)); return out;
    case 'Q8_0': return quantizeGGUF('q8_0', v);
    case 'Q4_0': return quantizeGGUF('q4_0', v);
    case 'Q4_1': return quantizeGGUF('q4_1', v);
    default: throw new GGUFError('unsupported-type', `Tensor "${t.name}": writeGGUF encodes ${GGUF_FLOAT_TYPES.join(', ')} from values; give ${info.name} as raw bytes.`);
  }
}

class Writer {
  private parts: Uint8Array[] = [];
  length = 0;
  bytes(b: Uint8Array) { this.parts.push(b); this.length += b.length; }
  private num(n: number, f: (v: DataView) => void) { const b = new Uint8Array(n); f(new DataView(b.buffer)); this.bytes(b); }
  u8(x: number) { this.num(1, (v) => v.setUint8(0, x)); }
  u32(x: number) { this.num(4, (v) => v.setUint32(0, x, true)); }
  u64(x: number | bigint) { this.num(8, (v) => v.setBigUint64(0, BigInt(x), true)); }
  string(s: string) { const b = new TextEncoder().encode(s); this.u64(b.length); this.bytes(b); }
  concat(): Uint8Array<ArrayBuffer> {
    const out = new Uint8Array(this.length);
    let at = 0;
    for (const p of this.parts) { out.set(p, at); at += p.length; }
    return out;
  }
}

function writeScalar(w: Writer, type: GGUFValueType, value: unknown): void {
  const b = new Uint8Array(8);
  const v = new DataView(b.buffer);
  switch (type) {
    case 'uint8': case 'int8': w.u8(Number(value) & 0xff); return;
    case 'uint16': case 'int16': v.setUint16(0, Number(value) & 0xffff, true); w.bytes(b.subarray(0, 2)); return;
    case 'uint32': case 'int32': v.setUint32(0, Number(value) >>> 0, true); w.bytes(b.subarray(0, 4)); return;
    case 'float32': v.setFloat32(0, Number(value), true); w.bytes(b.subarray(0, 4)); return;
    case 'float64': v.setFloat64(0, Number(value), true); w.bytes(b); return;
    case 'uint64': v.setBigUint64(0, BigInt(value as number | bigint), true); w.bytes(b); return;
    case 'int64': v.setBigInt64(0, BigInt(value as number | bigint), true); w.bytes(b); return;
    case 'bool': w.u8(value ? 1 : 0); return;
    case 'string': w.string(String(value)); return;
    case 'array': writeArray(w, value as GGUFArray); return;
  }
}

/** Checks a metadata value before writing: a known type, and arrays whose item type is known, to a bounded depth. */
function checkValue(key: string, type: GGUFValueType, value: unknown, depth: number): void {
  if (!(GGUF_VALUE_TYPES as readonly string[]).includes(type)) throw new GGUFError('bad-input', `Metadata "${key}": unknown value type ${String(type)}; GGUF has ${GGUF_VALUE_TYPES.join(', ')}.`);
  if (type !== 'array') return;
  if (depth >= MAX_GGUF_ARRAY_DEPTH) throw new GGUFError('bad-input', `Metadata "${key}": arrays nest more than ${MAX_GGUF_ARRAY_DEPTH} deep.`);
  const a = value as GGUFArray;
  if (!(GGUF_VALUE_TYPES as readonly string[]).includes(a.itemType)) throw new GGUFError('bad-input', `Metadata "${key}": unknown array item type ${String(a.itemType)}.`);
  if (a.itemType === 'array') for (const inner of a.items as GGUFArray[]) checkValue(key, 'array', inner, depth + 1);
}

function writeArray(w: Writer, a: GGUFArray): void {
  w.u32(GGUF_VALUE_TYPES.indexOf(a.itemType));
  w.u64(a.items.length);
  for (const x of a.items as Iterable<unknown>) writeScalar(w, a.itemType, x);
}

/**
 * Writes a GGUF file (docs/gguf.md layout, little-endian): header, metadata in the given order,
 * tensor infos (dims = shape reversed), zero padding to the alignment, then each tensor's data at an
 * aligned offset, zero-padded to the alignment. F32/F16/BF16 are encoded from `values` (F16/BF16
 * rounded to nearest even by lib/formats), Q8_0/Q4_0/Q4_1 quantized by lib/quant/gguf quantizeGGUF
 * (bit-exact with ggml's reference quantizers); any known type can be given as `raw` bytes.
 * `alignment` (default: general.alignment from `metadata`, else 32) is stored as general.alignment
 * (uint32) when it is not 32.
 * Meant for tests and small downloads: everything is built in memory.
 *
 * @throws GGUFError('bad-input') for duplicate or over-long names, shapes that are not whole
 *   numbers or not 1–4 dims, rows not a multiple of the block, or a values/raw length that does not
 *   match the shape. Metadata values are written as given (an integer is masked to its width).
 */
export function writeGGUF(
  tensors: readonly GGUFWriteTensor[],
  metadata: Iterable<[string, GGUFValue]> = [],
  o: { version?: 2 | 3; alignment?: number } = {},
): Uint8Array<ArrayBuffer> {
  const meta = new Map(metadata);
  for (const [key, v] of meta) checkValue(key, v.type, v.value, 0);
  const given = meta.get('general.alignment');
  const alignment = o.alignment ?? (given?.type === 'uint32' ? given.value : GGUF_DEFAULT_ALIGNMENT);
  if (!Number.isInteger(alignment) || alignment < 1 || alignment >= 2 ** 32 || (alignment & (alignment - 1)) !== 0) throw new GGUFError('bad-input', `alignment ${alignment} is not a power of two.`);
  if (alignment !== GGUF_DEFAULT_ALIGNMENT && !meta.has('general.alignment')) meta.set('general.alignment', { type: 'uint32', value: alignment });
  const stored = meta.get('general.alignment');
  if (stored && (stored.type !== 'uint32' || stored.value !== alignment)) throw new GGUFError('bad-input', 'general.alignment in the metadata disagrees with the alignment option.');

  const w = new Writer();
  w.bytes(GGUF_MAGIC);
  w.u32(o.version ?? 3);
  w.u64(tensors.length);
  w.u64(meta.size);
  for (const [key, v] of meta) {
    w.string(key);
    w.u32(GGUF_VALUE_TYPES.indexOf(v.type));
    writeScalar(w, v.type, v.value);
  }
  const names = new Set<string>();
  const datas: Uint8Array[] = [];
  let offset = 0;
  for (const t of tensors) {
    if (names.has(t.name)) throw new GGUFError('bad-input', `Two tensors are named "${t.name}".`);
    names.add(t.name);
    if (new TextEncoder().encode(t.name).length >= GGUF_MAX_NAME_BYTES) throw new GGUFError('bad-input', `Tensor name "${t.name}" is ${GGUF_MAX_NAME_BYTES} bytes or longer; ggml reads names of at most ${GGUF_MAX_NAME_BYTES - 1}.`);
    const info = TYPE_BY_NAME.get(t.type);
    if (!info) throw new GGUFError('bad-input', `Tensor "${t.name}": unknown ggml type ${t.type}.`);
    if (t.shape.length < 1 || t.shape.length > GGUF_MAX_DIMS || !t.shape.every((n) => Number.isSafeInteger(n) && n >= 0)) throw new GGUFError('bad-input', `Tensor "${t.name}": shape [${t.shape.join(', ')}] must be 1 to 4 whole numbers ≥ 0.`);
    const dims = [...t.shape].reverse();
    if (dims[0] % info.blockValues !== 0) throw new GGUFError('bad-input', `Tensor "${t.name}": rows of ${dims[0]} values are not a multiple of the ${info.name} block of ${info.blockValues}.`);
    const elements = t.shape.reduce((a, b) => a * b, 1);
    const data = encodeTensor(t, info, elements);
    w.string(t.name);
    w.u32(dims.length);
    for (const d of dims) w.u64(d);
    w.u32(info.id);
    w.u64(offset);
    datas.push(data);
    offset += alignUp(data.length, alignment);
  }
  if (tensors.length > 0) w.bytes(new Uint8Array(alignUp(w.length, alignment) - w.length));
  for (const d of datas) {
    w.bytes(d);
    w.bytes(new Uint8Array(alignUp(d.length, alignment) - d.length));
  }
  return w.concat();
}
