import { describe, expect, it } from 'vitest';
import { decodeFloat, encodeFloat } from '../formats';
import { mulberry32, normalArray } from '../random';
import {
  E2M1_VALUES, MXFP4_BLOCK, NVFP4_BLOCK, decodeE8M0, dequantizeMXFP4, dequantizeNVFP4, e2m1Code, encodeE8M0,
  microscalingBitsPerWeight, packE2M1, quantizeMXFP4, quantizeNVFP4, unpackE2M1,
} from './microscaling';

// Sources: OCP Microscaling Formats (MX) Specification v1.0 section 6.3 (MXFP4); Transformer Engine
// NVFP4QuantizerRef / core_nvfp4.cuh and TensorRT Model Optimizer NVFP4QTensor (NVFP4);
// docs/numerics.md "Floats" (E2M1 and E4M3 values, round to nearest even, saturation).

const f = Math.fround;
const F = (v: number[]) => Float32Array.from(v);

describe('E2M1 codes', () => {
  it('values of the 16 codes are ±{0, 0.5, 1, 1.5, 2, 3, 4, 6} (docs/numerics.md)', () => {
    expect(Array.from(E2M1_VALUES.subarray(0, 8))).toEqual([0, 0.5, 1, 1.5, 2, 3, 4, 6]);
    expect(Array.from(E2M1_VALUES.subarray(8), (v) => -v)).toEqual([0, 0.5, 1, 1.5, 2, 3, 4, 6]);
  });

  it('ties go to the even mantissa: 0.25 -> 0, 0.75 -> 1, 1.25 -> 1, 1.75 -> 2, 2.5 -> 2, 3.5 -> 4, 5 -> 4', () => {
    const value = (v: number) => E2M1_VALUES[e2m1Code(v)];
    expect([0.25, 0.75, 1.25, 1.75, 2.5, 3.5, 5].map(value)).toEqual([0, 1, 1, 2, 2, 4, 4]);
    expect([-2.5, -3.5, -0.25].map(value)).toEqual([-2, -4, -0]);
    expect(value(5.0000001)).toBe(6);
    expect(value(1e30)).toBe(6); // saturates
    expect(value(-7.9)).toBe(-6);
  });

  it('agrees with lib/formats encodeFloat("fp4-e2m1") on a fine grid and on random float32 values', () => {
    for (let k = -1000; k <= 1000; k++) {
      const v = k / 128; // every tie and midpoint of the grid lies on this lattice
      expect(e2m1Code(v)).toBe(encodeFloat('fp4-e2m1', v));
    }
    const r = mulberry32(7);
    for (let i = 0; i < 2000; i++) {
      const v = f((r() - 0.5) * 20);
      expect(e2m1Code(v)).toBe(encodeFloat('fp4-e2m1', v));
    }
    expect(e2m1Code(-0)).toBe(encodeFloat('fp4-e2m1', -0));
  });
});

describe('E8M0', () => {
  it('byte = e + 127, value 2^(byte - 127), 0xFF is NaN (OCP MX v1.0 5.4.1)', () => {
    expect(encodeE8M0(0)).toBe(127);
    expect(encodeE8M0(-127)).toBe(0);
    expect(encodeE8M0(127)).toBe(254);
    expect(decodeE8M0(127)).toBe(1);
    expect(decodeE8M0(124)).toBe(0.125);
    expect(decodeE8M0(0)).toBe(2 ** -127);
    expect(decodeE8M0(254)).toBe(2 ** 127);
    expect(decodeE8M0(255)).toBeNaN();
    expect(() => encodeE8M0(128)).toThrow(RangeError);
    expect(() => encodeE8M0(-128)).toThrow(RangeError);
    expect(() => encodeE8M0(0.5)).toThrow(RangeError);
    expect(() => decodeE8M0(256)).toThrow(RangeError);
  });
});

describe('packE2M1', () => {
  it('two codes a byte, the first element in the low nibble (fp4x2); odd length pads with 0', () => {
    expect(Array.from(packE2M1(Uint8Array.from([1, 13, 2, 7])))).toEqual([0xd1, 0x72]);
    expect(Array.from(packE2M1(Uint8Array.from([15, 3, 9])))).toEqual([0x3f, 0x09]);
    expect(Array.from(unpackE2M1(Uint8Array.from([0x3f, 0x09]), 3))).toEqual([15, 3, 9]);
    expect(() => packE2M1(Uint8Array.from([16]))).toThrow(RangeError);
  });
});

describe('MXFP4 (OCP MX v1.0 section 6.3)', () => {
  it('block [0.5, -3, 1.25, 6]: max 6, floor(log2 6) = 2, shared_exp = 2 - 2 = 0, X = 1, byte 127', () => {
    // 0.5 -> 0b0001 = 1; -3 -> sign 8 + 0b101 = 13; 1.25 is a tie between 1 and 1.5 -> even 1.0 = 2; 6 -> 7.
    const q = quantizeMXFP4(F([0.5, -3, 1.25, 6]));
    expect(Array.from(q.scales)).toEqual([127]);
    expect(Array.from(q.codes)).toEqual([1, 13, 2, 7]);
    expect(Array.from(dequantizeMXFP4(q, 4))).toEqual([0.5, -3, 1, 6]);
  });

  it('block [0.1, -0.7, 0.3]: max 0.7, floor(log2 0.7) = -1, shared_exp = -3, X = 1/8, byte 124', () => {
    // V/X = [0.8, -5.6, 2.4] -> nearest E2M1 [1, -6, 2] -> codes [2, 15, 4]; x' = [0.125, -0.75, 0.25].
    const q = quantizeMXFP4(F([0.1, -0.7, 0.3]));
    expect(Array.from(q.scales)).toEqual([124]);
    expect(Array.from(q.codes)).toEqual([2, 15, 4]);
    expect(Array.from(dequantizeMXFP4(q, 3))).toEqual([0.125, -0.75, 0.25]);
  });

  it('the floor rule clips: a block whose max is 7.9 gets X = 1 and 7.9 -> 6', () => {
    // floor(log2 7.9) = 2 -> shared_exp 0 -> X = 1; 7.9 / 1 = 7.9 > 6 saturates to 6 (code 7).
    const q = quantizeMXFP4(F([7.9, -7.5, 1]));
    expect(Array.from(q.scales)).toEqual([127]);
    expect(Array.from(q.codes)).toEqual([7, 15, 2]);
    expect(Array.from(dequantizeMXFP4(q, 3))).toEqual([6, -6, 1]);
    // 8 starts the next binade: X = 2 and 8 -> 4 exactly.
    const q8 = quantizeMXFP4(F([8, 1]));
    expect(Array.from(q8.scales)).toEqual([128]);
    expect(Array.from(dequantizeMXFP4(q8, 2))).toEqual([8, 1]);
  });

  it('ties to even inside a block with X = 1: 2.5 -> 2, 3.5 -> 4, 0.25 -> 0, -2.5 -> -2, 0.75 -> 1, 1.75 -> 2, 5 -> 4', () => {
    const q = quantizeMXFP4(F([6, 2.5, 3.5, 0.25, -2.5, 0.75, 1.75, 5]));
    expect(Array.from(q.scales)).toEqual([127]);
    expect(Array.from(q.codes)).toEqual([7, 4, 6, 0, 12, 2, 4, 6]);
  });

  it('an all-zero block gets the smallest scale (exponent -127, byte 0) and codes 0', () => {
    const q = quantizeMXFP4(new Float32Array(32));
    expect(Array.from(q.scales)).toEqual([0]);
    expect(q.codes.every((c) => c === 0)).toBe(true);
    expect(Array.from(dequantizeMXFP4(q, 32))).toEqual(new Array<number>(32).fill(0));
  });

  it('a partial last block gets its own scale', () => {
    const x = new Float32Array(40);
    x[0] = 6; // block 0: X = 1
    x[33] = 0.75; // block 1 (8 values): floor(log2 0.75) = -1 -> shared_exp -3 -> byte 124; 0.75*8 = 6
    const q = quantizeMXFP4(x);
    expect(q.scales.length).toBe(2);
    expect(Array.from(q.scales)).toEqual([127, 124]);
    expect(q.codes[33]).toBe(7);
    expect(dequantizeMXFP4(q, 40)[33]).toBe(0.75);
  });

  it('the shared exponent is clamped to the E8M0 range: a block of 2^-140 gets byte 0 and rounds to 0', () => {
    // floor(log2 2^-140) - 2 = -142 < -127 -> -127; 2^-140 / 2^-127 = 2^-13 rounds to 0.
    const q = quantizeMXFP4(F([2 ** -140]));
    expect(Array.from(q.scales)).toEqual([0]);
    expect(Array.from(q.codes)).toEqual([0]);
    const q2 = quantizeMXFP4(F([2 ** -126, 2 ** -127]));
    expect(Array.from(q2.scales)).toEqual([0]); // -126 - 2 = -128 -> clamped to -127
    expect(Array.from(dequantizeMXFP4(q2, 2))).toEqual([2 ** -126, 2 ** -127]); // 2 * 2^-127 and 1 * 2^-127
    const big = quantizeMXFP4(F([3e38]));
    expect(Array.from(big.scales)).toEqual([127 + 125]); // floor(log2 3e38) = 127
  });

  it('dequantize(quantize(x)) returns x exactly when every block lies on an E2M1 * 2^k grid', () => {
    const r = mulberry32(3);
    const n = 32 * 20 + 5;
    const x = new Float32Array(n);
    for (let i = 0; i < n; i++) {
      const k = ((i / 32) | 0) % 9 - 4; // one binade per block
      x[i] = E2M1_VALUES[(r() * 16) | 0] * 2 ** k;
    }
    expect(Array.from(dequantizeMXFP4(quantizeMXFP4(x), n))).toEqual(Array.from(x)); // -0 included
  });

  it('round-trip error on normal data is bounded by half a grid step of the block (|e| <= X) or clipping', () => {
    const x = normalArray(4096, 11);
    const q = quantizeMXFP4(x);
    const y = dequantizeMXFP4(q, x.length);
    for (let i = 0; i < x.length; i++) {
      const X = decodeE8M0(q.scales[(i / MXFP4_BLOCK) | 0]);
      const clipped = Math.abs(x[i]) > 6 * X;
      if (!clipped) expect(Math.abs(x[i] - y[i])).toBeLessThanOrEqual(X); // largest gap 2X (4 -> 6), half is X
      else expect(Math.abs(y[i])).toBe(6 * X);
    }
  });

  it('NaN or Infinity input throws a RangeError naming the index', () => {
    expect(() => quantizeMXFP4(F([1, NaN]))).toThrow(/x\[1\] is NaN/);
    expect(() => quantizeMXFP4(F([1, 2, -Infinity]))).toThrow(RangeError);
    expect(() => quantizeNVFP4(F([Infinity]))).toThrow(/x\[0\] is Infinity/);
  });

  it('dequantize checks its inputs; a NaN scale byte makes the block NaN', () => {
    const q = quantizeMXFP4(F([1, 2]));
    expect(() => dequantizeMXFP4(q, 3)).toThrow(RangeError);
    expect(() => dequantizeMXFP4({ codes: Uint8Array.from([16]), scales: Uint8Array.from([127]) }, 1)).toThrow(RangeError);
    expect(dequantizeMXFP4({ codes: Uint8Array.from([2]), scales: Uint8Array.from([255]) }, 1)[0]).toBeNaN();
  });
});

describe('NVFP4 (Transformer Engine / ModelOpt)', () => {
  it('block scales are E4M3-rounded: tensor max 6 -> S_enc = 2688/6 = 448; block max 1.3 -> 97.07 -> E4M3 96', () => {
    // Block 0 = [6, ...]: S_dec_b = 6/6 * 448 = 448 = E4M3 0x7E; enc = 1/(448 * (1/448)) = 1 -> 6 -> code 7.
    // Block 1 = [1.3, 0.65, -0.2, ...]: S_dec_b = 1.3/6 * 448 = 97.07; E4M3 spacing in [64, 128) is 8,
    //   so the stored scale is 96 = 1.5 * 2^6 -> byte 0 1101 100 = 0x6C. enc = 448/96 = 4.667:
    //   1.3 -> 6.07 saturates to 6 (code 7), 0.65 -> 3.03 -> 3 (code 5), -0.2 -> -0.93 -> -1 (code 10).
    //   x' = e2m1 * 96/448: [1.2857, 0.6429, -0.2143].
    const x = new Float32Array(32);
    x[0] = 6; x[1] = -1.5;
    x[16] = 1.3; x[17] = 0.65; x[18] = -0.2;
    const q = quantizeNVFP4(x);
    expect(q.globalAmax).toBe(6);
    expect(q.tensorScale).toBe(f(1 / 448));
    expect(Array.from(q.blockScales)).toEqual([0x7e, 0x6c]);
    expect(decodeFloat('fp8-e4m3', 0x6c)).toBe(96);
    expect(Array.from(q.codes.subarray(0, 2))).toEqual([7, 11]);
    expect(Array.from(q.codes.subarray(16, 19))).toEqual([7, 5, 10]);
    const y = dequantizeNVFP4(q, 32);
    expect(y[0]).toBe(6);
    expect(y[1]).toBe(-1.5);
    expect(y[16]).toBeCloseTo((6 * 96) / 448, 6);
    expect(y[17]).toBeCloseTo((3 * 96) / 448, 6);
    expect(y[18]).toBeCloseTo((-1 * 96) / 448, 6);
  });

  it('a block scale that rounds up leaves the block max below 6: block max 1.45 -> 108.27 -> E4M3 112', () => {
    // S_dec_b = 1.45/6 * 448 = 108.27 -> nearest multiple of 8 is 112 (0x6E); 1.45 * 448/112 = 5.8 -> 6.
    const x = new Float32Array(32);
    x[0] = 6; x[16] = 1.45;
    const q = quantizeNVFP4(x);
    expect(q.blockScales[1]).toBe(0x6e);
    expect(decodeFloat('fp8-e4m3', 0x6e)).toBe(112);
    expect(q.codes[16]).toBe(7);
    expect(dequantizeNVFP4(q, 32)[16]).toBeCloseTo(1.5, 6);
  });

  it('an all-zero tensor uses S_enc = 1, scale bytes 0 and codes 0', () => {
    const q = quantizeNVFP4(new Float32Array(20));
    expect(q.tensorScale).toBe(1);
    expect(Array.from(q.blockScales)).toEqual([0, 0]);
    expect(q.codes.every((c) => c === 0)).toBe(true);
    expect(Array.from(dequantizeNVFP4(q, 20))).toEqual(new Array<number>(20).fill(0));
  });

  it('a block whose scale underflows E4M3 gets scale 0 and codes 0', () => {
    // tensor max 1000: S_enc = 2.688; block max 1e-6: S_dec_b = 4.5e-7 < 2^-10 (half the E4M3 minimum) -> 0.
    const x = new Float32Array(32);
    x[0] = 1000; x[16] = 1e-6; x[17] = -1e-6;
    const q = quantizeNVFP4(x);
    expect(q.blockScales[1]).toBe(0);
    expect(Array.from(q.codes.subarray(16))).toEqual(new Array<number>(16).fill(0));
    expect(dequantizeNVFP4(q, 32)[16]).toBe(0);
  });

  it('on normal data the error of each element is at most one E2M1 gap of its block, and the block max is near-exact', () => {
    const x = normalArray(16 * 64 + 7, 5, 0, 0.02);
    const q = quantizeNVFP4(x);
    const y = dequantizeNVFP4(q, x.length);
    expect(q.blockScales.length).toBe(Math.ceil(x.length / NVFP4_BLOCK));
    for (let b = 0; b < q.blockScales.length; b++) {
      const scale = decodeFloat('fp8-e4m3', q.blockScales[b]) * q.tensorScale;
      for (let i = b * 16; i < Math.min(x.length, b * 16 + 16); i++) expect(Math.abs(x[i] - y[i])).toBeLessThanOrEqual(1.0001 * scale);
    }
  });

  it('dequantize(quantize(x)) is exact when blocks are E2M1 values of a tensor whose max is 6', () => {
    const r = mulberry32(9);
    const x = Float32Array.from({ length: 64 }, () => E2M1_VALUES[(r() * 16) | 0]);
    for (let b = 0; b < 4; b++) x[b * 16] = 6; // each block max 6 -> scale 448 -> enc 1
    expect(Array.from(dequantizeNVFP4(quantizeNVFP4(x), 64))).toEqual(Array.from(x)); // -0 included
  });

  it('dequantize checks its inputs', () => {
    const q = quantizeNVFP4(F([1, 2, 3]));
    expect(() => dequantizeNVFP4(q, 17)).toThrow(RangeError);
    expect(() => dequantizeNVFP4({ ...q, tensorScale: NaN }, 3)).toThrow(RangeError);
  });
});

describe('microscalingBitsPerWeight', () => {
  it('MXFP4 = 4 + 8/32 = 4.25; NVFP4 = 4 + 8/16 = 4.5, plus 32/n for the FP32 tensor scale', () => {
    expect(microscalingBitsPerWeight('mxfp4')).toBe(4.25);
    expect(microscalingBitsPerWeight('mxfp4', 1024)).toBe(4.25);
    expect(microscalingBitsPerWeight('nvfp4')).toBe(4.5);
    expect(microscalingBitsPerWeight('nvfp4', 1024)).toBe(4.53125);
    expect(MXFP4_BLOCK).toBe(32);
    expect(NVFP4_BLOCK).toBe(16);
    expect(() => microscalingBitsPerWeight('nvfp4', 0)).toThrow(RangeError);
    expect(() => microscalingBitsPerWeight('int4' as 'mxfp4')).toThrow(RangeError);
  });
});
