import * as tf from '@tensorflow/tfjs-core';
import type { KernelFunc, TensorInfo } from '@tensorflow/tfjs-core';
import { afterEach, describe, expect, it } from 'vitest';
import { mulberry32 } from '../random';
import { installVec4MatMul, matMulReference, uninstallVec4MatMul, vec4MatMulInstalled, vec4MatMulPlan } from './matmul-vec4';
import { matMulVec4Program, matMulVec4Threads } from './kernels/matmul-vec4';

describe('vec4MatMulPlan', () => {
  it('covers x Wᵀ with K % 4 = 0 as nt, and products with an untransposed B and N % 4 = 0 as nn / tn', () => {
    expect(vec4MatMulPlan([512, 128], [384, 128], false, true)).toEqual({ variant: 'nt', M: 512, N: 384, K: 128, batch: 1, aBatch: 512 * 128, bBatch: 384 * 128, outShape: [512, 384] });
    expect(vec4MatMulPlan([512, 384], [384, 128], false, false)).toMatchObject({ variant: 'nn', M: 512, N: 128, K: 384, outShape: [512, 128] });
    expect(vec4MatMulPlan([512, 384], [512, 128], true, false)).toMatchObject({ variant: 'tn', M: 384, N: 128, K: 512, outShape: [384, 128] });
  });

  it('leaves to tfjs what the kernels do not cover', () => {
    expect(vec4MatMulPlan([512, 63], [128, 63], false, true)).toBeNull(); // K = 63 with B transposed
    expect(vec4MatMulPlan([512, 128], [128, 63], false, false)).toBeNull(); // N = 63
    expect(vec4MatMulPlan([128, 512], [384, 128], true, true)).toBeNull(); // both transposed
    expect(vec4MatMulPlan([512, 128], [384, 64], false, true)).toBeNull(); // K mismatch
    expect(vec4MatMulPlan([2, 3, 8, 8], [3, 2, 8, 8], false, false)).toBeNull(); // batch shapes that do not match or broadcast
    expect(vec4MatMulPlan([8], [8, 8], false, false)).toBeNull();
  });

  it('batches: equal batch shapes, or one side broadcast (stride 0)', () => {
    expect(vec4MatMulPlan([32, 64, 32], [32, 64, 32], false, true)).toMatchObject({ variant: 'nt', batch: 32, M: 64, N: 64, K: 32, aBatch: 64 * 32, bBatch: 64 * 32, outShape: [32, 64, 64] });
    expect(vec4MatMulPlan([4, 8, 16], [16, 12], false, false)).toMatchObject({ batch: 4, aBatch: 128, bBatch: 0, outShape: [4, 8, 12] });
    expect(vec4MatMulPlan([8, 16], [4, 16, 12], false, false)).toMatchObject({ batch: 4, aBatch: 0, bBatch: 192, outShape: [4, 8, 12] });
  });
});

describe('matMulReference', () => {
  const rand = mulberry32(3);
  const fill = (n: number) => Float32Array.from({ length: n }, () => rand() * 2 - 1);

  it('agrees with tfjs-core matMul on the CPU for every variant and a broadcast batch', async () => {
    await import('@tensorflow/tfjs-backend-cpu');
    await tf.setBackend('cpu');
    const cases: [number[], number[], boolean, boolean][] = [
      [[5, 8], [7, 8], false, true],
      [[5, 6], [6, 8], false, false],
      [[6, 5], [6, 12], true, false],
      [[3, 5, 8], [3, 7, 8], false, true],
      [[3, 5, 6], [6, 4], false, false],
    ];
    for (const [as, bs, ta, tb] of cases) {
      const plan = vec4MatMulPlan(as, bs, ta, tb)!;
      expect(plan).not.toBeNull();
      const a = fill(as.reduce((p, d) => p * d, 1));
      const b = fill(bs.reduce((p, d) => p * d, 1));
      const want = await tf.matMul(tf.tensor(a, as), tf.tensor(b, bs), ta, tb).data();
      const got = matMulReference(a, b, plan);
      expect(got.length).toBe(want.length);
      got.forEach((v, i) => expect(v).toBeCloseTo(want[i], 5));
    }
  });
});

describe('the vec4 programs', () => {
  it('keep one shader per variant whatever the shape, and cover every output tile', () => {
    expect(matMulVec4Program('nt', [512, 384], 100).shaderKey).toBe(matMulVec4Program('nt', [3, 8, 8], 5).shaderKey);
    expect(new Set(['nt', 'nn', 'tn'].map((v) => matMulVec4Program(v as 'nt', [8, 8], 4).shaderKey)).size).toBe(3);
    expect(matMulVec4Threads('nt', 2, 5, 9)).toBe(2 * 2 * 3);
    expect(matMulVec4Threads('nn', 1, 8, 16)).toBe(2 * 2);
  });
});

describe('installVec4MatMul', () => {
  const calls: string[] = [];
  const fake: KernelFunc = () => {
    calls.push('tfjs');
    return { dataId: {}, shape: [1], dtype: 'float32' } as TensorInfo;
  };
  afterEach(() => {
    uninstallVec4MatMul(tf);
    tf.unregisterKernel('BatchMatMul', 'webgpu');
  });

  it('wraps the registered WebGPU kernel, hands uncovered products to it, and can be undone', () => {
    tf.registerKernel({ kernelName: 'BatchMatMul', backendName: 'webgpu', kernelFunc: fake });
    expect(vec4MatMulInstalled(tf)).toBe(false);
    expect(installVec4MatMul(tf)).toBe(true);
    expect(installVec4MatMul(tf)).toBe(true); // idempotent
    expect(vec4MatMulInstalled(tf)).toBe(true);
    const wrapped = tf.getKernel('BatchMatMul', 'webgpu')!.kernelFunc;
    const info = (shape: number[], dtype = 'float32') => ({ dataId: {}, shape, dtype }) as TensorInfo;
    wrapped({ inputs: { a: info([4, 63]), b: info([8, 63]) }, attrs: { transposeA: false, transposeB: true }, backend: {} as never });
    wrapped({ inputs: { a: info([4, 8], 'int32'), b: info([8, 8], 'int32') }, attrs: { transposeA: false, transposeB: false }, backend: {} as never });
    expect(calls).toEqual(['tfjs', 'tfjs']);
    expect(uninstallVec4MatMul(tf)).toBe(true);
    expect(tf.getKernel('BatchMatMul', 'webgpu')!.kernelFunc).toBe(fake);
    expect(uninstallVec4MatMul(tf)).toBe(false);
  });

  it('does nothing without a WebGPU BatchMatMul to wrap', () => {
    tf.registerKernel({ kernelName: 'BatchMatMul', backendName: 'webgpu', kernelFunc: fake });
    tf.unregisterKernel('BatchMatMul', 'webgpu');
    expect(installVec4MatMul(tf)).toBe(false);
    tf.registerKernel({ kernelName: 'BatchMatMul', backendName: 'webgpu', kernelFunc: fake }); // for afterEach
  });
});
