/**
 * Self-test of the NF4 + double-quantization dequantize kernel (kernels/nf4.ts) against the CPU
 * reference (lib/quant/qlora-weight.ts) on seeded weights: every dequantized value must be
 * bit-identical, and the device must hold the weight in about half a byte per weight. The
 * "Check your GPU" page shows it; the e2e suite asserts on it.
 */
import { compareFloat32Bits } from './bit-compare';
import { dequantizeNF4Weight, quantizeNF4Weight, type NF4Weight } from '../quant/qlora-weight';
import { syntheticMatrix, type Distribution } from '../tensors/synthetic';
import type { Compute } from './index';
import { uploadNF4Weight } from './nf4-gpu';
import { errorMessage } from '../errors';

export interface NF4SelfTestCase {
  name: string;
  rows: number;
  cols: number;
  distribution: Distribution | 'zeros';
  seed: number;
  blockSize: number;
  dqBlockSize: number;
}

/** The cases: QLoRA's defaults at 1M weights, partial words and blocks, several DQ blocks, large and small blocks, zeros. */
export const NF4_SELF_TEST_CASES: readonly NF4SelfTestCase[] = [
  { name: 'NF4 + DQ, blocks of 64, 1024 × 1024', rows: 1024, cols: 1024, distribution: 'normal', seed: 11, blockSize: 64, dqBlockSize: 256 },
  { name: 'Partial word and block, 3 DQ blocks (301 × 167)', rows: 301, cols: 167, distribution: 'laplace', seed: 12, blockSize: 64, dqBlockSize: 256 },
  { name: 'Outlier columns, blocks of 4096', rows: 512, cols: 512, distribution: 'outliers', seed: 13, blockSize: 4096, dqBlockSize: 256 },
  { name: 'Blocks of 32, uniform weights', rows: 256, cols: 96, distribution: 'uniform', seed: 14, blockSize: 32, dqBlockSize: 256 },
  { name: 'Five weights (less than one word)', rows: 1, cols: 5, distribution: 'normal', seed: 15, blockSize: 64, dqBlockSize: 256 },
  { name: 'All-zero weight', rows: 10, cols: 100, distribution: 'zeros', seed: 16, blockSize: 64, dqBlockSize: 256 },
];

export interface NF4SelfTestResult {
  name: string;
  elements: number;
  path: 'webgpu' | 'cpu-reference';
  /** Values whose float32 bits differ between the kernel and the reference. */
  mismatches: number;
  maxAbsDifference: number;
  /** Bytes the backend accounts for the uploaded weight (tf.memory), tables included. */
  deviceBytes: number;
  bytesPerWeight: number;
  gpuMs: number;
  cpuMs: number;
  passed: boolean;
  error?: string;
}

/** The weights of a case, deterministic by its seed. */
export function nf4SelfTestTensor(c: NF4SelfTestCase): Float32Array {
  if (c.distribution === 'zeros') return new Float32Array(c.rows * c.cols);
  return syntheticMatrix({ distribution: c.distribution, rows: c.rows, cols: c.cols, seed: c.seed });
}

export interface NF4DeviceCheck {
  path: 'webgpu' | 'cpu-reference';
  /** Values whose float32 bits differ between the kernel and the reference. */
  mismatches: number;
  maxAbsDifference: number;
  /** Bytes the backend accounts for the uploaded weight (tf.memory), tables included; 0 off the GPU. */
  deviceBytes: number;
  /** What the layout says the device should hold (nf4DeviceLayout plus the tables); 0 off the GPU. */
  expectedDeviceBytes: number;
  gpuMs: number;
  cpuMs: number;
}

/** Uploads a quantized weight, dequantizes it with the kernel and compares with the CPU reference bit for bit. */
export async function checkNF4OnDevice(compute: Compute, w: NF4Weight): Promise<NF4DeviceCheck> {
  const device = uploadNF4Weight(compute, w);
  try {
    device.dequantize().dispose(); // warm-up: compiles the kernel
    let t0 = performance.now();
    const t = device.dequantize();
    const gpu = (await t.data()) as Float32Array;
    const gpuMs = performance.now() - t0;
    t.dispose();
    t0 = performance.now();
    const cpu = dequantizeNF4Weight(w);
    const cpuMs = performance.now() - t0;
    const { mismatches, maxAbsDifference } = compareFloat32Bits(gpu, cpu);
    const expectedDeviceBytes = device.path === 'webgpu' ? device.layout.total + device.tableBytes : 0;
    return { path: device.path, mismatches, maxAbsDifference, deviceBytes: device.measuredDeviceBytes, expectedDeviceBytes, gpuMs, cpuMs };
  } finally {
    device.dispose();
  }
}

/** Runs one case: quantizes on the CPU, then checkNF4OnDevice. */
export async function runNF4SelfTestCase(compute: Compute, c: NF4SelfTestCase): Promise<NF4SelfTestResult> {
  const x = nf4SelfTestTensor(c);
  try {
    const r = await checkNF4OnDevice(compute, quantizeNF4Weight(x, c.blockSize, c.dqBlockSize));
    const bytesOk = r.deviceBytes === r.expectedDeviceBytes;
    const passed = r.mismatches === 0 && bytesOk;
    return {
      name: c.name, elements: x.length, ...r, bytesPerWeight: r.deviceBytes / x.length, passed,
      error: bytesOk ? undefined : `the device holds ${r.deviceBytes} bytes, ${r.expectedDeviceBytes} expected`,
    };
  } catch (e) {
    return {
      name: c.name, elements: x.length, path: compute.webgpu ? 'webgpu' : 'cpu-reference', mismatches: NaN, maxAbsDifference: NaN,
      deviceBytes: NaN, bytesPerWeight: NaN, gpuMs: NaN, cpuMs: NaN, passed: false, error: errorMessage(e),
    };
  }
}
