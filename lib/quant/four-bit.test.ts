import { describe, expect, it } from 'vitest';
import {
  FP4_CODE, NF4_CODE, dequantize4bit, dequantizeAbsmax, doubleQuantizeAbsmax, dynamicCode8,
  fourBitBitsPerParameter, fourBitIndex, quantize4bit,
} from './four-bit';

const f = Math.fround;

function unpack(packed: Uint8Array, n: number): number[] {
  const out: number[] = [];
  for (let i = 0; i < n; i++) out.push((i & 1) === 0 ? packed[i >> 1] >> 4 : packed[i >> 1] & 15);
  return out;
}

/** Deterministic pseudo-random normal samples (mulberry32 + Box-Muller). */
function randn(n: number, seed: number, sigma = 1): Float32Array {
  let a = seed >>> 0;
  const u = () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return (((t ^ (t >>> 14)) >>> 0) + 0.5) / 4294967296;
  };
  const out = new Float32Array(n);
  for (let i = 0; i < n; i++) out[i] = sigma * Math.sqrt(-2 * Math.log(u())) * Math.cos(2 * Math.PI * u());
  return out;
}

// --- inverse normal CDF for the derivation test: Acklam's rational approximation + one Newton step.
function erf(x: number): number {
  // Maclaurin series, accurate to ~1e-16 for |x| < 2 (the test needs |x| <= 1.85 / sqrt 2).
  let term = x, sum = x;
  for (let n = 1; n < 80; n++) {
    term *= (-x * x) / n;
    sum += term / (2 * n + 1);
  }
  return (2 / Math.sqrt(Math.PI)) * sum;
}
const normCdf = (x: number) => 0.5 * (1 + erf(x / Math.SQRT2));
const normPdf = (x: number) => Math.exp(-0.5 * x * x) / Math.sqrt(2 * Math.PI);
function normPpf(p: number): number {
  const a = [-3.969683028665376e1, 2.209460984245205e2, -2.759285104469687e2, 1.38357751867269e2, -3.066479806614716e1, 2.506628277459239];
  const b = [-5.447609879822406e1, 1.615858368580409e2, -1.556989798598866e2, 6.680131188771972e1, -1.328068155288572e1];
  const c = [-7.784894002430293e-3, -3.223964580411365e-1, -2.400758277161838, -2.549732539343734, 4.374664141464968, 2.938163982698783];
  const d = [7.784695709041462e-3, 3.224671290700398e-1, 2.445134137142996, 3.754408661907416];
  const pLow = 0.02425;
  let x: number;
  if (p < pLow) {
    const q = Math.sqrt(-2 * Math.log(p));
    x = (((((c[0] * q + c[1]) * q + c[2]) * q + c[3]) * q + c[4]) * q + c[5]) / ((((d[0] * q + d[1]) * q + d[2]) * q + d[3]) * q + 1);
  } else if (p <= 1 - pLow) {
    const q = p - 0.5, r = q * q;
    x = ((((((a[0] * r + a[1]) * r + a[2]) * r + a[3]) * r + a[4]) * r + a[5]) * q) / (((((b[0] * r + b[1]) * r + b[2]) * r + b[3]) * r + b[4]) * r + 1);
  } else {
    const q = Math.sqrt(-2 * Math.log(1 - p));
    x = -(((((c[0] * q + c[1]) * q + c[2]) * q + c[3]) * q + c[4]) * q + c[5]) / ((((d[0] * q + d[1]) * q + d[2]) * q + d[3]) * q + 1);
  }
  return x - (normCdf(x) - p) / normPdf(x); // one Newton step
}
/** torch.linspace in float32 (symmetric formula). */
function linspace32(start: number, end: number, steps: number): number[] {
  const s = f(start), e = f(end), step = f(f(e - s) / (steps - 1)), half = Math.floor(steps / 2);
  return Array.from({ length: steps }, (_, i) => (i < half ? f(s + f(step * i)) : f(e - f(step * (steps - 1 - i)))));
}

describe('NF4 / FP4 tables', () => {
  it('NF4 has 16 ascending float32 entries from -1 to 1 with an exact zero at index 7', () => {
    expect(NF4_CODE.length).toBe(16);
    for (let i = 1; i < 16; i++) expect(NF4_CODE[i]).toBeGreaterThan(NF4_CODE[i - 1]);
    expect(NF4_CODE[0]).toBe(-1);
    expect(NF4_CODE[7]).toBe(0);
    expect(NF4_CODE[15]).toBe(1);
  });

  it('NF4 is rebuilt from normal quantiles (QLoRA eq. 4, bitsandbytes create_normal_map) to 1e-6', () => {
    const offset = 0.9677083;
    const pos = linspace32(offset, 0.5, 9).slice(0, -1).map(normPpf); // 8 positive
    const neg = linspace32(offset, 0.5, 8).slice(0, -1).map((p) => -normPpf(p)); // 7 negative
    const v = [...pos, 0, ...neg].map(f).sort((p, q) => p - q);
    const max = v[v.length - 1];
    const derived = v.map((x) => f(x / max));
    expect(derived.length).toBe(16);
    for (let i = 0; i < 16; i++) expect(Math.abs(derived[i] - NF4_CODE[i])).toBeLessThan(1e-6);
  });

  it('FP4: sign bit 8, magnitudes {0, 0.0625, 8, 12, 4, 6, 2, 3} / 12', () => {
    expect(Array.from(FP4_CODE.subarray(0, 8))).toEqual([0, 0.0625, 8, 12, 4, 6, 2, 3].map((v) => f(v / 12)));
    for (let m = 0; m < 8; m++) expect(FP4_CODE[8 + m]).toBe(-FP4_CODE[m]);
    expect(Object.is(FP4_CODE[8], -0)).toBe(true);
    expect(FP4_CODE[3]).toBe(1);
    expect(FP4_CODE[11]).toBe(-1);
  });
});

describe('quantize4bit / dequantize4bit', () => {
  it('docs/numerics.md check: absmax 1.6, codes [12, 5, 7, 0, 14, 7, 7, 10], bytes [0xC5, 0x70, 0xE7, 0x7A]', () => {
    const x = new Float32Array([0.8, -0.3, 0.05, -1.6, 1.2, 0.0, -0.04, 0.4]);
    const { packed, absmax } = quantize4bit(x, { type: 'nf4' });
    expect(absmax.length).toBe(1);
    expect(absmax[0]).toBe(f(1.6));
    expect(unpack(packed, 8)).toEqual([12, 5, 7, 0, 14, 7, 7, 10]);
    expect(Array.from(packed)).toEqual([0xc5, 0x70, 0xe7, 0x7a]);
    const xr = dequantize4bit(packed, absmax, { type: 'nf4', length: 8 });
    expect(xr[0]).toBe(f(NF4_CODE[12] * f(1.6)));
    expect(xr[3]).toBe(f(-1.6));
    expect(xr[5]).toBe(0);
  });

  it('a value exactly on a midpoint goes to the lower index (NF4)', () => {
    for (let k = 0; k < 15; k++) {
      const m = (NF4_CODE[k] + NF4_CODE[k + 1]) / 2;
      expect(fourBitIndex(m, 'nf4')).toBe(k);
      expect(fourBitIndex(m + 1e-9, 'nf4')).toBe(k + 1);
      expect(fourBitIndex(m - 1e-9, 'nf4')).toBe(k);
    }
    // End to end with an exactly representable midpoint: absmax 1 (the 1 itself), x = midpoint of 0 and NF4[8].
    const m78 = (NF4_CODE[7] + NF4_CODE[8]) / 2; // half a float32: exact in float32
    expect(f(m78)).toBe(m78);
    const { packed } = quantize4bit(new Float32Array([1, m78]), { type: 'nf4' });
    expect(unpack(packed, 2)).toEqual([15, 7]);
  });

  it('FP4: nearest magnitude, ties to the smaller magnitude, sign bit for negatives', () => {
    expect(fourBitIndex(0, 'fp4')).toBe(0);
    expect(fourBitIndex(1, 'fp4')).toBe(3);
    expect(fourBitIndex(-1, 'fp4')).toBe(11);
    expect(fourBitIndex(0.3, 'fp4')).toBe(4); // 4/12
    expect(fourBitIndex(-0.24, 'fp4')).toBe(15); // -3/12
    const tie = (FP4_CODE[7] + FP4_CODE[4]) / 2; // between 3/12 (bits 7) and 4/12 (bits 4)
    expect(fourBitIndex(tie, 'fp4')).toBe(7);
    expect(fourBitIndex(-tie, 'fp4')).toBe(15);
    const x = new Float32Array([2, -1, 0.5, -0.0]);
    const { packed, absmax } = quantize4bit(x, { type: 'fp4' });
    expect(absmax[0]).toBe(2);
    expect(unpack(packed, 4)).toEqual([3, 8 + 5, 7, 0]); // scaled 1, -0.5, 0.25 (= 3/12), -0 (sign of -0 is not set)
  });

  it('packs the first element in the high nibble and pads an odd length with a 0 low nibble', () => {
    const x = new Float32Array([-1, 1, 0]); // NF4 codes 0, 15, 7
    const { packed, absmax } = quantize4bit(x, { type: 'nf4' });
    expect(Array.from(packed)).toEqual([0x0f, 0x70]);
    expect(Array.from(dequantize4bit(packed, absmax, { type: 'nf4', length: 3 }))).toEqual([-1, 1, 0]);
  });

  it('handles a partial last block with its own absmax', () => {
    const x = new Float32Array(70);
    for (let i = 0; i < 64; i++) x[i] = (i - 32) / 8; // absmax 4
    for (let i = 64; i < 70; i++) x[i] = (i - 64) * 0.1 - 0.25; // -0.25 .. 0.25, absmax 0.25
    const { packed, absmax } = quantize4bit(x, { type: 'nf4' });
    expect(absmax.length).toBe(2);
    expect(packed.length).toBe(35);
    expect(absmax[0]).toBe(4);
    expect(absmax[1]).toBe(f(0.25));
    const xr = dequantize4bit(packed, absmax, { type: 'nf4', length: 70 });
    expect(xr[64]).toBe(-f(0.25));
    expect(xr[69]).toBe(f(0.25));
    // blockSize option
    const q8 = quantize4bit(x, { type: 'nf4', blockSize: 8 });
    expect(q8.absmax.length).toBe(9);
  });

  it('an all-zero block has absmax 0, codes of 0.0 and dequantizes to 0', () => {
    const x = new Float32Array(130);
    x[0] = 3; // block 0 non-zero, block 1 all zero, block 2 (2 values) all zero
    for (const type of ['nf4', 'fp4'] as const) {
      const { packed, absmax } = quantize4bit(x, { type });
      expect(Array.from(absmax)).toEqual([3, 0, 0]);
      const zero = type === 'nf4' ? 7 : 0;
      expect(unpack(packed, 130).slice(64)).toEqual(new Array(66).fill(zero));
      const xr = dequantize4bit(packed, absmax, { type, length: 130 });
      expect(xr[0]).toBe(3);
      for (let i = 1; i < 130; i++) expect(xr[i]).toBe(0);
    }
  });

  it('throws a RangeError naming the index of a NaN', () => {
    const x = new Float32Array([0.1, 0.2, Number.NaN]);
    expect(() => quantize4bit(x, { type: 'nf4' })).toThrow(RangeError);
    expect(() => quantize4bit(x, { type: 'nf4' })).toThrow(/x\[2\]/);
    expect(() => quantize4bit(new Float32Array([Infinity]), { type: 'fp4' })).toThrow(/x\[0\]/);
    expect(() => quantize4bit(x, { type: 'nf4', blockSize: 0 })).toThrow(RangeError);
    expect(() => dequantize4bit(new Uint8Array(1), new Float32Array(1), { type: 'nf4', length: 3 })).toThrow(RangeError);
  });

  it('round-trip error is at most half the largest code gap times absmax', () => {
    const x = randn(1000, 7, 0.02);
    for (const type of ['nf4', 'fp4'] as const) {
      const code = Array.from(type === 'nf4' ? NF4_CODE : FP4_CODE).sort((a, b) => a - b);
      let halfGap = 0;
      for (let k = 1; k < code.length; k++) halfGap = Math.max(halfGap, (code[k] - code[k - 1]) / 2);
      const bs = 64;
      const { packed, absmax } = quantize4bit(x, { type, blockSize: bs });
      const xr = dequantize4bit(packed, absmax, { type, blockSize: bs, length: x.length });
      for (let i = 0; i < x.length; i++) {
        const am = absmax[Math.floor(i / bs)];
        expect(Math.abs(xr[i] - x[i])).toBeLessThanOrEqual(halfGap * am * (1 + 1e-6));
      }
      // each block's absmax element is reproduced exactly (code ±1)
      for (let b = 0; b < absmax.length; b++) {
        let j = b * bs;
        for (let i = b * bs; i < Math.min(x.length, (b + 1) * bs); i++) if (Math.abs(x[i]) > Math.abs(x[j])) j = i;
        expect(xr[j]).toBe(x[j]);
      }
    }
  });
});

describe('double quantization', () => {
  it('dynamicCode8(true): bitsandbytes create_dynamic_map(signed=True, 7, 8)', () => {
    const c = dynamicCode8(true);
    expect(c.length).toBe(256);
    for (let i = 1; i < 256; i++) expect(c[i]).toBeGreaterThan(c[i - 1]); // sorted, no duplicates
    expect(c[127]).toBe(0);
    expect(c[255]).toBe(1);
    expect(c[0]).toBeCloseTo(-0.99296875, 6); // bitsandbytes appends +1.0 only
    expect(c[254]).toBeCloseTo(0.99296875, 6);
    for (let i = 0; i < 127; i++) expect(c[i]).toBe(-c[254 - i]); // symmetric apart from the +1.0
    expect(c[128]).toBeCloseTo(0.55e-6, 12); // smallest: 10^-6 * (0.1 + 1) / 2
    const u = dynamicCode8(false);
    expect(u.length).toBe(256);
    expect(u[0]).toBe(0);
    expect(u[255]).toBe(1);
  });

  it('round trip of absmax within the dynamic code resolution', () => {
    const x = randn(64 * 600, 3, 0.02); // 600 blocks -> 600 absmax -> 3 DQ blocks (256, 256, 88)
    const { absmax } = quantize4bit(x, { type: 'nf4' });
    const dq = doubleQuantizeAbsmax(absmax);
    expect(dq.codes.length).toBe(600);
    expect(dq.absmax2.length).toBe(3);
    let mean = 0;
    for (const a of absmax) mean += a;
    expect(dq.offset).toBeCloseTo(mean / absmax.length, 7);
    const code = dynamicCode8(true);
    let halfGap = 0;
    for (let k = 1; k < 256; k++) halfGap = Math.max(halfGap, (code[k] - code[k - 1]) / 2);
    const back = dequantizeAbsmax(dq);
    for (let i = 0; i < 600; i++) {
      const a2 = dq.absmax2[Math.floor(i / 256)];
      expect(Math.abs(back[i] - absmax[i])).toBeLessThanOrEqual(halfGap * a2 + 1e-7 * Math.abs(absmax[i]));
    }
  });

  it('constant absmax: centred constants are all 0, absmax2 0, exact round trip', () => {
    const dq = doubleQuantizeAbsmax(new Float32Array([0.5, 0.5, 0.5]));
    expect(dq.offset).toBe(0.5);
    expect(Array.from(dq.absmax2)).toEqual([0]);
    expect(Array.from(dq.codes)).toEqual([127, 127, 127]);
    expect(Array.from(dequantizeAbsmax(dq))).toEqual([0.5, 0.5, 0.5]);
  });
});

describe('fourBitBitsPerParameter', () => {
  it('NF4 + DQ at 64/256 costs 4.127 bits; without DQ 4.5', () => {
    expect(fourBitBitsPerParameter(64, true, 256)).toBe(4 + 8 / 64 + 32 / (64 * 256));
    expect(fourBitBitsPerParameter(64, true, 256)).toBeCloseTo(4.127, 3);
    expect(fourBitBitsPerParameter(64, true, 256) - 4).toBeCloseTo(0.127, 3);
    expect(fourBitBitsPerParameter(64, false, 256)).toBe(4.5);
    expect(fourBitBitsPerParameter()).toBe(4.126953125);
  });
});
