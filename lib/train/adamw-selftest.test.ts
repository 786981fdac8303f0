import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-cpu';
import { beforeAll, describe, expect, it } from 'vitest';
import type { Compute } from '../compute';
import { runAdamWSelfTestCase } from './adamw-selftest';
import { ADAMW_SELF_TEST_CASES, ADAMW_TOLERANCE } from './adamw-selftest-cases';

const compute: Compute = { tf, backend: 'cpu', webgpu: null, software: false };

describe('the optimizer self-test', () => {
  beforeAll(async () => {
    await tf.setBackend('cpu');
  });

  it.each(ADAMW_SELF_TEST_CASES.map((c) => [c.name, c] as const))('%s: the tf-op step agrees with the float64 twin off WebGPU', async (_, c) => {
    const r = await runAdamWSelfTestCase(compute, c);
    expect(r.error).toBeUndefined();
    expect(r.path).toBe('tf-ops');
    expect(r.relativeError).toBeLessThanOrEqual(ADAMW_TOLERANCE);
    expect(r.passed).toBe(true);
  });
});
