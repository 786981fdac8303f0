import { describe, expect, it } from 'vitest';
import { FAKE_QUANT_SELF_TEST_CASES, runFakeQuantSelfTestCase } from './fake-quant-selftest';
import { getCompute } from './index';
import { fakeQuantBackwardProgram, fakeQuantForwardProgram } from './kernels/fake-quant';

// In Node tfjs runs on its CPU backend: the kernels cannot run, the case reports the reference only.
// The kernels are compared on /gpu/ (e2e/gpu-selftest.spec.ts).
describe('fake-quantization self-test without WebGPU', () => {
  it('reports the reference path, and counts the clamped values the STE blocks', async () => {
    const compute = await getCompute();
    const r = await runFakeQuantSelfTestCase(compute, FAKE_QUANT_SELF_TEST_CASES[2]);
    expect(r).toMatchObject({ path: 'cpu-reference', passed: true });
    expect(r.clamped).toBeGreaterThan(0); // 2-bit symmetric: each row's absmax needs code 2 on [−2, 1]
    const zero = await runFakeQuantSelfTestCase(compute, FAKE_QUANT_SELF_TEST_CASES[4]);
    expect(zero.clamped).toBe(0);
  });

  it('one thread per slice, one pipeline per direction', () => {
    const f = fakeQuantForwardProgram(512 * 128, 1024);
    expect(f.dispatch).toEqual([16, 1, 1]);
    expect(f.variableNames).toEqual(['x']);
    expect(fakeQuantBackwardProgram(10, 2).variableNames).toEqual(['x', 'dy']);
    expect(new Set([f.shaderKey, fakeQuantBackwardProgram(10, 2).shaderKey]).size).toBe(2);
  });
});
