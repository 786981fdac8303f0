import { describe, expect, it } from 'vitest';
import { roundToFormat } from '../formats';
import { dequantizeGGUF, quantizeGGUF } from '../quant/gguf';
import {
  GGML_TYPES,
  GGUFError,
  dequantizeGGUFTensor,
  ggmlTypeName,
  ggufMetadataValue,
  ggufTensorBytes,
  ggufTensorToFloat32,
  parseGGUFHeader,
  readGGUF,
  readGGUFBlobHeader,
  readGGUFTensorBlob,
  readGGUFTensorBytes,
  openGGUFBlob,
  writeGGUF,
  type GGUFValue,
  type GGUFWriteTensor,
} from './gguf';

const b64 = (s: string) => Uint8Array.from(atob(s), (c) => c.charCodeAt(0));

/** The fixture's values: x[i] = (((i·37 + k) mod 101) − 50) / 8, exact in float32. */
const vals = (n: number, k: number) => Float32Array.from({ length: n }, (_, i) => (((i * 37 + k) % 101) - 50) / 8);

/**
 * A file written by llama.cpp's gguf-py 0.19.0 (GGUFWriter, quantized with gguf.quants.quantize),
 * base64: metadata general.architecture = 'llama', general.name = 'tiny µ', llama.block_count u32 2,
 * test.neg i64 -5, test.big u64 2^60, test.f f32 0.5, test.yes bool True, test.strs ['a', 'bé', ''],
 * test.ints i32 [1, -2, 3], test.nested [[1, 2], [3]]; tensors (numpy shapes) f32 F32 (2, 32) = vals(64, 1),
 * f16 F16 (3, 32) = vals(96, 2) as float16, bf BF16 (32,) = vals(32, 3), q8 Q8_0 (2, 64) = vals(128, 4),
 * q40 Q4_0 (4, 32) = vals(128, 5), q41 Q4_1 (64,) = vals(64, 6).
 */
const ggufPyFile = b64('R0dVRgMAAAAGAAAAAAAAAAoAAAAAAAAAFAAAAAAAAABnZW5lcmFsLmFyY2hpdGVjdHVyZQgAAAAFAAAAAAAAAGxsYW1hDAAAAAAAAABnZW5lcmFsLm5hbWUIAAAABwAAAAAAAAB0aW55IMK1EQAAAAAAAABsbGFtYS5ibG9ja19jb3VudAQAAAACAAAACAAAAAAAAAB0ZXN0Lm5lZwsAAAD7/////////wgAAAAAAAAAdGVzdC5iaWcKAAAAAAAAAAAAABAGAAAAAAAAAHRlc3QuZgYAAAAAAAA/CAAAAAAAAAB0ZXN0LnllcwcAAAABCQAAAAAAAAB0ZXN0LnN0cnMJAAAACAAAAAMAAAAAAAAAAQAAAAAAAABhAwAAAAAAAABiw6kAAAAAAAAAAAkAAAAAAAAAdGVzdC5pbnRzCQAAAAUAAAADAAAAAAAAAAEAAAD+////AwAAAAsAAAAAAAAAdGVzdC5uZXN0ZWQJAAAACQAAAAIAAAAAAAAABQAAAAIAAAAAAAAAAQAAAAIAAAAFAAAAAQAAAAAAAAADAAAAAwAAAAAAAABmMzICAAAAIAAAAAAAAAACAAAAAAAAAAAAAAAAAAAAAAAAAAMAAAAAAAAAZjE2AgAAACAAAAAAAAAAAwAAAAAAAAABAAAAAAEAAAAAAAACAAAAAAAAAGJmAQAAACAAAAAAAAAAHgAAAMABAAAAAAAAAgAAAAAAAABxOAIAAABAAAAAAAAAAAIAAAAAAAAACAAAAAACAAAAAAAAAwAAAAAAAABxNDACAAAAIAAAAAAAAAAEAAAAAAAAAAIAAACgAgAAAAAAAAMAAAAAAAAAcTQxAQAAAEAAAAAAAAAAAwAAAAADAAAAAAAAAAAAAAAAAAAAAAAAAAAAAADEwAAAwL8AAEhAAACcwAAAgL4AAIxAAABowAAAgD8AALRAAAAYwAAAEEAAALjAAACQvwAAYEAAAJDAAAAAPgAAmEAAAFDAAACwPwAAwEAAAADAAAAoQAAArMAAAEC/AAB4QAAAhMAAAAA/AACkQAAAOMAAAOA/AADIwAAA0L8AAEBAAACgwAAAwL4AAIhAAABwwAAAYD8AALBAAAAgwAAACEAAALzAAACgvwAAWEAAAJTAAAAAAAAAlEAAAFjAAACgPwAAvEAAAAjAAAAgQAAAsMAAAGC/AABwQAAAiMAAAMA+AACgQAAAQMAAANA/AADIQAAA4L8AADhAAACkwADGgL2AQsDEALCARADDgDzARYDAwECgxQC8QENgxAA04ERAwgA+IEaAv4BBQMUAuQBEAMQAOUBFgMGAPyDGAL5AQuDEALRgREDDADygRcDAgEDAxYC8AEOAxAAwwESAwoA9AEYAwEBBYMUAusBDIMQAOCBFwMEAP0DGgL4AQgDFALZARIDDADuARQDBQEDgxQC9wEKgxAAAoETAwgA94EVAwABBgMUAu4BDQMQANgBFAMKAPkBGAL/AQSDFALggRLzAoL9YQJTAAACUQFjAoD+8QAjAIECwwGC/cECIwMA+oEBAwNA/yEDgvzhApMAAv4RAeMBAP6xAKMAAQMDAsL9NKovpR6UDYb4cetc1k/FPrApoxiSB3z2a+Fa0EnDNK4nnTSpFogBeuxl31TOQ7kyqCGbDIX/cOpj2VLEPbcsphuRCnywq/V23F3fRMYvrS6UFZb8ff9k5k/NTrQ1txyeB4UGb+1tNKrYUctAui+lHpQNhvhx61zWT8U+sCmjGJIHfPZr4VrQSAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAILofyWP+qELshiDadB+5U/2XQDqsAmjOJIrfNZvxV70Dac8kQLqoQvyWMNt1H7lT/ahC7IYgILr9lzDbdR/JY/6oQuyGINp0AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAiToAxuFGrAJovSR53zWb4VesA2iJOiDGrAJovSR53zWb4VesA2jOJAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA==');

describe('reading a file written by llama.cpp gguf-py', () => {
  const file = readGGUF(ggufPyFile);

  it('reads the header and every metadata type, nested arrays included', () => {
    expect(file.version).toBe(3);
    expect(file.alignment).toBe(32);
    expect(file.dataStart % 32).toBe(0);
    expect([...file.metadata.keys()]).toEqual(['general.architecture', 'general.name', 'llama.block_count', 'test.neg', 'test.big', 'test.f', 'test.yes', 'test.strs', 'test.ints', 'test.nested']);
    expect(file.metadata.get('general.name')).toEqual({ type: 'string', value: 'tiny µ' });
    expect(file.metadata.get('llama.block_count')).toEqual({ type: 'uint32', value: 2 });
    expect(file.metadata.get('test.neg')).toEqual({ type: 'int64', value: -5 });
    expect(file.metadata.get('test.big')).toEqual({ type: 'uint64', value: 2n ** 60n });
    expect(file.metadata.get('test.f')).toEqual({ type: 'float32', value: 0.5 });
    expect(ggufMetadataValue(file, 'test.yes')).toBe(true);
    expect(ggufMetadataValue(file, 'test.strs')).toEqual(['a', 'bé', '']);
    expect(Array.from(ggufMetadataValue(file, 'test.ints') as Int32Array)).toEqual([1, -2, 3]);
    const nested = ggufMetadataValue(file, 'test.nested') as { itemType: string; items: Int32Array }[];
    expect(nested.map((a) => [a.itemType, Array.from(a.items)])).toEqual([['int32', [1, 2]], ['int32', [3]]]);
    expect(ggufMetadataValue(file, 'absent')).toBeUndefined();
  });

  it('gives each tensor GGUF dims (ne[0] first) and the reversed row-major shape', () => {
    const t = Object.fromEntries(file.tensors.map((x) => [x.name, x]));
    expect(t.f32).toMatchObject({ dims: [32, 2], shape: [2, 32], type: 'F32', typeId: 0, elements: 64, byteLength: 256 });
    expect(t.q8).toMatchObject({ dims: [64, 2], shape: [2, 64], type: 'Q8_0', typeId: 8, byteLength: 4 * 34 });
    expect(t.q40).toMatchObject({ dims: [32, 4], shape: [4, 32], type: 'Q4_0', typeId: 2, byteLength: 4 * 18 });
    expect(t.q41).toMatchObject({ dims: [64], shape: [64], type: 'Q4_1', typeId: 3, byteLength: 2 * 20 });
    expect(t.bf).toMatchObject({ type: 'BF16', typeId: 30 });
    for (const x of file.tensors) {
      expect(x.offset % 32).toBe(0);
      expect(x.fileOffset).toBe(file.dataStart + x.offset);
    }
  });

  it('converts F32, F16 and BF16 tensors to the values gguf-py stored', () => {
    expect(Array.from(ggufTensorToFloat32(file, 'f32'))).toEqual(Array.from(vals(64, 1)));
    expect(Array.from(ggufTensorToFloat32(file, 'f16'))).toEqual(Array.from(vals(96, 2), (x) => roundToFormat('fp16', x)));
    expect(Array.from(ggufTensorToFloat32(file, 'bf'))).toEqual(Array.from(vals(32, 3), (x) => roundToFormat('bf16', x)));
  });

  it("holds Q8_0, Q4_0 and Q4_1 blocks byte-identical to lib/quant's quantizers, and dequantizes them with lib/quant", () => {
    for (const [name, type, x] of [['q8', 'q8_0', vals(128, 4)], ['q40', 'q4_0', vals(128, 5)], ['q41', 'q4_1', vals(64, 6)]] as const) {
      const bytes = ggufTensorBytes(file, name);
      expect(Array.from(bytes)).toEqual(Array.from(quantizeGGUF(type, x)));
      expect(Array.from(ggufTensorToFloat32(file, name))).toEqual(Array.from(dequantizeGGUF(type, bytes, x.length)));
    }
  });
});

describe('writeGGUF → readGGUF round trip', () => {
  const rng = (seed: number) => () => ((seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31) * 4 - 2;
  const r = rng(7);
  const x = Float32Array.from({ length: 256 }, r);
  const tensors: GGUFWriteTensor[] = [
    { name: 'w.f32', shape: [4, 8], type: 'F32', values: x.subarray(0, 32) },
    { name: 'w.f16', shape: [3], type: 'F16', values: new Float32Array([0.1, -65504, 1e-7]) },
    { name: 'w.bf16', shape: [2], type: 'BF16', values: new Float32Array([0.1, -2]) },
    { name: 'w.q8', shape: [2, 64], type: 'Q8_0', values: x.subarray(0, 128) },
    { name: 'w.q4_0', shape: [2, 2, 64], type: 'Q4_0', values: x },
    { name: 'w.q4_1', shape: [32], type: 'Q4_1', values: x.subarray(64, 96) },
    { name: 'w.q4k', shape: [256], type: 'Q4_K', raw: new Uint8Array(144).fill(3) },
  ];
  const metadata: [string, GGUFValue][] = [
    ['general.architecture', { type: 'string', value: 'lowbit' }],
    ['u8', { type: 'uint8', value: 255 }], ['i8', { type: 'int8', value: -128 }],
    ['u16', { type: 'uint16', value: 65535 }], ['i16', { type: 'int16', value: -32768 }],
    ['u32', { type: 'uint32', value: 2 ** 32 - 1 }], ['i32', { type: 'int32', value: -(2 ** 31) }],
    ['f32', { type: 'float32', value: Math.fround(0.1) }], ['f64', { type: 'float64', value: 0.1 }],
    ['u64', { type: 'uint64', value: 2n ** 64n - 1n }], ['i64', { type: 'int64', value: -(2 ** 53) + 1 }],
    ['bool', { type: 'bool', value: false }],
    ['arr.f32', { type: 'array', value: { itemType: 'float32', items: new Float32Array([1.5, -2]) } }],
    ['arr.u64', { type: 'array', value: { itemType: 'uint64', items: [1, 2n ** 63n] } }],
    ['arr.bool', { type: 'array', value: { itemType: 'bool', items: [true, false] } }],
    ['arr.nested', { type: 'array', value: { itemType: 'array', items: [{ itemType: 'string', items: ['x'] }, { itemType: 'array', items: [{ itemType: 'uint8', items: new Uint8Array([9]) }] }] } }],
  ];

  for (const [version, alignment] of [[3, 32], [2, 64], [3, 1]] as const) {
    it(`round-trips tensors and every metadata type (version ${version}, alignment ${alignment})`, () => {
      const bytes = writeGGUF(tensors, metadata, { version, alignment });
      const file = readGGUF(bytes);
      expect(file.version).toBe(version);
      expect(file.alignment).toBe(alignment);
      const expected = new Map(metadata);
      if (alignment !== 32) expected.set('general.alignment', { type: 'uint32', value: alignment });
      expect(file.metadata).toEqual(expected);
      for (const t of tensors) {
        const info = file.tensors.find((i) => i.name === t.name)!;
        expect(info.shape).toEqual(t.shape);
        expect(info.dims).toEqual([...t.shape].reverse());
        expect(info.type).toBe(t.type);
        expect(info.offset % alignment).toBe(0);
      }
      expect(Array.from(ggufTensorToFloat32(file, 'w.f32'))).toEqual(Array.from(x.subarray(0, 32)));
      expect(Array.from(ggufTensorToFloat32(file, 'w.f16'))).toEqual([0.1, -65504, 1e-7].map((v) => roundToFormat('fp16', v)));
      expect(Array.from(ggufTensorToFloat32(file, 'w.bf16'))).toEqual([0.1, -2].map((v) => roundToFormat('bf16', v)));
      expect(Array.from(ggufTensorBytes(file, 'w.q4k'))).toEqual(Array(144).fill(3));
    });
  }

  it('round-trips a Q4_0 tensor exactly as lib/quant/gguf quantizes and dequantizes it (also Q8_0, Q4_1)', () => {
    const file = readGGUF(writeGGUF(tensors, metadata));
    expect(Array.from(ggufTensorBytes(file, 'w.q4_0'))).toEqual(Array.from(quantizeGGUF('q4_0', x)));
    expect(Array.from(ggufTensorToFloat32(file, 'w.q4_0'))).toEqual(Array.from(dequantizeGGUF('q4_0', quantizeGGUF('q4_0', x), 256)));
    expect(Array.from(ggufTensorToFloat32(file, 'w.q8'))).toEqual(Array.from(dequantizeGGUF('q8_0', quantizeGGUF('q8_0', x.subarray(0, 128)), 128)));
    expect(Array.from(ggufTensorToFloat32(file, 'w.q4_1'))).toEqual(Array.from(dequantizeGGUF('q4_1', quantizeGGUF('q4_1', x.subarray(64, 96)), 32)));
  });

  it('names the types it does not convert, and refuses tensors above the element cap', () => {
    const file = readGGUF(writeGGUF(tensors, metadata));
    expect(() => ggufTensorToFloat32(file, 'w.q4k')).toThrow(/"w.q4k" is Q4_K, which is not supported here/);
    expect(() => ggufTensorToFloat32(file, 'w.q4_0', { maxElements: 100 })).toThrow(expect.objectContaining({ problem: 'too-many-elements' }));
    expect(() => ggufTensorToFloat32(file, 'nope')).toThrow(expect.objectContaining({ problem: 'no-such-tensor' }));
  });

  it('lays the file out per docs/gguf.md: magic, version, counts, then the first key as a u64-length string', () => {
    const bytes = writeGGUF([{ name: 'a', shape: [2], type: 'F32', values: new Float32Array([1, -2]) }], [['k', { type: 'uint8', value: 7 }]]);
    const v = new DataView(bytes.buffer);
    expect(Array.from(bytes.subarray(0, 4))).toEqual([0x47, 0x47, 0x55, 0x46]);
    expect([v.getUint32(4, true), Number(v.getBigUint64(8, true)), Number(v.getBigUint64(16, true))]).toEqual([3, 1, 1]);
    expect([Number(v.getBigUint64(24, true)), bytes[32], v.getUint32(33, true), bytes[37]]).toEqual([1, 'k'.charCodeAt(0), 0, 7]);
    // tensor info at 38: name "a", n_dims 1, dims [2], type 0, offset 0; data at 96 (68 rounded up to 32)
    expect([Number(v.getBigUint64(38, true)), bytes[46], v.getUint32(47, true), Number(v.getBigUint64(51, true)), v.getUint32(59, true), Number(v.getBigUint64(63, true))]).toEqual([1, 0x61, 1, 2, 0, 0]);
    expect(readGGUF(bytes).dataStart).toBe(96);
    expect([v.getFloat32(96, true), v.getFloat32(100, true)]).toEqual([1, -2]);
    expect(bytes.length).toBe(128);
  });

  it('refuses writer inputs it cannot encode, by name', () => {
    expect(() => writeGGUF([{ name: 'q', shape: [2, 20], type: 'Q4_0', values: new Float32Array(40) }])).toThrow(/rows of 20 values are not a multiple of the Q4_0 block of 32/);
    expect(() => writeGGUF([{ name: 'q', shape: [3], type: 'F32', values: new Float32Array(2) }])).toThrow(/3 elements but values has 2/);
    expect(() => writeGGUF([{ name: 'q', shape: [256], type: 'Q4_K', values: new Float32Array(256) }])).toThrow(/give Q4_K as raw bytes/);
    expect(() => writeGGUF([], [['k', { type: 'uint128' as 'uint64', value: 1 }]])).toThrow(/unknown value type uint128/);
    expect(() => writeGGUF([], [['general.alignment', { type: 'uint32', value: 64 }]], { alignment: 32 })).toThrow(/disagrees/);
    expect(readGGUF(writeGGUF([{ name: 'a', shape: [1], type: 'F32', values: new Float32Array(1) }], [['general.alignment', { type: 'uint32', value: 128 }]])).dataStart % 128).toBe(0);
    expect(() => writeGGUF([{ name: 'x'.repeat(64), shape: [1], type: 'F32', values: new Float32Array(1) }])).toThrow(/64 bytes or longer/);
  });
});

describe('ggml type table', () => {
  it('names every type id of ggml.h and marks removed ones', () => {
    expect(GGML_TYPES.map((t) => t.name)).toContain('IQ4_XS');
    expect(ggmlTypeName(2)).toBe('Q4_0');
    expect(ggmlTypeName(30)).toBe('BF16');
    expect(ggmlTypeName(4)).toBe('removed Q4_2');
    expect(ggmlTypeName(99)).toBe('unknown (99)');
    // bits per weight from the table agree with lib/quant/gguf's block layouts (4.5, 5.0, 8.5)
    const bpw = (name: string) => { const t = GGML_TYPES.find((x) => x.name === name)!; return (8 * t.blockBytes) / t.blockValues; };
    expect([bpw('Q4_0'), bpw('Q4_1'), bpw('Q8_0'), bpw('Q4_K'), bpw('Q6_K')]).toEqual([4.5, 5, 8.5, 4.5, 6.5625]);
  });
});

/** A little-endian byte builder for hand-made (and malformed) files, independent of writeGGUF. */
class B {
  private out: number[] = [];
  u8(x: number) { this.out.push(x & 0xff); return this; }
  u32(x: number) { for (let k = 0; k < 4; k++) this.out.push(Math.floor(x / 2 ** (8 * k)) & 0xff); return this; }
  u64(x: number | bigint) { const v = BigInt(x); for (let k = 0n; k < 8n; k++) this.out.push(Number((v >> (8n * k)) & 0xffn)); return this; }
  str(s: string) { const b = new TextEncoder().encode(s); this.u64(b.length); this.out.push(...b); return this; }
  raw(b: ArrayLike<number>) { this.out.push(...Array.from(b)); return this; }
  pad(to: number) { while (this.out.length % to) this.out.push(0); return this; }
  get length() { return this.out.length; }
  build() { return Uint8Array.from(this.out); }
}

const head = (tensors: number | bigint, kvs: number | bigint, version = 3) => new B().raw([0x47, 0x47, 0x55, 0x46]).u32(version).u64(tensors).u64(kvs);
/** One F32 tensor info: name, dims (GGUF order), type, offset. */
const tinfo = (b: B, name: string, dims: (number | bigint)[], type: number, offset: number) => { b.str(name).u32(dims.length); dims.forEach((d) => b.u64(d)); return b.u32(type).u64(offset); };
/** A complete one-tensor F32 file with data [1, 2], tensor info altered by the arguments. */
function oneTensor(o: { dims?: (number | bigint)[]; type?: number; offset?: number; dataBytes?: number; kv?: (b: B) => B; kvCount?: number } = {}): Uint8Array {
  const b = head(1, o.kvCount ?? (o.kv ? 1 : 0));
  o.kv?.(b);
  tinfo(b, 't', o.dims ?? [2], o.type ?? 0, o.offset ?? 0).pad(32);
  return b.raw(new Uint8Array(new Float32Array([1, 2]).buffer).subarray(0, o.dataBytes ?? 8)).build();
}

describe('a hand-made file, byte by byte from docs/gguf.md', () => {
  it('reads it', () => {
    const bytes = oneTensor({ kv: (b) => b.str('general.name').u32(8).str('hand') });
    const f = readGGUF(bytes);
    expect(ggufMetadataValue(f, 'general.name')).toBe('hand');
    expect(f.tensors[0]).toMatchObject({ name: 't', dims: [2], type: 'F32', offset: 0, byteLength: 8 });
    expect(Array.from(ggufTensorToFloat32(f, 't'))).toEqual([1, 2]);
  });
});

describe('malformed GGUF files give a GGUFError naming the problem and the place', () => {
  const good = oneTensor({ kv: (b) => b.str('general.name').u32(8).str('hand') });
  const cut = (n: number) => good.slice(0, n);
  const kvFile = (value: (b: B) => B) => oneTensor({ kv: (b) => value(b.str('k')) });
  const cases: [string, Uint8Array, string, RegExp][] = [
    ['too short', new Uint8Array([0x47, 0x47]), 'too-short', /too short for the 4-byte GGUF magic/],
    ['bad magic', new B().raw([0x67, 0x67, 0x6a, 0x74]).u32(3).u64(0).u64(0).build(), 'bad-magic', /starts with "ggjt", not the GGUF magic/],
    ['unsupported version 1', head(0, 0, 1).build(), 'unsupported-version', /version 1; this reader reads versions 2 and 3 \(version 1 used 32-bit counts/],
    ['unsupported version 4', head(0, 0, 4).build(), 'unsupported-version', /version 4/],
    ['big-endian file', head(0, 0, 0x03000000).build(), 'big-endian', /big-endian GGUF file/],
    ['truncated in the header', cut(12), 'truncated', /ends in the header/],
    ['truncated in the metadata', oneTensor({ kv: (b) => b.str('general.name').u32(8).str('x'.repeat(100)) }).slice(0, 106), 'truncated', /ends in metadata entry 0 \("general.name"\)/],
    ['truncated in the tensor table', cut(good.length - 8 - 32 + 5), 'truncated', /ends in the tensor table \(tensor 0/],
    ['tensor data past the end', cut(good.length - 4), 'data-past-end', /"t" \(F32, dims \[2\]\) needs bytes .* past the end/],
    ['absurd tensor count', head(2 ** 40, 0).build(), 'too-many-tensors', /1,099,511,627,776 tensors, more than the 1,000,000/],
    ['absurd metadata count', head(0, 2 ** 33).build(), 'too-many-kv', /8,589,934,592 metadata entries/],
    ['counts the file cannot hold', head(1000, 1000).build(), 'truncated', /1,000 metadata entries and 1,000 tensors, which need at least/],
    ['u64 above 2^53', head(2n ** 60n, 0).build(), 'value-too-large', /tensor count in the header is 1152921504606846976, above 2\^53/],
    ['unknown value type', kvFile((b) => b.u32(13).u32(0)), 'unknown-value-type', /metadata entry 0 \("k"\) has value type 13/],
    ['unknown array item type', kvFile((b) => b.u32(9).u32(77).u64(0)), 'unknown-value-type', /An array in metadata entry 0 \("k"\) has value type 77/],
    ['absurd string length', kvFile((b) => b.u32(8).u64(2 ** 40)), 'string-too-long', /says it is 1,099,511,627,776 bytes long, more than the 16,777,216/],
    ['string longer than the file', kvFile((b) => b.u32(8).u64(5000)), 'truncated', /says it is 5,000 bytes long but only/],
    ['absurd array length', kvFile((b) => b.u32(9).u32(0).u64(2 ** 30)), 'array-too-long', /holds 1,073,741,824 items, more than the 16,777,216/],
    ['array longer than the file', kvFile((b) => b.u32(9).u32(8).u64(10_000)), 'truncated', /array of 10,000 string items needs at least 80,000 bytes/],
    ['arrays nested too deep', kvFile((b) => { b.u32(9); for (let k = 0; k < 10; k++) b.u32(9).u64(1); return b.u32(0).u64(0); }), 'nesting-too-deep', /nest more than 8 deep/],
    ['bool not 0 or 1', kvFile((b) => b.u32(7).u8(2)), 'bad-bool', /stored as 2; GGUF bools are 0 or 1/],
    ['string not UTF-8', kvFile((b) => b.u32(8).u64(2).raw([0xc3, 0x28])), 'bad-utf8', /is not valid UTF-8/],
    ['empty key', oneTensor({ kv: (b) => b.str('').u32(0).u8(1) }), 'bad-key', /empty key/],
    ['duplicate key', oneTensor({ kvCount: 2, kv: (b) => b.str('a').u32(0).u8(1).str('a').u32(0).u8(2) }), 'duplicate-key', /"a" appears twice/],
    ['alignment not a power of two', oneTensor({ kv: (b) => b.str('general.alignment').u32(4).u32(48) }), 'bad-alignment', /general.alignment is 48, not a power of two/],
    ['alignment of the wrong type', oneTensor({ kv: (b) => b.str('general.alignment').u32(10).u64(32) }), 'bad-alignment', /is a uint64; GGUF requires a uint32/],
    ['too many dims', oneTensor({ dims: [2, 1, 1, 1, 1] }), 'too-many-dims', /"t" has 5 dimensions; ggml tensors have at most 4/],
    ['dim above 2^53', oneTensor({ dims: [2n ** 54n] }), 'value-too-large', /Dimension 0 in the tensor table \(tensor 0, "t"\) is 18014398509481984/],
    ['unknown ggml type', oneTensor({ type: 99 }), 'unknown-ggml-type', /ggml type 99, which ggml does not define/],
    ['removed ggml type', oneTensor({ type: 4 }), 'unknown-ggml-type', /ggml type 4 \(Q4_2\), which ggml has removed/],
    ['row not a multiple of the block', oneTensor({ type: 8 }), 'bad-row-length', /"t" of type Q8_0 has rows of 2 values, not a multiple of its block of 32/],
    ['0-d tensor of a block type', oneTensor({ dims: [], type: 2 }), 'bad-row-length', /"t" of type Q4_0 has rows of 1 values, not a multiple of its block of 32/],
    ['misaligned offset', oneTensor({ offset: 4 }), 'misaligned-offset', /data offset 4, not a multiple of the alignment 32/],
    ['offset far past the end', oneTensor({ offset: 2 ** 40 }), 'data-past-end', /past the end/],
    ['duplicate tensor names', (() => { const b = head(2, 0); tinfo(b, 't', [2], 0, 0); tinfo(b, 't', [2], 0, 32); return b.pad(32).raw(new Uint8Array(40)).build(); })(), 'duplicate-tensor', /Two tensors are named "t"/],
    ['overlapping tensors', (() => { const b = head(2, 0); tinfo(b, 'a', [16], 0, 0); tinfo(b, 'b', [2], 0, 32); return b.pad(32).raw(new Uint8Array(64)).build(); })(), 'overlapping-tensors', /"a" and "b" overlap/],
    ['name too long', (() => { const b = head(1, 0); tinfo(b, 'n'.repeat(65), [2], 0, 0); return b.pad(32).raw(new Uint8Array(8)).build(); })(), 'name-too-long', /is 65 bytes long, more than the 64/],
  ];
  for (const [what, bytes, problem, message] of cases) {
    it(what, async () => {
      let err: unknown;
      try { readGGUF(bytes); } catch (e) { err = e; }
      expect(err).toBeInstanceOf(GGUFError);
      expect((err as GGUFError).problem).toBe(problem);
      expect((err as GGUFError).message).toMatch(message);
      // the Blob reader, starting from 16 bytes and growing, reaches the same error
      await expect(readGGUFBlobHeader(new Blob([bytes as Uint8Array<ArrayBuffer>]), { firstReadBytes: 16 })).rejects.toThrow(message);
    });
  }
});

describe('reading a GGUF Blob: the header first, tensors on demand', () => {
  const vocab = Array.from({ length: 3000 }, (_, i) => `token_${i}`);
  const x = Float32Array.from({ length: 256 * 256 }, (_, i) => Math.cos(i) * 3);
  const bytes = writeGGUF(
    [
      { name: 'emb', shape: [256, 256], type: 'Q4_0', values: x },
      { name: 'out', shape: [256, 256], type: 'F16', values: x },
    ],
    [['tokenizer.ggml.tokens', { type: 'array', value: { itemType: 'string', items: vocab } }]],
  );

  it('reads the header in growing slices without touching tensor data, then one tensor in chunks with progress', async () => {
    const blob = new Blob([bytes]);
    const slices: [number, number][] = [];
    const original = blob.slice.bind(blob);
    blob.slice = (start?: number, end?: number) => { slices.push([start ?? 0, end ?? blob.size]); return original(start, end); };
    const header = await readGGUFBlobHeader(blob, { firstReadBytes: 1024 });
    expect(ggufMetadataValue(header, 'tokenizer.ggml.tokens')).toEqual(vocab);
    expect(slices[0]).toEqual([0, 1024]);
    expect(slices.length).toBeGreaterThan(2);
    for (let i = 1; i < slices.length; i++) expect(slices[i][0]).toBe(slices[i - 1][1]); // each slice continues the last
    expect(Math.max(...slices.map((s) => s[1]))).toBeLessThanOrEqual(2 * header.dataStart); // never more than double what the header needs
    expect(Math.max(...slices.map((s) => s[1]))).toBeLessThan(bytes.length);

    slices.length = 0;
    const progress: [number, number][] = [];
    const emb = header.tensors.find((t) => t.name === 'emb')!;
    const raw = await readGGUFTensorBytes(blob, header, emb, { chunkBytes: 5000, onProgress: (d, t) => progress.push([d, t]) });
    expect(Array.from(raw)).toEqual(Array.from(quantizeGGUF('q4_0', x)));
    expect(progress.at(-1)).toEqual([emb.byteLength, emb.byteLength]);
    expect(slices.every(([s, e]) => e - s <= 5000 && s >= emb.fileOffset && e <= emb.fileOffset + emb.byteLength)).toBe(true);

    const out = await readGGUFTensorBlob(blob, header, 'out');
    expect(Array.from(out)).toEqual(Array.from(x, (v) => roundToFormat('fp16', v)));
    expect(Array.from(await readGGUFTensorBlob(blob, header, 'emb'))).toEqual(Array.from(dequantizeGGUFTensor(emb, raw)));
  });

  it('refuses an unsupported tensor before reading its bytes', async () => {
    const file = writeGGUF([{ name: 'k', shape: [256], type: 'Q6_K', raw: new Uint8Array(210) }]);
    const blob = new Blob([file]);
    const header = await readGGUFBlobHeader(blob);
    let reads = 0;
    const original = blob.slice.bind(blob);
    blob.slice = (s?: number, e?: number) => { reads++; return original(s, e); };
    await expect(readGGUFTensorBlob(blob, header, 'k')).rejects.toThrow(/"k" is Q6_K, which is not supported here/);
    expect(reads).toBe(0);
  });

  it('openGGUFBlob reads the header now and tensors when asked; a header past maxHeaderBytes is named', async () => {
    const f = await openGGUFBlob(new Blob([bytes]), { firstReadBytes: 4096 });
    expect(f.header.tensors.map((t) => t.type)).toEqual(['Q4_0', 'F16']);
    expect(Array.from(await f.tensorBytes('emb'))).toEqual(Array.from(quantizeGGUF('q4_0', x)));
    expect(Array.from(await f.tensorToFloat32('out'))).toEqual(Array.from(x, (v) => roundToFormat('fp16', v)));
    await expect(openGGUFBlob(new Blob([bytes]), { firstReadBytes: 4096, maxHeaderBytes: 20_000 })).rejects.toThrow(expect.objectContaining({ problem: 'header-too-big' }));
  });

  it('parseGGUFHeader reads from the first bytes of a longer file', () => {
    const header = parseGGUFHeader(bytes.subarray(0, readGGUF(bytes).dataStart), bytes.length);
    expect(header.tensors.map((t) => t.name)).toEqual(['emb', 'out']);
    expect(() => parseGGUFHeader(bytes.subarray(0, 100), bytes.length)).toThrow(RangeError);
  });
});
