/**
 * Reading and writing NumPy .npy files. Format: numpy.lib.format (module docstring of
 * numpy/lib/_format_impl.py; first described in NEP 1, "A simple file format for NumPy arrays"):
 *
 *   bytes 0–5   the magic string \x93NUMPY
 *   byte 6, 7   format version major, minor: 1.0, 2.0 or 3.0
 *   then        the header length HEADER_LEN: u16 little-endian (1.0) or u32 little-endian (2.0, 3.0)
 *   then        HEADER_LEN bytes: a Python literal dict, latin1 (1.0, 2.0) or UTF-8 (3.0), e.g.
 *               {'descr': '<f4', 'fortran_order': False, 'shape': (3, 4), }
 *               padded with spaces and ending in '\n' so that 6 + 2 + len(length) + HEADER_LEN is a
 *               multiple of 64 (older NumPy used 16; readers must not depend on it)
 *   then        the raw array data, shape product × item size bytes, C order (or Fortran order if
 *               fortran_order is True).
 *
 * Supported dtypes (descr): f2, f4, f8, i1, u1, i2, u2, i4, u4, i8, u8, b1, little-endian ('<'),
 * big-endian ('>', byte-swapped on read) or '|' (no byte order, for 1-byte types). Read as:
 * f4 → Float32Array; f2 → Float32Array (decoded, exact: every binary16 value is a float32);
 * f8 → Float64Array; i1/u1 → Int8Array/Uint8Array; i2/u2 → Int16Array/Uint16Array;
 * i4/u4 → Int32Array/Uint32Array; i8/u8 → BigInt64Array/BigUint64Array (exact);
 * b1 → Uint8Array of 0/1 (a nonzero byte reads as 1, as NumPy's bool view treats it as True).
 * Structured, string and object dtypes are refused by name.
 *
 * fortran_order True: the data are transposed to C (row-major) order on read, so `data` is always
 * row-major for the given shape, as numpy.load returns an array that indexes the same way.
 *
 * The header dict is parsed by a small strict parser for Python literals (strings, integers with
 * an optional Python 2 'L', True/False/None, tuples, lists, dicts) — nothing is evaluated. Every
 * malformed case throws an NpyError whose `problem` code and message say what is wrong.
 */

import { decodeFloat, encodeFloat } from '../formats';

export type NpyDType = 'f2' | 'f4' | 'f8' | 'i1' | 'u1' | 'i2' | 'u2' | 'i4' | 'u4' | 'i8' | 'u8' | 'b1';

export const NPY_DTYPES: readonly NpyDType[] = ['f2', 'f4', 'f8', 'i1', 'u1', 'i2', 'u2', 'i4', 'u4', 'i8', 'u8', 'b1'];

/** Bytes per element of each dtype. */
export const NPY_ITEM_BYTES: Readonly<Record<NpyDType, number>> = { f2: 2, f4: 4, f8: 8, i1: 1, u1: 1, i2: 2, u2: 2, i4: 4, u4: 4, i8: 8, u8: 8, b1: 1 };

/** The typed array each dtype reads into (see the module comment). */
export type NpyData = Float32Array | Float64Array | Int8Array | Uint8Array | Int16Array | Uint16Array | Int32Array | Uint32Array | BigInt64Array | BigUint64Array;

export interface NpyArray {
  dtype: NpyDType;
  /** Row-major shape; [] is a 0-d array (one element). */
  shape: number[];
  /** The values in C (row-major) order. */
  data: NpyData;
}

export interface NpyHeader {
  /** Format version [major, minor]. */
  version: [number, number];
  dtype: NpyDType;
  /** Byte order of the stored data: '<' little-endian, '>' big-endian, '|' not applicable. */
  byteOrder: '<' | '>' | '|';
  fortranOrder: boolean;
  shape: number[];
  /** Number of elements (the shape product; 1 for shape []). */
  elements: number;
  /** Where the data start in the file: magic + version + length field + HEADER_LEN. */
  dataStart: number;
  /** Bytes of data: elements × item size. */
  dataBytes: number;
}

export type NpyProblem =
  | 'too-short'
  | 'bad-magic'
  | 'unsupported-version'
  | 'header-past-end'
  | 'header-too-long'
  | 'header-encoding'
  | 'header-not-dict'
  | 'header-keys'
  | 'bad-descr'
  | 'unsupported-dtype'
  | 'bad-fortran-order'
  | 'bad-shape'
  | 'too-many-elements'
  | 'data-too-short'
  | 'trailing-bytes'
  | 'bad-input';

/** A malformed or unsupported .npy file (or writer input); `problem` names the case for code, the message for the learner. */
export class NpyError extends Error {
  readonly problem: NpyProblem;
  constructor(problem: NpyProblem, message: string) {
    super(message);
    this.name = 'NpyError';
    this.problem = problem;
  }
}

/** The magic string every .npy file starts with: 0x93 then "NUMPY". */
export const NPY_MAGIC = new Uint8Array([0x93, 0x4e, 0x55, 0x4d, 0x50, 0x59]);

/** NumPy refuses headers longer than 10,000 characters unless told otherwise (numpy.lib.format _MAX_HEADER_SIZE); so does this reader. */
export const MAX_NPY_HEADER_BYTES = 10_000;

/** The most elements this reader and writer accept: 2^28 (1 GiB of float32). */
export const MAX_NPY_ELEMENTS = 2 ** 28;

/** Writers pad so that magic + version + length + header is a multiple of 64 (numpy ARRAY_ALIGN). */
export const NPY_ALIGN = 64;

const LITTLE_ENDIAN = new Uint8Array(new Uint16Array([1]).buffer)[0] === 1;

const fmt = (n: number) => n.toLocaleString('en-US');

// ---------------------------------------------------------------------------------------------
// A strict parser for the Python literals a header holds. Nothing is evaluated.

/** A parsed Python literal. */
export type PyLiteral =
  | { kind: 'str'; value: string }
  | { kind: 'int'; value: number }
  | { kind: 'bool'; value: boolean }
  | { kind: 'none' }
  | { kind: 'tuple'; items: PyLiteral[] }
  | { kind: 'list'; items: PyLiteral[] }
  | { kind: 'dict'; entries: [PyLiteral, PyLiteral][] };

const MAX_LITERAL_DEPTH = 16;

/**
 * Parses one Python literal expression (the subset numpy writes: strings in single or double quotes
 * with backslash escapes, decimal integers with an optional sign and Python 2 'L' suffix,
 * True/False/None, tuples — `(3,)` is a tuple, `(3)` is the integer 3, as in Python —, lists and
 * dicts, trailing commas allowed). Whitespace around tokens is skipped; anything after the literal
 * other than whitespace is an error. Throws NpyError('header-not-dict') naming the position.
 */
export function parsePythonLiteral(text: string): PyLiteral {
  let i = 0;
  const fail = (what: string): never => {
    throw new NpyError('header-not-dict', `The header is not a Python dict literal: ${what} at character ${i} (${JSON.stringify(text.slice(Math.max(0, i - 10), i + 10))}).`);
  };
  const skip = () => {
    while (i < text.length && ' \t\n\r'.includes(text[i])) i++;
  };
  const value = (depth: number): PyLiteral => {
    if (depth > MAX_LITERAL_DEPTH) fail(`nesting deeper than ${MAX_LITERAL_DEPTH}`);
    skip();
    const c = text[i];
    if (c === undefined) return fail('the text ends where a value should be');
    if (c === "'" || c === '"') return { kind: 'str', value: str(c) };
    if (c === '-' || c === '+' || (c >= '0' && c <= '9')) return int();
    if (c === '(' || c === '[') return seq(c, depth);
    if (c === '{') return dict(depth);
    for (const [word, lit] of [['True', { kind: 'bool', value: true }], ['False', { kind: 'bool', value: false }], ['None', { kind: 'none' }]] as const) {
      if (text.startsWith(word, i) && !/[A-Za-z0-9_]/.test(text[i + word.length] ?? '')) {
        i += word.length;
        return lit;
      }
    }
    return fail(`unexpected ${JSON.stringify(c)}`);
  };
  const str = (quote: string): string => {
    i++;
    let out = '';
    for (;;) {
      const c = text[i];
      if (c === undefined || c === '\n') return fail('an unterminated string');
      i++;
      if (c === quote) return out;
      if (c === '\\') {
        const e = text[i++];
        if (e === undefined) return fail('an unterminated string');
        out += e === 'n' ? '\n' : e === 't' ? '\t' : e === 'r' ? '\r' : e === '0' ? '\0' : e;
      } else out += c;
    }
  };
  const int = (): PyLiteral => {
    const m = /^[-+]?[0-9]+L?/.exec(text.slice(i, i + 40));
    if (!m) return fail('a sign without digits');
    const digits = m[0].replace(/L$/, '');
    if (/[0-9.eEjxXoObB_]/.test(text[i + m[0].length] ?? '')) { i += m[0].length; return fail('a number that is not a plain decimal integer'); }
    i += m[0].length;
    const v = Number(digits);
    if (!Number.isSafeInteger(v)) fail(`the integer ${digits}, too large for this reader`);
    return { kind: 'int', value: v };
  };
  const seq = (open: string, depth: number): PyLiteral => {
    const close = open === '(' ? ')' : ']';
    i++;
    const items: PyLiteral[] = [];
    let sawComma = false;
    for (;;) {
      skip();
      if (text[i] === close) { i++; break; }
      if (items.length > 0 && !sawComma) fail(`expected "," or "${close}"`);
      items.push(value(depth + 1));
      skip();
      sawComma = text[i] === ',';
      if (sawComma) i++;
    }
    if (open === '(' && items.length === 1 && !sawComma) return items[0]; // (3) is 3, not a tuple
    return open === '(' ? { kind: 'tuple', items } : { kind: 'list', items };
  };
  const dict = (depth: number): PyLiteral => {
    i++;
    const entries: [PyLiteral, PyLiteral][] = [];
    let sawComma = true;
    for (;;) {
      skip();
      if (text[i] === '}') { i++; break; }
      if (!sawComma) fail('expected "," or "}"');
      const k = value(depth + 1);
      skip();
      if (text[i] !== ':') fail('expected ":" after a dict key');
      i++;
      entries.push([k, value(depth + 1)]);
      skip();
      sawComma = text[i] === ',';
      if (sawComma) i++;
    }
    return { kind: 'dict', entries };
  };
  const v = value(0);
  skip();
  if (i !== text.length) fail('extra text after the literal');
  return v;
}

function showLiteral(v: PyLiteral): string {
  switch (v.kind) {
    case 'str': return `'${v.value}'`;
    case 'int': return String(v.value);
    case 'bool': return v.value ? 'True' : 'False';
    case 'none': return 'None';
    case 'tuple': return `(${v.items.map(showLiteral).join(', ')}${v.items.length === 1 ? ',' : ''})`;
    case 'list': return `[${v.items.map(showLiteral).join(', ')}]`;
    case 'dict': return `{${v.entries.map(([k, x]) => `${showLiteral(k)}: ${showLiteral(x)}`).join(', ')}}`;
  }
}

// ---------------------------------------------------------------------------------------------
// Reading

/**
 * The version and header length from the first bytes (at least 10 for version 1.0, 12 for 2.0/3.0)
 * of a file of `fileSize` bytes. Checks the magic, the version (1.0, 2.0, 3.0), that the header
 * fits in the file, and that it is at most MAX_NPY_HEADER_BYTES.
 */
export function readNpyPreamble(first: Uint8Array, fileSize: number): { version: [number, number]; headerStart: number; headerLength: number } {
  if (fileSize < 10 || first.length < 10) throw new NpyError('too-short', `The file is ${fmt(fileSize)} bytes long, too short for a .npy file (magic string, version and header length take at least 10 bytes).`);
  for (let k = 0; k < NPY_MAGIC.length; k++) {
    if (first[k] !== NPY_MAGIC[k]) throw new NpyError('bad-magic', `The file does not start with the .npy magic string \\x93NUMPY (it starts with bytes ${Array.from(first.subarray(0, 6), (b) => b.toString(16).padStart(2, '0')).join(' ')}): this is not a .npy file.`);
  }
  const major = first[6];
  const minor = first[7];
  if (minor !== 0 || major < 1 || major > 3) throw new NpyError('unsupported-version', `The file is .npy format version ${major}.${minor}; this reader knows versions 1.0, 2.0 and 3.0.`);
  const lengthBytes = major === 1 ? 2 : 4;
  const headerStart = 8 + lengthBytes;
  if (fileSize < headerStart || first.length < headerStart) throw new NpyError('too-short', `The file is ${fmt(fileSize)} bytes long, too short for the ${lengthBytes}-byte header length of format ${major}.0.`);
  const view = new DataView(first.buffer, first.byteOffset, headerStart);
  const headerLength = lengthBytes === 2 ? view.getUint16(8, true) : view.getUint32(8, true);
  if (headerLength > MAX_NPY_HEADER_BYTES) throw new NpyError('header-too-long', `The header length says ${fmt(headerLength)} bytes, more than the ${fmt(MAX_NPY_HEADER_BYTES)} NumPy itself reads by default.`);
  if (headerStart + headerLength > fileSize) throw new NpyError('header-past-end', `The header length says ${fmt(headerLength)} bytes, which runs past the end of the ${fmt(fileSize)}-byte file.`);
  return { version: [major, minor], headerStart, headerLength };
}

/** Parses a descr string such as '<f4' into a dtype and byte order; throws NpyError('unsupported-dtype'). */
export function parseDescr(descr: string): { dtype: NpyDType; byteOrder: '<' | '>' | '|' } {
  const m = /^([<>|=]?)([a-zA-Z])(\d+)$/.exec(descr);
  const known = `it reads ${NPY_DTYPES.map((d) => `'<${d}'`).join(', ')} and their '>' (big-endian) forms`;
  if (!m) throw new NpyError('unsupported-dtype', `The dtype '${descr}' is not one this reader handles (${known}; structured, string and object dtypes are not supported).`);
  const code = `${m[2]}${m[3]}`;
  if (!(NPY_DTYPES as readonly string[]).includes(code)) throw new NpyError('unsupported-dtype', `The dtype '${descr}' is not one this reader handles (${known}).`);
  const dtype = code as NpyDType;
  const order = m[1] === '' || m[1] === '=' ? null : (m[1] as '<' | '>' | '|');
  if (order === null) throw new NpyError('unsupported-dtype', `The dtype '${descr}' has no explicit byte order ('<', '>' or '|'); a .npy header must say which.`);
  if (NPY_ITEM_BYTES[dtype] === 1) return { dtype, byteOrder: '|' };
  if (order === '|') throw new NpyError('unsupported-dtype', `The dtype '${descr}' says '|' (no byte order) for a ${NPY_ITEM_BYTES[dtype]}-byte type, which needs '<' or '>'.`);
  return { dtype, byteOrder: order };
}

/**
 * Parses and validates the header text (the HEADER_LEN bytes after the length, decoded) of a file
 * of `fileSize` bytes. Rules as numpy.lib.format's reader (which, like this one, does not insist on
 * the final '\n' or the padding the writer adds): the text is a dict literal with exactly
 * the keys 'descr', 'fortran_order', 'shape'; descr a supported dtype string; fortran_order a bool;
 * shape a tuple of integers ≥ 0. In addition, the shape product is at most MAX_NPY_ELEMENTS and the
 * data section is exactly shape product × item size bytes (numpy ignores trailing bytes; this
 * reader names them, since they mean the shape and the data disagree).
 */
export function parseNpyHeader(headerText: string, version: [number, number], dataStart: number, fileSize: number): NpyHeader {
  const lit = parsePythonLiteral(headerText);
  if (lit.kind !== 'dict') throw new NpyError('header-not-dict', `The header is ${showLiteral(lit)}, not a Python dict.`);
  const d = new Map<string, PyLiteral>();
  for (const [k, v] of lit.entries) {
    if (k.kind !== 'str') throw new NpyError('header-keys', `The header has the key ${showLiteral(k)}; keys must be 'descr', 'fortran_order' and 'shape'.`);
    if (d.has(k.value)) throw new NpyError('header-keys', `The header has the key '${k.value}' twice.`);
    d.set(k.value, v);
  }
  const expected = ['descr', 'fortran_order', 'shape'];
  const missing = expected.filter((k) => !d.has(k));
  const extra = [...d.keys()].filter((k) => !expected.includes(k));
  if (missing.length > 0 || extra.length > 0) {
    throw new NpyError('header-keys', `The header must have exactly the keys 'descr', 'fortran_order' and 'shape'${missing.length ? `; missing ${missing.map((k) => `'${k}'`).join(', ')}` : ''}${extra.length ? `; unexpected ${extra.map((k) => `'${k}'`).join(', ')}` : ''}.`);
  }
  const descr = d.get('descr')!;
  if (descr.kind !== 'str') throw new NpyError('unsupported-dtype', `The descr ${showLiteral(descr)} is not a simple dtype string (structured dtypes are not supported).`);
  const { dtype, byteOrder } = parseDescr(descr.value);
  const fo = d.get('fortran_order')!;
  if (fo.kind !== 'bool') throw new NpyError('bad-fortran-order', `fortran_order is ${showLiteral(fo)}; it must be True or False.`);
  const s = d.get('shape')!;
  if (s.kind !== 'tuple' || !s.items.every((x) => x.kind === 'int' && x.value >= 0)) {
    throw new NpyError('bad-shape', `The shape ${showLiteral(s)} is not a tuple of whole numbers ≥ 0 (a 1-d shape is written (n,)).`);
  }
  const shape = s.items.map((x) => (x as { value: number }).value);
  let elements = shape.includes(0) ? 0 : 1;
  for (const n of shape) {
    elements *= n;
    if (elements > MAX_NPY_ELEMENTS) throw new NpyError('too-many-elements', `The shape (${shape.join(', ')}) has more than ${fmt(MAX_NPY_ELEMENTS)} elements, the most this reader accepts.`);
  }
  const dataBytes = elements * NPY_ITEM_BYTES[dtype];
  const have = fileSize - dataStart;
  if (have < dataBytes) throw new NpyError('data-too-short', `The shape (${shape.join(', ')}) of ${dtype} needs ${fmt(dataBytes)} bytes of data, but the file has only ${fmt(have)} after the header.`);
  if (have > dataBytes) throw new NpyError('trailing-bytes', `The shape (${shape.join(', ')}) of ${dtype} needs ${fmt(dataBytes)} bytes of data, but the file has ${fmt(have)} after the header: ${fmt(have - dataBytes)} extra bytes.`);
  return { version, dtype, byteOrder, fortranOrder: fo.value, shape, elements, dataStart, dataBytes };
}

function decodeHeaderText(bytes: Uint8Array, version: [number, number]): string {
  if (version[0] === 3) {
    try {
      return new TextDecoder('utf-8', { fatal: true }).decode(bytes);
    } catch {
      throw new NpyError('header-encoding', 'The header of a format 3.0 file is not valid UTF-8.');
    }
  }
  return String.fromCharCode(...bytes); // latin1: each byte is one code point
}

/** Reads and validates the header of a .npy file held in memory (the data are not read). */
export function readNpyHeader(file: Uint8Array): NpyHeader {
  const p = readNpyPreamble(file.subarray(0, 12), file.length);
  const text = decodeHeaderText(file.subarray(p.headerStart, p.headerStart + p.headerLength), p.version);
  return parseNpyHeader(text, p.version, p.headerStart + p.headerLength, file.length);
}

/**
 * The typed array for `header` from its raw data bytes (copied): byte-swapped when the stored
 * order differs from this machine's, f2 decoded to float32 by IEEE binary16 rules (lib/formats),
 * b1 normalised to 0/1, and Fortran-order data transposed to C order: element (i0, …, i(n-1))
 * sits at Fortran offset Σ i_k · Π_{j<k} shape_j.
 */
export function npyDataFromBytes(header: NpyHeader, bytes: Uint8Array): NpyData {
  if (bytes.length !== header.dataBytes) throw new NpyError('data-too-short', `Expected ${fmt(header.dataBytes)} bytes of data, got ${fmt(bytes.length)}.`);
  const width = NPY_ITEM_BYTES[header.dtype];
  const copy = bytes.slice();
  const stored = header.byteOrder === '>' ? 'big' : 'little';
  if (width > 1 && (stored === 'big') === LITTLE_ENDIAN) for (let i = 0; i < copy.length; i += width) copy.subarray(i, i + width).reverse();
  let data: NpyData;
  switch (header.dtype) {
    case 'f4': data = new Float32Array(copy.buffer); break;
    case 'f8': data = new Float64Array(copy.buffer); break;
    case 'f2': {
      const codes = new Uint16Array(copy.buffer);
      data = new Float32Array(codes.length);
      for (let i = 0; i < codes.length; i++) data[i] = decodeFloat('fp16', codes[i]);
      break;
    }
    case 'i1': data = new Int8Array(copy.buffer); break;
    case 'u1': data = copy; break;
    case 'b1': data = copy.map((b) => (b === 0 ? 0 : 1)); break;
    case 'i2': data = new Int16Array(copy.buffer); break;
    case 'u2': data = new Uint16Array(copy.buffer); break;
    case 'i4': data = new Int32Array(copy.buffer); break;
    case 'u4': data = new Uint32Array(copy.buffer); break;
    case 'i8': data = new BigInt64Array(copy.buffer); break;
    case 'u8': data = new BigUint64Array(copy.buffer); break;
  }
  if (!header.fortranOrder || header.shape.length < 2) return data;
  return fortranToC(data, header.shape);
}

function fortranToC<T extends NpyData>(data: T, shape: readonly number[]): T {
  const out = new (data.constructor as new (n: number) => T)(data.length);
  const n = shape.length;
  const fStride = new Array<number>(n);
  let s = 1;
  for (let k = 0; k < n; k++) { fStride[k] = s; s *= shape[k]; }
  const idx = new Array<number>(n).fill(0);
  let src = 0;
  for (let i = 0; i < data.length; i++) {
    out[i] = data[src];
    for (let k = n - 1; k >= 0; k--) { // advance the C-order index, last axis fastest
      idx[k]++;
      src += fStride[k];
      if (idx[k] < shape[k]) break;
      src -= fStride[k] * shape[k];
      idx[k] = 0;
    }
  }
  return out;
}

/** Reads a whole .npy file held in memory into a row-major typed array (see the module comment). */
export function readNpy(file: Uint8Array): NpyArray {
  const header = readNpyHeader(file);
  const data = npyDataFromBytes(header, file.subarray(header.dataStart, header.dataStart + header.dataBytes));
  return { dtype: header.dtype, shape: header.shape, data };
}

/** Default piece size for reading a Blob: 4 MiB. */
export const NPY_CHUNK_BYTES = 4 * 1024 * 1024;

/**
 * Reads a .npy Blob (a File from an <input> or a drop) with Blob.slice: the 12-byte preamble, the
 * header, then the data in slices of at most `chunkBytes`, calling `onProgress(done, total)` with
 * data bytes read. Same validation and result as {@link readNpy}.
 */
export async function readNpyBlob(
  blob: Blob,
  o: { chunkBytes?: number; onProgress?: (done: number, total: number) => void } = {},
): Promise<NpyArray> {
  const chunk = o.chunkBytes ?? NPY_CHUNK_BYTES;
  if (!Number.isInteger(chunk) || chunk < 1) throw new RangeError(`chunkBytes must be a positive whole number, got ${chunk}`);
  const read = async (begin: number, end: number) => new Uint8Array(await blob.slice(begin, end).arrayBuffer());
  const p = readNpyPreamble(await read(0, 12), blob.size);
  const text = decodeHeaderText(await read(p.headerStart, p.headerStart + p.headerLength), p.version);
  const header = parseNpyHeader(text, p.version, p.headerStart + p.headerLength, blob.size);
  const bytes = new Uint8Array(header.dataBytes);
  for (let at = 0; at < header.dataBytes; at += chunk) {
    const piece = await read(header.dataStart + at, header.dataStart + Math.min(header.dataBytes, at + chunk));
    bytes.set(piece, at);
    o.onProgress?.(at + piece.length, header.dataBytes);
  }
  return { dtype: header.dtype, shape: header.shape, data: npyDataFromBytes(header, bytes) };
}

// ---------------------------------------------------------------------------------------------
// Writing

function defaultDType(data: NpyData): NpyDType {
  if (data instanceof Float32Array) return 'f4';
  if (data instanceof Float64Array) return 'f8';
  if (data instanceof Int8Array) return 'i1';
  if (data instanceof Uint8Array) return 'u1';
  if (data instanceof Int16Array) return 'i2';
  if (data instanceof Uint16Array) return 'u2';
  if (data instanceof Int32Array) return 'i4';
  if (data instanceof Uint32Array) return 'u4';
  if (data instanceof BigInt64Array) return 'i8';
  if (data instanceof BigUint64Array) return 'u8';
  throw new NpyError('bad-input', 'writeNpy takes a typed array (Float32Array, Float64Array, Int8Array, Uint8Array, Int16Array, Uint16Array, Int32Array, Uint32Array, BigInt64Array or BigUint64Array).');
}

/** Which typed array holds each dtype's values for writing: f2 from float32 values, b1 from 0/1 bytes. */
const WRITE_ARRAY: Record<NpyDType, string> = {
  f2: 'Float32Array', f4: 'Float32Array', f8: 'Float64Array', i1: 'Int8Array', u1: 'Uint8Array', b1: 'Uint8Array',
  i2: 'Int16Array', u2: 'Uint16Array', i4: 'Int32Array', u4: 'Uint32Array', i8: 'BigInt64Array', u8: 'BigUint64Array',
};

/** The header dict text numpy writes: keys sorted, a trailing ", " before "}", 1-d shapes as (n,). */
export function npyHeaderText(dtype: NpyDType, shape: readonly number[]): string {
  const order = NPY_ITEM_BYTES[dtype] === 1 ? '|' : '<';
  const tuple = shape.length === 1 ? `(${shape[0]},)` : `(${shape.join(', ')})`;
  return `{'descr': '${order}${dtype}', 'fortran_order': False, 'shape': ${tuple}, }`;
}

/**
 * Writes a row-major typed array as a .npy file numpy.load reads back: format 1.0 (the header is
 * always short), little-endian descr ('|' for 1-byte types), fortran_order False, the header dict
 * as numpy writes it, padded with spaces and a final '\n' so that magic + version + length + header
 * is a multiple of 64 bytes. `dtype` defaults from the array class (Float32Array → f4, Int8Array →
 * i1, …); pass 'f2' with a Float32Array to store binary16 (rounded to nearest, ties to even, by
 * lib/formats) or 'b1' with a Uint8Array of 0/1.
 *
 * @throws NpyError('bad-input') if the shape is not whole numbers ≥ 0, does not match the data
 *   length, has more than MAX_NPY_ELEMENTS elements, or the array class does not hold the dtype.
 */
export function writeNpy(array: { data: NpyData; shape: readonly number[]; dtype?: NpyDType }): Uint8Array<ArrayBuffer> {
  const { data, shape } = array;
  const dtype = array.dtype ?? defaultDType(data);
  if (!(NPY_DTYPES as readonly string[]).includes(dtype)) throw new NpyError('bad-input', `Unknown dtype ${String(dtype)}; writeNpy writes ${NPY_DTYPES.join(', ')}.`);
  if (data.constructor.name !== WRITE_ARRAY[dtype]) throw new NpyError('bad-input', `dtype ${dtype} is written from a ${WRITE_ARRAY[dtype]}, got a ${data.constructor.name}.`);
  if (!shape.every((n) => Number.isSafeInteger(n) && n >= 0)) throw new NpyError('bad-input', `The shape [${shape.join(', ')}] must be whole numbers ≥ 0.`);
  const elements = shape.reduce((a, b) => a * b, 1);
  if (elements > MAX_NPY_ELEMENTS) throw new NpyError('bad-input', `The shape [${shape.join(', ')}] has more than ${fmt(MAX_NPY_ELEMENTS)} elements.`);
  if (elements !== data.length) throw new NpyError('bad-input', `The shape [${shape.join(', ')}] has ${fmt(elements)} elements but the data has ${fmt(data.length)}.`);
  if (dtype === 'b1' && (data as Uint8Array).some((b) => b > 1)) throw new NpyError('bad-input', 'A b1 (bool) array holds only 0 and 1.');

  const dict = npyHeaderText(dtype, shape);
  const unpadded = 10 + dict.length + 1;
  const pad = (NPY_ALIGN - (unpadded % NPY_ALIGN)) % NPY_ALIGN;
  const headerLength = dict.length + pad + 1;
  const width = NPY_ITEM_BYTES[dtype];
  const out = new Uint8Array(10 + headerLength + elements * width);
  out.set(NPY_MAGIC, 0);
  out[6] = 1;
  out[7] = 0;
  new DataView(out.buffer).setUint16(8, headerLength, true);
  for (let k = 0; k < dict.length; k++) out[10 + k] = dict.charCodeAt(k);
  out.fill(0x20, 10 + dict.length, 10 + headerLength - 1);
  out[10 + headerLength - 1] = 0x0a;
  const dataStart = 10 + headerLength;
  let bytes: Uint8Array;
  if (dtype === 'f2') {
    const codes = new Uint16Array(elements);
    for (let i = 0; i < elements; i++) codes[i] = encodeFloat('fp16', (data as Float32Array)[i]);
    bytes = new Uint8Array(codes.buffer);
  } else {
    bytes = new Uint8Array(data.buffer, data.byteOffset, data.byteLength);
  }
  out.set(bytes, dataStart);
  if (!LITTLE_ENDIAN && width > 1) for (let i = dataStart; i < out.length; i += width) out.subarray(i, i + width).reverse();
  return out;
}

/**
 * An array's values as float32 (for lib/quant and the charts): f4 as is; f2 (already decoded), f8
 * rounded to the nearest float32; integers and bools converted (i8/u8 via Number, exact up to 2^53
 * before the float32 rounding).
 */
export function npyToFloat32(a: NpyArray): Float32Array {
  if (a.data instanceof Float32Array) return a.data;
  const out = new Float32Array(a.data.length);
  if (a.data instanceof BigInt64Array || a.data instanceof BigUint64Array) {
    for (let i = 0; i < out.length; i++) out[i] = Number(a.data[i]);
  } else {
    out.set(a.data);
  }
  return out;
}
