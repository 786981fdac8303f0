import { describe, expect, it } from 'vitest';
import { crossEntropy, evalWindows, klDivergence, logSoftmaxRow, perplexity, top1Agreement } from './eval';

const L2 = Math.log(2), L3 = Math.log(3);

describe('crossEntropy and perplexity', () => {
  it('scores a uniform guess over V tokens as ln V nats, perplexity V', () => {
    const ce = crossEntropy(new Float32Array(4 * 3), 4, [0, 3, 1]);
    expect(ce).toBeCloseTo(Math.log(4), 12);
    expect(perplexity(ce)).toBeCloseTo(4, 10);
  });

  it('averages −log p(target) over positions', () => {
    // softmax(0, ln 2, ln 3) = 1/6, 2/6, 3/6: target 2 costs ln 2, target 0 costs ln 6.
    const logits = Float32Array.of(0, L2, L3, 0, L2, L3);
    expect(crossEntropy(logits, 3, [2, 0])).toBeCloseTo((Math.log(2) + Math.log(6)) / 2, 6);
    // A constant added to a row changes nothing, however large (stable log-softmax).
    expect(crossEntropy(Float32Array.of(500, 500 + L2, 500 + L3), 3, [1])).toBeCloseTo(Math.log(3), 4);
  });

  it('logSoftmaxRow is log of the softmax', () => {
    const r = logSoftmaxRow(Float32Array.of(9, 9, 9, 0, L2, L3), 3, 1);
    expect(Math.exp(r[1])).toBeCloseTo(2 / 6, 6);
    expect(Math.exp(r[2])).toBeCloseTo(3 / 6, 6);
  });

  it('names mismatched sizes and bad targets', () => {
    expect(() => crossEntropy(new Float32Array(6), 3, [0])).toThrow(/2 rows of logits but 1 targets/);
    expect(() => crossEntropy(new Float32Array(5), 3, [0])).toThrow(/not a whole number/);
    expect(() => crossEntropy(new Float32Array(3), 3, [3])).toThrow(/Target 0 is 3, outside the vocabulary 0..2/);
  });
});

describe('klDivergence', () => {
  it('matches Σ p (log p − log q), averaged over positions', () => {
    // P = softmax(0, ln 3) = (1/4, 3/4), Q = softmax(0, 0) = (1/2, 1/2).
    const kl1 = 0.25 * Math.log(0.25 / 0.5) + 0.75 * Math.log(0.75 / 0.5);
    const p = Float32Array.of(0, L3, 5, 5);
    const q = Float32Array.of(0, 0, 1, 1);
    expect(klDivergence(p, q, 2)).toBeCloseTo(kl1 / 2, 6); // the second position agrees: KL 0
  });

  it('is zero for the same distribution and ignores a constant shift of a row', () => {
    const a = Float32Array.of(0.3, -2, 1.1, 4, 0, 0.5);
    expect(klDivergence(a, a, 3)).toBe(0);
    expect(klDivergence(a, a.map((v) => v + 7), 3)).toBeCloseTo(0, 5);
  });

  it('is not symmetric', () => {
    const p = Float32Array.of(0, L3), q = Float32Array.of(0, 0);
    // KL(Q‖P) = ½ ln(½ / ¼) + ½ ln(½ / ¾).
    expect(klDivergence(q, p, 2)).toBeCloseTo(0.5 * Math.log(2) + 0.5 * Math.log(2 / 3), 6);
    expect(klDivergence(p, q, 2)).not.toBeCloseTo(klDivergence(q, p, 2), 3);
  });

  it('names a size mismatch', () => {
    expect(() => klDivergence(new Float32Array(4), new Float32Array(2), 2)).toThrow(/differ in size/);
  });
});

describe('top1Agreement', () => {
  it('is the share of positions with the same argmax, ties to the lower id', () => {
    const a = Float32Array.of(1, 2, 0, /**/ 5, 5, 1, /**/ 0, 0, 3);
    const b = Float32Array.of(0, 9, 1, /**/ 2, 1, 0, /**/ 4, 0, 3);
    // argmax a = 1, 0, 2; argmax b = 1, 0, 0.
    expect(top1Agreement(a, b, 3)).toBeCloseTo(2 / 3, 12);
    expect(top1Agreement(a, a, 3)).toBe(1);
  });
});

describe('evalWindows', () => {
  const ids = Array.from({ length: 21 }, (_, i) => i);

  it('tiles the text with windows of blockSize + 1 starting every blockSize', () => {
    // Starts s < 21 − 4 − 1 = 16: 0, 4, 8, 12 (Python's range(0, n − B − 1, B)).
    const w = evalWindows(ids, 4, 100);
    expect(w.map((x) => x.start)).toEqual([0, 4, 8, 12]);
    expect(w[1]).toEqual({ start: 4, inputs: [4, 5, 6, 7], targets: [5, 6, 7, 8] });
    // Every token from 1 to 16 is a target exactly once.
    expect(w.flatMap((x) => x.targets)).toEqual(Array.from({ length: 16 }, (_, i) => i + 1));
  });

  it('spreads maxWindows evenly through the text', () => {
    expect(evalWindows(ids, 4, 2).map((x) => x.start)).toEqual([0, 8]);
    expect(evalWindows(ids, 4, 3).map((x) => x.start)).toEqual([0, 4, 8]);
    expect(evalWindows(ids, 4, 1).map((x) => x.start)).toEqual([0]);
  });

  it('names a text too short for one window and bad sizes', () => {
    expect(() => evalWindows([1, 2, 3, 4, 5, 6], 5, 3)).toThrow(/6 tokens; a window needs more than 6/);
    expect(() => evalWindows(ids, 0, 3)).toThrow(/blockSize/);
    expect(() => evalWindows(ids, 4, 0)).toThrow(/maxWindows/);
  });
});
