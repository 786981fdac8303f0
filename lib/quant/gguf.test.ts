import { describe, expect, it } from 'vitest';
import { decodeFloat, encodeFloat } from '../formats';
import { dequantizeGGUF, ggufBlockInfo, quantizeGGUF, roundHalfAway, type GGUFType } from './gguf';

// docs/numerics.md "GGUF blocks" (ggml-quants.c quantize_row_q8_0_ref / q4_0_ref / q4_1_ref).

const f = Math.fround;
const TYPES: GGUFType[] = ['q8_0', 'q4_0', 'q4_1'];

function block(fill: (j: number) => number): Float32Array {
  return Float32Array.from({ length: 32 }, (_, j) => fill(j));
}
const fp16At = (b: Uint8Array, o: number) => b[o] | (b[o + 1] << 8);
const nibbles = (qs: Uint8Array) => {
  const q: number[] = new Array<number>(32);
  for (let j = 0; j < 16; j++) { q[j] = qs[j] & 15; q[j + 16] = qs[j] >> 4; }
  return q;
};

/** Deterministic pseudo-random values (LCG + Box-Muller) so failures reproduce. */
function randomValues(n: number, seed: number): Float32Array {
  let s = seed >>> 0;
  const u = () => ((s = (Math.imul(s, 1664525) + 1013904223) >>> 0) + 0.5) / 2 ** 32;
  const out = new Float32Array(n);
  for (let i = 0; i < n; i++) {
    const blockScale = 10 ** (Math.floor(i / 32) % 7 - 3); // 1e-3 .. 1e3 across blocks
    const offset = Math.floor(i / 32) % 3 === 0 ? 5 * blockScale : 0;
    out[i] = offset + blockScale * Math.sqrt(-2 * Math.log(u())) * Math.cos(2 * Math.PI * u());
  }
  return out;
}

describe('ggufBlockInfo', () => {
  it('block sizes and bits per weight: q8_0 34 B 8.5, q4_0 18 B 4.5, q4_1 20 B 5.0', () => {
    expect(ggufBlockInfo('q8_0')).toEqual({ blockValues: 32, blockBytes: 34, bitsPerWeight: 8.5 });
    expect(ggufBlockInfo('q4_0')).toEqual({ blockValues: 32, blockBytes: 18, bitsPerWeight: 4.5 });
    expect(ggufBlockInfo('q4_1')).toEqual({ blockValues: 32, blockBytes: 20, bitsPerWeight: 5 });
  });
  it('quantized size is (n / 32) * blockBytes, i.e. n * bpw / 8', () => {
    for (const t of TYPES) {
      const bytes = quantizeGGUF(t, randomValues(96, 1));
      expect(bytes.length).toBe(3 * ggufBlockInfo(t).blockBytes);
      expect(bytes.length * 8).toBe(96 * ggufBlockInfo(t).bitsPerWeight);
    }
  });
});

describe('roundHalfAway (C roundf)', () => {
  it('ties go away from zero', () => {
    expect([2.5, -2.5, 0.5, -0.5, 1.5, 4.5, 2.4, -2.6].map(roundHalfAway)).toEqual([3, -3, 1, -1, 2, 5, 2, -3]);
  });
});

describe('Q8_0', () => {
  it('block 0..31: d = 31/127 in float32, fp16 0x33D0 little-endian at offset 0, q = roundf(j * 127/31)', () => {
    const b = quantizeGGUF('q8_0', block((j) => j));
    expect(b.length).toBe(34);
    const d32 = f(31 / 127);
    expect(fp16At(b, 0)).toBe(encodeFloat('fp16', d32));
    expect([b[0], b[1]]).toEqual([0xd0, 0x33]); // 0.244094 -> 1.953125 * 2^-3 = 0.244140625
    const q = Array.from(new Int8Array(b.buffer, 2, 32));
    expect(q[0]).toBe(0);
    expect(q[1]).toBe(4); // 4.097
    expect(q[15]).toBe(61); // 61.45
    expect(q[16]).toBe(66); // 65.55
    expect(q[31]).toBe(127);
    const x = dequantizeGGUF('q8_0', b, 32);
    expect(x[31]).toBe(127 * 0.244140625); // dequantized with the fp16 d
  });
  it('negative codes are int8 two\'s complement', () => {
    const b = quantizeGGUF('q8_0', block((j) => (j === 0 ? -127 : j === 1 ? 127 : 0)));
    expect(fp16At(b, 0)).toBe(0x3c00); // d = 1
    expect(b[2]).toBe(0x81); // -127
    expect(b[3]).toBe(0x7f);
  });
  it('x*id exactly ±2.5 rounds away from zero (3, -3), not to even', () => {
    // amax = 127 -> d = 1, id = 1
    const vals = [127, 2.5, -2.5, 0.5, -0.5, 4.5, -4.5, 1.49];
    const b = quantizeGGUF('q8_0', block((j) => vals[j] ?? 0));
    expect(Array.from(new Int8Array(b.buffer, 2, vals.length))).toEqual([127, 3, -3, 1, -1, 5, -5, 1]);
  });
  it('all-zero block: d = 0, codes 0, dequantizes to 0', () => {
    const b = quantizeGGUF('q8_0', new Float32Array(32));
    expect(Array.from(b)).toEqual(new Array<number>(34).fill(0));
    expect(Array.from(dequantizeGGUF('q8_0', b, 32))).toEqual(new Array<number>(32).fill(0));
  });
});

describe('Q4_0', () => {
  it('one large negative value m = -16: d = m / -8 = 2, m maps to code 0, +16 clamps to 15', () => {
    const x = block((j) => (j === 3 ? -16 : j === 20 ? 16 : 1));
    const b = quantizeGGUF('q4_0', x);
    expect(b.length).toBe(18);
    expect([b[0], b[1]]).toEqual([0x00, 0x40]); // fp16 2.0 = 0x4000, little-endian
    // id = 0.5: -16 -> trunc(-8 + 8.5) = 0; 1 -> trunc(0.5 + 8.5) = 9; 16 -> trunc(16.5) = 16 -> min(15, 16)
    const q = nibbles(b.subarray(2));
    expect(q[3]).toBe(0);
    expect(q[20]).toBe(15);
    expect(q.filter((_, j) => j !== 3 && j !== 20)).toEqual(new Array<number>(30).fill(9));
    // nibble order: qs[j] = q[j] | q[j+16] << 4
    expect(b[2 + 3]).toBe(0x90); // q[3] = 0, q[19] = 9
    expect(b[2 + 4]).toBe(0xf9); // q[4] = 9, q[20] = 15
    expect(b[2 + 0]).toBe(0x99);
    const y = dequantizeGGUF('q4_0', b, 32);
    expect(y[3]).toBe(-16); // (0 - 8) * 2
    expect(y[20]).toBe(14); // (15 - 8) * 2: the clamp costs one step
    expect(y[0]).toBe(2); // (9 - 8) * 2
  });
  it('on a tie in |x| the first value sets the sign of d', () => {
    const b = quantizeGGUF('q4_0', block((j) => (j === 3 ? 16 : j === 20 ? -16 : 0)));
    expect([b[0], b[1]]).toEqual([0x00, 0xc0]); // d = 16 / -8 = -2 -> fp16 0xC000
    const q = nibbles(b.subarray(2));
    expect(q[3]).toBe(0);
    expect(q[20]).toBe(15);
    expect(q[0]).toBe(8);
    const y = dequantizeGGUF('q4_0', b, 32);
    expect([y[3], y[20]]).toEqual([16, -14]);
  });
  it('all-zero block: d = 0 / -8 = -0 (fp16 0x8000, as in C), codes 8, dequantizes to 0', () => {
    const b = quantizeGGUF('q4_0', new Float32Array(32));
    expect([b[0], b[1]]).toEqual([0x00, 0x80]);
    expect(Array.from(b.subarray(2))).toEqual(new Array<number>(16).fill(0x88));
    const y = dequantizeGGUF('q4_0', b, 32);
    expect(y.every((v) => v === 0)).toBe(true); // (8 - 8) * -0 = -0, equal to 0
  });
});

describe('Q4_1', () => {
  it('block 0..31: m = 0, d = 31/15 in float32, q = trunc(j * 15/31 + 0.5)', () => {
    const b = quantizeGGUF('q4_1', block((j) => j));
    expect(b.length).toBe(20);
    expect(fp16At(b, 0)).toBe(encodeFloat('fp16', f(31 / 15)));
    expect(fp16At(b, 2)).toBe(0);
    const q = nibbles(b.subarray(4));
    expect(q).toEqual(Array.from({ length: 32 }, (_, j) => Math.floor((j * 15) / 31 + 0.5)));
    expect(q[31]).toBe(15);
  });
  it('hand-computed block: min -3, max 12 -> d = 1 (0x3C00), m = -3 (0xC200), codes rounded half up', () => {
    const vals: Record<number, number> = { 0: -3, 1: -0.5, 16: 4.25, 31: 12 };
    const b = quantizeGGUF('q4_1', block((j) => vals[j] ?? 0));
    expect(Array.from(b.subarray(0, 4))).toEqual([0x00, 0x3c, 0x00, 0xc2]);
    // q = trunc(x + 3 + 0.5): -3 -> 0, -0.5 -> 3, 0 -> 3, 4.25 -> 7, 12 -> 15
    expect(b[4 + 0]).toBe(0x70); // q[0] = 0, q[16] = 7
    expect(b[4 + 1]).toBe(0x33); // q[1] = 3, q[17] = 3
    expect(b[4 + 15]).toBe(0xf3); // q[15] = 3, q[31] = 15
    const y = dequantizeGGUF('q4_1', b, 32);
    expect([y[0], y[1], y[2], y[16], y[31]]).toEqual([-3, 0, 0, 4, 12]); // q*d + m
  });
  it('min(15, ...) keeps the top code at 15: max - min maps to 15, no code exceeds 15', () => {
    const x = randomValues(32 * 20, 7);
    const b = quantizeGGUF('q4_1', x);
    for (let k = 0; k < 20; k++) {
      const xs = x.subarray(32 * k, 32 * k + 32);
      const q = nibbles(b.subarray(20 * k + 4, 20 * k + 20));
      expect(q[xs.indexOf(Math.max(...xs))]).toBe(15);
      expect(q[xs.indexOf(Math.min(...xs))]).toBe(0);
    }
  });
  it('all-zero block: d = 0, m = 0, codes 0, dequantizes to 0', () => {
    const b = quantizeGGUF('q4_1', new Float32Array(32));
    expect(Array.from(b)).toEqual(new Array<number>(20).fill(0));
    expect(Array.from(dequantizeGGUF('q4_1', b, 32))).toEqual(new Array<number>(32).fill(0));
  });
});

describe('round trip', () => {
  it('per element |x - x\'| <= step * |d32| + |q| * |d32 - d16| (+ |min - m16|): step 1/2, 1 for a Q4_0 clamp', () => {
    const n = 32 * 42;
    const x = randomValues(n, 12345);
    for (const t of TYPES) {
      const b = quantizeGGUF(t, x);
      const y = dequantizeGGUF(t, b, n);
      const bb = ggufBlockInfo(t).blockBytes;
      for (let k = 0; k < n / 32; k++) {
        const xs = x.subarray(32 * k, 32 * k + 32);
        const d16 = decodeFloat('fp16', fp16At(b, k * bb));
        let d32: number, qmax: number, mErr = 0;
        if (t === 'q8_0') {
          d32 = f(Math.max(...xs.map(Math.abs)) / 127);
          qmax = 127;
        } else if (t === 'q4_0') {
          let m = 0;
          for (const v of xs) if (Math.abs(v) > Math.abs(m)) m = v;
          d32 = f(m / -8);
          qmax = 8;
        } else {
          const lo = Math.min(...xs);
          d32 = f(f(Math.max(...xs) - lo) / 15);
          qmax = 15;
          mErr = Math.abs(lo - decodeFloat('fp16', fp16At(b, k * bb + 2)));
        }
        expect(Math.abs(d16 - d32)).toBeLessThanOrEqual(Math.abs(d32) * 2 ** -11 + 2 ** -25); // fp16 rounding
        for (let j = 0; j < 32; j++) {
          const clamped = t === 'q4_0' && xs[j] / d32 > 7.5;
          const bound = (clamped ? 1 : 0.5) * Math.abs(d32) + qmax * Math.abs(d32 - d16) + mErr;
          expect(Math.abs(xs[j] - y[32 * k + j])).toBeLessThanOrEqual(bound * (1 + 1e-5) + Math.abs(xs[j]) * 1e-6);
        }
      }
    }
  });
});

describe('errors', () => {
  it('length not a multiple of 32 throws a RangeError (ggml asserts k % 32 == 0)', () => {
    for (const t of TYPES) {
      expect(() => quantizeGGUF(t, new Float32Array(33))).toThrow(RangeError);
      expect(() => quantizeGGUF(t, new Float32Array(33))).toThrow(/multiple of 32/);
      expect(() => dequantizeGGUF(t, new Uint8Array(0), 31)).toThrow(/multiple of 32/);
      expect(quantizeGGUF(t, new Float32Array(0)).length).toBe(0);
    }
  });
  it('NaN or infinite input throws a RangeError', () => {
    for (const t of TYPES) {
      expect(() => quantizeGGUF(t, block((j) => (j === 5 ? NaN : j)))).toThrow(RangeError);
      expect(() => quantizeGGUF(t, block((j) => (j === 5 ? -Infinity : j)))).toThrow(RangeError);
    }
  });
  it('dequantize needs exactly (length / 32) * blockBytes bytes', () => {
    expect(() => dequantizeGGUF('q8_0', new Uint8Array(33), 32)).toThrow(/34 bytes/);
    expect(() => dequantizeGGUF('q4_0', new Uint8Array(36), 32)).toThrow(RangeError);
  });
  it('unknown type throws a RangeError', () => {
    expect(() => ggufBlockInfo('q5_0' as GGUFType)).toThrow(RangeError);
  });
  it('a block too small for 1/d in float32 is treated like zero: codes as for d = 0, values 0', () => {
    const b = quantizeGGUF('q4_0', block((j) => (j === 0 ? 2 ** -127 : 0)));
    expect(fp16At(b, 0)).toBe(0x8000); // d = -2^-130 rounds to fp16 -0
    expect(Array.from(b.subarray(2))).toEqual(new Array<number>(16).fill(0x88));
  });
});
