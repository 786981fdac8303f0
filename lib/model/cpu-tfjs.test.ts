import { describe, expect, it } from 'vitest';
import { cpuTfjs } from './cpu-tfjs';

describe('cpuTfjs', () => {
  it('returns tfjs on the CPU backend', async () => {
    const tf = await cpuTfjs();
    expect(tf.getBackend()).toBe('cpu');
    expect(Array.from(tf.tidy(() => tf.matMul(tf.tensor2d([1, 2], [1, 2]), tf.tensor2d([3, 4], [2, 1])).dataSync()))).toEqual([11]);
  });
});
