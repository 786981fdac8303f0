import { describe, expect, it } from 'vitest';
import { normalArray } from '../random';
import { int8Vectorwise, llmInt8Matmul } from './llm-int8';
import { w8a8Matmul } from './activation-quant';
import { REF_COLS, REF_N, REF_ROWS, refW, refXInt8 } from './reference-case.test-data';

// Rules: docs/numerics.md "Beyond round-to-nearest" (LLM.int8()); bitsandbytes int8_vectorwise_quant,
// int8_mixed_scaled_mm, int8_mm_dequant.

/** y = X Wᵀ in float64, summed in column order. */
function floatMatmul(x: ArrayLike<number>, w: ArrayLike<number>, n: number, m: number, k: number): Float64Array {
  const y = new Float64Array(n * m);
  for (let i = 0; i < n; i++) for (let c = 0; c < m; c++) { let s = 0; for (let j = 0; j < k; j++) s += x[i * k + j] * w[c * k + j]; y[i * m + c] = s; }
  return y;
}

describe('llmInt8Matmul: a hand-computed case', () => {
  // X = [[1, −2, 8], [0.5, 0, −1]], W = [[1, 0, 2], [−1, 3, 0.5]], threshold 6 → column 2 is an outlier (8 ≥ 6).
  // cx: row 0 over |v| < 6 → 2; row 1 → 1 (its −1 in the outlier column counts: only values ≥ 6 are left out).
  // X codes: row 0: 1·63.5 → 64 (tie to even), −2·63.5 = −127, outlier column → 0; row 1: 0.5·127 = 63.5 → 64, 0, 0.
  // W per row over all columns: cw = [2, 3]; row 0: 63.5 → 64, 0, 127; row 1: −42.33 → −42, 127, 21.17 → 21.
  // acc = [[64·64, 64·(−42) − 127·127], [64·64, 64·(−42)]] = [[4096, −18817], [4096, −2688]].
  // y = acc·cx·cw/127² + X_out W_outᵀ: [[16384/16129 + 16, −112902/16129 + 4], [8192/16129 − 2, −8064/16129 − 0.5]].
  const x = [1, -2, 8, 0.5, 0, -1];
  const w = [1, 0, 2, -1, 3, 0.5];
  it('outlier column [2], codes, scales and y', () => {
    const r = llmInt8Matmul(x, [2, 3], w, [2, 3]);
    expect(r.outlierColumns).toEqual([2]);
    expect(Array.from(r.xAbsmax)).toEqual([2, 1]);
    expect(Array.from(r.wAbsmax)).toEqual([2, 3]);
    expect(Array.from(r.xCodes)).toEqual([64, -127, 0, 64, 0, 0]);
    expect(Array.from(r.wCodes)).toEqual([64, 0, 127, -42, 127, 21]);
    const expected = [16384 / 16129 + 16, -112902 / 16129 + 4, 8192 / 16129 - 2, -8064 / 16129 - 0.5];
    expected.forEach((v, i) => expect(r.y[i]).toBeCloseTo(v, 5));
  });
  it('an all-zero token gets scale 0 and codes 0', () => {
    const r = int8Vectorwise([0, 0, 0, 1, -1, 0.5], [2, 3]);
    expect(Array.from(r.absmax)).toEqual([0, 1]);
    expect(Array.from(r.codes)).toEqual([0, 0, 0, 127, -127, 64]);
  });
});

describe('llmInt8Matmul: the two ends of the threshold', () => {
  const n = 20, m = 9, k = 16;
  const x = normalArray(n * k, 71, 0, 3);
  const w = normalArray(m * k, 72, 0, 0.1);
  it('threshold = ∞ is the pure int8 path: per-token and per-channel absmax codes, y = acc · cx · cw / 127²', () => {
    const r = llmInt8Matmul(x, [n, k], w, [m, k], { threshold: Infinity });
    expect(r.outlierColumns).toEqual([]);
    for (let i = 0; i < n; i++) {
      const ax = Math.max(...Array.from(x.subarray(i * k, (i + 1) * k), Math.abs));
      for (let c = 0; c < m; c++) {
        const aw = Math.max(...Array.from(w.subarray(c * k, (c + 1) * k), Math.abs));
        let acc = 0;
        for (let j = 0; j < k; j++) {
          // Oracle: brute-force nearest of 255 levels, ties to the even code.
          const nearest = (v: number, a: number): number => {
            let best = 0;
            for (let q = -127; q <= 127; q++) {
              const d = Math.abs(v * (127 / a) - q), db = Math.abs(v * (127 / a) - best);
              if (d < db || (d === db && q % 2 === 0)) best = q;
            }
            return best;
          };
          acc += nearest(x[i * k + j], ax) * nearest(w[c * k + j], aw);
        }
        expect(r.y[i * m + c]).toBe(Math.fround((acc * ax * aw) / 16129));
      }
    }
  });
  it('threshold = 0 keeps every column in float: y is the float matmul', () => {
    const r = llmInt8Matmul(x, [n, k], w, [m, k], { threshold: 0 });
    expect(r.outlierColumns).toEqual(Array.from({ length: k }, (_, j) => j));
    expect(Array.from(r.y)).toEqual(Array.from(floatMatmul(x, w, n, m, k), Math.fround));
  });
  it('with no outliers it is W8A8 per token × per channel (same codes, /127 scales)', () => {
    const a = llmInt8Matmul(x, [n, k], w, [m, k], { threshold: Infinity });
    const b = w8a8Matmul(x, [n, k], w, [m, k], { activations: { granularity: 'per-token' } });
    for (let i = 0; i < n * m; i++) expect(a.y[i]).toBeCloseTo(b.y[i], 5);
  });
});

describe('llmInt8Matmul: reference check values', () => {
  // Produced by scripts/reference/gptq_awq_check.py (bitsandbytes' default-backend int8_vectorwise_quant and
  // int8_scaled_mm in torch float64, outlier columns with the float weight); rerun with
  // `/usr/bin/python3 scripts/reference/gptq_awq_check.py`.
  const x = refXInt8(), w = refW();
  const r = llmInt8Matmul(x, [REF_N, REF_COLS], w, [REF_ROWS, REF_COLS], { threshold: 6 });
  it('outlier column [7], token 0’s codes, y', () => {
    expect(r.outlierColumns).toEqual([7]);
    expect(Array.from(r.xCodes.subarray(0, 10))).toEqual([-10, 4, 57, 86, -5, 0, 21, 0, -18, 20]);
    [1.7206315651390014, -2.2130471245069914, 2.149446577940064, 1.5083953291609662].forEach((v, c) => expect(r.y[c]).toBe(Math.fround(v)));
    [0.60252927517638155, -1.0076175429353311, -0.23746789744257435, -1.2136521767860688].forEach((v, c) => expect(r.y[63 * REF_ROWS + 12 + c]).toBe(Math.fround(v)));
  });
  it('output MSE against the float product: 2.27e-4 with the decomposition, 5.21e-3 all-int8', () => {
    const yf = floatMatmul(x, w, REF_N, REF_ROWS, REF_COLS);
    const mseOf = (y: Float32Array): number => y.reduce((s, v, i) => s + (v - yf[i]) ** 2, 0) / y.length;
    expect(mseOf(r.y)).toBeCloseTo(0.00022674971599461645, 9);
    expect(mseOf(llmInt8Matmul(x, [REF_N, REF_COLS], w, [REF_ROWS, REF_COLS], { threshold: Infinity }).y)).toBeCloseTo(0.0052110189328535188, 8);
  });
  it('rejects bad input', () => {
    expect(() => llmInt8Matmul([1, 2], [1, 2], [1, 2, 3], [1, 3])).toThrow(/x has 2 columns but w has 3/);
    expect(() => llmInt8Matmul([1, 2], [1, 2], [1, 2], [1, 2], { threshold: -1 })).toThrow(/threshold/);
    expect(() => llmInt8Matmul([1, NaN], [1, 2], [1, 2], [1, 2])).toThrow(/x\[1\] \(row 0, column 1\) is NaN/);
  });
});
