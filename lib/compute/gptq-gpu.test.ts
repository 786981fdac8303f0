import { describe, expect, it } from 'vitest';
import { gptq, gptqHessian } from '../quant/gptq';
import { syntheticMatrix } from '../tensors/synthetic';
import { gptqOnDevice, methodPathLabel } from './gptq-gpu';
import { getCompute, type Compute } from './index';
import { GPTQ_GPU_MAX_BLOCK, gptqColumnsProgram, gptqRowStride } from './kernels/gptq';

const w = syntheticMatrix({ distribution: 'normal', rows: 6, cols: 16, seed: 1 });
const h = gptqHessian(syntheticMatrix({ distribution: 'laplace', rows: 32, cols: 16, seed: 2 }), [32, 16]);

describe('gptqOnDevice', () => {
  it('without WebGPU runs the CPU reference and says so', async () => {
    const compute = await getCompute();
    const r = await gptqOnDevice(compute, w, [6, 16], h, { bits: 3, groupSize: 8 });
    expect(r.path).toBe('cpu-reference');
    expect(r.q).toEqual(gptq(w, [6, 16], h, { bits: 3, groupSize: 8 }).q);
  });

  it('checks the options, and the kernel’s largest block, before touching the GPU', async () => {
    const fake = { ...(await getCompute()), webgpu: { runWebGPUProgram: () => { throw new Error('must not run'); } } } as unknown as Compute;
    await expect(gptqOnDevice(fake, w, [6, 16], h, { bits: 4, blockSize: GPTQ_GPU_MAX_BLOCK + 1 })).rejects.toThrow(/blocks of up to 256/);
    await expect(gptqOnDevice(fake, w, [6, 16], h, { bits: 9 })).rejects.toThrow(RangeError);
  });
});

describe('gptqColumnsProgram', () => {
  it('lays out a row as codes, scales, zero points and the loss, one thread per row, one pipeline per block size', () => {
    expect(gptqRowStride(512, 8)).toBe(512 + 16 + 1);
    const p = gptqColumnsProgram(130, 512, 8, 128);
    expect(p.outputShape).toEqual([130 * 529]);
    expect(p.dispatch).toEqual([3, 1, 1]);
    expect(p.shaderKey).toBe('lowbit_gptq_columns_128');
    expect(gptqColumnsProgram(7, 64, 1, 32).shaderKey).toBe('lowbit_gptq_columns_32');
    expect(p.getUserCode()).toContain('array<f32, 128>');
  });

  it('labels where a method ran for learners', () => {
    expect(['webgpu', 'webgl', 'cpu', 'cpu-reference'].map((p) => methodPathLabel(p as never))).toEqual(['WebGPU', 'WebGL', 'tfjs CPU', 'CPU reference']);
  });
});
