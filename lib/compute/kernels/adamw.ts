/**
 * WGSL for one AdamW step of one parameter (lib/train/adamw.ts gives the formulas, torch.optim.AdamW's,
 * and the float64 twin `adamwStepReference`). As tf ops the step is about fifteen dispatches per
 * parameter; on an adapter where each dispatch costs about a millisecond (a GPU emulated on the CPU)
 * the optimizer of a LoRA step took a third of the step. Here it is three:
 *
 *   sumSquaresProgram      s = Σ g²                       (for the global gradient norm; one workgroup)
 *   adamwParamProgram      θ' = θ·d − stepSize · m' / (√v' / √(1 − β2ᵗ) + ε)
 *   adamwMomentsProgram    [m', v'] with m' = β1 m + (1 − β1) g̃,  v' = β2 v + (1 − β2) g̃²
 *
 * where g̃ = g · c (c the clipping coefficient, a one-value tensor, or 1) and d = 1 − lr·λ (or 1 without
 * decay). m and v travel as one tensor [2n] (m then v), so the moments are one output; the parameter's
 * kernel recomputes m' and v' from the old moments with the same float32 operations, in the same
 * order, so both kernels agree exactly. Run the parameter's kernel before the moments are replaced.
 */
import type { WebGPUProgram } from '@tensorflow/tfjs-backend-webgpu/dist/webgpu_program';

export const ADAMW_WORKGROUP = 64;
export const SUM_SQUARES_WORKGROUP = 256;

/** The step's constants, as uniforms: sizes and the scalars of the update for this t. */
export interface AdamWStepConstants {
  n: number;
  beta1: number;
  beta2: number;
  /** 1 − lr·λ with decay, else 1. */
  decayFactor: number;
  /** lr / (1 − β1ᵗ). */
  stepSize: number;
  /** √(1 − β2ᵗ). */
  bc2Sqrt: number;
  eps: number;
  /** Whether input `coef` scales the gradient (clipping). */
  clip: boolean;
}

const UNIFORMS = 'n : i32, beta1 : f32, beta2 : f32, decayFactor : f32, stepSize : f32, bc2Sqrt : f32, eps : f32, clip : i32,';

/** The uniforms of both update programs, in their declared order. */
export function adamwUniforms(c: AdamWStepConstants) {
  return [
    { type: 'int32', data: [c.n] },
    { type: 'float32', data: [c.beta1] },
    { type: 'float32', data: [c.beta2] },
    { type: 'float32', data: [c.decayFactor] },
    { type: 'float32', data: [c.stepSize] },
    { type: 'float32', data: [c.bc2Sqrt] },
    { type: 'float32', data: [c.eps] },
    { type: 'int32', data: [c.clip ? 1 : 0] },
  ];
}

/** WGSL: the clipped gradient and the new moments of element i (shared by both programs, so they agree). */
const MOMENTS = `
      fn moments(i : i32) -> vec3<f32> {
        var g = grad[i];
        if (uniforms.clip != 0) { g = g * coef[0]; }
        let m = uniforms.beta1 * mv[i] + (1.0 - uniforms.beta1) * g;
        let v = uniforms.beta2 * mv[uniforms.n + i] + (1.0 - uniforms.beta2) * (g * g);
        return vec3<f32>(g, m, v);
      }`;

const base = (n: number) => ({
  dispatchLayout: { x: [0] },
  dispatch: [Math.ceil(n / ADAMW_WORKGROUP), 1, 1] as [number, number, number],
  workgroupSize: [ADAMW_WORKGROUP, 1, 1] as [number, number, number],
  uniforms: UNIFORMS,
});

/** θ' [n] from param [n], grad [n], mv [2n] and coef [1]. */
export function adamwParamProgram(n: number): WebGPUProgram {
  return {
    ...base(n),
    variableNames: ['param', 'grad', 'mv', 'coef'],
    variableComponents: [1, 1, 1, 1],
    outputShape: [n],
    shaderKey: 'lowbit_adamw_param',
    getUserCode: () => `
      ${MOMENTS}
      fn main(index : i32) {
        if (index >= uniforms.n) { return; }
        let r = moments(index);
        let denom = sqrt(r.z) / uniforms.bc2Sqrt + uniforms.eps;
        setOutputAtIndex(index, param[index] * uniforms.decayFactor - (r.y / denom) * uniforms.stepSize);
      }
    `,
  };
}

/** [m', v'] [2n] from grad [n], mv [2n] and coef [1]. */
export function adamwMomentsProgram(n: number): WebGPUProgram {
  return {
    ...base(n),
    variableNames: ['grad', 'mv', 'coef'],
    variableComponents: [1, 1, 1],
    outputShape: [2 * n],
    shaderKey: 'lowbit_adamw_moments',
    getUserCode: () => `
      ${MOMENTS}
      fn main(index : i32) {
        if (index >= uniforms.n) { return; }
        let r = moments(index);
        setOutputAtIndex(index, r.y);
        setOutputAtIndex(uniforms.n + index, r.z);
      }
    `,
  };
}

/** Σ x² over x [n] into one value: one workgroup, each thread a strided share, then a tree in workgroup memory. Uniform n. */
export function sumSquaresProgram(): WebGPUProgram {
  const W = SUM_SQUARES_WORKGROUP;
  return {
    variableNames: ['x'],
    variableComponents: [1],
    outputShape: [1],
    shaderKey: 'lowbit_sum_squares',
    dispatchLayout: { x: [0] },
    dispatch: [1, 1, 1],
    workgroupSize: [W, 1, 1],
    uniforms: 'n : i32,',
    getUserCode: () => `
      var<workgroup> partial : array<f32, ${W}>;
      fn main(index : i32) {
        let lid = i32(localIndex);
        var s = 0.0;
        for (var i = lid; i < uniforms.n; i = i + ${W}) { let v = x[i]; s = s + v * v; }
        partial[lid] = s;
        workgroupBarrier();
        for (var stride = ${W / 2}; stride > 0; stride = stride / 2) {
          if (lid < stride) { partial[lid] = partial[lid] + partial[lid + stride]; }
          workgroupBarrier();
        }
        if (lid == 0) { setOutputAtIndex(0, partial[0]); }
      }
    `,
  };
}
