import { describe, expect, it } from 'vitest';
import { decodeFloat, encodeFloat } from '../formats/float';
import { computeQParams, dequantizeAffine, quantizeAffine } from './affine';
import { fourBitBitsPerParameter } from './four-bit';
import { dequantizeGroupwise, dequantizePerChannel, quantizeGroupwise, quantizePerChannel } from './per-channel';
import { dequantizeNF4Weight, quantizeNF4Weight } from './qlora-weight';
import {
  FORMAT_LABELS,
  WEIGHT_FORMATS,
  WEIGHT_FORMAT_TABLE,
  dequantizeWeight,
  isWeightFormatName,
  parseWeightFormat,
  shortFormatName,
  weightFormatSpec,
  halfCodeAt,
  int4CodeAt,
  int8CodeAt,
  quantizeWeight,
  storedBytes,
  weightLayout,
  type StoredWeight,
} from './weight-formats';
import { mulberry32 } from '../random';
import { syntheticMatrix } from '../tensors/synthetic';

const u32 = (words: Int32Array) => Array.from(words, (w) => w >>> 0);
const bitsOf = (x: Float32Array) => Array.from(new Uint32Array(x.buffer, x.byteOffset, x.length));

/** Arrays a stored weight holds, by the layout's buffer names. */
function buffersOf(w: StoredWeight): number[] {
  switch (w.format) {
    case 'fp32': return [w.values.byteLength];
    case 'fp16':
    case 'bf16': return [w.words.byteLength];
    case 'int8-channel': return [w.words.byteLength, w.scale.byteLength];
    case 'int4-group64': return [w.words.byteLength, w.scale.byteLength, w.zeroWords.byteLength];
    case 'nf4-dq': return [4 * Math.ceil(w.nf4.packed.length / 4), 4 * Math.ceil(w.nf4.absmax.codes.length / 4), w.nf4.absmax.absmax2.byteLength];
  }
}

describe('weightLayout and storedBytes', () => {
  const shapes: [number, number][] = [[512, 128], [37, 91], [1, 3], [6, 80], [128, 512]];
  it('agree with the arrays each format really stores, for every format and shape (words rounded up)', () => {
    for (const format of WEIGHT_FORMATS) {
      for (const shape of shapes) {
        const x = syntheticMatrix({ distribution: 'normal', rows: shape[0], cols: shape[1], seed: 3 });
        const w = quantizeWeight(format, x, shape);
        const l = weightLayout(format, shape);
        expect(buffersOf(w), `${format} ${shape}`).toEqual(l.buffers.map((b) => b.bytes));
        expect(storedBytes(w), `${format} ${shape}`).toBe(l.total);
      }
    }
  });

  it('gives the bits per weight of each format for a 512 × 128 weight', () => {
    const bits = (f: (typeof WEIGHT_FORMATS)[number]) => weightLayout(f, [512, 128]).bitsPerWeight;
    expect(bits('fp32')).toBe(32);
    expect(bits('fp16')).toBe(16);
    expect(bits('bf16')).toBe(16);
    expect(bits('int8-channel')).toBe(8 + 32 / 128);
    // 4-bit codes + a float32 scale and a 4-bit zero point per 64 weights.
    expect(bits('int4-group64')).toBe(4 + (32 + 4) / 64);
    // docs/numerics.md: NF4 + DQ = 4.127 bits, plus the tensor's float32 offset.
    expect(bits('nf4-dq')).toBe(fourBitBitsPerParameter(64, true, 256) + 32 / (512 * 128));
  });

  it('counts partial words, partial groups and padding', () => {
    expect(weightLayout('fp16', [1, 3]).buffers).toEqual([{ name: 'codes', bytes: 8 }]);
    expect(weightLayout('int8-channel', [1, 3]).total).toBe(4 + 4);
    // 37 × 91: 2 groups per row (64 + 27) → 74 scales, 10 words of zero points; 3367 codes → 421 words.
    expect(weightLayout('int4-group64', [37, 91]).buffers.map((b) => b.bytes)).toEqual([4 * 421, 4 * 74, 4 * 10]);
  });

  it('rejects shapes that are not a 2-D matrix and unknown formats', () => {
    expect(() => weightLayout('fp16', [4])).toThrow(RangeError);
    expect(() => weightLayout('fp16', [0, 4])).toThrow(RangeError);
    expect(() => weightLayout('fp9' as never, [2, 2])).toThrow(/unknown weight format/);
  });
});

describe('quantizeWeight input checks', () => {
  it('names a NaN or infinite value and a wrong shape', () => {
    for (const format of WEIGHT_FORMATS) {
      expect(() => quantizeWeight(format, new Float32Array([1, NaN, 0, 0]), [2, 2])).toThrow(/value 1 .* NaN/);
      expect(() => quantizeWeight(format, new Float32Array([1, 0, 0, -Infinity]), [2, 2])).toThrow(/value 3 .* -Infinity/);
      expect(() => quantizeWeight(format, new Float32Array(6), [2, 2])).toThrow(/needs 4 values, got 6/);
      expect(() => quantizeWeight(format, new Float32Array(4), [4])).toThrow(/2-D matrix/);
    }
  });
});

describe('fp16 storage', () => {
  it("packs lib/formats' IEEE half codes two per word, element 2k in the low half (docs/numerics.md checks)", () => {
    const x = Float32Array.from([1, -2, 0.1, 65519, 2 ** -25, 2 ** -24 * 3]);
    const w = quantizeWeight('fp16', x, [2, 3]);
    if (w.format !== 'fp16') throw new Error('format');
    // 1 = 0x3C00, -2 = 0xC000, 0.1 = 0x2E66, 65519 -> 0x7BFF, 2^-25 -> 0 (tie to even), 3·2^-24 = 0x0003.
    expect(u32(w.words)).toEqual([0xc0003c00, 0x7bff2e66, 0x00030000]);
    expect(Array.from(x, (_, i) => halfCodeAt(w.words, i))).toEqual(Array.from(x, (v) => encodeFloat('fp16', v)));
    expect(Array.from(dequantizeWeight(w))).toEqual([1, -2, decodeFloat('fp16', 0x2e66), 65504, 0, 3 * 2 ** -24]);
  });

  it('agrees with encodeFloat / decodeFloat on a seeded weight, subnormals included', () => {
    const rand = mulberry32(7);
    const x = Float32Array.from({ length: 4001 }, (_, i) => (rand() - 0.5) * 2 ** (-26 + (i % 44)));
    const y = dequantizeWeight(quantizeWeight('fp16', x, [1, x.length]));
    expect(Array.from(y)).toEqual(Array.from(x, (v) => decodeFloat('fp16', encodeFloat('fp16', v))));
  });

  it('refuses a value that would overflow to infinity, naming it', () => {
    expect(() => quantizeWeight('fp16', Float32Array.from([0, 65520]), [1, 2])).toThrow(/value 1 .* 65520, .* 65504/);
  });
});

describe('bf16 storage', () => {
  it("has PyTorch's rounding, (u + 0x7FFF + ((u >> 16) & 1)) >> 16, and dequantizes as code << 16", () => {
    const rand = mulberry32(8);
    const bits = new Uint32Array(20000);
    for (let i = 0; i < bits.length; i++) {
      // Random exponents and mantissas, finite and small enough not to round to infinity.
      bits[i] = ((rand() * 2 ** 31) >>> 0) % 0x7f7f0000 | (rand() < 0.5 ? 0x80000000 : 0);
    }
    bits.set([0x3f808000, 0x3f818000, 0x00000001, 0x00008000, 0x80018000], 0); // ties to even and subnormals
    const x = new Float32Array(bits.buffer);
    const w = quantizeWeight('bf16', x, [100, 200]);
    if (w.format !== 'bf16') throw new Error('format');
    for (let i = 0; i < x.length; i++) expect(halfCodeAt(w.words, i)).toBe((bits[i] + 0x7fff + ((bits[i] >>> 16) & 1)) >>> 16 & 0xffff);
    const y = dequantizeWeight(w);
    expect(bitsOf(y)).toEqual(Array.from(x, (_, i) => (halfCodeAt(w.words, i) << 16) >>> 0));
  });

  it('refuses a value that rounds past the largest finite bf16', () => {
    expect(() => quantizeWeight('bf16', Float32Array.from([3.4e38]), [1, 1])).toThrow(/bf16/);
  });
});

describe('int8-channel storage', () => {
  it("gives docs/numerics.md's signed symmetric check codes, as bytes in a little-endian word", () => {
    const w = quantizeWeight('int8-channel', Float32Array.from([-1, 0, 0.5, 2]), [1, 4]);
    if (w.format !== 'int8-channel') throw new Error('format');
    expect(Array.from(w.scale)).toEqual([Math.fround(2 / 127.5)]);
    // q = [-64, 0, 32, 127] = bytes 0xC0, 0x00, 0x20, 0x7F.
    expect(u32(w.words)).toEqual([0x7f2000c0]);
    expect([0, 1, 2, 3].map((i) => int8CodeAt(w.words, i))).toEqual([-64, 0, 32, 127]);
  });

  it('dequantizes exactly as lib/quant dequantizePerChannel(quantizePerChannel(axis 0)), zero row and outlier included', () => {
    const shape: [number, number] = [37, 91];
    const x = syntheticMatrix({ distribution: 'laplace', rows: 37, cols: 91, seed: 9 });
    x.fill(0, 5 * 91, 6 * 91);
    x[20 * 91 + 7] = 3;
    const r = quantizePerChannel(x, shape, { bits: 8, signed: true, symmetric: true, axis: 0 });
    const expected = dequantizePerChannel(r.q, shape, r.scale, r.zeroPoint, 0);
    const w = quantizeWeight('int8-channel', x, shape);
    expect(bitsOf(dequantizeWeight(w))).toEqual(bitsOf(expected));
    if (w.format !== 'int8-channel') throw new Error('format');
    expect(Array.from(r.q, (_, i) => int8CodeAt(w.words, i))).toEqual(Array.from(r.q));
  });
});

describe('int4-group64 storage', () => {
  it("gives docs/numerics.md's affine check codes at 4 bits, low nibble first", () => {
    const x = Float32Array.from([-1, 0, 0.5, 2]);
    const w = quantizeWeight('int4-group64', x, [1, 4]);
    if (w.format !== 'int4-group64') throw new Error('format');
    // scale = 3/15, zp = -round(-1 / 0.2) = 5; q = 5 + round(x * 5) = [0, 5, 7 (2.5 ties to 2), 15].
    expect(Array.from(w.scale)).toEqual([Math.fround(Math.fround(3) / 15)]);
    expect(u32(w.zeroWords)).toEqual([5]);
    expect(u32(w.words)).toEqual([0xf750]);
    expect(Array.from(dequantizeWeight(w))).toEqual(Array.from(dequantizeAffine(Int32Array.from([0, 5, 7, 15]), w.scale[0], 5)));
  });

  it('dequantizes exactly as lib/quant dequantizeGroupwise(quantizeGroupwise(64)) when 64 divides a row', () => {
    const shape: [number, number] = [48, 192];
    const x = syntheticMatrix({ distribution: 'outliers', rows: 48, cols: 192, seed: 10 });
    x.fill(0, 0, 192);
    const o = { bits: 4, signed: false, symmetric: false, groupSize: 64 };
    const r = quantizeGroupwise(x, shape, o);
    const w = quantizeWeight('int4-group64', x, shape);
    if (w.format !== 'int4-group64') throw new Error('format');
    expect(bitsOf(dequantizeWeight(w))).toEqual(bitsOf(dequantizeGroupwise(r.q, shape, r.scale, r.zeroPoint, 64)));
    expect(Array.from(w.scale)).toEqual(Array.from(r.scale));
    expect(Array.from(r.zeroPoint, (_, g) => int4CodeAt(w.zeroWords, g))).toEqual(Array.from(r.zeroPoint));
    expect(Array.from(r.q, (_, i) => int4CodeAt(w.words, i))).toEqual(Array.from(r.q));
  });

  it("quantizes a row's shorter last group with the same observer over its own values", () => {
    const rows = 5, cols = 91; // groups of 64 and 27
    const x = syntheticMatrix({ distribution: 'normal', rows, cols, seed: 11 });
    const w = quantizeWeight('int4-group64', x, [rows, cols]);
    if (w.format !== 'int4-group64') throw new Error('format');
    expect(w.groupsPerRow).toBe(2);
    const y = dequantizeWeight(w);
    const o = { bits: 4, signed: false, symmetric: false };
    for (let r = 0; r < rows; r++) {
      for (const [from, to] of [[0, 64], [64, 91]]) {
        const g = x.slice(r * cols + from, r * cols + to);
        const p = computeQParams(Math.min(...g), Math.max(...g), o);
        const expected = dequantizeAffine(quantizeAffine(g, p.scale, p.zeroPoint, p.qmin, p.qmax), p.scale, p.zeroPoint);
        expect(bitsOf(y.slice(r * cols + from, r * cols + to))).toEqual(bitsOf(expected));
      }
    }
  });
});

describe('nf4-dq storage', () => {
  it('is lib/quant quantizeNF4Weight as is, dequantized by dequantizeNF4Weight', () => {
    const x = syntheticMatrix({ distribution: 'normal', rows: 37, cols: 91, seed: 12 });
    const w = quantizeWeight('nf4-dq', x, [37, 91]);
    if (w.format !== 'nf4-dq') throw new Error('format');
    const ref = quantizeNF4Weight(x);
    expect(Array.from(w.nf4.packed)).toEqual(Array.from(ref.packed));
    expect(bitsOf(dequantizeWeight(w))).toEqual(bitsOf(dequantizeNF4Weight(ref)));
  });
});

describe('fp32 storage', () => {
  it('keeps a copy of the values', () => {
    const x = Float32Array.from([1.5, -0, 3e-40, 7]);
    const w = quantizeWeight('fp32', x, [2, 2]);
    x[0] = 9;
    expect(bitsOf(dequantizeWeight(w))).toEqual(bitsOf(Float32Array.from([1.5, -0, 3e-40, 7])));
  });
});

describe('the format registry (WEIGHT_FORMAT_TABLE) and its users agree', () => {
  it('lists each format once, keyed by its own name, in the lessons\' order, with labels and self-test weights', () => {
    expect([...WEIGHT_FORMATS]).toEqual(['fp32', 'fp16', 'bf16', 'int8-channel', 'int4-group64', 'nf4-dq']);
    for (const f of WEIGHT_FORMATS) {
      const spec = WEIGHT_FORMAT_TABLE[f];
      expect(spec.format).toBe(f);
      expect(spec.label.length, f).toBeGreaterThan(0);
      expect(spec.shortLabel.length, f).toBeGreaterThan(0);
      expect(FORMAT_LABELS[f]).toBe(spec.label);
      expect(spec.selfTest.length, f).toBeGreaterThan(0);
    }
    expect(new Set(WEIGHT_FORMATS.map((f) => FORMAT_LABELS[f])).size).toBe(WEIGHT_FORMATS.length);
  });

  it('codes per word is what the main buffer holds: 4 · n / codesPerWord bytes for n a multiple of 8', () => {
    expect(WEIGHT_FORMATS.map((f) => WEIGHT_FORMAT_TABLE[f].codesPerWord)).toEqual([1, 2, 2, 4, 8, 8]);
    for (const f of WEIGHT_FORMATS) {
      const w = quantizeWeight(f, syntheticMatrix({ distribution: 'normal', rows: 16, cols: 64, seed: 4 }), [16, 64]);
      expect(weightFormatSpec(f).bufferBytes(w)[0], f).toBe((4 * 16 * 64) / WEIGHT_FORMAT_TABLE[f].codesPerWord);
    }
  });

  it("bits per weight in the memory figures is the layout's, less the buffers and scalars it leaves out", () => {
    // docs/numerics.md, "Memory": 32, 16, 16, 8 and 4 (codes only) and NF4 + DQ's 4.127.
    expect(WEIGHT_FORMATS.map((f) => WEIGHT_FORMAT_TABLE[f].bitsPerWeight)).toEqual([32, 16, 16, 8, 4, fourBitBitsPerParameter(64, true, 256)]);
    const shape: [number, number] = [4096, 16384]; // every word, group and block full
    for (const f of WEIGHT_FORMATS) {
      const spec = WEIGHT_FORMAT_TABLE[f];
      const l = weightLayout(f, shape);
      const names = l.buffers.map((b) => b.name);
      for (const u of spec.uncountedInMemory) expect(names, f).toContain(u);
      const counted = l.buffers.filter((b) => !spec.uncountedInMemory.includes(b.name)).reduce((s, b) => s + b.bytes, 0);
      expect(spec.bitsPerWeight, f).toBe((8 * counted) / (shape[0] * shape[1]));
    }
  });

  it("bits per weight of a tensor, from the layout, is what quantizeWeight's stored arrays take", () => {
    for (const f of WEIGHT_FORMATS) {
      for (const shape of [[512, 128], [37, 91]] as [number, number][]) {
        const w = quantizeWeight(f, syntheticMatrix({ distribution: 'laplace', rows: shape[0], cols: shape[1], seed: 5 }), shape);
        expect(weightLayout(f, shape).bitsPerWeight, `${f} ${shape}`).toBe((8 * storedBytes(w)) / (shape[0] * shape[1]));
      }
    }
  });

  it("accepts the memory figures' older names as aliases, and names the choices for anything else", () => {
    expect(parseWeightFormat('int8')).toBe('int8-channel');
    expect(parseWeightFormat('int4')).toBe('int4-group64');
    for (const f of WEIGHT_FORMATS) expect(parseWeightFormat(f)).toBe(f);
    expect(WEIGHT_FORMATS.map(shortFormatName)).toEqual(['fp32', 'fp16', 'bf16', 'int8', 'int4', 'nf4-dq']);
    expect(isWeightFormatName('toString')).toBe(false);
    expect(() => parseWeightFormat('int2')).toThrow('unknown weight format "int2"; use one of fp32, fp16, bf16, int8-channel, int4-group64, nf4-dq');
    expect(quantizeWeight('int4' as 'int4-group64', new Float32Array(4), [2, 2]).format).toBe('int4-group64');
  });
});
