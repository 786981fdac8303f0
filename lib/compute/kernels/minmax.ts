/**
 * WGSL kernel: finite min, finite max and the count of NaN/Inf entries of a float32 tensor, as
 * per-thread partials. Each thread scans one contiguous chunk (contiguous work per thread is the
 * faster access pattern on the CPU-emulated adapter); the few thousand partials are then folded
 * on the CPU by `foldMinMaxPartials`. CPU reference: lib/quant/affine `finiteMinMax`.
 */
import type { WebGPUProgram } from '@tensorflow/tfjs-backend-webgpu/dist/webgpu_program';

export const MINMAX_WORKGROUP = 64;

/** The partials kernel over `threads` contiguous chunks (uniforms: n, chunk, threads); output [3 * threads]. */
export function minMaxPartialsProgram(threads: number): WebGPUProgram {
  return {
    variableNames: ['x'],
    outputShape: [threads * 3],
    shaderKey: `lowbit_minmax_partials`,
    dispatchLayout: { x: [0] },
    dispatch: [Math.ceil(threads / MINMAX_WORKGROUP), 1, 1],
    workgroupSize: [MINMAX_WORKGROUP, 1, 1],
    uniforms: 'n : i32, chunk : i32, threads : i32,',
    getUserCode: () => `
      fn isFiniteF32(v : f32) -> bool {
        return (bitcast<u32>(v) & 0x7fffffffu) < 0x7f800000u;
      }
      fn main(index : i32) {
        if (index >= uniforms.threads) { return; }
        let start = index * uniforms.chunk;
        let end = min(start + uniforms.chunk, uniforms.n);
        var lo = uniforms.INFINITY;
        var hi = -uniforms.INFINITY;
        var bad = 0.0;
        for (var i = start; i < end; i = i + 1) {
          let v = x[i];
          if (isFiniteF32(v)) {
            lo = min(lo, v);
            hi = max(hi, v);
          } else {
            bad = bad + 1.0;
          }
        }
        setOutputAtIndex(index * 3, lo);
        setOutputAtIndex(index * 3 + 1, hi);
        setOutputAtIndex(index * 3 + 2, bad);
      }
    `,
  };
}

/** Threads for a min/max pass: about 256 elements each, at least one, at most 16384. */
export function minMaxThreads(n: number): number {
  return Math.max(1, Math.min(16384, Math.ceil(n / 256)));
}

/** Folds [min, max, nonFinite] triples into the tensor's finite min and max (0, 0 when none). */
export function foldMinMaxPartials(partials: Float32Array): { min: number; max: number; nonFinite: number } {
  let min = Infinity, max = -Infinity, nonFinite = 0;
  for (let i = 0; i + 2 < partials.length; i += 3) {
    if (partials[i] < min) min = partials[i];
    if (partials[i + 1] > max) max = partials[i + 1];
    nonFinite += partials[i + 2];
  }
  return min > max ? { min: 0, max: 0, nonFinite } : { min, max, nonFinite };
}
