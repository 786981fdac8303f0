import { describe, expect, it } from 'vitest';
import { NpyError, npyToFloat32, parsePythonLiteral, readNpy, readNpyBlob, readNpyHeader, writeNpy, type NpyArray } from './npy';

const b64 = (s: string) => Uint8Array.from(atob(s), (c) => c.charCodeAt(0));

/**
 * Files written by NumPy 2.4 (np.save, or numpy.lib.format.write_array for versions 2.0 and 3.0),
 * base64. The arrays are given in each test.
 */
const numpyFiles = {
  // np.array([[1, -2, 0.5], [3.25, 1e-8, -0.0]], dtype='<f4')
  f4: 'k05VTVBZAQB2AHsnZGVzY3InOiAnPGY0JywgJ2ZvcnRyYW5fb3JkZXInOiBGYWxzZSwgJ3NoYXBlJzogKDIsIDMpLCB9ICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgIAoAAIA/AAAAwAAAAD8AAFBAd8wrMgAAAIA=',
  // np.asfortranarray(np.arange(6, dtype='<f8').reshape(2, 3))
  f8Fortran: 'k05VTVBZAQB2AHsnZGVzY3InOiAnPGY4JywgJ2ZvcnRyYW5fb3JkZXInOiBUcnVlLCAnc2hhcGUnOiAoMiwgMyksIH0gICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgIAoAAAAAAAAAAAAAAAAAAAhAAAAAAAAA8D8AAAAAAAAQQAAAAAAAAABAAAAAAAAAFEA=',
  // np.asfortranarray(np.arange(24, dtype='<f4').reshape(2, 3, 4))
  f4Fortran3d: 'k05VTVBZAQB2AHsnZGVzY3InOiAnPGY0JywgJ2ZvcnRyYW5fb3JkZXInOiBUcnVlLCAnc2hhcGUnOiAoMiwgMywgNCksIH0gICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgIAoAAAAAAABAQQAAgEAAAIBBAAAAQQAAoEEAAIA/AABQQQAAoEAAAIhBAAAQQQAAqEEAAABAAABgQQAAwEAAAJBBAAAgQQAAsEEAAEBAAABwQQAA4EAAAJhBAAAwQQAAuEE=',
  // np.array([1, -2, 70000], dtype='>i4')
  i4Big: 'k05VTVBZAQB2AHsnZGVzY3InOiAnPmk0JywgJ2ZvcnRyYW5fb3JkZXInOiBGYWxzZSwgJ3NoYXBlJzogKDMsKSwgfSAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgIAoAAAAB/////gABEXA=',
  // np.array([0.1, -65504, np.inf], dtype='<f2')
  f2: 'k05VTVBZAQB2AHsnZGVzY3InOiAnPGYyJywgJ2ZvcnRyYW5fb3JkZXInOiBGYWxzZSwgJ3NoYXBlJzogKDMsKSwgfSAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgIApmLv/7AHw=',
  // np.array([True, False, True])
  b1: 'k05VTVBZAQB2AHsnZGVzY3InOiAnfGIxJywgJ2ZvcnRyYW5fb3JkZXInOiBGYWxzZSwgJ3NoYXBlJzogKDMsKSwgfSAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgIAoBAAE=',
  // np.array([-(2**40), 3], dtype='<i8'), format version 2.0
  i8v2: 'k05VTVBZAgB0AAAAeydkZXNjcic6ICc8aTgnLCAnZm9ydHJhbl9vcmRlcic6IEZhbHNlLCAnc2hhcGUnOiAoMiwpLCB9ICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgIAoAAAAAAP///wMAAAAAAAAA',
  // np.array(7, dtype='u1') (0-d), format version 3.0
  u1v3: 'k05VTVBZAwB0AAAAeydkZXNjcic6ICd8dTEnLCAnZm9ydHJhbl9vcmRlcic6IEZhbHNlLCAnc2hhcGUnOiAoKSwgfSAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgIAoH',
};

describe('readNpy reads files NumPy wrote', () => {
  it('f4, C order, with the header NumPy writes', () => {
    const a = readNpy(b64(numpyFiles.f4));
    expect(a.dtype).toBe('f4');
    expect(a.shape).toEqual([2, 3]);
    expect(a.data).toBeInstanceOf(Float32Array);
    expect(Array.from(a.data as Float32Array)).toEqual([1, -2, 0.5, 3.25, Math.fround(1e-8), -0]);
    expect(Object.is((a.data as Float32Array)[5], -0)).toBe(true);
    const h = readNpyHeader(b64(numpyFiles.f4));
    expect(h.version).toEqual([1, 0]);
    expect(h.dataStart % 64).toBe(0);
  });

  it('transposes Fortran-order data to C order (2-d f8 and 3-d f4)', () => {
    const a = readNpy(b64(numpyFiles.f8Fortran));
    expect(a.dtype).toBe('f8');
    expect(a.data).toBeInstanceOf(Float64Array);
    expect(a.shape).toEqual([2, 3]);
    expect(Array.from(a.data as Float64Array)).toEqual([0, 1, 2, 3, 4, 5]);
    const b = readNpy(b64(numpyFiles.f4Fortran3d));
    expect(b.shape).toEqual([2, 3, 4]);
    expect(Array.from(b.data as Float32Array)).toEqual(Array.from({ length: 24 }, (_, i) => i));
    expect(readNpyHeader(b64(numpyFiles.f4Fortran3d)).fortranOrder).toBe(true);
  });

  it('byte-swaps big-endian data', () => {
    const a = readNpy(b64(numpyFiles.i4Big));
    expect(a.data).toBeInstanceOf(Int32Array);
    expect(Array.from(a.data as Int32Array)).toEqual([1, -2, 70000]);
    expect(readNpyHeader(b64(numpyFiles.i4Big)).byteOrder).toBe('>');
  });

  it('decodes f2 to float32, bools to 0/1, i8 to BigInt64Array; versions 2.0 and 3.0; 0-d arrays', () => {
    expect(Array.from(readNpy(b64(numpyFiles.f2)).data as Float32Array)).toEqual([Math.fround(0.0999755859375), -65504, Infinity]);
    const bools = readNpy(b64(numpyFiles.b1));
    expect(bools.dtype).toBe('b1');
    expect(Array.from(bools.data as Uint8Array)).toEqual([1, 0, 1]);
    const big = readNpy(b64(numpyFiles.i8v2));
    expect(big.data).toBeInstanceOf(BigInt64Array);
    expect(Array.from(big.data as BigInt64Array)).toEqual([-(2n ** 40n), 3n]);
    expect(readNpyHeader(b64(numpyFiles.i8v2)).version).toEqual([2, 0]);
    const scalar = readNpy(b64(numpyFiles.u1v3));
    expect(scalar.shape).toEqual([]);
    expect(Array.from(scalar.data as Uint8Array)).toEqual([7]);
    expect(readNpyHeader(b64(numpyFiles.u1v3)).version).toEqual([3, 0]);
  });
});

describe('writeNpy', () => {
  it('writes the same bytes as NumPy for a C-order f4 array, up to the header padding', () => {
    const ours = writeNpy({ data: new Float32Array([1, -2, 0.5, 3.25, 1e-8, -0]), shape: [2, 3] });
    const theirs = b64(numpyFiles.f4);
    const hOurs = readNpyHeader(ours);
    const hTheirs = readNpyHeader(theirs);
    expect(Array.from(ours.subarray(hOurs.dataStart))).toEqual(Array.from(theirs.subarray(hTheirs.dataStart)));
    expect(new TextDecoder().decode(ours.subarray(10, hOurs.dataStart)).trimEnd()).toBe(new TextDecoder().decode(theirs.subarray(10, hTheirs.dataStart)).trimEnd());
    expect(hOurs.dataStart % 64).toBe(0);
    expect(ours[hOurs.dataStart - 1]).toBe(0x0a);
  });

  it('writes 1-d shapes as (n,) and 0-d as ()', () => {
    const text = (a: Uint8Array) => new TextDecoder().decode(a.subarray(10, readNpyHeader(a).dataStart)).trimEnd();
    expect(text(writeNpy({ data: new Int8Array([1, 2, 3]), shape: [3] }))).toBe("{'descr': '|i1', 'fortran_order': False, 'shape': (3,), }");
    expect(text(writeNpy({ data: new Uint16Array([9]), shape: [] }))).toBe("{'descr': '<u2', 'fortran_order': False, 'shape': (), }");
  });

  const arrays: NpyArray[] = [
    { dtype: 'f4', shape: [2, 2], data: new Float32Array([1.5, -0, Infinity, NaN]) },
    { dtype: 'f8', shape: [3], data: new Float64Array([Math.PI, -1e300, 5e-324]) },
    { dtype: 'f2', shape: [2], data: new Float32Array([Math.fround(0.0999755859375), -65504]) },
    { dtype: 'i1', shape: [4], data: new Int8Array([-128, -1, 0, 127]) },
    { dtype: 'u1', shape: [1, 2], data: new Uint8Array([0, 255]) },
    { dtype: 'b1', shape: [3], data: new Uint8Array([1, 0, 1]) },
    { dtype: 'i2', shape: [2], data: new Int16Array([-32768, 32767]) },
    { dtype: 'u2', shape: [2], data: new Uint16Array([0, 65535]) },
    { dtype: 'i4', shape: [2], data: new Int32Array([-(2 ** 31), 2 ** 31 - 1]) },
    { dtype: 'u4', shape: [2], data: new Uint32Array([0, 2 ** 32 - 1]) },
    { dtype: 'i8', shape: [2], data: new BigInt64Array([-(2n ** 63n), 2n ** 63n - 1n]) },
    { dtype: 'u8', shape: [1], data: new BigUint64Array([2n ** 64n - 1n]) },
    { dtype: 'f4', shape: [0, 5], data: new Float32Array(0) },
  ];
  for (const a of arrays) {
    it(`round-trips ${a.dtype} of shape [${a.shape.join(', ')}]`, async () => {
      const file = writeNpy(a);
      const r = readNpy(file);
      expect(r.dtype).toBe(a.dtype);
      expect(r.shape).toEqual(a.shape);
      expect(r.data.constructor).toBe(a.data.constructor);
      expect(Array.from(r.data as ArrayLike<unknown>)).toEqual(Array.from(a.data as ArrayLike<unknown>));
      const fromBlob = await readNpyBlob(new Blob([file]), { chunkBytes: 3 });
      expect(Array.from(fromBlob.data as ArrayLike<unknown>)).toEqual(Array.from(a.data as ArrayLike<unknown>));
    });
  }

  it('refuses inputs it cannot write, by name', () => {
    expect(() => writeNpy({ data: new Float32Array(3), shape: [2, 2] })).toThrow(/4 elements but the data has 3/);
    expect(() => writeNpy({ data: new Float32Array(2), shape: [2], dtype: 'i4' })).toThrow(/written from a Int32Array, got a Float32Array/);
    expect(() => writeNpy({ data: new Float32Array(2), shape: [-2] })).toThrow(NpyError);
    expect(() => writeNpy({ data: new Uint8Array([2]), shape: [1], dtype: 'b1' })).toThrow(/only 0 and 1/);
  });
});

describe('readNpyBlob', () => {
  it('reads the data in slices with progress and gets the same array', async () => {
    const data = Float32Array.from({ length: 1000 }, (_, i) => Math.sin(i));
    const blob = new Blob([writeNpy({ data, shape: [10, 100] })]);
    const slices: number[] = [];
    const original = blob.slice.bind(blob);
    blob.slice = (start?: number, end?: number) => { slices.push((end ?? blob.size) - (start ?? 0)); return original(start, end); };
    const progress: [number, number][] = [];
    const a = await readNpyBlob(blob, { chunkBytes: 512, onProgress: (d, t) => progress.push([d, t]) });
    expect(Array.from(a.data as Float32Array)).toEqual(Array.from(data));
    expect(progress.at(-1)).toEqual([4000, 4000]);
    expect(progress.length).toBe(Math.ceil(4000 / 512));
    expect(Math.max(...slices)).toBeLessThanOrEqual(512);
  });
});

describe('parsePythonLiteral', () => {
  it('reads the subset numpy writes, with Python 2 longs and (3) as an integer', () => {
    expect(parsePythonLiteral("{'a': (3L, 4), \"b\": True, 'c': [1, (2,)], 'd': None, }")).toEqual({
      kind: 'dict',
      entries: [
        [{ kind: 'str', value: 'a' }, { kind: 'tuple', items: [{ kind: 'int', value: 3 }, { kind: 'int', value: 4 }] }],
        [{ kind: 'str', value: 'b' }, { kind: 'bool', value: true }],
        [{ kind: 'str', value: 'c' }, { kind: 'list', items: [{ kind: 'int', value: 1 }, { kind: 'tuple', items: [{ kind: 'int', value: 2 }] }] }],
        [{ kind: 'str', value: 'd' }, { kind: 'none' }],
      ],
    });
    expect(parsePythonLiteral('(3)')).toEqual({ kind: 'int', value: 3 });
    expect(parsePythonLiteral('()')).toEqual({ kind: 'tuple', items: [] });
  });

  it('evaluates nothing: names, calls and expressions are errors', () => {
    for (const bad of ["__import__('os')", '{1: 2} + 1', '{"a": 1e3}', '{"a": 0x10}', '{"a" 1}', '{"a": 1,, }', "{'a': 'b}", '((((((((((((((((((1))))))))))))))))))']) {
      expect(() => parsePythonLiteral(bad)).toThrow(NpyError);
    }
  });
});

/** A .npy file from a header text and data, with the header padded as numpy pads it. */
function rawNpy(dict: string, data: Uint8Array, o: { major?: number; minor?: number; headerLength?: number; magic?: number[] } = {}): Uint8Array<ArrayBuffer> {
  const major = o.major ?? 1;
  const pre = major === 1 ? 10 : 12;
  const pad = (64 - ((pre + dict.length + 1) % 64)) % 64;
  const text = dict + ' '.repeat(pad) + '\n';
  const out = new Uint8Array(pre + text.length + data.length);
  out.set(o.magic ?? [0x93, 0x4e, 0x55, 0x4d, 0x50, 0x59]);
  out[6] = major;
  out[7] = o.minor ?? 0;
  const view = new DataView(out.buffer);
  if (major === 1) view.setUint16(8, o.headerLength ?? text.length, true);
  else view.setUint32(8, o.headerLength ?? text.length, true);
  for (let k = 0; k < text.length; k++) out[pre + k] = text.charCodeAt(k);
  out.set(data, pre + text.length);
  return out;
}

describe('lenient where NumPy is', () => {
  it('reads a header without padding or final newline (16-byte-aligned writers, hand-made files)', () => {
    const dict = "{'descr': '<f4', 'fortran_order': False, 'shape': (2,)}";
    const out = new Uint8Array(10 + dict.length + 8);
    out.set([0x93, 0x4e, 0x55, 0x4d, 0x50, 0x59, 1, 0]);
    new DataView(out.buffer).setUint16(8, dict.length, true);
    for (let k = 0; k < dict.length; k++) out[10 + k] = dict.charCodeAt(k);
    out.set(new Uint8Array(new Float32Array([1, 2]).buffer), 10 + dict.length);
    expect(Array.from(readNpy(out).data as Float32Array)).toEqual([1, 2]);
  });
});

describe('malformed .npy files give an NpyError naming the problem', () => {
  const f32x2 = new Uint8Array(new Float32Array([1, 2]).buffer);
  const dict = (descr: string, shape: string, fortran = 'False') => `{'descr': ${descr}, 'fortran_order': ${fortran}, 'shape': ${shape}, }`;
  const ok = dict("'<f4'", '(2,)');
  const cases: [string, Uint8Array<ArrayBuffer>, string, RegExp][] = [
    ['too short', new Uint8Array([0x93, 0x4e, 0x55]), 'too-short', /too short for a \.npy file/],
    ['bad magic', rawNpy(ok, f32x2, { magic: [0x50, 0x4b, 3, 4, 0, 0] }), 'bad-magic', /does not start with the \.npy magic string.*50 4b 03 04/],
    ['unknown version 4.0', rawNpy(ok, f32x2, { major: 4 }), 'unsupported-version', /version 4\.0; this reader knows versions 1\.0, 2\.0 and 3\.0/],
    ['unknown version 1.1', rawNpy(ok, f32x2, { minor: 1 }), 'unsupported-version', /version 1\.1/],
    ['header length past the end', rawNpy(ok, f32x2, { headerLength: 5000 }), 'header-past-end', /5,000 bytes, which runs past the end/],
    ['absurd header length', rawNpy(ok, f32x2, { major: 2, headerLength: 2 ** 31 }), 'header-too-long', /more than the 10,000/],
    ['header not a dict literal', rawNpy("{'descr': '<f4', 'fortran_order': False, 'shape': (2,)", f32x2), 'header-not-dict', /not a Python dict literal/],
    ['header a list, not a dict', rawNpy("['<f4', False, (2,)]", f32x2), 'header-not-dict', /not a Python dict/],
    ['missing key', rawNpy("{'descr': '<f4', 'shape': (2,), }", f32x2), 'header-keys', /missing 'fortran_order'/],
    ['extra key', rawNpy(`{'descr': '<f4', 'fortran_order': False, 'shape': (2,), 'x': 1, }`, f32x2), 'header-keys', /unexpected 'x'/],
    ['unknown descr', rawNpy(dict("'<c8'", '(1,)'), f32x2), 'unsupported-dtype', /dtype '<c8' is not one this reader handles/],
    ['structured descr', rawNpy(dict("[('a', '<f4')]", '(2,)'), f32x2), 'unsupported-dtype', /structured dtypes are not supported/],
    ['fortran_order not a bool', rawNpy(dict("'<f4'", '(2,)', '0'), f32x2), 'bad-fortran-order', /fortran_order is 0/],
    ['negative shape', rawNpy(dict("'<f4'", '(-2,)'), f32x2), 'bad-shape', /shape \(-2,\) is not a tuple of whole numbers/],
    ['non-integer shape', rawNpy(dict("'<f4'", "(2, 'a')"), f32x2), 'bad-shape', /not a tuple of whole numbers/],
    ['shape an integer, not a tuple', rawNpy(dict("'<f4'", '(2)'), f32x2), 'bad-shape', /shape 2 is not a tuple/],
    ['float in shape', rawNpy(dict("'<f4'", '(2.0,)'), f32x2), 'header-not-dict', /not a plain decimal integer/],
    ['data too short', rawNpy(dict("'<f4'", '(3,)'), f32x2), 'data-too-short', /needs 12 bytes of data, but the file has only 8/],
    ['extra trailing bytes', rawNpy(dict("'<f4'", '(1,)'), f32x2), 'trailing-bytes', /needs 4 bytes of data, but the file has 8 .*4 extra bytes/],
    ['absurd size', rawNpy(dict("'<f4'", '(65536, 65536)'), f32x2), 'too-many-elements', /more than 268,435,456 elements/],
  ];
  for (const [what, file, problem, message] of cases) {
    it(what, async () => {
      let err: unknown;
      try { readNpy(file); } catch (e) { err = e; }
      expect(err).toBeInstanceOf(NpyError);
      expect((err as NpyError).problem).toBe(problem);
      expect((err as NpyError).message).toMatch(message);
      await expect(readNpyBlob(new Blob([file]))).rejects.toThrow(message);
    });
  }
});

describe('npyToFloat32', () => {
  it('converts every dtype to float32', () => {
    expect(Array.from(npyToFloat32(readNpy(b64(numpyFiles.i8v2))))).toEqual([-(2 ** 40), 3]);
    expect(Array.from(npyToFloat32(readNpy(b64(numpyFiles.f8Fortran))))).toEqual([0, 1, 2, 3, 4, 5]);
    expect(Array.from(npyToFloat32({ dtype: 'f8', shape: [1], data: new Float64Array([0.1]) }))).toEqual([Math.fround(0.1)]);
  });
});
