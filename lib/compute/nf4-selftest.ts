/**
 * Self-test of the NF4 + double-quantization dequantize kernel (kernels/nf4.ts) against the CPU
 * reference (lib/quant/qlora-weight.ts) on seeded weights: every dequantized value must be
 * bit-identical, and the device must hold the weight in about half a byte per weight. The
 * "Check your GPU" page shows it; the e2e suite asserts on it.
 */
import { dequantizeNF4Weight, quantizeNF4Weight } from '../quant/qlora-weight';
import { syntheticMatrix, type Distribution } from '../tensors/synthetic';
import type { Compute } from './index';
import { uploadNF4Weight } from './nf4-gpu';

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

/** Quantizes on the CPU, uploads, dequantizes on the GPU and compares with the CPU reference bit for bit. */
export async function runNF4SelfTestCase(compute: Compute, c: NF4SelfTestCase): Promise<NF4SelfTestResult> {
  const x = nf4SelfTestTensor(c);
  const w = quantizeNF4Weight(x, c.blockSize, c.dqBlockSize);
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
    const gpuBits = new Uint32Array(gpu.buffer, gpu.byteOffset, gpu.length);
    const cpuBits = new Uint32Array(cpu.buffer, cpu.byteOffset, cpu.length);
    let mismatches = 0, maxAbsDifference = 0;
    for (let i = 0; i < cpu.length; i++) {
      if (gpuBits[i] !== cpuBits[i]) mismatches++;
      maxAbsDifference = Math.max(maxAbsDifference, Math.abs(gpu[i] - cpu[i]));
    }
    const deviceBytes = device.measuredDeviceBytes;
    const expectedBytes = device.path === 'webgpu' ? device.layout.total + device.tableBytes + (w.absmax.absmax2.length === 0 ? 4 : 0) : 0;
    const passed = gpu.length === cpu.length && mismatches === 0 && deviceBytes === expectedBytes;
    return {
      name: c.name, elements: x.length, path: device.path, mismatches, maxAbsDifference, deviceBytes,
      bytesPerWeight: deviceBytes / x.length, gpuMs, cpuMs, passed,
      error: passed || deviceBytes === expectedBytes ? undefined : `the device holds ${deviceBytes} bytes, ${expectedBytes} expected`,
    };
  } catch (e) {
    return {
      name: c.name, elements: x.length, path: device.path, mismatches: NaN, maxAbsDifference: NaN, deviceBytes: NaN,
      bytesPerWeight: NaN, gpuMs: NaN, cpuMs: NaN, passed: false, error: e instanceof Error ? e.message : String(e),
    };
  } finally {
    device.dispose();
  }
}
