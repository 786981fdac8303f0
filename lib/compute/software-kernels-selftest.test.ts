import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-cpu';
import { describe, expect, it } from 'vitest';
import type { Compute } from './index';
import { runSoftwareKernelCase, SOFTWARE_KERNEL_CASES } from './software-kernels-selftest';

describe('the software-kernel self-test', () => {
  it('has a CPU twin plan for every case, and without WebGPU reports the reference path', async () => {
    await tf.setBackend('cpu');
    const compute = { tf, backend: 'cpu', webgpu: null, software: false } as unknown as Compute;
    for (const c of SOFTWARE_KERNEL_CASES) {
      const r = await runSoftwareKernelCase(compute, c);
      expect(r).toMatchObject({ name: c.name, path: 'cpu-reference', passed: true });
      expect(r.elements).toBeGreaterThan(0);
    }
  });
});
