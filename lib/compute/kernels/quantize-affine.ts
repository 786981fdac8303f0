/**
 * WGSL kernel: per-tensor affine quantization, q = clamp(zp + round(x * invScale), qmin, qmax),
 * written as int32 codes. WGSL's `round` rounds half to even and f32 multiplication is correctly
 * rounded, so the codes equal the CPU reference (lib/quant/affine `quantizeAffine`, PyTorch
 * semantics per ../shared/NUMERICS.md) bit for bit. NaN inputs give the zero point.
 */
import type { WebGPUProgram } from '@tensorflow/tfjs-backend-webgpu/dist/webgpu_program';

export const QUANTIZE_WORKGROUP = 64;
/** Elements each thread quantizes, contiguously. */
export const QUANTIZE_ELEMENTS_PER_THREAD = 4;

export function quantizeAffineProgram(n: number): WebGPUProgram {
  const threads = Math.ceil(n / QUANTIZE_ELEMENTS_PER_THREAD);
  return {
    variableNames: ['x'],
    outputShape: [n],
    shaderKey: 'lowbit_quantize_affine',
    dispatchLayout: { x: [0] },
    dispatch: [Math.ceil(threads / QUANTIZE_WORKGROUP), 1, 1],
    workgroupSize: [QUANTIZE_WORKGROUP, 1, 1],
    size: true,
    uniforms: 'invScale : f32, zeroPoint : f32, qmin : f32, qmax : f32,',
    getUserCode: () => `
      fn main(index : i32) {
        let start = index * ${QUANTIZE_ELEMENTS_PER_THREAD};
        for (var k = 0; k < ${QUANTIZE_ELEMENTS_PER_THREAD}; k = k + 1) {
          let i = start + k;
          if (i < uniforms.size) {
            let v = x[i];
            var q = uniforms.zeroPoint;
            if (!isnan(v)) {
              q = clamp(uniforms.zeroPoint + round(v * uniforms.invScale), uniforms.qmin, uniforms.qmax);
            }
            setOutputAtIndexI32(i, i32(q));
          }
        }
      }
    `,
  };
}
