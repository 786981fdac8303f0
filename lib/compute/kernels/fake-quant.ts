/**
 * WGSL kernels for quantization-aware training's weight fake quantization (lib/train/fake-quant.ts
 * fakeQuantWeight): one thread per slice (a row, or a group of a row), which finds the slice's
 * min/max, its scale and zero point, and writes every value — one dispatch instead of a chain of a
 * dozen tfjs ops. The backward kernel recomputes the same grid and writes dy where the code was not
 * clamped (the straight-through estimator). CPU reference: lib/quant/qat.ts fakeQuantizeWeight
 * (affine.ts computeQParams, fake-quantize.ts fakeQuantize); docs/numerics.md
 * "Quantization-aware training".
 */
import type { WebGPUProgram } from '@tensorflow/tfjs-backend-webgpu/dist/webgpu_program';

export const FAKE_QUANT_WORKGROUP = 64;

/** The grid of one slice, as computeQParams: [lo, hi] widened to hold 0, then scale and zero point. */
const GRID = `
      fn sliceGrid(first : i32) -> vec3<f32> {
        var lo = 0.0;
        var hi = 0.0;
        for (var j = 0; j < uniforms.width; j = j + 1) {
          let v = x[first + j];
          lo = min(lo, v);
          hi = max(hi, v);
        }
        let qmin = f32(uniforms.qmin);
        let qmax = f32(uniforms.qmax);
        var scale : f32;
        var zp : f32;
        if (uniforms.symmetric != 0) {
          scale = max(max(-lo, hi) / ((qmax - qmin) / 2.0), ${2 ** -23});
          zp = 0.0;
        } else {
          scale = max((hi - lo) / (qmax - qmin), ${2 ** -23});
          zp = clamp(qmin - round(lo / scale), qmin, qmax);
        }
        return vec3<f32>(scale, zp, 1.0 / scale);
      }
`;

const UNIFORMS = 'slices : i32, width : i32, qmin : i32, qmax : i32, symmetric : i32,';

/** A program with one thread per slice: `body` runs with `first` (the slice's first index) and `g` (scale, zp, 1/scale). */
function sliceProgram(shaderKey: string, variableNames: string[], n: number, slices: number, body: string): WebGPUProgram {
  return {
    variableNames,
    outputShape: [n],
    shaderKey,
    dispatchLayout: { x: [0] },
    dispatch: [Math.ceil(slices / FAKE_QUANT_WORKGROUP), 1, 1],
    workgroupSize: [FAKE_QUANT_WORKGROUP, 1, 1],
    uniforms: UNIFORMS,
    getUserCode: () => `${GRID}
      fn main(index : i32) {
        if (index >= uniforms.slices) { return; }
        let first = index * uniforms.width;
        let g = sliceGrid(first);
        for (var j = 0; j < uniforms.width; j = j + 1) {${body}
        }
      }
    `,
  };
}

/** Forward: y = (clamp(zp + round(x · (1/scale)), qmin, qmax) − zp) · scale per slice of `width` values. Inputs: x. */
export function fakeQuantForwardProgram(n: number, slices: number): WebGPUProgram {
  return sliceProgram('lowbit_fake_quant_forward', ['x'], n, slices, `
          let code = clamp(g.y + round(x[first + j] * g.z), f32(uniforms.qmin), f32(uniforms.qmax));
          setOutputAtIndex(first + j, (code - g.y) * g.x);`);
}

/** Backward: dx = dy where qmin ≤ zp + round(x · (1/scale)) ≤ qmax, else 0. Inputs: x, dy. */
export function fakeQuantBackwardProgram(n: number, slices: number): WebGPUProgram {
  return sliceProgram('lowbit_fake_quant_backward', ['x', 'dy'], n, slices, `
          let code = g.y + round(x[first + j] * g.z);
          let inside = code >= f32(uniforms.qmin) && code <= f32(uniforms.qmax);
          // dy · mask, as the ops path multiplies (a negative dy times 0 is −0).
          setOutputAtIndex(first + j, dy[first + j] * select(0.0, 1.0, inside));`);
}
