import { describe, expect, it } from 'vitest';
import { WEIGHT_FORMATS, quantizeWeight, dequantizeWeight } from '../quant/weight-formats';
import { syntheticMatrix } from '../tensors/synthetic';
import { getCompute } from './index';
import { UNPACK_ELEMENTS } from './kernels/unpack';
import { WEIGHT_FORMAT_KERNELS, uploadStoredWeight } from './weight-format-gpu';

describe('WEIGHT_FORMAT_KERNELS', () => {
  it("has one entry per format of lib/quant's registry, and no other", () => {
    expect(Object.keys(WEIGHT_FORMAT_KERNELS).sort()).toEqual([...WEIGHT_FORMATS].sort());
  });

  it('gives every format but fp32 its own pipeline (distinct shader keys)', () => {
    const keys = WEIGHT_FORMATS.map((f) => WEIGHT_FORMAT_KERNELS[f].shaderKey);
    expect(keys[WEIGHT_FORMATS.indexOf('fp32')]).toBeNull();
    const packed = keys.filter((k) => k !== null);
    expect(packed).toHaveLength(WEIGHT_FORMATS.length - 1);
    expect(new Set(packed).size).toBe(packed.length);
    // The unpack program serves exactly the formats whose entry runs it.
    for (const f of Object.keys(UNPACK_ELEMENTS)) expect(WEIGHT_FORMAT_KERNELS[f as keyof typeof UNPACK_ELEMENTS].shaderKey).toBe(`lowbit_unpack_${f}`);
  });

  it("counts NF4's lookup tables (16 + 256 float32) as the only per-weight tables", () => {
    expect(WEIGHT_FORMATS.map((f) => WEIGHT_FORMAT_KERNELS[f].tableBytes)).toEqual([0, 0, 0, 0, 0, 4 * (16 + 256)]);
  });
});

// In Node getCompute() picks tfjs's CPU backend: only fp32 is held as stored; the others as the CPU
// reference's float32 values. The /gpu/ page checks the WebGPU kernels (e2e/gpu-selftest.spec.ts).
describe('uploadStoredWeight without WebGPU', () => {
  it.each(WEIGHT_FORMATS)('%s: hands back the CPU reference and frees what it uploaded', async (format) => {
    const compute = await getCompute();
    const { tf } = compute;
    const before = tf.memory().numTensors;
    const w = quantizeWeight(format, syntheticMatrix({ distribution: 'normal', rows: 5, cols: 70, seed: 6 }), [5, 70]);
    const d = uploadStoredWeight(compute, w);
    expect(d.residency).toBe(format === 'fp32' ? 'packed' : 'float32');
    expect(d.measuredDeviceBytes).toBe(4 * 5 * 70);
    const t = d.dequantize();
    expect(Array.from(await t.data())).toEqual(Array.from(dequantizeWeight(w)));
    t.dispose();
    d.dispose();
    expect(tf.memory().numTensors).toBe(before);
    expect(() => d.dequantize()).toThrow(/disposed/);
  });
});
