import { describe, expect, it } from 'vitest';
import { encodeFloat } from '../formats';
import {
  SafetensorsError,
  readSafetensors,
  readSafetensorsBlob,
  tensorToFloat32,
  writeSafetensors,
  type SafetensorsTensor,
} from './safetensors';

/** A file from a header object and a data section, byte by byte as the format specifies. */
function rawFile(header: unknown, data: Uint8Array, headerLength?: number): Uint8Array<ArrayBuffer> {
  const json = new TextEncoder().encode(typeof header === 'string' ? header : JSON.stringify(header));
  const out = new Uint8Array(8 + json.length + data.length);
  new DataView(out.buffer).setUint32(0, headerLength ?? json.length, true);
  out.set(json, 8);
  out.set(data, 8 + json.length);
  return out;
}

const sample: [string, SafetensorsTensor][] = [
  ['w', { dtype: 'F32', shape: [2, 3], data: new Float32Array([1, -2, 0.5, 3.25, 1e-8, -0]) }],
  ['h', { dtype: 'F16', shape: [3], data: new Uint16Array([encodeFloat('fp16', 0.1), encodeFloat('fp16', -65504), 0x7c00]) }],
  ['b', { dtype: 'BF16', shape: [2], data: new Uint16Array([0x3dcd, 0xc000]) }],
  ['q', { dtype: 'I8', shape: [4], data: new Int8Array([-128, -1, 0, 127]) }],
  ['u', { dtype: 'U8', shape: [1, 1], data: new Uint8Array([255]) }],
  ['empty', { dtype: 'F32', shape: [0, 4], data: new Float32Array(0) }],
];

describe('writeSafetensors / readSafetensors', () => {
  it('round-trips every supported dtype, shape and the metadata', () => {
    const file = writeSafetensors(sample, { format: 'pt', source: 'lowbit' });
    const { tensors, metadata } = readSafetensors(file);
    expect(metadata).toEqual({ format: 'pt', source: 'lowbit' });
    for (const [name, t] of sample) {
      const r = tensors.get(name)!;
      expect(r.dtype).toBe(t.dtype);
      expect(r.shape).toEqual(t.shape);
      expect(r.data.constructor).toBe(t.data.constructor);
      expect(Array.from(r.data)).toEqual(Array.from(t.data));
    }
  });

  it('lays the file out as the format says: u64 LE header length, space-padded JSON, contiguous LE data', () => {
    const file = writeSafetensors([['x', { dtype: 'F32', shape: [2], data: new Float32Array([1, -2]) }]]);
    const n = new DataView(file.buffer).getUint32(0, true);
    expect(new DataView(file.buffer).getUint32(4, true)).toBe(0);
    expect(n % 8).toBe(0);
    const json = new TextDecoder().decode(file.subarray(8, 8 + n));
    expect(JSON.parse(json)).toEqual({ x: { dtype: 'F32', shape: [2], data_offsets: [0, 8] } });
    expect(json.trimEnd()).toBe(JSON.stringify({ x: { dtype: 'F32', shape: [2], data_offsets: [0, 8] } }));
    // 1.0f = 0x3F800000 and -2.0f = 0xC0000000, little-endian.
    expect(Array.from(file.subarray(8 + n))).toEqual([0, 0, 0x80, 0x3f, 0, 0, 0, 0xc0]);
  });

  it('reads a hand-made file whose tensors are listed out of offset order and unaligned', () => {
    const data = new Uint8Array([7, 0, 0, 0x80, 0x3f]);
    const file = rawFile({ b: { dtype: 'F32', shape: [1], data_offsets: [1, 5] }, a: { dtype: 'U8', shape: [], data_offsets: [0, 1] } }, data);
    const { tensors } = readSafetensors(file);
    expect(Array.from(tensors.get('a')!.data)).toEqual([7]);
    expect(Array.from(tensors.get('b')!.data)).toEqual([1]);
  });

  it('refuses data that does not match its dtype or shape', () => {
    expect(() => writeSafetensors([['x', { dtype: 'F16', shape: [1], data: new Float32Array(1) }]])).toThrow(/does not hold F16/);
    expect(() => writeSafetensors([['x', { dtype: 'F32', shape: [3], data: new Float32Array(2) }]])).toThrow(/3 elements but the data has 2/);
  });
});

describe('malformed files give an error naming the problem', () => {
  const f32 = new Uint8Array(new Float32Array([1, 2]).buffer);
  const ok = { x: { dtype: 'F32', shape: [2], data_offsets: [0, 8] } };
  const cases: [string, Uint8Array<ArrayBuffer>, RegExp][] = [
    ['too short', new Uint8Array(5), /too short for the 8-byte header length/],
    ['header length past the file', rawFile(ok, f32, 10_000), /runs past the end of the .*-byte file/],
    ['absurd header length', (() => { const b = rawFile(ok, f32); new DataView(b.buffer).setUint32(4, 1, true); return b; })(), /more than the 100,000,000/],
    ['bad JSON', rawFile('{"x": {"dtype": "F32",', f32), /not valid JSON/],
    ['JSON that is not an object', rawFile('[1, 2]', f32), /must be a JSON object/],
    ['unknown dtype', rawFile({ x: { dtype: 'F64', shape: [1], data_offsets: [0, 8] } }, f32), /"x" has dtype "F64", which this reader does not handle/],
    ['bad shape', rawFile({ x: { dtype: 'F32', shape: [-2], data_offsets: [0, 8] } }, f32), /"x" has shape \[-2\]/],
    ['offsets outside the data', rawFile({ x: { dtype: 'F32', shape: [4], data_offsets: [0, 16] } }, f32), /outside the data section, which holds 8 bytes/],
    ['reversed offsets', rawFile({ x: { dtype: 'F32', shape: [2], data_offsets: [8, 0] } }, f32), /0 ≤ begin ≤ end/],
    ['shape that does not match the bytes', rawFile({ x: { dtype: 'F32', shape: [3], data_offsets: [0, 8] } }, f32), /needs 12 bytes, but its data_offsets span 8/],
    ['overlapping tensors', rawFile({ x: { dtype: 'F32', shape: [2], data_offsets: [0, 8] }, y: { dtype: 'F32', shape: [1], data_offsets: [4, 8] } }, f32), /"x" and "y" overlap/],
    ['a gap in the data', rawFile({ x: { dtype: 'F32', shape: [1], data_offsets: [4, 8] } }, f32), /Bytes 0–4 of the data section belong to no tensor/],
    ['trailing bytes', rawFile({ x: { dtype: 'F32', shape: [1], data_offsets: [0, 4] } }, f32), /holds 8 bytes but the tensors cover 4/],
    ['metadata that is not strings', rawFile({ __metadata__: { n: 1 }, ...ok }, f32), /"__metadata__" entry "n" must be a string/],
  ];
  for (const [what, file, message] of cases) {
    it(what, async () => {
      expect(() => readSafetensors(file)).toThrow(SafetensorsError);
      expect(() => readSafetensors(file)).toThrow(message);
      await expect(readSafetensorsBlob(new Blob([file]))).rejects.toThrow(message);
    });
  }
});

describe('readSafetensorsBlob', () => {
  it('reads a file in small pieces with Blob.slice, reporting progress, and gets the same tensors', async () => {
    const big: [string, SafetensorsTensor][] = [
      ['a', { dtype: 'F32', shape: [100, 7], data: Float32Array.from({ length: 700 }, (_, i) => Math.sin(i)) }],
      ['b', { dtype: 'I8', shape: [333], data: Int8Array.from({ length: 333 }, (_, i) => (i % 256) - 128) }],
    ];
    const file = writeSafetensors(big);
    const blob = new Blob([file]);
    const slices: [number, number][] = [];
    const original = blob.slice.bind(blob);
    blob.slice = (start?: number, end?: number) => { slices.push([start ?? 0, end ?? blob.size]); return original(start, end); };
    const progress: number[] = [];
    const { tensors } = await readSafetensorsBlob(blob, { chunkBytes: 256, onProgress: (done) => progress.push(done) });
    expect(Math.max(...slices.map(([s, e]) => e - s))).toBeLessThanOrEqual(Math.max(256, new DataView(file.buffer).getUint32(0, true)));
    expect(progress[progress.length - 1]).toBe(700 * 4 + 333);
    expect(Array.from(tensors.get('a')!.data)).toEqual(Array.from(big[0][1].data));
    expect(Array.from(tensors.get('b')!.data)).toEqual(Array.from(big[1][1].data));
  });
});

describe('tensorToFloat32', () => {
  it('decodes F16 and BF16 codes, and widens I8/U8', () => {
    const { tensors } = readSafetensors(writeSafetensors(sample));
    expect(Array.from(tensorToFloat32(tensors.get('h')!))).toEqual([Math.fround(0.0999755859375), -65504, Infinity]);
    // BF16 0x3DCD is 0.10009765625 (docs/numerics.md / the number-formats lesson), 0xC000 is -2.
    expect(Array.from(tensorToFloat32(tensors.get('b')!))).toEqual([0.10009765625, -2]);
    expect(Array.from(tensorToFloat32(tensors.get('q')!))).toEqual([-128, -1, 0, 127]);
    expect(Array.from(tensorToFloat32(tensors.get('u')!))).toEqual([255]);
  });
});
