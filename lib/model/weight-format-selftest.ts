/**
 * Self-test of the quantized weight store (lib/model/quantized-store.ts) and its unpacking kernels
 * (kernels/unpack.ts, kernels/nf4.ts) against the CPU reference (lib/quant/weight-formats.ts): for
 * every storage format and a set of seeded weights, the float32 tensor the store hands out must be
 * bit-identical to dequantizeWeight(quantizeWeight(...)), a float32 bias stored beside it must come
 * back unchanged, the bytes the backend holds must be what the layout says, and no tensor may leak.
 * The "Check your GPU" page shows it; the e2e suite asserts on it.
 */
import { compareFloat32Bits } from '../compute/bit-compare';
import { createQuantizedStore } from './quantized-store';
import type { WeightFormat } from './weights';
import { dequantizeWeight, quantizeWeight, STORAGE_FORMATS, weightLayout } from '../quant/weight-formats';
import { normalArray } from '../random';
import { syntheticMatrix } from '../tensors/synthetic';
import type { Compute } from '../compute/index';

export type WeightTensorKind = 'normal' | 'outliers' | 'partial' | 'edges' | 'tiny';

export interface WeightTensorCase {
  kind: WeightTensorKind;
  name: string;
  rows: number;
  cols: number;
  seed: number;
}

/** The seeded weights each format is checked on. */
export const WEIGHT_TENSOR_CASES: readonly WeightTensorCase[] = [
  { kind: 'normal', name: 'c_fc-sized, normal (512 × 128)', rows: 512, cols: 128, seed: 21 },
  { kind: 'outliers', name: 'Outlier columns and weights (384 × 128)', rows: 384, cols: 128, seed: 22 },
  { kind: 'partial', name: 'Partial words and groups (37 × 91)', rows: 37, cols: 91, seed: 23 },
  { kind: 'edges', name: 'fp16 overflow and subnormal edges, a zero row (6 × 80)', rows: 6, cols: 80, seed: 24 },
  { kind: 'tiny', name: 'Three weights (1 × 3)', rows: 1, cols: 3, seed: 25 },
];

export interface WeightFormatSelfTestCase {
  format: WeightFormat;
  tensor: WeightTensorCase;
}

/** Every format on every weight. */
export const WEIGHT_FORMAT_SELF_TEST_CASES: readonly WeightFormatSelfTestCase[] = STORAGE_FORMATS.flatMap((format) =>
  WEIGHT_TENSOR_CASES.map((tensor) => ({ format, tensor })));

/**
 * Row 0: values at fp16's top (65504, 65519 which rounds down to it, the ties around it); row 1:
 * fp16 subnormals and the values that round into and out of them (2^-25 ties to 0, 3·2^-26 to
 * 2^-24); row 2: float32 subnormals (bf16 subnormals) and bf16 rounding ties; row 3: all zeros;
 * row 4: one outlier 2,000 times the typical weight; row 5: signed zeros and powers of two. Every
 * other entry is a normal weight (std 0.02), so each NF4 block keeps a sizeable absmax.
 */
function edgeTensor(c: WeightTensorCase): Float32Array {
  const x = normalArray(c.rows * c.cols, c.seed, 0, 0.02);
  const put = (row: number, values: number[]) => values.forEach((v, j) => { x[row * c.cols + 3 * j] = v; });
  put(0, [65504, -65504, 65519, -65519, 65488, 65496, 65512, 32768.5, 2049, 2051, 1 + 2 ** -11, 1 + 3 * 2 ** -11]);
  put(1, [2 ** -24, -(2 ** -24), 3 * 2 ** -24, 2 ** -14 - 2 ** -24, 2 ** -14, 2 ** -25, 3 * 2 ** -26, 5 * 2 ** -26, 1e-7, -6e-8, 2 ** -15, 1023 * 2 ** -24, 2 ** -24 * 1.5]);
  put(2, [1e-40, -1e-40, 2 ** -133, 2 ** -149, 1.1754942e-38, 2 ** -126, 1 + 2 ** -8, 1 + 3 * 2 ** -8, -(1 + 2 ** -8), 3.0e-39]);
  x.fill(0, 3 * c.cols, 4 * c.cols);
  x[4 * c.cols + 17] = 40;
  put(5, [0, -0, 1, -1, 0.5, 2, 4096, -0.25]);
  return x;
}

/** The weights of a case, deterministic by its seed. */
export function weightSelfTestTensor(c: WeightTensorCase): Float32Array {
  switch (c.kind) {
    case 'normal':
    case 'tiny': return syntheticMatrix({ distribution: 'normal', rows: c.rows, cols: c.cols, seed: c.seed });
    case 'outliers': return syntheticMatrix({ distribution: 'outliers', rows: c.rows, cols: c.cols, seed: c.seed });
    case 'partial': return syntheticMatrix({ distribution: 'laplace', rows: c.rows, cols: c.cols, seed: c.seed });
    case 'edges': return edgeTensor(c);
  }
}

/** NF4's lookup tables (16 + 256 float32), uploaded with each NF4 weight (lib/compute/nf4-gpu.ts). */
const NF4_TABLE_BYTES = 4 * (16 + 256);

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
      : weightLayout(c.format, [rows, cols]).buffers.reduce((s, p) => s + p.bytes, 0) + (c.format === 'nf4-dq' && compute.webgpu ? NF4_TABLE_BYTES : 0);
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
      expectedWeightBytes: NaN, bitsPerWeight: NaN, gpuMs: NaN, cpuMs: NaN, passed: false, error: e instanceof Error ? e.message : String(e),
    };
  }
}
