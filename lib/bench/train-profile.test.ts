import { describe, expect, it } from 'vitest';
import { summarizeKernels } from './train-profile';

describe('summarizeKernels', () => {
  it('sums by key per step, largest time first', () => {
    const rows = summarizeKernels([
      { key: 'BatchMatMul', ms: 10 }, { key: 'Add', ms: 1 }, { key: 'BatchMatMul', ms: 14 }, { key: 'Add', ms: 3 }, { key: 'Reshape', ms: 0 }, { key: 'Reshape', ms: 0 },
    ], 2);
    expect(rows).toEqual([
      { key: 'BatchMatMul', calls: 1, ms: 12 },
      { key: 'Add', calls: 1, ms: 2 },
      { key: 'Reshape', calls: 1, ms: 0 },
    ]);
  });
});
