import { describe, expect, it } from 'vitest';
import { OUTLIER_SIGMAS, outlierIndex, sampleRow } from './four-bit-samples';

describe('sampleRow', () => {
  it('is determined by its seed', () => {
    expect(Array.from(sampleRow('normal', 64, 3))).toEqual(Array.from(sampleRow('normal', 64, 3)));
    expect(Array.from(sampleRow('normal', 64, 3))).not.toEqual(Array.from(sampleRow('normal', 64, 4)));
  });
  it('plants one outlier of 20 σ in an otherwise normal row', () => {
    const x = sampleRow('outlier', 512, 9);
    const normal = sampleRow('normal', 512, 9);
    const i = outlierIndex(512, 9);
    expect(Math.abs(x[i])).toBeCloseTo(OUTLIER_SIGMAS * 0.02, 6);
    let differing = 0;
    for (let k = 0; k < 512; k++) if (x[k] !== normal[k]) differing++;
    expect(differing).toBe(1);
  });
  it('gives heavier tails for laplace than for normal at the same σ', () => {
    const kurt = (x: Float32Array) => {
      let m2 = 0, m4 = 0;
      for (const v of x) { m2 += v * v; m4 += v ** 4; }
      return (m4 / x.length) / (m2 / x.length) ** 2;
    };
    expect(kurt(sampleRow('laplace', 20000, 1))).toBeGreaterThan(kurt(sampleRow('normal', 20000, 1)) + 1.5);
  });
});
