import * as tf from '@tensorflow/tfjs-core';
import type { KernelFunc, TensorInfo } from '@tensorflow/tfjs-core';
import { afterEach, describe, expect, it } from 'vitest';
import { mulberry32 } from '../random';
import { installRowKernels, reducePlan, reduceReference, softmaxReference, uninstallRowKernels } from './row-kernels';
import { rowReduceProgram, rowSoftmaxProgram } from './kernels/rows';
import { isReplacedWebGPUKernel } from './replace-kernel';

describe('reducePlan', () => {
  it('views the input as [outer, reduce, inner] for one contiguous block of axes', () => {
    expect(reducePlan([512, 128], [1], true)).toEqual({ outer: 512, reduce: 128, inner: 1, outShape: [512, 1] });
    expect(reducePlan([512, 128], 0, false)).toEqual({ outer: 1, reduce: 512, inner: 128, outShape: [128] });
    expect(reducePlan([8, 64, 128], [0, 1], false)).toEqual({ outer: 1, reduce: 512, inner: 128, outShape: [128] });
    expect(reducePlan([2, 3, 4], -1, false)).toEqual({ outer: 6, reduce: 4, inner: 1, outShape: [2, 3] });
    expect(reducePlan([2, 3, 4], null, true)).toEqual({ outer: 1, reduce: 24, inner: 1, outShape: [1, 1, 1] });
  });

  it('declines axes that are not one block, out of range, or an empty tensor', () => {
    expect(reducePlan([2, 3, 4], [0, 2], false)).toBeNull();
    expect(reducePlan([2, 3], [2], false)).toBeNull();
    expect(reducePlan([0, 3], [1], false)).toBeNull();
    expect(reducePlan([], null, false)).toBeNull();
  });
});

describe('the CPU twins', () => {
  const rand = mulberry32(5);
  const fill = (n: number) => Float32Array.from({ length: n }, () => rand() * 8 - 4);

  it('agree with tfjs-core on the CPU: sum, mean and max over leading, middle and trailing axes, softmax over rows', async () => {
    await import('@tensorflow/tfjs-backend-cpu');
    await tf.setBackend('cpu');
    const shape = [3, 5, 4];
    const x = fill(60);
    for (const axis of [0, 1, 2, [0, 1], [1, 2]]) {
      const plan = reducePlan(shape, axis, false)!;
      const sum = await tf.sum(tf.tensor(x, shape), axis).data();
      const mean = await tf.mean(tf.tensor(x, shape), axis).data();
      const max = await tf.max(tf.tensor(x, shape), axis).data();
      reduceReference(x, plan, 'sum').forEach((v, i) => expect(v).toBeCloseTo(sum[i], 5));
      reduceReference(x, plan, 'mean').forEach((v, i) => expect(v).toBeCloseTo(mean[i], 5));
      expect([...reduceReference(x, plan, 'max')]).toEqual([...max]);
    }
    const soft = await tf.softmax(tf.tensor(x, [15, 4])).data();
    softmaxReference(x, 4).forEach((v, i) => expect(v).toBeCloseTo(soft[i], 6));
  });

  it('softmax ignores masked scores (−1e9) as exp underflows to 0', () => {
    const p = softmaxReference(Float32Array.from([1, -1e9, 1, -1e9]), 4);
    expect([...p]).toEqual([0.5, 0, 0.5, 0]);
  });
});

describe('the row programs', () => {
  it('keep one shader per operation whatever the shape', () => {
    expect(rowReduceProgram('sum', [512, 1], 512).shaderKey).toBe(rowReduceProgram('sum', [128], 128).shaderKey);
    expect(rowReduceProgram('sum', [4], 4).shaderKey).not.toBe(rowReduceProgram('mean', [4], 4).shaderKey);
    expect(rowSoftmaxProgram([32, 64, 64], 2048).dispatch).toEqual([32, 1, 1]);
  });
});

describe('installRowKernels', () => {
  const calls: string[] = [];
  const fake = (name: string): KernelFunc => () => {
    calls.push(name);
    return { dataId: {}, shape: [1], dtype: 'float32' } as TensorInfo;
  };
  afterEach(() => {
    uninstallRowKernels(tf);
    for (const n of ['Sum', 'Mean', 'Max', 'Softmax']) tf.unregisterKernel(n, 'webgpu');
  });

  it('replaces Sum, Mean, Max and Softmax on WebGPU, hands what it declines to tfjs, and can be undone', () => {
    for (const n of ['Sum', 'Mean', 'Max', 'Softmax']) tf.registerKernel({ kernelName: n, backendName: 'webgpu', kernelFunc: fake(n) });
    expect(installRowKernels(tf)).toBe(4);
    expect(isReplacedWebGPUKernel(tf, 'Sum')).toBe(true);
    const info = (shape: number[], dtype = 'float32') => ({ dataId: {}, shape, dtype }) as TensorInfo;
    tf.getKernel('Sum', 'webgpu')!.kernelFunc({ inputs: { x: info([4, 4], 'int32') }, attrs: { axis: [1], keepDims: false }, backend: {} as never });
    tf.getKernel('Mean', 'webgpu')!.kernelFunc({ inputs: { x: info([512]) }, attrs: { axis: [0], keepDims: false }, backend: {} as never });
    tf.getKernel('Max', 'webgpu')!.kernelFunc({ inputs: { x: info([4, 4], 'int32') }, attrs: { reductionIndices: [1], keepDims: false }, backend: {} as never });
    tf.getKernel('Softmax', 'webgpu')!.kernelFunc({ inputs: { logits: info([4, 4]) }, attrs: { dim: 0 }, backend: {} as never });
    expect(calls).toEqual(['Sum', 'Mean', 'Max', 'Softmax']);
    uninstallRowKernels(tf);
    expect(isReplacedWebGPUKernel(tf, 'Sum')).toBe(false);
  });
});
