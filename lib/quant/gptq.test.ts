import { describe, expect, it } from 'vitest';
import { normalArray } from '../random';
import { gptq, gptqGridParams, gptqHessian, gptqProxyLoss, gptqRoundToNearest, type GptqOptions } from './gptq';
import { createHash } from 'node:crypto';
import { REF_COLS, REF_N, REF_ROWS, referenceInputs, referenceWeight, refW, refX } from './reference-case.test-data';
import * as quant from './index';

// Rules: docs/numerics.md "Beyond round-to-nearest" (GPTQ); IST-DASLab gptq.py `fasterquant`, quant.py `Quantizer`.

/** Correlated calibration inputs: x_tj = z_tj + 0.8 z_t,j+1 + (channel gain), so H is far from diagonal. */
function correlatedInputs(n: number, cols: number, seed: number): Float32Array {
  const z = normalArray(n * (cols + 1), seed);
  const x = new Float32Array(n * cols);
  for (let t = 0; t < n; t++) {
    for (let j = 0; j < cols; j++) x[t * cols + j] = (z[t * (cols + 1) + j] + 0.8 * z[t * (cols + 1) + j + 1]) * (1 + (j % 5));
  }
  return x;
}

const hexRows = (q: Int32Array, rows: number, cols: number): string[] =>
  Array.from({ length: rows }, (_, r) => Array.from(q.subarray(r * cols, (r + 1) * cols), (v) => v.toString(16)).join(''));

describe('gptqGridParams (quant.py Quantizer.find_params, mse = False)', () => {
  it('affine: [−1, 2] at 2 bits → scale 3/3 = 1, zero round(1) = 1', () => {
    expect(gptqGridParams(-1, 2, 2, false)).toEqual({ scale: 1, zero: 1 });
  });
  it('the range is widened to hold 0: [0.5, 3] → [0, 3], scale 1, zero 0', () => {
    expect(gptqGridParams(0.5, 3, 2, false)).toEqual({ scale: 1, zero: 0 });
  });
  it('symmetric: [−1, 2] → [−2, 2], scale 4/3, zero 2^(2−1) = 2', () => {
    expect(gptqGridParams(-1, 2, 2, true)).toEqual({ scale: 4 / 3, zero: 2 });
  });
  it('symmetric with no negative value keeps xmin = 0 (the reference only mirrors xmin < 0): scale 3/3, zero 2', () => {
    expect(gptqGridParams(0.5, 3, 2, true)).toEqual({ scale: 1, zero: 2 });
    // so the row's maximum codes to clamp(3 + 2, 0, 3) = 3 and dequantizes to 1·(3 − 2) = 1, not 3:
    const r = gptqRoundToNearest([0.5, 3], [1, 2], { bits: 2, symmetric: true });
    expect(Array.from(r.q)).toEqual([2, 3]); // round(0.5) = 0 (half to even), + 2
    expect(Array.from(r.weight)).toEqual([0, 1]);
  });
  it('an all-zero slice gets [−1, 1]: scale 2/3, zero round(1.5) = 2 (half to even)', () => {
    expect(gptqGridParams(0, 0, 2, false)).toEqual({ scale: 2 / 3, zero: 2 });
  });
});

describe('gptq: a hand-computed 1 × 2 case', () => {
  // W = [0.5, 0.9], H = [[4, 1.8], [1.8, 1]], no dampening, 2 bits. Grid [0, 0.9]: scale 0.3, zero 0.
  // H⁻¹ = (1/0.76) [[1, −1.8], [−1.8, 4]]; its upper Cholesky factor U = [[1/√0.76, −1.8/√0.76], [0, 1]].
  // Column 0: q = round(0.5/0.3 = 1.67) = 2 → 0.6; err = (0.5 − 0.6)/U00 = −0.1·√0.76.
  // Column 1: 0.9 − err·U01 = 0.9 − 0.18 = 0.72 → round(2.4) = 2 → 0.6 (round-to-nearest gives 3 → 0.9).
  // Loss Σ err²/2 = (0.01·0.76 + 0.12²)/2 = 0.011. Proxy δHδᵀ: GPTQ δ = [−0.1, 0.3] → 0.04 + 0.09 − 0.108 = 0.022;
  // round-to-nearest δ = [−0.1, 0] → 0.04.
  const w = [0.5, 0.9];
  const h = [4, 1.8, 1.8, 1];
  it('codes [2, 2], weights [0.6, 0.6], loss 0.011', () => {
    const r = gptq(w, [1, 2], h, { bits: 2, dampPercent: 0 });
    expect(Array.from(r.q)).toEqual([2, 2]);
    expect(r.weight[0]).toBeCloseTo(0.6, 6);
    expect(r.weight[1]).toBeCloseTo(0.6, 6);
    expect(r.scale[0]).toBeCloseTo(0.3, 15);
    expect(r.zero[0]).toBe(0);
    expect(r.loss).toBeCloseTo(0.011, 14);
  });
  it('proxy loss 0.022 against round-to-nearest’s 0.04', () => {
    const r = gptq(w, [1, 2], h, { bits: 2, dampPercent: 0 });
    const rtn = gptqRoundToNearest(w, [1, 2], { bits: 2 });
    expect(Array.from(rtn.q)).toEqual([2, 3]);
    expect(gptqProxyLoss(w, r.weight, [1, 2], h)).toBeCloseTo(0.022, 6);
    expect(gptqProxyLoss(w, rtn.weight, [1, 2], h)).toBeCloseTo(0.04, 6);
  });
});

describe('gptq: reference check values', () => {
  // Produced by scripts/reference/gptq_awq_check.py (torch float64 re-implementation of gptq.py
  // fasterquant + quant.py Quantizer); rerun with `/usr/bin/python3 scripts/reference/gptq_awq_check.py`.
  const W = refW();
  const H = gptqHessian(refX(), [REF_N, REF_COLS]);
  const shape: [number, number] = [REF_ROWS, REF_COLS];
  it('H = 2/n XᵀX matches the script exactly (every value is dyadic)', () => {
    expect(H[0]).toBe(2.4540786743164062);
    expect(H[7 * REF_COLS + 7]).toBe(13291.78125);
    expect(H[1]).toBe(-0.1416778564453125);
    expect(H[5 * REF_COLS + 5]).toBe(0); // the dead column
  });
  const cases: { o: GptqOptions; codes: string[]; loss: number; q0: number[]; order?: number[] }[] = [
    {
      o: { bits: 4 },
      codes: ['468b18c90a47ae4fe5a843153ca64ce3', '4e5867daee35a1728d50e2c04042c628', 'be00e765afc760eb888057e4a2de7650', 'ac78d806a1444d89af75fd97b4fc0381', '987708fc8d5af6c9a209e20f5756b532', 'bb8868b2ea88b6a579bdff4d3d202c4b', 'd7d7a8a58222e5a858f24c88bc7b4a3f', '543037eb1cb85a67259a5a99baedf483', '265987e1c0c51c4bb54ec0a6d359e9c7', 'd783c8e86b10bf48b3b5efa7df7328bb', '67a1d8e6f334d23eed99d94a7f3c925c', '816b97e9820b840d5fd566738b19c064', '794ea75782fa6dc80e3b90102559bf0e', '294497fb1ccd0ee9548b2dc29f1d5ea5', 'e66bb8d5afde8cbf16096b61b1de657d', '98d3f7ca8f3c4c5dca199759cbaf89aa'],
      loss: 34.576805585915004,
      q0: [-0.25716072718302407, -0.12858036359151204, 0, 0.19287054538726806],
    },
    {
      o: { bits: 3, groupSize: 8, actOrder: true, blockSize: 16 },
      codes: ['35253443173255277353100105333770', '07253267770451322620726000126306', '46007133477400762441237332771230', '44445413401126455732755451760140', '54430475473472644004701722326220', '66345450767451633567762705002626', '52721352300074432370264367430417', '21100477052547042225363577766222', '02141370503207055307604372146453', '62324375240057055053774567220357', '02503273700260077634640527062026', '40264264411630070762123014057031', '45167423427436540715600013246707', '25217575067705743135265066074752', '40460373354737570004162071761137', '42717265172605375304313455672255'],
      loss: 94.948185400920551,
      q0: [-0.12746234604882128, 0, -0.12287940297807966, 0.229591965675354],
      order: [7, 31, 27, 3, 15, 23, 11, 19, 22, 30, 26, 18, 14, 6, 10, 2, 1, 25, 17, 9, 29, 21, 13, 8, 12, 20, 4, 28, 0, 16, 24, 5],
    },
    {
      o: { bits: 4, groupSize: 16, blockSize: 8, symmetric: true },
      codes: ['468b18c90a47ae4ff5b942152ca64cf2', '5f6978ebff46b2839d61e3d16054d749', 'cf11f876bfd871fc999168f5b2df8761', 'ac78d806a2444d89af75fc97a4fc0481', '987718fc8c4af6c9a319d31f5767b542', 'cb8868c0fbc8c1c659dcfb6d18035c6a', 'd7d7a8a58222e5a858f24c88bc6b493f', '654138fd2c995f58568a7d99ddfbd685', '376a98f2d1c61e5cc65fd2b7f56afad8', 'd783c8e86b21bf38a3a5df97df6428bb', '67a1d8d6e444d14dfea9e93b5f2e915d', '927ca8fa931c951e6fe677849c2ac175', '8a4fb86893fb7ed91e5cb032366acf2f', '3a55a8fc2dee0ffa768b4dc4af3d6ea6', 'e65cb8e5bfcf8dbf25097c62b3dd667d', 'a9e4f8db9f4d5d6ecb29a86adcbf9aba'],
      loss: 36.577132242390029,
      q0: [-0.2578702926635742, -0.1289351463317871, 0, 0.19340271949768065],
    },
  ];
  for (const c of cases) {
    it(`${JSON.stringify(c.o)}: every code equals the reference’s, loss and weights to float precision`, () => {
      const r = gptq(W, shape, H, c.o);
      expect(hexRows(r.q, REF_ROWS, REF_COLS)).toEqual(c.codes);
      expect(Math.abs(r.loss / c.loss - 1)).toBeLessThan(1e-12);
      c.q0.forEach((v, j) => expect(r.weight[j]).toBe(Math.fround(v)));
      if (c.order) expect(Array.from(r.order)).toEqual(c.order);
    });
  }
});

describe('gptq: reference check values on a larger case (64 × 128, 512 tokens)', () => {
  // Same script ("a larger case"): the MD5 of the comma-joined codes, so all 8192 codes are compared.
  const W = referenceWeight(64, 128, 7);
  const H = gptqHessian(referenceInputs(512, 128, 8, 1 / 16), [512, 128]);
  const cases: [GptqOptions, string, number][] = [
    [{ bits: 4 }, 'd454d335782d0bf306bdad996d92b7b7', 179.12176000586604],
    [{ bits: 3, groupSize: 32, actOrder: true }, 'c67c3bdf2b27afc70c30b7657c4d49b2', 810.95037467774364],
    [{ bits: 4, groupSize: 64, symmetric: true, blockSize: 32 }, '0422d98edd1484b0de0ffccc2bef9170', 183.44516236368631],
  ];
  for (const [o, md5, loss] of cases) {
    it(`${JSON.stringify(o)}: codes MD5 ${md5}`, () => {
      const r = gptq(W, [64, 128], H, o);
      expect(createHash('md5').update(Array.from(r.q).join(',')).digest('hex')).toBe(md5);
      expect(Math.abs(r.loss / loss - 1)).toBeLessThan(1e-12);
    });
  }
});

describe('gptq: properties', () => {
  const seeded: { rows: number; cols: number; seed: number; o: GptqOptions }[] = [
    { rows: 12, cols: 24, seed: 11, o: { bits: 4 } },
    { rows: 12, cols: 24, seed: 12, o: { bits: 3, groupSize: 8 } },
    { rows: 8, cols: 32, seed: 13, o: { bits: 4, groupSize: 16, actOrder: true, blockSize: 8 } },
    { rows: 8, cols: 32, seed: 14, o: { bits: 2, symmetric: true } },
    { rows: 10, cols: 30, seed: 15, o: { bits: 3, groupSize: 10, actOrder: true, symmetric: true, blockSize: 7 } },
  ];

  it('the proxy loss tr((W−Q)H(W−Q)ᵀ) is at or below round-to-nearest’s on the same grid', () => {
    for (const { rows, cols, seed, o } of seeded) {
      const w = normalArray(rows * cols, seed, 0, 0.1);
      const h = gptqHessian(correlatedInputs(128, cols, seed + 100), [128, cols]);
      const g = gptq(w, [rows, cols], h, o);
      const rtn = gptqRoundToNearest(w, [rows, cols], o);
      const lg = gptqProxyLoss(w, g.weight, [rows, cols], h);
      const lr = gptqProxyLoss(w, rtn.weight, [rows, cols], h);
      expect(lg, JSON.stringify(o)).toBeLessThanOrEqual(lr);
    }
  });

  it('with H = I it equals round-to-nearest on the same grid (no error is fed back)', () => {
    for (const { rows, cols, seed, o } of seeded) {
      const w = normalArray(rows * cols, seed, 0, 0.1);
      const eye = new Float64Array(cols * cols);
      for (let j = 0; j < cols; j++) eye[j * cols + j] = 1;
      const g = gptq(w, [rows, cols], eye, o);
      const rtn = gptqRoundToNearest(w, [rows, cols], o);
      expect(Array.from(g.q), JSON.stringify(o)).toEqual(Array.from(rtn.q));
      expect(Array.from(g.weight)).toEqual(Array.from(rtn.weight));
    }
  });

  it('without dampening, 2 × its loss is the proxy loss (each column’s error is an independent term of δHδᵀ)', () => {
    const w = normalArray(8 * 16, 21, 0, 0.1);
    const h = gptqHessian(correlatedInputs(64, 16, 22), [64, 16]);
    const g = gptq(w, [8, 16], h, { bits: 3, dampPercent: 0, blockSize: 5 });
    const wd = Float64Array.from(w);
    const q = new Float64Array(8 * 16);
    for (let i = 0; i < q.length; i++) q[i] = g.scale[Math.floor(i / 16)] * (g.q[i] - g.zero[Math.floor(i / 16)]);
    expect(gptqProxyLoss(wd, q, [8, 16], h) / (2 * g.loss)).toBeCloseTo(1, 10);
  });

  it('lazy block updates change nothing: block sizes 1, 5 and 128 give the same codes', () => {
    const w = normalArray(6 * 20, 31, 0, 0.1);
    const h = gptqHessian(correlatedInputs(64, 20, 32), [64, 20]);
    const codes = [1, 5, 128].map((blockSize) => Array.from(gptq(w, [6, 20], h, { bits: 3, blockSize }).q));
    expect(codes[1]).toEqual(codes[0]);
    expect(codes[2]).toEqual(codes[0]);
  });

  it('act-order returns results in the original column order', () => {
    const rows = 6, cols = 12;
    const w = normalArray(rows * cols, 41, 0, 0.1);
    const h = gptqHessian(correlatedInputs(64, cols, 42), [64, cols]);
    // Permute W's columns and H's rows and columns by π: the result must be the same permutation of the original's.
    const pi = [3, 0, 11, 7, 1, 9, 2, 10, 4, 8, 6, 5];
    const wp = new Float32Array(rows * cols);
    const hp = new Float64Array(cols * cols);
    for (let r = 0; r < rows; r++) for (let j = 0; j < cols; j++) wp[r * cols + j] = w[r * cols + pi[j]];
    for (let i = 0; i < cols; i++) for (let j = 0; j < cols; j++) hp[i * cols + j] = h[pi[i] * cols + pi[j]];
    const o: GptqOptions = { bits: 3, groupSize: 4, actOrder: true };
    const a = gptq(w, [rows, cols], h, o);
    const b = gptq(wp, [rows, cols], hp, o);
    for (let r = 0; r < rows; r++) {
      for (let j = 0; j < cols; j++) {
        expect(b.q[r * cols + j]).toBe(a.q[r * cols + pi[j]]);
        expect(b.weight[r * cols + j]).toBe(a.weight[r * cols + pi[j]]);
      }
    }
    // Columns were visited by descending diag(H), and each column's group follows that order.
    const diag = Array.from(a.order, (j) => h[j * cols + j]);
    for (let p = 1; p < cols; p++) expect(diag[p]).toBeLessThanOrEqual(diag[p - 1]);
    a.order.forEach((j, p) => expect(a.groupIndex[j]).toBe(Math.floor(p / 4)));
    // And each weight dequantizes with its own group's scale and zero.
    for (let r = 0; r < rows; r++) {
      for (let j = 0; j < cols; j++) {
        const g = r * 3 + a.groupIndex[j];
        expect(a.weight[r * cols + j]).toBe(Math.fround(a.scale[g] * (a.q[r * cols + j] - a.zero[g])));
      }
    }
  });

  it('dead columns (H_jj = 0) quantize to the zero point, with no NaN', () => {
    const rows = 4, cols = 8;
    const x = correlatedInputs(32, cols, 51);
    for (let t = 0; t < 32; t++) { x[t * cols + 2] = 0; x[t * cols + 6] = 0; }
    const h = gptqHessian(x, [32, cols]);
    const w = normalArray(rows * cols, 52, 0, 0.1);
    for (const o of [{ bits: 4 }, { bits: 3, groupSize: 4, actOrder: true }] as GptqOptions[]) {
      const r = gptq(w, [rows, cols], h, o);
      for (let i = 0; i < r.weight.length; i++) expect(Number.isFinite(r.weight[i])).toBe(true);
      for (let row = 0; row < rows; row++) {
        for (const j of [2, 6]) {
          expect(r.weight[row * cols + j]).toBe(0);
          expect(r.q[row * cols + j]).toBe(r.zero[row * r.scale.length / rows + r.groupIndex[j]]);
        }
      }
    }
  });
});

describe('lib/quant index', () => {
  it('exports the beyond-round-to-nearest API', () => {
    const names = [
      'gptq', 'gptqHessian', 'gptqGridParams', 'gptqRoundToNearest', 'gptqProxyLoss',
      'awq', 'awqScales', 'awqPseudoQuantize', 'llmInt8Matmul', 'int8Vectorwise',
      'channelAbsmax', 'smoothQuantScales', 'smoothQuant', 'quantizeActivations', 'quantizeWeightsAbsmax', 'w8a8Matmul',
    ] as const;
    for (const name of names) expect(typeof quant[name], name).toBe('function');
  });
});

describe('gptq: input checks', () => {
  const w = [0.1, 0.2, 0.3, 0.4];
  const h = [1, 0, 0, 1];
  it('rejects bad shapes, bits, group sizes, block sizes, dampening and Hessians', () => {
    expect(() => gptq(w, [2, 3], h, { bits: 4 })).toThrow(/needs 6 values, got 4/);
    expect(() => gptq(w, [2, 2], h, { bits: 1 })).toThrow(/bits must be a whole number from 2 to 8, got 1/);
    expect(() => gptq(w, [2, 2], h, { bits: 9 })).toThrow(/got 9/);
    expect(() => gptq(w, [1, 4], new Float64Array(16).fill(0).map((_, i) => (i % 5 === 0 ? 1 : 0)), { bits: 4, groupSize: 3 })).toThrow(/groupSize 3 does not divide the 4 columns/);
    expect(() => gptq(w, [2, 2], h, { bits: 4, blockSize: 0 })).toThrow(/blockSize/);
    expect(() => gptq(w, [2, 2], h, { bits: 4, dampPercent: -1 })).toThrow(/dampPercent/);
    expect(() => gptq(w, [2, 2], [1, 0, 0], { bits: 4 })).toThrow(/2 × 2 = 4 values, got 3/);
    expect(() => gptq(w, [2, 2], [1, 0.5, 0, 1], { bits: 4 })).toThrow(/not symmetric/);
    expect(() => gptq(w, [2, 2], [1, 0, 0, -1], { bits: 4 })).toThrow(/diagonal entry 1 is -1/);
    expect(() => gptq(w, [2, 2], [1, 2, 2, 1], { bits: 4, dampPercent: 0 })).toThrow(/not positive definite; raise dampPercent/);
    expect(() => gptq([0.1, NaN, 0, 0], [2, 2], h, { bits: 4 })).toThrow(/w\[1\] \(row 0, column 1\) is NaN/);
    expect(() => gptq(w, [2, 2], [1, 0, 0, Infinity], { bits: 4 })).toThrow(/hessian\[3\]/);
    expect(() => gptqHessian([1, 2, 3], [2, 2])).toThrow(/needs 4 values/);
  });
});
