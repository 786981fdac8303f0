import { describe, expect, it } from 'vitest';
import * as quant from './index';
import type { DoubleQuantizedAbsmax, FourBitType, GGUFType, LevelKind, MXFP4Quantized, NVFP4Quantized, ShootoutRow } from './index';

describe('lib/quant index', () => {
  it('exports the 4-bit, GGUF, microscaling and comparison API', () => {
    const functions = [
      'quantize4bit', 'dequantize4bit', 'doubleQuantizeAbsmax', 'dequantizeAbsmax', 'dynamicCode8', 'fourBitBitsPerParameter',
      'quantizeGGUF', 'dequantizeGGUF', 'ggufBlockInfo',
      'quantizeMXFP4', 'dequantizeMXFP4', 'quantizeNVFP4', 'dequantizeNVFP4', 'packE2M1', 'unpackE2M1',
      'microscalingBitsPerWeight', 'encodeE8M0', 'decodeE8M0', 'e2m1Code',
      'levelSets', 'levelMse', 'blockAbsmaxReport', 'blockSizeSweep', 'doubleQuantReport', 'formatShootout',
      'computeQParams', 'quantizeAffine', 'dequantizeAffine', 'quantizeGroupwise', 'mse', 'sqnrDb',
      'fakeQuantizeWeight', 'lsq', 'lsqRange', 'lsqInitialStep', 'lsqGradScale', 'staircase', 'steDescentStep',
    ] as const;
    for (const name of functions) expect(typeof quant[name], name).toBe('function');
    expect(quant.NF4_CODE).toBeInstanceOf(Float32Array);
    expect(quant.FP4_CODE).toBeInstanceOf(Float32Array);
    expect(quant.MXFP4_BLOCK).toBe(32);
    expect(quant.NVFP4_BLOCK).toBe(16);
  });

  it("docs/numerics.md's NF4 check through the index: bytes [0xC5, 0x70, 0xE7, 0x7A]", () => {
    const x = Float32Array.from([0.8, -0.3, 0.05, -1.6, 1.2, 0.0, -0.04, 0.4]);
    const type: FourBitType = 'nf4';
    const q = quant.quantize4bit(x, { type, blockSize: 64 });
    expect(Array.from(q.packed)).toEqual([0xc5, 0x70, 0xe7, 0x7a]);
    expect(Array.from(q.absmax)).toEqual([Math.fround(1.6)]);
    const dq: DoubleQuantizedAbsmax = quant.doubleQuantizeAbsmax(q.absmax);
    expect(quant.dequantizeAbsmax(dq)[0]).toBeCloseTo(1.6, 6);
  });

  it('the exported types describe what the functions return', () => {
    const x = Float32Array.from({ length: 64 }, (_, i) => Math.sin(i));
    const mx: MXFP4Quantized = quant.quantizeMXFP4(x);
    const nv: NVFP4Quantized = quant.quantizeNVFP4(x);
    const t: GGUFType = 'q4_0';
    const kind: LevelKind = 'e2m1';
    const rows: ShootoutRow[] = quant.formatShootout(x);
    expect(mx.scales.length).toBe(2);
    expect(nv.blockScales.length).toBe(4);
    expect(quant.dequantizeGGUF(t, quant.quantizeGGUF(t, x), 64).length).toBe(64);
    expect(quant.levelMse(x, kind).dequantized.length).toBe(64);
    expect(rows.length).toBe(8);
    expect(quant.fourBitBitsPerParameter(64, true)).toBe(4.126953125);
    expect(quant.microscalingBitsPerWeight('mxfp4')).toBe(4.25);
  });
});
