import { describe, expect, it } from 'vitest';
import { LOFTQ_MAX_ITERATIONS, loftqInit, lowRankResidualNorm } from './loftq';
import { dequantizeNF4Weight, quantizeNF4Weight } from '../quant/qlora-weight';
import { singularValues } from '../linalg/svd';
import { syntheticMatrix } from '../tensors/synthetic';

function frobenius(x: ArrayLike<number>): number {
  let s = 0;
  for (let i = 0; i < x.length; i++) s += x[i] * x[i];
  return Math.sqrt(s);
}

function minus(a: ArrayLike<number>, b: ArrayLike<number>): Float64Array {
  return Float64Array.from({ length: a.length }, (_, i) => a[i] - b[i]);
}

/** B A for B [out, r], A [r, in], in float64. */
function product(B: Float32Array, A: Float32Array, out: number, inn: number, r: number): Float64Array {
  const p = new Float64Array(out * inn);
  for (let i = 0; i < out; i++) for (let j = 0; j < inn; j++) for (let k = 0; k < r; k++) p[i * inn + j] += B[i * r + k] * A[k * inn + j];
  return p;
}

/** W − scale · B A rounded to float32: the quantizer's input on a later step. */
function target(w: Float32Array, B: Float32Array, A: Float32Array, out: number, inn: number, r: number, scale: number): Float32Array {
  const ba = product(B, A, out, inn, r);
  return Float32Array.from(w, (x, i) => x - scale * ba[i]);
}

const OUT = 48;
const IN = 80;
const normal = syntheticMatrix({ distribution: 'normal', rows: OUT, cols: IN, seed: 7 });

describe('loftqInit: one step (Li et al. 2023, Algorithm 1 with T = 1)', () => {
  it('quantizes W itself first and leaves exactly the rank-r SVD truncation error √(Σ_{i>r} σ_i²) of W − dequant(NF4(W))', () => {
    const rank = 6;
    const scale = 2;
    const res = loftqInit(normal, [OUT, IN], { rank, scale, iterations: 1 });
    const q = quantizeNF4Weight(normal);
    expect(res.q.packed).toEqual(q.packed);
    expect(res.q.absmax.codes).toEqual(q.absmax.codes);
    const r = minus(normal, dequantizeNF4Weight(q));
    const sigma = singularValues(r, OUT, IN);
    let tail = 0;
    for (let i = rank; i < sigma.length; i++) tail += sigma[i] * sigma[i];
    const expected = Math.sqrt(tail);
    const direct = frobenius(minus(r, product(res.B, res.A, OUT, IN, rank).map((x) => scale * x)));
    expect(res.residualNorms).toHaveLength(1);
    expect(Math.abs(res.residualNorms[0] - expected)).toBeLessThan(1e-6 * frobenius(r));
    expect(Math.abs(direct - expected)).toBeLessThan(1e-6 * frobenius(r));
    expect(res.quantizationErrorNorms[0]).toBeCloseTo(frobenius(r), 12);
    expect(res.dequantized).toEqual(dequantizeNF4Weight(q));
    expect(res.quantizerInput).toEqual(normal);
    expect(res.quantizerInput).not.toBe(normal);
  });

  it('splits √(σ_i / scale) evenly between the factors: column i of B and row i of A both have norm √(σ_i / scale)', () => {
    const rank = 5;
    const scale = 0.25;
    const res = loftqInit(normal, [OUT, IN], { rank, scale });
    const sigma = singularValues(minus(normal, res.dequantized), OUT, IN);
    for (let c = 0; c < rank; c++) {
      let b2 = 0, a2 = 0;
      for (let i = 0; i < OUT; i++) b2 += res.B[i * rank + c] ** 2;
      for (let j = 0; j < IN; j++) a2 += res.A[c * IN + j] ** 2;
      const want = Math.sqrt(sigma[c] / scale);
      expect(Math.abs(Math.sqrt(b2) - want)).toBeLessThan(1e-5 * want);
      expect(Math.abs(Math.sqrt(a2) - want)).toBeLessThan(1e-5 * want);
    }
  });

  it('with rank = min(out, in) reproduces W − dequant(Q) up to float rounding', () => {
    const rank = Math.min(OUT, IN);
    const scale = 1.5;
    const res = loftqInit(normal, [OUT, IN], { rank, scale, iterations: 1 });
    const r = minus(normal, res.dequantized);
    const ba = product(res.B, res.A, OUT, IN, rank);
    let worst = 0;
    for (let i = 0; i < r.length; i++) worst = Math.max(worst, Math.abs(scale * ba[i] - r[i]));
    const rMax = r.reduce((m, x) => Math.max(m, Math.abs(x)), 0);
    expect(worst).toBeLessThan(1e-5 * rMax);
    expect(res.residualNorms[0]).toBeLessThan(1e-5 * frobenius(r));
  });

  it('divides the factors by the LoRA scale: doubling scale halves B A and keeps scale · B A', () => {
    const rank = 4;
    const one = loftqInit(normal, [OUT, IN], { rank, scale: 1 });
    const two = loftqInit(normal, [OUT, IN], { rank, scale: 2 });
    const p1 = product(one.B, one.A, OUT, IN, rank);
    const p2 = product(two.B, two.A, OUT, IN, rank);
    const pMax = p1.reduce((m, x) => Math.max(m, Math.abs(x)), 0);
    expect(pMax).toBeGreaterThan(0);
    for (let i = 0; i < p1.length; i++) expect(Math.abs(p2[i] - p1[i] / 2)).toBeLessThan(1e-5 * pMax);
    expect(Math.abs(two.residualNorms[0] - one.residualNorms[0])).toBeLessThan(1e-6 * one.quantizationErrorNorms[0]);
  });
});

describe('loftqInit: alternating steps', () => {
  const w = syntheticMatrix({ distribution: 'outliers', rows: 64, cols: 96, seed: 3 });
  const rank = 8;
  const scale = 2;
  const T = 5;
  const full = loftqInit(w, [64, 96], { rank, scale, iterations: T });

  it('step t quantizes W − scale · B_{t−1} A_{t−1}, and its SVD step is no worse than keeping the previous adapter', () => {
    expect(full.residualNorms).toHaveLength(T);
    expect(full.quantizationErrorNorms).toHaveLength(T);
    let prev = loftqInit(w, [64, 96], { rank, scale, iterations: 1 });
    for (let t = 2; t <= T; t++) {
      const cur = loftqInit(w, [64, 96], { rank, scale, iterations: t });
      const input = target(w, prev.B, prev.A, 64, 96, rank, scale);
      expect(cur.quantizerInput).toEqual(input);
      const q = quantizeNF4Weight(input);
      expect(cur.q.packed).toEqual(q.packed);
      expect(cur.dequantized).toEqual(dequantizeNF4Weight(q));
      // The prefix of a longer run is the shorter run.
      expect(cur.residualNorms).toEqual(full.residualNorms.slice(0, t));
      // Eckart–Young: the new rank-r factors are the best correction of W − dequant(Q_t).
      const keep = lowRankResidualNorm(minus(w, cur.dequantized), prev.B, prev.A, 64, 96, rank, scale);
      expect(cur.residualNorms[t - 1]).toBeLessThanOrEqual(keep);
      prev = cur;
    }
  });

  it('lowers the residual on this seeded matrix at every step (observed here; the paper proves no monotonicity)', () => {
    for (let t = 1; t < T; t++) expect(full.residualNorms[t]).toBeLessThanOrEqual(full.residualNorms[t - 1]);
    expect(full.residualNorms[T - 1]).toBeLessThan(full.residualNorms[0]);
  });

  it('starts below plain QLoRA: ‖W − dequant(Q) − scale · B A‖ < ‖W − dequant(NF4(W))‖ on a matrix with outlier columns', () => {
    const zeroB = frobenius(minus(w, dequantizeNF4Weight(quantizeNF4Weight(w))));
    expect(full.quantizationErrorNorms[0]).toBeCloseTo(zeroB, 12);
    const rebuilt = minus(minus(w, full.dequantized), product(full.B, full.A, 64, 96, rank).map((x) => scale * x));
    expect(Math.abs(frobenius(rebuilt) - full.residualNorms[T - 1])).toBeLessThan(1e-9 * zeroB);
    expect(full.residualNorms[0]).toBeLessThan(zeroB);
    expect(full.residualNorms[T - 1]).toBeLessThan(zeroB);
  });
});

describe('lowRankResidualNorm', () => {
  it('is ‖R − scale · B A‖_F', () => {
    // R = [[1, 2], [3, 4]], B = [1; 1], A = [1, 1], scale 2: R − 2 B A = [[−1, 0], [1, 2]].
    expect(lowRankResidualNorm([1, 2, 3, 4], [1, 1], [1, 1], 2, 2, 1, 2)).toBeCloseTo(Math.sqrt(6), 14);
  });
});

describe('loftqInit: bad inputs', () => {
  const ok = { rank: 2, scale: 1 };
  it.each([
    ['a shape that is not two whole numbers', () => loftqInit(new Float32Array(6), [2.5, 3] as [number, number], ok), /shape \[out, in\]/],
    ['a weight of the wrong length', () => loftqInit(new Float32Array(5), [2, 3], ok), /has 6 entries, got 5/],
    ['a NaN weight, naming its row and column', () => loftqInit(Float32Array.from([0, 1, 2, 3, Number.NaN, 5]), [2, 3], ok), /W\[4\] \(row 1, column 1\) is NaN/],
    ['an infinite weight', () => loftqInit(Float32Array.from([Infinity, 1, 2, 3, 4, 5]), [2, 3], ok), /finite weights/],
    ['rank 0', () => loftqInit(new Float32Array(6), [2, 3], { rank: 0, scale: 1 }), /from 1 to min\(out, in\) = 2, got 0/],
    ['a rank above min(out, in)', () => loftqInit(new Float32Array(6), [2, 3], { rank: 3, scale: 1 }), /= 2, got 3/],
    ['a fractional rank', () => loftqInit(new Float32Array(6), [2, 3], { rank: 1.5, scale: 1 }), /rank/],
    ['zero iterations', () => loftqInit(new Float32Array(6), [2, 3], { ...ok, iterations: 0 }), /alternating steps.*got 0/],
    ['too many iterations', () => loftqInit(new Float32Array(6), [2, 3], { ...ok, iterations: LOFTQ_MAX_ITERATIONS + 1 }), new RegExp(`from 1 to ${LOFTQ_MAX_ITERATIONS}`)],
    ['a zero scale', () => loftqInit(new Float32Array(6), [2, 3], { rank: 1, scale: 0 }), /scale \(α \/ r\) must be a finite number > 0, got 0/],
    ['a NaN scale', () => loftqInit(new Float32Array(6), [2, 3], { rank: 1, scale: Number.NaN }), /scale/],
    ['a bad block size', () => loftqInit(new Float32Array(6), [2, 3], { ...ok, blockSize: 0 }), /blockSize/],
    ['a bad double-quantization block', () => loftqInit(new Float32Array(6), [2, 3], { ...ok, dqBlockSize: 2.5 }), /dqBlockSize/],
  ])('throws a RangeError for %s', (_name, call, message) => {
    expect(call).toThrow(RangeError);
    expect(call).toThrow(message);
  });
});
