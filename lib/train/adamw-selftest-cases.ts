/**
 * The optimizer self-test's cases and result type (the runner, lib/train/adamw-selftest.ts, loads
 * with tfjs when the check runs; these stay light for the /gpu/ page's first load).
 */
export interface AdamWSelfTestCase {
  name: string;
  shapes: number[][];
  /** Which parameters take weight decay. */
  decay: boolean[];
  steps: number;
  maxNorm: number | null;
  seed: number;
}

export const ADAMW_SELF_TEST_CASES: readonly AdamWSelfTestCase[] = [
  { name: 'LoRA adapters A 8 × 128 and B 384 × 8, 3 steps, clipped at norm 1', shapes: [[8, 128], [384, 8]], decay: [true, true], steps: 3, maxNorm: 1, seed: 51 },
  { name: 'A weight 512 × 128 with decay and a bias of 512 without, 2 steps, no clipping', shapes: [[512, 128], [512]], decay: [true, false], steps: 2, maxNorm: null, seed: 52 },
];

export const ADAMW_TOLERANCE = 1e-5;

export interface AdamWSelfTestResult {
  name: string;
  elements: number;
  path: 'fused-webgpu' | 'tf-ops';
  relativeError: number;
  gpuMs: number;
  cpuMs: number;
  passed: boolean;
  error?: string;
}

