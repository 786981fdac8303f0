/**
 * Self-test of QAT's fused fake-quantization kernels (kernels/fake-quant.ts, run by
 * fake-quant-gpu.ts) against the CPU reference (lib/quant/qat.ts fakeQuantizeWeight) on seeded
 * weights: the forward values and the straight-through gradient dy · mask. The kernel computes the
 * grid in float32 as the reference does; a GPU whose float32 division is not correctly rounded can
 * put a value on the neighbouring grid point, so a case passes with at most
 * FAKE_QUANT_TOLERANCE of values that differ (this course's software adapter measures none).
 */
import { errorMessage } from '../errors';
import { fakeQuantizeWeight, type WeightFakeQuantOptions } from '../quant/qat';
import { syntheticMatrix, type Distribution } from '../tensors/synthetic';
import { compareFloat32Bits } from './bit-compare';
import { activeWebGPU, fakeQuantOnDevice } from './fake-quant-gpu';
import type { Compute } from './index';

export interface FakeQuantSelfTestCase extends WeightFakeQuantOptions {
  name: string;
  rows: number;
  cols: number;
  distribution: Distribution | 'zeros';
  seed: number;
}

export const FAKE_QUANT_SELF_TEST_CASES: readonly FakeQuantSelfTestCase[] = [
  { name: '4-bit symmetric per row, 384 × 128 (as attn.c_attn)', rows: 384, cols: 128, bits: 4, groupSize: -1, symmetric: true, distribution: 'normal', seed: 31 },
  { name: '3-bit affine, groups of 64, 512 × 128 (as mlp.c_fc)', rows: 512, cols: 128, bits: 3, groupSize: 64, symmetric: false, distribution: 'laplace', seed: 32 },
  { name: '2-bit symmetric per row, outlier columns', rows: 128, cols: 512, bits: 2, groupSize: -1, symmetric: true, distribution: 'outliers', seed: 33 },
  { name: '8-bit affine per row, uniform', rows: 64, cols: 96, bits: 8, groupSize: -1, symmetric: false, distribution: 'uniform', seed: 34 },
  { name: 'All-zero weight', rows: 16, cols: 32, bits: 4, groupSize: 16, symmetric: false, distribution: 'zeros', seed: 35 },
];

/** Largest share of values allowed to differ from the reference. */
export const FAKE_QUANT_TOLERANCE = 0.001;

export interface FakeQuantSelfTestResult {
  name: string;
  elements: number;
  path: 'webgpu' | 'cpu-reference';
  /** Forward values whose float32 bits differ from the reference. */
  valuesDiffer: number;
  /** Gradients (dy · mask) whose float32 bits differ. */
  gradientsDiffer: number;
  /** Values the straight-through estimator blocks (clamped codes), in the reference. */
  clamped: number;
  gpuMs: number;
  cpuMs: number;
  passed: boolean;
  error?: string;
}

/** Runs one case: the forward and backward kernels (after a warm-up that compiles them) against the reference. */
export async function runFakeQuantSelfTestCase(compute: Compute, c: FakeQuantSelfTestCase): Promise<FakeQuantSelfTestResult> {
  const { tf } = compute;
  const elements = c.rows * c.cols;
  const base = { name: c.name, elements };
  try {
    const w = c.distribution === 'zeros' ? new Float32Array(elements) : syntheticMatrix({ distribution: c.distribution, rows: c.rows, cols: c.cols, seed: c.seed });
    const dy = syntheticMatrix({ distribution: 'normal', rows: c.rows, cols: c.cols, seed: c.seed + 100 });
    let t0 = performance.now();
    const want = fakeQuantizeWeight(w, [c.rows, c.cols], c);
    const wantGrad = Float32Array.from(dy, (d, i) => d * want.mask[i]);
    const cpuMs = performance.now() - t0;
    const webgpu = activeWebGPU(tf);
    if (!webgpu) {
      return { ...base, path: 'cpu-reference', valuesDiffer: 0, gradientsDiffer: 0, clamped: want.mask.reduce((a, m) => a + (1 - m), 0), gpuMs: NaN, cpuMs, passed: true };
    }
    const width = c.groupSize === -1 ? c.cols : c.groupSize;
    const x = tf.tensor2d(w, [c.rows, c.cols]);
    const g = tf.tensor2d(dy, [c.rows, c.cols]);
    try {
      tf.dispose([fakeQuantOnDevice(tf, webgpu, x, width, c), fakeQuantOnDevice(tf, webgpu, x, width, c, g)]); // compiles both
      t0 = performance.now();
      const y = fakeQuantOnDevice(tf, webgpu, x, width, c);
      const dx = fakeQuantOnDevice(tf, webgpu, x, width, c, g);
      const [got, gotGrad] = [(await y.data()) as Float32Array, (await dx.data()) as Float32Array];
      const gpuMs = performance.now() - t0;
      tf.dispose([y, dx]);
      const valuesDiffer = compareFloat32Bits(got, want.y).mismatches;
      const gradientsDiffer = compareFloat32Bits(gotGrad, wantGrad).mismatches;
      const passed = valuesDiffer <= FAKE_QUANT_TOLERANCE * elements && gradientsDiffer <= FAKE_QUANT_TOLERANCE * elements;
      return {
        ...base, path: 'webgpu', valuesDiffer, gradientsDiffer, clamped: want.mask.reduce((a, m) => a + (1 - m), 0), gpuMs, cpuMs, passed,
        error: passed ? undefined : `${valuesDiffer} values and ${gradientsDiffer} gradients differ`,
      };
    } finally {
      tf.dispose([x, g]);
    }
  } catch (e) {
    return { ...base, path: 'webgpu', valuesDiffer: NaN, gradientsDiffer: NaN, clamped: NaN, gpuMs: NaN, cpuMs: NaN, passed: false, error: errorMessage(e) };
  }
}
