import { describe, expect, it } from 'vitest';
import { getCompute } from './index';
import { METHODS_SELF_TEST_CASES, methodsSelfTestLayer, runMethodsSelfTestCase } from './methods-selftest';

// In Node getCompute() picks tfjs's CPU backend: GPTQ falls back to the CPU reference (compared with
// itself), AWQ's batched search runs through tfjs ops and is compared with the float64 reference for
// real. The WebGPU kernel is checked on the /gpu/ page (e2e/gpu-selftest.spec.ts).
describe('runMethodsSelfTestCase on tfjs CPU', () => {
  it.each(METHODS_SELF_TEST_CASES.map((c) => [c.name, c] as const))('%s', async (_, c) => {
    const compute = await getCompute();
    const before = compute.tf.memory().numTensors;
    const r = await runMethodsSelfTestCase(compute, c);
    expect(r.error).toBeUndefined();
    expect(r.passed).toBe(true);
    if (c.method === 'gptq') {
      expect(r.path).toBe('cpu-reference');
      expect(r.codesDiffer).toBe(0);
      expect(r.lossRatio).toBe(1);
    } else {
      expect(r.path).toBe('cpu');
      expect(r.curveDifference).toBeLessThan(1e-4);
    }
    expect(compute.tf.memory().numTensors).toBe(before);
  }, 60_000);

  it('reports a failed case with its error rather than throwing', async () => {
    const compute = await getCompute();
    const r = await runMethodsSelfTestCase(compute, { ...METHODS_SELF_TEST_CASES[0], groupSize: 7 });
    expect(r.passed).toBe(false);
    expect(r.error).toMatch(/group/i);
  });
});

describe('methodsSelfTestLayer', () => {
  it('makes a few input channels loud and the dead ones silent, the same for the same seed', () => {
    const c = METHODS_SELF_TEST_CASES[3];
    const a = methodsSelfTestLayer(c);
    expect(a.w).toEqual(methodsSelfTestLayer(c).w);
    const absMean = (j: number) => { let s = 0; for (let t = 0; t < c.tokens; t++) s += Math.abs(a.x[t * c.cols + j]); return s / c.tokens; };
    expect(absMean(c.cols - 2) / absMean(5)).toBeGreaterThan(10);
    for (const j of c.deadColumns!) expect(a.hessian[j * c.cols + j]).toBe(0);
  });
});
