/**
 * The fused batch kernels' self-test cases and result type (the runner, batch-ops-selftest.ts, loads
 * with tfjs when the check runs; these stay light for the /gpu/ page's first load).
 */
export type BatchOpsSelfTestCase =
  | { kind: 'attention'; name: string; B: number; T: number; H: number; hd: number; seed: number }
  | { kind: 'gelu'; name: string; gelu: 'erf' | 'tanh'; rows: number; cols: number; spread: number; seed: number }
  | { kind: 'layer-norm'; name: string; rows: number; C: number; trainParams: boolean; seed: number }
  | { kind: 'model'; name: string; gelu: 'gelu' | 'gelu_new'; B: number; T: number; seed: number };

export const BATCH_OPS_SELF_TEST_CASES: readonly BatchOpsSelfTestCase[] = [
  { kind: 'attention', name: 'Causal attention as the tiny model trains it: 8 windows of 64, 4 heads of 32, output and dqkv', B: 8, T: 64, H: 4, hd: 32, seed: 61 },
  { kind: 'attention', name: 'Causal attention with GPT-2’s head width: 1 window of 40, 2 heads of 64', B: 1, T: 40, H: 2, hd: 64, seed: 62 },
  { kind: 'gelu', name: 'Exact GELU and its derivative on 512 × 512 values in ±12', gelu: 'erf', rows: 512, cols: 512, spread: 12, seed: 63 },
  { kind: 'gelu', name: 'GPT-2’s tanh GELU and its derivative on values in ±40 (tanh saturates, never NaN)', gelu: 'tanh', rows: 64, cols: 96, spread: 40, seed: 64 },
  { kind: 'layer-norm', name: 'Layer norm of 512 rows of 128 with a frozen γ and β: output and dx', rows: 512, C: 128, trainParams: false, seed: 65 },
  { kind: 'layer-norm', name: 'Layer norm of 100 rows of 96, γ and β trained: output, dx, dγ and dβ', rows: 100, C: 96, trainParams: true, seed: 66 },
  { kind: 'model', name: 'A 2-layer model, every weight trained (GPT-2’s GELU), 4 windows of 24: logits and every weight’s gradient, fused against the same model on tfjs ops', gelu: 'gelu_new', B: 4, T: 24, seed: 67 },
];

/**
 * Largest difference over the largest |reference value|, per output, that passes. The reference is
 * the float64 twin, or for the whole model the same model on tfjs ops (float32 in another order).
 */
export const BATCH_OPS_TOLERANCE = 1e-5;

export interface BatchOpsSelfTestResult {
  name: string;
  elements: number;
  path: 'fused-webgpu';
  /** The worst of the outputs' relative differences (forward and gradients). */
  relativeError: number;
  /** Dispatches the fused op made, forward and backward. */
  dispatches: number | null;
  /** The fused op's run (value and gradients). */
  gpuMs: number;
  /** The reference's: the float64 twin on the CPU, or the model on tfjs ops. */
  cpuMs: number;
  passed: boolean;
  error?: string;
}
