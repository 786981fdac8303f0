import { describe, expect, it } from 'vitest';
import { normalArray } from '../random';
import { awq, awqPseudoQuantize, awqScales } from './awq';
import { REF_COLS, REF_N, REF_ROWS, referenceInputs, referenceWeight, refW, refX } from './reference-case.test-data';

// Rules: docs/numerics.md "Beyond round-to-nearest" (AWQ); llm-awq auto_scale.py `_search_module_scale`,
// quantizer.py `pseudo_quantize_tensor`.

/** mean((X Wᵀ − X W'ᵀ)²), computed directly in float64 as the test oracle. */
function outputMse(x: ArrayLike<number>, w: ArrayLike<number>, wq: ArrayLike<number>, n: number, rows: number, cols: number): number {
  let s = 0;
  for (let t = 0; t < n; t++) {
    for (let r = 0; r < rows; r++) {
      let a = 0, b = 0;
      for (let j = 0; j < cols; j++) {
        a += x[t * cols + j] * w[r * cols + j];
        b += x[t * cols + j] * wq[r * cols + j];
      }
      s += (a - b) ** 2;
    }
  }
  return s / (n * rows);
}

/** Activations with a few salient channels (gain 10) so that scaling matters. */
function salientInputs(n: number, cols: number, seed: number): Float32Array {
  const x = normalArray(n * cols, seed);
  for (let t = 0; t < n; t++) for (let j = 0; j < cols; j += 7) x[t * cols + j] *= 10;
  return x;
}

describe('awqPseudoQuantize (zero point, range not widened to 0)', () => {
  it('[−1, 0, 0.5, 2] at 2 bits: scale 3/3 = 1, zero −round(−1) = 1, codes [0, 1, 1, 3], values [−1, 0, 0, 2]', () => {
    // round(0.5) = 0 (half to even), + 1 = 1.
    const r = awqPseudoQuantize([-1, 0, 0.5, 2], [1, 4], { bits: 2, groupSize: 4 });
    expect(Array.from(r.scale)).toEqual([1]);
    expect(Array.from(r.zero)).toEqual([1]);
    expect(Array.from(r.q)).toEqual([0, 1, 1, 3]);
    expect(Array.from(r.weight)).toEqual([-1, 0, 0, 2]);
  });
  it('[1, 2, 3, 4]: zero −round(1) = −1 clamps to 0, so 4 codes to 3 and the group loses its top: [1, 2, 3, 3]', () => {
    const r = awqPseudoQuantize([1, 2, 3, 4], [1, 4], { bits: 2, groupSize: -1 });
    expect(Array.from(r.zero)).toEqual([0]);
    expect(Array.from(r.q)).toEqual([1, 2, 3, 3]);
    expect(Array.from(r.weight)).toEqual([1, 2, 3, 3]);
  });
  it('a constant group takes scale 1e-5/(2^b − 1); groups run along rows', () => {
    const r = awqPseudoQuantize([5, 5, -1, 1], [2, 2], { bits: 4, groupSize: 2 });
    expect(r.scale[0]).toBe(1e-5 / 15);
    expect(r.scale[1]).toBe(2 / 15);
    // [5, 5]: zero −round(5/scale) clamps to 0 and the codes to 15, so the group dequantizes to 1e-5, not 5.
    expect(Array.from(r.q.subarray(0, 2))).toEqual([15, 15]);
    expect(r.weight[0]).toBeCloseTo(1e-5, 18);
    // [−1, 1]: scale 2/15, zero −round(−7.5) = 8 (half to even); −1 → round(−7.5) + 8 = 0 → −16/15;
    // 1 → round(7.5) + 8 = 16, clamped to 15 → 7 · 2/15 = 14/15. Neither end is on the grid.
    expect(Array.from(r.zero)).toEqual([0, 8]);
    expect(Array.from(r.q.subarray(2))).toEqual([0, 15]);
    expect(r.weight[2]).toBeCloseTo(-16 / 15, 15);
    expect(r.weight[3]).toBeCloseTo(14 / 15, 15);
  });
});

describe('awqScales', () => {
  it('mean |x| = [1, 4], α = 0.5: s = [1, 2] / √(2·1) = [1/√2, √2]', () => {
    const s = awqScales([1, 4], 0.5);
    expect(s[0]).toBeCloseTo(Math.SQRT1_2, 15);
    expect(s[1]).toBeCloseTo(Math.SQRT2, 15);
  });
  it('α = 0 gives s = 1; a silent channel is clamped at 1e-4 before normalising', () => {
    expect(Array.from(awqScales([3, 0, 7], 0))).toEqual([1, 1, 1]);
    const s = awqScales([1, 0], 1); // [1, 1e-4] / √(1e-4) = [100, 0.01]
    expect(s[0]).toBeCloseTo(100, 10);
    expect(s[1]).toBeCloseTo(0.01, 14);
  });
});

describe('awq: reference check values', () => {
  // Produced by scripts/reference/gptq_awq_check.py (torch float64 re-implementation of llm-awq's
  // _search_module_scale for one Linear + pseudo_quantize_tensor); rerun with
  // `/usr/bin/python3 scripts/reference/gptq_awq_check.py`.
  const W = refW(), X = refX();
  const cases = [
    {
      bits: 4, groupSize: 8, alpha: 0.4, error: 0.28921697115971562,
      losses: [1.6280837119306522, 1.3587446219432304, 1.0987131409253825, 1.0511235204272684, 0.92495872879441932, 0.48946043443206055, 0.55785998180544083, 0.49985464832284587, 0.28921697115971562, 0.43995326792709677, 0.42537067337866047, 0.33453129142246402, 0.48569994027978192, 0.32835377278606331, 0.35927841801351323, 0.47988495367092715, 0.61571918693060623, 0.64252339898741972, 0.746943639460113, 0.90311810078840005],
      w0: [-0.26073923919304043, -0.13858929238099807, 0, 0.21519220192017874],
    },
    {
      bits: 3, groupSize: 16, alpha: 0.35, error: 1.9032557084429014,
      losses: [8.4466310456195792, 7.4750230021295723, 7.3132677898444083, 2.9297156256947074, 4.0195776522644415, 3.3316314457431742, 2.6905482369644047, 1.9032557084429014, 2.4000894386340423, 2.7303669178849033, 3.1187113855196067, 2.7535331391357816, 2.7104040855153255, 3.2650302943476355, 3.6130929439689421, 3.5571927759920108, 4.4903784651440919, 4.6547344961248243, 5.5804604762808552, 7.092197433309626],
      w0: [-0.22063279619391915, -0.16323915444547518, 0, 0.20339554535801802],
    },
  ];
  for (const c of cases) {
    it(`${c.bits}-bit group ${c.groupSize}: α = ${c.alpha}, the α curve and W' as the reference`, () => {
      const r = awq(W, [REF_ROWS, REF_COLS], X, [REF_N, REF_COLS], { bits: c.bits, groupSize: c.groupSize });
      expect(r.alpha).toBe(c.alpha);
      expect(Math.abs(r.error / c.error - 1)).toBeLessThan(1e-12);
      c.losses.forEach((v, k) => expect(Math.abs(r.losses[k] / v - 1), `α = ${k}/20`).toBeLessThan(1e-12));
      c.w0.forEach((v, j) => expect(r.weight[j]).toBe(Math.fround(v)));
    });
  }
});

describe('awq: reference check values on a larger case (64 × 128, 512 tokens)', () => {
  // Same script ("a larger case").
  const W = referenceWeight(64, 128, 7), X = referenceInputs(512, 128, 8, 1 / 16);
  for (const [bits, groupSize, alpha, error] of [[4, 32, 0.35, 1.6788930103157935], [3, 64, 0.15, 9.2194560731971595]]) {
    it(`${bits}-bit group ${groupSize}: α = ${alpha}`, () => {
      const r = awq(W, [64, 128], X, [512, 128], { bits, groupSize });
      expect(r.alpha).toBe(alpha);
      expect(Math.abs(r.error / error - 1)).toBeLessThan(1e-12);
    });
  }
});

describe('awq: properties', () => {
  const rows = 12, cols = 28, n = 40;
  const w = normalArray(rows * cols, 61, 0, 0.05);
  const x = salientInputs(n, cols, 62);

  it('grid = 1 (α = 0 only) is plain pseudo-quantization', () => {
    const r = awq(w, [rows, cols], x, [n, cols], { bits: 3, groupSize: 14, grid: 1 });
    const plain = awqPseudoQuantize(w, [rows, cols], { bits: 3, groupSize: 14 });
    expect(r.alpha).toBe(0);
    expect(Array.from(r.scales)).toEqual(new Array(cols).fill(1));
    expect(Array.from(r.weight)).toEqual(Array.from(plain.weight, Math.fround));
  });

  it('the chosen error is the lowest on the α curve, so at or below α = 0’s', () => {
    for (const [bits, groupSize] of [[4, 14], [3, 7], [2, -1]]) {
      const r = awq(w, [rows, cols], x, [n, cols], { bits, groupSize });
      expect(r.error).toBeLessThanOrEqual(r.losses[0]);
      expect(r.error).toBe(Math.min(...r.losses));
      expect(r.losses.indexOf(r.error)).toBe(Math.round(r.alpha * 20)); // the first α with the lowest error
    }
  });

  it('its error is mean((X Wᵀ − X W′ᵀ)²) of the weight it returns, whichever way it sums (n < cols and n > cols)', () => {
    for (const [nn, cc] of [[5, 28], [60, 14]]) {
      const ww = normalArray(rows * cc, 63 + nn, 0, 0.05);
      const xx = salientInputs(nn, cc, 64 + nn);
      const r = awq(ww, [rows, cc], xx, [nn, cc], { bits: 3, groupSize: 7 });
      expect(outputMse(xx, ww, r.weight, nn, rows, cc) / r.error).toBeCloseTo(1, 4); // W' returned in float32
    }
  });

  it('the mean |x| it scales by, and the scales of the chosen α', () => {
    const r = awq(w, [rows, cols], x, [n, cols], { bits: 4, groupSize: 14 });
    let m0 = 0;
    for (let t = 0; t < n; t++) m0 += Math.abs(x[t * cols]);
    expect(r.activationMean[0]).toBeCloseTo(m0 / n, 12);
    const s = awqScales(r.activationMean, r.alpha);
    expect(Array.from(r.scales)).toEqual(Array.from(s, Math.fround));
  });

  it('rejects bad input', () => {
    expect(() => awq(w, [rows, cols], x, [n, cols - 1], { bits: 4, groupSize: 14 })).toThrow(/needs/);
    expect(() => awq(w, [rows, cols], x.subarray(0, n * (cols - 1)), [n, cols - 1], { bits: 4, groupSize: 14 })).toThrow(/x has 27 columns but w has 28/);
    expect(() => awq(w, [rows, cols], x, [n, cols], { bits: 4, groupSize: 5 })).toThrow(/groupSize 5 does not divide the 28 columns/);
    expect(() => awq(w, [rows, cols], x, [n, cols], { bits: 4, groupSize: 14, grid: 0 })).toThrow(/grid must be/);
    expect(() => awq(w, [rows, cols], x, [n, cols], { bits: 10, groupSize: 14 })).toThrow(/bits/);
    expect(() => awq([Infinity], [1, 1], [1], [1, 1], { bits: 4, groupSize: 1 })).toThrow(/w\[0\] \(row 0, column 0\) is Infinity/);
    expect(() => awqScales([1, -1], 0.5)).toThrow(/activationMean\[1\] is -1/);
    expect(() => awqScales([1], 2)).toThrow(/alpha/);
  });
});
