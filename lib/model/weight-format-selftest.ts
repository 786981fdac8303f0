/**
 * Self-test of the quantized weight store (lib/model/quantized-store.ts) and its unpacking kernels
 * (lib/compute/weight-format-gpu.ts `WEIGHT_FORMAT_KERNELS`) against the CPU reference
 * (lib/quant/weight-formats.ts): for every storage format and the seeded weights its table entry
 * lists, the float32 tensor the store hands out must be bit-identical to dequantizeWeight(quantizeWeight(...)), a float32 bias stored beside it must come
 * back unchanged, the bytes the backend holds must be what the layout says, and no tensor may leak.
 * The "Check your GPU" page shows it; the e2e suite asserts on it.
 */
import { compareFloat32Bits } from '../compute/bit-compare';
import type { Compute } from '../compute/index';
import { WEIGHT_FORMAT_KERNELS } from '../compute/weight-format-gpu';
import { errorMessage } from '../errors';
import {
  dequantizeWeight,
  quantizeWeight,
  WEIGHT_FORMAT_TABLE,
  WEIGHT_FORMATS,
  weightLayout,
  weightSelfTestTensor,
  type WeightFormat,
  type WeightTensorCase,
} from '../quant/weight-formats';
import { normalArray } from '../random';
import { createQuantizedStore } from './quantized-store';

export interface WeightFormatSelfTestCase {
  format: WeightFormat;
  tensor: WeightTensorCase;
}

/** Every format on the seeded weights its table entry lists (`selfTest`), format by format. */
export const WEIGHT_FORMAT_SELF_TEST_CASES: readonly WeightFormatSelfTestCase[] = WEIGHT_FORMATS.flatMap((format) =>
  WEIGHT_FORMAT_TABLE[format].selfTest.map((tensor) => ({ format, tensor })));

export interface WeightFormatSelfTestResult {
  format: WeightFormat;
  name: string;
  elements: number;
  residency: 'packed' | 'float32';
  /** Values whose float32 bits differ between the store and the CPU reference (the bias included). */
  mismatches: number;
  maxAbsDifference: number;
  /** Bytes the backend holds for the weight (tf.memory), the float32 bias excluded. */
  weightBytes: number;
  /** What the layout says it should hold. */
  expectedWeightBytes: number;
  /** The store's bitsPerWeight(). */
  bitsPerWeight: number;
  gpuMs: number;
  cpuMs: number;
  passed: boolean;
  error?: string;
}

const compare = (got: Float32Array, want: Float32Array) => compareFloat32Bits(got, want, 'the store');

/** Runs one case: a store holding the weight (as an MLP c_fc) and its bias, read back and compared. */
export async function runWeightFormatSelfTestCase(compute: Compute, c: WeightFormatSelfTestCase): Promise<WeightFormatSelfTestResult> {
  const { tf } = compute;
  const { rows, cols } = c.tensor;
  const x = weightSelfTestTensor(c.tensor);
  const bias = normalArray(rows, c.tensor.seed + 1000, 0, 0.02);
  const weightName = 'transformer.h.0.mlp.c_fc.weight', biasName = 'transformer.h.0.mlp.c_fc.bias';
  const base = { format: c.format, name: c.tensor.name, elements: x.length };
  const tensorsBefore = tf.memory().numTensors;
  try {
    const store = createQuantizedStore(compute, new Map([[weightName, x], [biasName, bias]]), new Map([[weightName, [rows, cols]], [biasName, [rows]]]), c.format);
    let got: Float32Array, gotBias: Float32Array, gpuMs: number;
    try {
      store.get(weightName).dispose(); // warm-up: compiles the kernel
      const t0 = performance.now();
      const t = store.get(weightName);
      got = (await t.data()) as Float32Array;
      gpuMs = performance.now() - t0;
      t.dispose();
      const b = store.get(biasName);
      gotBias = (await b.data()) as Float32Array;
      b.dispose();
    } finally {
      store.dispose();
    }
    const t0 = performance.now();
    const want = dequantizeWeight(quantizeWeight(c.format, x, [rows, cols]));
    const cpuMs = performance.now() - t0;
    const w = compare(got, want);
    const b = compare(gotBias, bias);
    const weightBytes = store.bytesHeld() - bias.byteLength;
    const expectedWeightBytes = store.residency === 'float32'
      ? 4 * x.length
      : weightLayout(c.format, [rows, cols]).buffers.reduce((s, p) => s + p.bytes, 0) + (compute.webgpu ? WEIGHT_FORMAT_KERNELS[c.format].tableBytes : 0);
    const leaked = tf.memory().numTensors - tensorsBefore;
    const mismatches = w.mismatches + b.mismatches;
    const errors = [
      mismatches > 0 ? `${mismatches} values differ` : '',
      weightBytes !== expectedWeightBytes ? `the device holds ${weightBytes} bytes, ${expectedWeightBytes} expected` : '',
      leaked !== 0 ? `${leaked} tensors leaked` : '',
    ].filter(Boolean);
    return {
      ...base, residency: store.residency, mismatches, maxAbsDifference: Math.max(w.maxAbsDifference, b.maxAbsDifference),
      weightBytes, expectedWeightBytes, bitsPerWeight: store.bitsPerWeight(), gpuMs, cpuMs,
      passed: errors.length === 0, error: errors.length > 0 ? errors.join('; ') : undefined,
    };
  } catch (e) {
    return {
      ...base, residency: compute.webgpu ? 'packed' : 'float32', mismatches: NaN, maxAbsDifference: NaN, weightBytes: NaN,
      expectedWeightBytes: NaN, bitsPerWeight: NaN, gpuMs: NaN, cpuMs: NaN, passed: false, error: errorMessage(e),
    };
  }
}
