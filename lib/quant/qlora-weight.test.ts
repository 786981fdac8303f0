import { describe, expect, it } from 'vitest';
import { NF4_CODE, fourBitBitsPerParameter } from './four-bit';
import { bytesToWords, dequantizeNF4Weight, nf4DeviceLayout, quantizeNF4Weight } from './qlora-weight';
import { syntheticMatrix } from '../tensors/synthetic';

describe('bytesToWords', () => {
  it('puts byte j at bits 8(j mod 4) of word j/4, little-endian, padding the last word', () => {
    const w = bytesToWords(new Uint8Array([0xc5, 0x70, 0xe7, 0x7a, 0x01]));
    expect(Array.from(w, (v) => v >>> 0)).toEqual([0x7ae770c5, 0x01]);
  });
  it('matches the platform view of the same bytes on a little-endian machine', () => {
    const bytes = Uint8Array.from({ length: 64 }, (_, i) => (i * 37 + 11) & 255);
    expect(Array.from(bytesToWords(bytes))).toEqual(Array.from(new Int32Array(bytes.buffer)));
  });
});

describe('NF4 weight with double quantization', () => {
  it('gives docs/numerics.md check codes and dequantizes through the double-quantized absmax', () => {
    const x = new Float32Array([0.8, -0.3, 0.05, -1.6, 1.2, 0.0, -0.04, 0.4]);
    const w = quantizeNF4Weight(x);
    expect(Array.from(w.packed)).toEqual([0xc5, 0x70, 0xe7, 0x7a]);
    // One block: the centred constant is 0, so absmax' = offset = 1.6 exactly (in float32).
    const y = dequantizeNF4Weight(w);
    const codes = [12, 5, 7, 0, 14, 7, 7, 10];
    expect(Array.from(y)).toEqual(codes.map((c) => Math.fround(NF4_CODE[c] * Math.fround(1.6))));
  });

  it('stays close to the weights over many blocks and DQ blocks, with partial last blocks', () => {
    const x = syntheticMatrix({ distribution: 'normal', rows: 300, cols: 64 + 3, seed: 4 });
    const w = quantizeNF4Weight(x);
    expect(w.absmax.absmax2.length).toBe(Math.ceil(Math.ceil(x.length / 64) / 256));
    const y = dequantizeNF4Weight(w);
    let maxRel = 0;
    for (let i = 0; i < x.length; i++) maxRel = Math.max(maxRel, Math.abs(y[i] - x[i]));
    // NF4's widest gap is 1 - 0.7229 at absmax; half of it bounds the error (plus the DQ error).
    let amax = 0;
    for (const v of x) amax = Math.max(amax, Math.abs(v));
    expect(maxRel).toBeLessThan(0.15 * amax);
    expect(maxRel).toBeGreaterThan(0);
  });

  it('dequantizes an all-zero weight to zeros', () => {
    const y = dequantizeNF4Weight(quantizeNF4Weight(new Float32Array(130)));
    expect(y.every((v) => v === 0)).toBe(true);
  });
});

describe('nf4DeviceLayout', () => {
  it('holds about half a byte per weight, matching the 4.127 bits of NF4 + DQ up to word padding', () => {
    const n = 1 << 20;
    const l = nf4DeviceLayout(n);
    expect(l.codes).toBe(n / 2);
    expect(l.absmaxCodes).toBe(n / 64);
    expect(l.absmax2).toBe(4 * (n / 64 / 256));
    expect(l.total).toBe((n * fourBitBitsPerParameter(64, true, 256)) / 8);
  });
  it('rounds partial words up', () => {
    expect(nf4DeviceLayout(9, 64, 256)).toEqual({ codes: 8, absmaxCodes: 4, absmax2: 4, total: 16 });
  });
});
