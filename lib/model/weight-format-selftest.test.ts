import { describe, expect, it } from 'vitest';
import { getCompute } from '../compute/index';
import { WEIGHT_FORMAT_SELF_TEST_CASES, runWeightFormatSelfTestCase } from './weight-format-selftest';
import { WEIGHT_FORMAT_TABLE, WEIGHT_FORMATS, WEIGHT_TENSOR_CASES, weightSelfTestTensor } from '../quant/weight-formats';

// In Node the store runs on tfjs's CPU backend (CPU reference against itself): this checks that every
// case is storable in every format (the edge values stay inside fp16's range) and that nothing leaks.
// The /gpu/ page runs the same cases through the WebGPU kernels (e2e/gpu-selftest.spec.ts).
describe('weight format self-test', () => {
  it('covers every format on every seeded weight', () => {
    expect(WEIGHT_FORMAT_SELF_TEST_CASES.length).toBe(WEIGHT_FORMATS.length * WEIGHT_TENSOR_CASES.length);
    // The cases are the registry's: each format on the weights its entry lists, in the table's order.
    expect(WEIGHT_FORMAT_SELF_TEST_CASES).toEqual(WEIGHT_FORMATS.flatMap((format) => WEIGHT_FORMAT_TABLE[format].selfTest.map((tensor) => ({ format, tensor }))));
    const edges = weightSelfTestTensor(WEIGHT_TENSOR_CASES.find((c) => c.kind === 'edges')!);
    expect(edges.subarray(3 * 80, 4 * 80).every((v) => v === 0)).toBe(true);
    expect(edges.includes(65504) && edges.includes(2 ** -24) && edges.includes(2 ** -149)).toBe(true);
    expect(weightSelfTestTensor(WEIGHT_TENSOR_CASES[0])).toEqual(weightSelfTestTensor(WEIGHT_TENSOR_CASES[0]));
  });

  it('passes every case on the CPU backend, holding four bytes a weight', async () => {
    const compute = await getCompute();
    for (const c of WEIGHT_FORMAT_SELF_TEST_CASES) {
      const r = await runWeightFormatSelfTestCase(compute, c);
      expect(r.error, `${c.format} ${c.tensor.name}`).toBeUndefined();
      expect(r.passed).toBe(true);
      expect(r.weightBytes).toBe(4 * r.elements);
    }
  });
});
