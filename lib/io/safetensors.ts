/**
 * Reading and writing safetensors files (Hugging Face, https://github.com/huggingface/safetensors,
 * format as its README specifies): an 8-byte little-endian unsigned header length N, N bytes of
 * UTF-8 JSON mapping each tensor name to {dtype, shape, data_offsets: [begin, end]} (offsets into the
 * data section that follows the header) plus an optional "__metadata__" map of strings, then the
 * raw little-endian tensor data, row-major. Supported dtypes: F32, F16, BF16, I8, U8.
 *
 * Validation follows the reference implementation's rules: the header must fit in the file and parse
 * as a JSON object; every dtype must be known; offsets must lie inside the data section, agree with
 * shape × item size, and tile the data section without overlaps or gaps. Every violation throws a
 * SafetensorsError whose message names the tensor and the problem, for a widget to show.
 */

import { decodeFloat } from '../formats';
import { errorMessage } from '../errors';

export type SafetensorsDType = 'F32' | 'F16' | 'BF16' | 'I8' | 'U8';

export const SAFETENSORS_DTYPES: readonly SafetensorsDType[] = ['F32', 'F16', 'BF16', 'I8', 'U8'];

/** Bytes per element of each dtype. */
export const DTYPE_BYTES: Readonly<Record<SafetensorsDType, number>> = { F32: 4, F16: 2, BF16: 2, I8: 1, U8: 1 };

/** The safetensors reference refuses headers over 100 MB; so does this reader. */
export const MAX_HEADER_BYTES = 100_000_000;

/** F32 as Float32Array; F16 and BF16 as their raw 16-bit codes (Uint16Array); I8 and U8 as Int8Array/Uint8Array. */
export type TensorData = Float32Array | Uint16Array | Int8Array | Uint8Array;

export interface SafetensorsTensor {
  dtype: SafetensorsDType;
  shape: number[];
  data: TensorData;
}

export interface TensorEntry {
  name: string;
  dtype: SafetensorsDType;
  shape: number[];
  /** Offsets in the data section, as stored: [begin, end). */
  dataOffsets: [number, number];
}

export interface SafetensorsHeader {
  /** Entries in the order of their data offsets. */
  tensors: TensorEntry[];
  metadata: Record<string, string>;
  /** Where the data section starts in the file: 8 + header length. */
  dataStart: number;
}

/** A malformed or unsupported safetensors file; the message says what is wrong and where. */
export class SafetensorsError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'SafetensorsError';
  }
}

const LITTLE_ENDIAN = new Uint8Array(new Uint16Array([1]).buffer)[0] === 1;

function elementCount(shape: readonly number[]): number {
  return shape.reduce((a, b) => a * b, 1);
}

/**
 * The header length N from the first 8 bytes (little-endian u64), checked against the file size:
 * 8 + N must not run past the end, and N must be at most MAX_HEADER_BYTES.
 */
export function readHeaderLength(first8: Uint8Array, fileSize: number): number {
  if (fileSize < 8 || first8.length < 8) throw new SafetensorsError(`The file is ${fileSize} bytes long, too short for the 8-byte header length a safetensors file starts with.`);
  const view = new DataView(first8.buffer, first8.byteOffset, 8);
  const n = view.getUint32(0, true) + view.getUint32(4, true) * 2 ** 32;
  if (n > MAX_HEADER_BYTES) throw new SafetensorsError(`The header length says ${n.toLocaleString('en-US')} bytes, more than the ${MAX_HEADER_BYTES.toLocaleString('en-US')} a safetensors header may have: this is probably not a safetensors file.`);
  if (8 + n > fileSize) throw new SafetensorsError(`The header length says ${n.toLocaleString('en-US')} bytes, which runs past the end of the ${fileSize.toLocaleString('en-US')}-byte file.`);
  return n;
}

function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/**
 * Parses and validates the JSON header (the N bytes after the length) of a file of `fileSize` bytes.
 * Checks every rule listed in the module comment and returns the entries sorted by offset.
 */
export function parseHeader(headerBytes: Uint8Array, fileSize: number): SafetensorsHeader {
  const dataStart = 8 + headerBytes.length;
  const dataSize = fileSize - dataStart;
  let json: unknown;
  try {
    json = JSON.parse(new TextDecoder('utf-8', { fatal: true }).decode(headerBytes));
  } catch (e) {
    throw new SafetensorsError(`The header is not valid JSON (${errorMessage(e)}).`);
  }
  if (!isObject(json)) throw new SafetensorsError('The header must be a JSON object mapping tensor names to their dtype, shape and data_offsets.');
  const metadata: Record<string, string> = {};
  const tensors: TensorEntry[] = [];
  for (const [name, value] of Object.entries(json)) {
    if (name === '__metadata__') {
      if (!isObject(value)) throw new SafetensorsError('"__metadata__" must be an object of strings.');
      for (const [k, v] of Object.entries(value)) {
        if (typeof v !== 'string') throw new SafetensorsError(`"__metadata__" entry "${k}" must be a string.`);
        metadata[k] = v;
      }
      continue;
    }
    if (!isObject(value)) throw new SafetensorsError(`Tensor "${name}" must be an object with dtype, shape and data_offsets.`);
    const { dtype, shape, data_offsets: offsets } = value;
    if (typeof dtype !== 'string' || !(SAFETENSORS_DTYPES as readonly string[]).includes(dtype)) {
      throw new SafetensorsError(`Tensor "${name}" has dtype ${JSON.stringify(dtype)}, which this reader does not handle (it reads ${SAFETENSORS_DTYPES.join(', ')}).`);
    }
    if (!Array.isArray(shape) || !shape.every((d) => Number.isSafeInteger(d) && d >= 0)) {
      throw new SafetensorsError(`Tensor "${name}" has shape ${JSON.stringify(shape)}; a shape is a list of whole numbers ≥ 0.`);
    }
    if (!Array.isArray(offsets) || offsets.length !== 2 || !offsets.every((o) => Number.isSafeInteger(o) && o >= 0) || offsets[0] > offsets[1]) {
      throw new SafetensorsError(`Tensor "${name}" has data_offsets ${JSON.stringify(offsets)}; they must be [begin, end] with 0 ≤ begin ≤ end.`);
    }
    const [begin, end] = offsets as [number, number];
    if (end > dataSize) {
      throw new SafetensorsError(`Tensor "${name}" has data_offsets [${begin}, ${end}], outside the data section, which holds ${dataSize.toLocaleString('en-US')} bytes.`);
    }
    const d = dtype as SafetensorsDType;
    const need = elementCount(shape as number[]) * DTYPE_BYTES[d];
    if (need !== end - begin) {
      throw new SafetensorsError(`Tensor "${name}" has shape [${(shape as number[]).join(', ')}] of ${d}, which needs ${need.toLocaleString('en-US')} bytes, but its data_offsets span ${(end - begin).toLocaleString('en-US')}.`);
    }
    tensors.push({ name, dtype: d, shape: [...(shape as number[])], dataOffsets: [begin, end] });
  }
  tensors.sort((a, b) => a.dataOffsets[0] - b.dataOffsets[0] || a.dataOffsets[1] - b.dataOffsets[1]);
  let covered = 0;
  for (let i = 0; i < tensors.length; i++) {
    const t = tensors[i];
    if (t.dataOffsets[0] < covered) throw new SafetensorsError(`Tensors "${tensors[i - 1].name}" and "${t.name}" overlap in the data section.`);
    if (t.dataOffsets[0] > covered) throw new SafetensorsError(`Bytes ${covered}–${t.dataOffsets[0]} of the data section belong to no tensor (before "${t.name}"): the offsets must tile the data.`);
    covered = t.dataOffsets[1];
  }
  if (covered !== dataSize) throw new SafetensorsError(`The data section holds ${dataSize.toLocaleString('en-US')} bytes but the tensors cover ${covered.toLocaleString('en-US')}.`);
  return { tensors, metadata, dataStart };
}

/** Typed data of one tensor from its raw little-endian bytes (copied, so aligned and independent of the source). */
export function tensorFromBytes(dtype: SafetensorsDType, bytes: Uint8Array): TensorData {
  const copy = bytes.slice(); // a fresh, aligned buffer
  if (dtype === 'I8') return new Int8Array(copy.buffer);
  if (dtype === 'U8') return copy;
  const width = DTYPE_BYTES[dtype];
  if (!LITTLE_ENDIAN) for (let i = 0; i < copy.length; i += width) copy.subarray(i, i + width).reverse();
  return dtype === 'F32' ? new Float32Array(copy.buffer) : new Uint16Array(copy.buffer);
}

/** Reads a whole safetensors file held in memory. */
export function readSafetensors(file: Uint8Array): { tensors: Map<string, SafetensorsTensor>; metadata: Record<string, string> } {
  const n = readHeaderLength(file.subarray(0, 8), file.length);
  const header = parseHeader(file.subarray(8, 8 + n), file.length);
  const tensors = new Map<string, SafetensorsTensor>();
  for (const t of header.tensors) {
    const bytes = file.subarray(header.dataStart + t.dataOffsets[0], header.dataStart + t.dataOffsets[1]);
    tensors.set(t.name, { dtype: t.dtype, shape: t.shape, data: tensorFromBytes(t.dtype, bytes) });
  }
  return { tensors, metadata: header.metadata };
}

/** Default piece size for reading a Blob: 4 MiB. */
export const DEFAULT_CHUNK_BYTES = 4 * 1024 * 1024;

/**
 * Reads a safetensors Blob (a File from an <input>, or a fetched Blob) in pieces with Blob.slice:
 * the 8-byte length, then the header, then each tensor in slices of at most `chunkBytes`, so a large
 * file is never held twice. `onProgress(done, total)` reports data bytes read.
 */
export async function readSafetensorsBlob(
  blob: Blob,
  o: { chunkBytes?: number; onProgress?: (done: number, total: number) => void } = {},
): Promise<{ tensors: Map<string, SafetensorsTensor>; metadata: Record<string, string> }> {
  const chunk = o.chunkBytes ?? DEFAULT_CHUNK_BYTES;
  if (!Number.isInteger(chunk) || chunk < 1) throw new RangeError(`chunkBytes must be a positive whole number, got ${chunk}`);
  const read = async (begin: number, end: number) => new Uint8Array(await blob.slice(begin, end).arrayBuffer());
  const n = readHeaderLength(await read(0, 8), blob.size);
  const header = parseHeader(await read(8, 8 + n), blob.size);
  const total = blob.size - header.dataStart;
  const tensors = new Map<string, SafetensorsTensor>();
  let done = 0;
  for (const t of header.tensors) {
    const [begin, end] = t.dataOffsets;
    const bytes = new Uint8Array(end - begin);
    for (let at = begin; at < end; at += chunk) {
      const piece = await read(header.dataStart + at, header.dataStart + Math.min(end, at + chunk));
      bytes.set(piece, at - begin);
      done += piece.length;
      o.onProgress?.(done, total);
    }
    tensors.set(t.name, { dtype: t.dtype, shape: t.shape, data: tensorFromBytes(t.dtype, bytes) });
  }
  return { tensors, metadata: header.metadata };
}

function dataMatches(dtype: SafetensorsDType, data: TensorData): boolean {
  if (dtype === 'F32') return data instanceof Float32Array;
  if (dtype === 'F16' || dtype === 'BF16') return data instanceof Uint16Array;
  if (dtype === 'I8') return data instanceof Int8Array;
  return data instanceof Uint8Array;
}

/**
 * Writes tensors (in the given order, back to back) and optional string metadata as a safetensors
 * file. The JSON header is padded with spaces to a multiple of 8 bytes, as the reference writer
 * does, so the data section starts aligned. Throws a SafetensorsError for a dtype/data mismatch or a
 * shape that does not match the element count.
 */
export function writeSafetensors(tensors: Iterable<[string, SafetensorsTensor]>, metadata?: Record<string, string>): Uint8Array<ArrayBuffer> {
  const entries = [...tensors];
  const header: Record<string, unknown> = {};
  if (metadata && Object.keys(metadata).length > 0) header.__metadata__ = metadata;
  let offset = 0;
  for (const [name, t] of entries) {
    if (name === '__metadata__') throw new SafetensorsError('"__metadata__" is reserved and cannot name a tensor.');
    if (!(SAFETENSORS_DTYPES as readonly string[]).includes(t.dtype)) throw new SafetensorsError(`Tensor "${name}": unknown dtype ${String(t.dtype)}.`);
    if (!dataMatches(t.dtype, t.data)) throw new SafetensorsError(`Tensor "${name}": ${t.data.constructor.name} data does not hold ${t.dtype} values.`);
    if (elementCount(t.shape) !== t.data.length) throw new SafetensorsError(`Tensor "${name}": shape [${t.shape.join(', ')}] has ${elementCount(t.shape)} elements but the data has ${t.data.length}.`);
    const bytes = t.data.length * DTYPE_BYTES[t.dtype];
    header[name] = { dtype: t.dtype, shape: t.shape, data_offsets: [offset, offset + bytes] };
    offset += bytes;
  }
  let json = new TextEncoder().encode(JSON.stringify(header));
  const padded = Math.ceil(json.length / 8) * 8;
  if (padded !== json.length) {
    const p = new Uint8Array(padded).fill(0x20);
    p.set(json);
    json = p;
  }
  const out = new Uint8Array(8 + json.length + offset);
  const view = new DataView(out.buffer);
  view.setUint32(0, json.length % 2 ** 32, true);
  view.setUint32(4, Math.floor(json.length / 2 ** 32), true);
  out.set(json, 8);
  let at = 8 + json.length;
  for (const [, t] of entries) {
    const bytes = new Uint8Array(t.data.buffer, t.data.byteOffset, t.data.byteLength).slice();
    const width = DTYPE_BYTES[t.dtype];
    if (!LITTLE_ENDIAN && width > 1) for (let i = 0; i < bytes.length; i += width) bytes.subarray(i, i + width).reverse();
    out.set(bytes, at);
    at += bytes.length;
  }
  return out;
}

/**
 * A tensor's values as float32: F32 as is; F16 decoded by IEEE binary16 rules (lib/formats); BF16 as
 * the top half of a float32 (bits << 16, exact); I8 and U8 as their integer values.
 */
export function tensorToFloat32(t: SafetensorsTensor): Float32Array {
  if (t.dtype === 'F32') return t.data as Float32Array;
  const out = new Float32Array(t.data.length);
  if (t.dtype === 'BF16') {
    new Uint32Array(out.buffer).set(Array.from(t.data as Uint16Array, (b) => b << 16 >>> 0));
    return out;
  }
  if (t.dtype === 'F16') {
    const src = t.data as Uint16Array;
    for (let i = 0; i < src.length; i++) out[i] = decodeFloat('fp16', src[i]);
    return out;
  }
  out.set(t.data as Int8Array | Uint8Array);
  return out;
}
