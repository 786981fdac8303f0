/**
 * GPTQ with its column loop on the GPU: lib/quant/gptq.ts's set-up on the CPU (grids without
 * groups, dead columns, act-order, dampening, the Cholesky factor of H⁻¹: float64, O(cols³) once
 * per layer), then the loop — every column quantized and its error fed back, lazy block by lazy
 * block — in the WGSL kernel of kernels/gptq.ts (float32, one thread per row), then the codes put
 * back in the original column order (`gptqAssemble`). Without WebGPU the CPU reference runs.
 *
 * The kernel computes in float32 where the reference runs float64 here (and float32 in PyTorch), so
 * a code can differ where w/scale falls within float32 rounding of a half step, and the error fed
 * back then differs slightly for the row's later columns; the "Check your GPU" page measures how
 * often (lib/compute/methods-selftest.ts).
 */
import { gptq, gptqAssemble, gptqPrepare, type GptqOptions, type GptqResult } from '../quant/gptq';
import { BACKEND_LABELS, type BackendName } from './backend-choice';
import type { Compute } from './index';
import { GPTQ_GPU_MAX_BLOCK, gptqColumnsProgram, gptqRowStride } from './kernels/gptq';
import type { Tensor1D } from '@tensorflow/tfjs-core';

/** Where a method's heavy part ran: a tfjs backend, or lib/quant's plain TypeScript reference. */
export type MethodPath = BackendName | 'cpu-reference';

/** A MethodPath for learners: 'WebGPU', 'WebGL', 'tfjs CPU' or 'CPU reference'. */
export function methodPathLabel(path: MethodPath): string {
  return path === 'cpu-reference' ? 'CPU reference' : path === 'cpu' ? 'tfjs CPU' : BACKEND_LABELS[path];
}

export interface GptqDeviceResult extends GptqResult {
  /** 'webgpu': the WGSL kernel ran the column loop; 'cpu-reference': lib/quant's gptq ran. */
  path: MethodPath;
}

/**
 * GPTQ on one weight (see lib/quant/gptq.ts `gptq` for the rules and options), its column loop on
 * the GPU when WebGPU is active. Throws what `gptq` throws, and a RangeError for a blockSize above
 * GPTQ_GPU_MAX_BLOCK on WebGPU.
 */
export async function gptqOnDevice(compute: Compute, w: ArrayLike<number>, shape: [number, number], hessian: ArrayLike<number>, o: GptqOptions): Promise<GptqDeviceResult> {
  const { tf, webgpu } = compute;
  if (!webgpu) return { ...gptq(w, shape, hessian, o), path: 'cpu-reference' };
  const p = gptqPrepare(w, shape, hessian, o);
  if (p.blockSize > GPTQ_GPU_MAX_BLOCK) throw new RangeError(`The GPU's GPTQ kernel holds blocks of up to ${GPTQ_GPU_MAX_BLOCK} columns, got ${p.blockSize}.`);
  const { rows, cols, groups } = p;
  const stride = gptqRowStride(cols, groups);
  const rowGrid = new Float32Array(rows * 2);
  for (let r = 0; r < rows; r++) {
    rowGrid[2 * r] = p.rowScale[r];
    rowGrid[2 * r + 1] = p.rowZero[r];
  }
  const inputs = [tf.tensor1d(Float32Array.from(p.W)), tf.tensor1d(Float32Array.from(p.Hinv)), tf.tensor1d(rowGrid)];
  let out: Float32Array;
  try {
    const info = webgpu.runWebGPUProgram(gptqColumnsProgram(rows, cols, groups, p.blockSize), inputs, 'float32', [
      { type: 'int32', data: [rows] },
      { type: 'int32', data: [cols] },
      { type: 'int32', data: [p.groupSize === -1 ? 0 : p.groupSize] },
      { type: 'int32', data: [groups] },
      { type: 'int32', data: [stride] },
      { type: 'float32', data: [2 ** p.bits - 1] },
      { type: 'int32', data: [p.symmetric ? 1 : 0] },
    ]);
    const t = tf.engine().makeTensorFromTensorInfo(info) as Tensor1D;
    try {
      out = (await t.data()) as Float32Array;
    } finally {
      t.dispose();
    }
  } finally {
    for (const x of inputs) x.dispose();
  }
  const qPerm = new Int32Array(rows * cols);
  const scale = new Float64Array(rows * groups);
  const zero = new Float64Array(rows * groups);
  let loss = 0;
  for (let r = 0; r < rows; r++) {
    const b = r * stride;
    for (let c = 0; c < cols; c++) qPerm[r * cols + c] = out[b + c];
    for (let g = 0; g < groups; g++) {
      scale[r * groups + g] = out[b + cols + g];
      zero[r * groups + g] = out[b + cols + groups + g];
    }
    loss += out[b + stride - 1];
  }
  return { ...gptqAssemble(p, qPerm, scale, zero, loss), path: 'webgpu' };
}
