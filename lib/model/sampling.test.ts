import { describe, expect, it } from 'vitest';
import { mulberry32 } from '../random';
import { argmax, sampleToken, tokenProbabilities, topKIds } from './sampling';

const never = () => {
  throw new Error('rand must not be called');
};

describe('tokenProbabilities', () => {
  it('is the softmax of logits / temperature', () => {
    // exp(0), exp(ln 2), exp(ln 3) = 1, 2, 3, so p = 1/6, 2/6, 3/6.
    const z = Float32Array.of(0, Math.log(2), Math.log(3));
    expect(Array.from(tokenProbabilities(z, { temperature: 1 })).map((p, i) => p - [1, 2, 3][i] / 6).every((d) => Math.abs(d) < 1e-7)).toBe(true);
    // At temperature 2 the weights are the square roots: 1, √2, √3.
    const s = 1 + Math.SQRT2 + Math.sqrt(3);
    const p2 = tokenProbabilities(z, { temperature: 2 });
    [1, Math.SQRT2, Math.sqrt(3)].forEach((w, i) => expect(p2[i]).toBeCloseTo(w / s, 7));
  });

  it('subtracts the maximum, so huge logits do not overflow', () => {
    // 1000 and 1000.5 are exact in float32; exp(1000) alone would be Infinity.
    const p = tokenProbabilities(Float32Array.of(1000, 1000.5), { temperature: 1 });
    expect(p[0]).toBeCloseTo(1 / (1 + Math.exp(0.5)), 12);
    expect(p[1]).toBeCloseTo(1 / (1 + Math.exp(-0.5)), 12);
  });

  it('puts all mass on the argmax (lowest id on ties) at temperature 0', () => {
    expect(Array.from(tokenProbabilities(Float32Array.of(1, 3, 3, 2), { temperature: 0 }))).toEqual([0, 1, 0, 0]);
  });

  it('renormalises over the top k and gives the rest zero', () => {
    // Top 2 of [0, ln 2, ln 3, -5] are ids 2 and 1: p = 3/5, 2/5.
    const p = tokenProbabilities(Float32Array.of(0, Math.log(2), Math.log(3), -5), { temperature: 1, topK: 2 });
    expect(p[0]).toBe(0);
    expect(p[3]).toBe(0);
    expect(p[1]).toBeCloseTo(2 / 5, 7);
    expect(p[2]).toBeCloseTo(3 / 5, 7);
    // k at least the vocabulary keeps everything.
    expect(Array.from(tokenProbabilities(Float32Array.of(1, 2), { temperature: 1, topK: 9 }))).toEqual(Array.from(tokenProbabilities(Float32Array.of(1, 2), { temperature: 1 })));
  });

  it('names bad logits and options', () => {
    expect(() => tokenProbabilities(Float32Array.of(0, NaN), { temperature: 1 })).toThrow(/Logit 1 is NaN/);
    expect(() => tokenProbabilities(Float32Array.of(Infinity), { temperature: 1 })).toThrow(/Logit 0 is Infinity/);
    expect(() => tokenProbabilities(Float32Array.of(-Infinity, -Infinity), { temperature: 1 })).toThrow(/−∞/);
    expect(() => tokenProbabilities(Float32Array.of(0), { temperature: -1 })).toThrow(/temperature/);
    expect(() => tokenProbabilities(Float32Array.of(0), { temperature: 1, topK: 0 })).toThrow(/top-k/);
    expect(() => tokenProbabilities(new Float32Array(0), { temperature: 1 })).toThrow(/no logits/);
  });
});

describe('argmax and topKIds', () => {
  it('break ties by the lower id', () => {
    expect(argmax([2, 5, 5, 1])).toBe(1);
    expect(topKIds([1, 2, 2, 0, 2], 2)).toEqual([1, 2]);
    expect(topKIds([1, 2, 2, 0, 2], 4)).toEqual([1, 2, 4, 0]);
    expect(topKIds([3, 1], 5)).toEqual([0, 1]);
  });
});

describe('sampleToken', () => {
  const z = Float32Array.of(0.3, -1, 2, 0.1, 1.5);

  it('is argmax at temperature 0 and never draws', () => {
    expect(sampleToken(z, { temperature: 0 }, never)).toBe(2);
    expect(sampleToken(Float32Array.of(4, 7, 7), { temperature: 0 }, never)).toBe(1);
  });

  it('with top-k 1 is argmax at any temperature', () => {
    const rand = mulberry32(5);
    for (let i = 0; i < 50; i++) expect(sampleToken(z, { temperature: 3, topK: 1 }, rand)).toBe(2);
  });

  it('is the inverse of the cumulative distribution', () => {
    // p = 1/6, 2/6, 3/6: u < 1/6 -> 0, u < 1/2 -> 1, else 2.
    const t = Float32Array.of(0, Math.log(2), Math.log(3));
    expect(sampleToken(t, { temperature: 1 }, () => 0)).toBe(0);
    expect(sampleToken(t, { temperature: 1 }, () => 0.17)).toBe(1);
    expect(sampleToken(t, { temperature: 1 }, () => 0.49)).toBe(1);
    expect(sampleToken(t, { temperature: 1 }, () => 0.51)).toBe(2);
    expect(sampleToken(t, { temperature: 1 }, () => 0.9999999999)).toBe(2);
    // Ids outside the top k are never drawn, even at u = 0.
    expect(sampleToken(t, { temperature: 1, topK: 2 }, () => 0)).toBe(1);
  });

  it('is reproducible for a seed and differs between seeds', () => {
    const draw = (seed: number) => {
      const rand = mulberry32(seed);
      return Array.from({ length: 40 }, () => sampleToken(z, { temperature: 1.2 }, rand));
    };
    expect(draw(7)).toEqual(draw(7));
    expect(draw(7)).not.toEqual(draw(8));
  });

  it('draws each id about as often as its probability', () => {
    const p = tokenProbabilities(z, { temperature: 0.8, topK: 4 });
    const rand = mulberry32(42);
    const n = 40_000;
    const counts = new Array<number>(z.length).fill(0);
    for (let i = 0; i < n; i++) counts[sampleToken(z, { temperature: 0.8, topK: 4 }, rand)]++;
    expect(counts[1]).toBe(0); // the smallest logit is outside the top 4
    // The standard error of a frequency is at most 0.5/√n = 0.0025; allow 4 of them.
    counts.forEach((c, i) => expect(Math.abs(c / n - p[i])).toBeLessThan(0.01));
  });
});
