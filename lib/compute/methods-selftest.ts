/**
 * Self-test of GPTQ's and AWQ's GPU paths (gptq-gpu.ts, awq-gpu.ts) against lib/quant's CPU
 * references on seeded layers: a weight, calibration inputs X with a few large input channels (the
 * outliers these methods are about) and GPTQ's Hessian (2/n)XᵀX from them. The GPU paths compute in
 * float32 and the references in float64, so the check is not bit for bit: a case passes when at most
 * METHODS_TOLERANCE.codeShare of the weights land on another grid point, GPTQ's proxy loss
 * tr((W − Q)H(W − Q)ᵀ) agrees within METHODS_TOLERANCE.lossRatio, and AWQ picks the same α with an
 * α curve that agrees within METHODS_TOLERANCE.curve. The "Check your GPU" page shows it; the e2e
 * suite asserts on it.
 */
import { errorMessage } from '../errors';
import { awq } from '../quant/awq';
import { gptq, gptqHessian, gptqProxyLoss } from '../quant/gptq';
import { syntheticMatrix } from '../tensors/synthetic';
import { awqOnDevice } from './awq-gpu';
import { gptqOnDevice, type MethodPath } from './gptq-gpu';
import type { Compute } from './index';

export interface MethodsSelfTestCase {
  name: string;
  method: 'gptq' | 'awq';
  rows: number;
  cols: number;
  /** Calibration tokens (rows of X). */
  tokens: number;
  bits: number;
  groupSize: number;
  seed: number;
  actOrder?: boolean;
  symmetric?: boolean;
  blockSize?: number;
  /** Input channels with no activation at all (GPTQ's dead columns). */
  deadColumns?: number[];
  grid?: number;
}

/** The cases: the tiny model's layer shapes at 4 and 3 bits, act-order, symmetric grids, odd block sizes, dead columns. */
export const METHODS_SELF_TEST_CASES: readonly MethodsSelfTestCase[] = [
  { name: 'GPTQ 4-bit, group 64, 128 × 512 (as mlp.c_proj)', method: 'gptq', rows: 128, cols: 512, tokens: 512, bits: 4, groupSize: 64, seed: 21 },
  { name: 'GPTQ 3-bit per row, act-order, 384 × 128 (as attn.c_attn)', method: 'gptq', rows: 384, cols: 128, tokens: 256, bits: 3, groupSize: -1, seed: 22, actOrder: true },
  { name: 'GPTQ 4-bit symmetric, group 128, blocks of 32', method: 'gptq', rows: 64, cols: 256, tokens: 256, bits: 4, groupSize: 128, seed: 23, symmetric: true, blockSize: 32 },
  { name: 'GPTQ 2-bit, group 25, blocks of 48, dead columns', method: 'gptq', rows: 40, cols: 100, tokens: 200, bits: 2, groupSize: 25, seed: 24, blockSize: 48, deadColumns: [3, 50, 99] },
  { name: 'AWQ 4-bit, group 64, 512 × 128 (as mlp.c_fc)', method: 'awq', rows: 512, cols: 128, tokens: 256, bits: 4, groupSize: 64, seed: 25 },
  { name: 'AWQ 3-bit, group 128, 128 × 512 (as mlp.c_proj)', method: 'awq', rows: 128, cols: 512, tokens: 256, bits: 3, groupSize: 128, seed: 26 },
  { name: 'AWQ 4-bit per row, grid of 10', method: 'awq', rows: 96, cols: 160, tokens: 100, bits: 4, groupSize: -1, seed: 27, grid: 10 },
];

/** How far the float32 GPU paths may stray from the float64 references. */
export const METHODS_TOLERANCE = {
  /** Share of weights that may land on another grid point. */
  codeShare: 0.01,
  /** |GPU proxy loss / CPU proxy loss − 1| at most this (GPTQ). */
  lossRatio: 0.01,
  /** Largest |GPU error − CPU error| / CPU error over AWQ's α curve. */
  curve: 1e-3,
} as const;

export interface MethodsSelfTestResult {
  name: string;
  method: 'gptq' | 'awq';
  elements: number;
  path: MethodPath;
  /** Weights whose dequantized values differ by more than float32 noise (another grid point). */
  codesDiffer: number;
  /** GPTQ: GPU proxy loss / CPU proxy loss; AWQ: GPU error / CPU error at the chosen α. */
  lossRatio: number;
  /** AWQ: largest relative difference over the α curve (NaN for GPTQ). */
  curveDifference: number;
  /** AWQ: the α each side chose, "GPU / CPU" (empty for GPTQ). */
  alphas: string;
  gpuMs: number;
  cpuMs: number;
  passed: boolean;
  error?: string;
}

/** A case's weight, calibration inputs (a few channels 10–30× larger, dead columns zero) and, for GPTQ, Hessian. */
export function methodsSelfTestLayer(c: MethodsSelfTestCase): { w: Float32Array; x: Float32Array; hessian: Float64Array } {
  const w = syntheticMatrix({ distribution: 'normal', rows: c.rows, cols: c.cols, seed: c.seed });
  const x = syntheticMatrix({ distribution: 'laplace', rows: c.tokens, cols: c.cols, seed: c.seed + 1000 });
  const loud = [1, Math.floor(c.cols / 3), c.cols - 2];
  for (let t = 0; t < c.tokens; t++) {
    loud.forEach((j, i) => { x[t * c.cols + j] *= 10 + 10 * i; });
    for (const j of c.deadColumns ?? []) x[t * c.cols + j] = 0;
  }
  return { w, x, hessian: gptqHessian(x, [c.tokens, c.cols]) };
}

/** Weights that differ by more than float32 noise relative to the weight's largest magnitude. */
function countDiffering(got: Float32Array, want: Float32Array, w: Float32Array): number {
  let scale = 0;
  for (const v of w) scale = Math.max(scale, Math.abs(v));
  const tol = 1e-5 * scale;
  let n = 0;
  for (let i = 0; i < want.length; i++) if (!(Math.abs(got[i] - want[i]) <= tol)) n++;
  return n;
}

/** passed when no fault is named; else the faults, joined, as the error. */
function verdict(faults: (string | false)[]): { passed: boolean; error?: string } {
  const named = faults.filter((f): f is string => !!f);
  return named.length ? { passed: false, error: named.join('; ') } : { passed: true };
}

async function timed<T>(f: () => Promise<T> | T): Promise<[T, number]> {
  const t0 = performance.now();
  const r = await f();
  return [r, performance.now() - t0];
}

/** Runs one case: the GPU path (after a warm-up run that compiles its kernels) and the CPU reference, compared. */
export async function runMethodsSelfTestCase(compute: Compute, c: MethodsSelfTestCase): Promise<MethodsSelfTestResult> {
  const elements = c.rows * c.cols;
  const base = { name: c.name, method: c.method, elements };
  try {
    const { w, x, hessian } = methodsSelfTestLayer(c);
    const shape: [number, number] = [c.rows, c.cols];
    if (c.method === 'gptq') {
      const o = { bits: c.bits, groupSize: c.groupSize, actOrder: c.actOrder, symmetric: c.symmetric, blockSize: c.blockSize };
      await gptqOnDevice(compute, w, shape, hessian, o);
      const [gpu, gpuMs] = await timed(() => gptqOnDevice(compute, w, shape, hessian, o));
      const [cpu, cpuMs] = await timed(() => gptq(w, shape, hessian, o));
      let codesDiffer = 0;
      for (let i = 0; i < elements; i++) if (gpu.q[i] !== cpu.q[i]) codesDiffer++;
      const lossRatio = gptqProxyLoss(w, gpu.weight, shape, hessian) / gptqProxyLoss(w, cpu.weight, shape, hessian);
      const faults = [
        codesDiffer > METHODS_TOLERANCE.codeShare * elements && `${codesDiffer} codes differ`,
        !(Math.abs(lossRatio - 1) <= METHODS_TOLERANCE.lossRatio) && `proxy loss ratio ${lossRatio.toFixed(4)}`,
      ];
      return { ...base, path: gpu.path, codesDiffer, lossRatio, curveDifference: NaN, alphas: '', gpuMs, cpuMs, ...verdict(faults) };
    }
    const xShape: [number, number] = [c.tokens, c.cols];
    const o = { bits: c.bits, groupSize: c.groupSize, grid: c.grid };
    await awqOnDevice(compute, w, shape, x, xShape, o);
    const [gpu, gpuMs] = await timed(() => awqOnDevice(compute, w, shape, x, xShape, o));
    const [cpu, cpuMs] = await timed(() => awq(w, shape, x, xShape, o));
    let curveDifference = 0;
    cpu.losses.forEach((l, k) => { curveDifference = Math.max(curveDifference, Math.abs(gpu.losses[k] - l) / l); });
    const codesDiffer = countDiffering(gpu.weight, cpu.weight, w);
    const faults = [
      gpu.alpha !== cpu.alpha && `α ${gpu.alpha} on the GPU, ${cpu.alpha} on the CPU`,
      !(curveDifference <= METHODS_TOLERANCE.curve) && `α curves differ by ${curveDifference.toExponential(1)}`,
      codesDiffer > METHODS_TOLERANCE.codeShare * elements && `${codesDiffer} weights differ`,
    ];
    return { ...base, path: gpu.path, codesDiffer, lossRatio: gpu.error / cpu.error, curveDifference, alphas: `${gpu.alpha} / ${cpu.alpha}`, gpuMs, cpuMs, ...verdict(faults) };
  } catch (e) {
    return { ...base, path: compute.webgpu ? 'webgpu' : 'cpu-reference', codesDiffer: NaN, lossRatio: NaN, curveDifference: NaN, alphas: '', gpuMs: NaN, cpuMs: NaN, passed: false, error: errorMessage(e) };
  }
}
