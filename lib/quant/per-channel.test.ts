import { describe, expect, it } from 'vitest';
import { computeQParams, finiteMinMax, quantizeAffine, QPARAM_EPS } from './affine';
import { dequantizeGroupwise, dequantizePerChannel, quantizeGroupwise, quantizePerChannel } from './per-channel';
import { normalArray } from '../random';

const U8 = { bits: 8, signed: false, symmetric: false };
const S8SYM = { bits: 8, signed: true, symmetric: true };
const f = Math.fround;

// Row 0 is docs/numerics.md's check vector; row 1 is [-0.5, 0.25]-ranged: scale 0.75/255, zp 170.
const ROW0 = [-1, 0, 0.5, 2];
const ROW1 = [-0.5, -0.25, 0, 0.25];
const M = new Float32Array([...ROW0, ...ROW1]);

describe('quantizePerChannel (docs/numerics.md per-channel, PyTorch ch_axis)', () => {
  it('axis 0: one (scale, zp) per row, hand-computed 2×4', () => {
    const { q, scale, zeroPoint } = quantizePerChannel(M, [2, 4], { ...U8, axis: 0 });
    expect(Array.from(scale)).toEqual([f(3 / 255), f(0.75 / 255)]);
    expect(Array.from(zeroPoint)).toEqual([85, 170]);
    expect(Array.from(q)).toEqual([0, 85, 127, 255, 0, 85, 170, 255]);
    const xr = dequantizePerChannel(q, [2, 4], scale, zeroPoint, 0);
    expect(xr[2]).toBeCloseTo(0.49411765, 7);
    for (let i = 0; i < M.length; i++) expect(Math.abs(xr[i] - M[i])).toBeLessThanOrEqual(scale[i < 4 ? 0 : 1] / 2 + 1e-7);
  });

  it('axis 1: one (scale, zp) per column — the transposed matrix gives the transposed codes', () => {
    const t = new Float32Array(8);
    for (let r = 0; r < 4; r++) { t[r * 2] = ROW0[r]; t[r * 2 + 1] = ROW1[r]; }
    const { q, scale, zeroPoint } = quantizePerChannel(t, [4, 2], { ...U8, axis: 1 });
    expect(Array.from(scale)).toEqual([f(3 / 255), f(0.75 / 255)]);
    expect(Array.from(zeroPoint)).toEqual([85, 170]);
    expect(Array.from(q)).toEqual([0, 0, 85, 85, 127, 170, 255, 255]);
    const xr = dequantizePerChannel(q, [4, 2], scale, zeroPoint, 1);
    expect(xr[4]).toBeCloseTo(0.49411765, 7);
    expect(xr[5]).toBe(0);
    expect(xr[7]).toBeCloseTo(0.25, 6);
  });

  it('axis 0 vs axis 1 on the same matrix slice differently', () => {
    // [[1, 2], [3, 4]], signed symmetric: rows have absmax 2 and 4, columns 3 and 4.
    const x = new Float32Array([1, 2, 3, 4]);
    expect(Array.from(quantizePerChannel(x, [2, 2], { ...S8SYM, axis: 0 }).scale)).toEqual([f(2 / 127.5), f(4 / 127.5)]);
    expect(Array.from(quantizePerChannel(x, [2, 2], { ...S8SYM, axis: 1 }).scale)).toEqual([f(3 / 127.5), f(4 / 127.5)]);
  });

  it('signed symmetric per row reproduces the docs/numerics.md check: q = [-64, 0, 32, 127]', () => {
    const { q, scale, zeroPoint } = quantizePerChannel(M, [2, 4], { ...S8SYM, axis: 0 });
    expect(Array.from(q.subarray(0, 4))).toEqual([-64, 0, 32, 127]);
    expect(scale[0]).toBe(f(2 / 127.5));
    expect(Array.from(zeroPoint)).toEqual([0, 0]);
  });

  it('one outlier spoils only its own row’s scale', () => {
    const rows = 8, cols = 64;
    const x = normalArray(rows * cols, 5, 0, 0.02);
    const y = x.slice();
    y[3 * cols + 10] = 1.5;
    const a = quantizePerChannel(x, [rows, cols], { bits: 4, signed: true, symmetric: true, axis: 0 });
    const b = quantizePerChannel(y, [rows, cols], { bits: 4, signed: true, symmetric: true, axis: 0 });
    for (let r = 0; r < rows; r++) {
      if (r === 3) expect(b.scale[r]).toBeGreaterThan(5 * a.scale[r]);
      else expect(b.scale[r]).toBe(a.scale[r]);
    }
    const xr = dequantizePerChannel(b.q, [rows, cols], b.scale, b.zeroPoint, 0);
    const rowErr = (r: number) => { let s = 0; for (let c = 0; c < cols; c++) if (c !== 10 || r !== 3) s += (xr[r * cols + c] - y[r * cols + c]) ** 2; return s; };
    expect(rowErr(3)).toBeGreaterThan(10 * rowErr(2));
    // Per-tensor, by contrast, every row pays for the outlier.
    const t = quantizePerChannel(y, [1, rows * cols], { bits: 4, signed: true, symmetric: true, axis: 0 });
    expect(t.scale[0]).toBe(b.scale[3]);
  });

  it('agrees with quantizeAffine when there is one channel', () => {
    const x = normalArray(1000, 9, 0.3, 1);
    x[17] = Number.NaN; x[18] = Infinity; x[19] = -Infinity;
    for (const o of [U8, S8SYM, { bits: 4, signed: false, symmetric: true }, { bits: 3, signed: true, symmetric: false }]) {
      const { min, max } = finiteMinMax(x);
      const p = computeQParams(min, max, o);
      const ref = quantizeAffine(x, p.scale, p.zeroPoint, p.qmin, p.qmax);
      const row = quantizePerChannel(x, [1, 1000], { ...o, axis: 0 });
      const col = quantizePerChannel(x, [1000, 1], { ...o, axis: 1 });
      const grp = quantizeGroupwise(x, [1, 1000], { ...o, groupSize: 1000 });
      for (const r of [row, col, grp]) {
        expect(r.q).toEqual(ref);
        expect(r.scale[0]).toBe(p.scale);
        expect(r.zeroPoint[0]).toBe(p.zeroPoint);
      }
    }
  });

  it('each row agrees with quantizeAffine on that row alone', () => {
    const rows = 5, cols = 33;
    const x = normalArray(rows * cols, 11);
    const { q, scale, zeroPoint } = quantizePerChannel(x, [rows, cols], { ...U8, axis: 0 });
    for (let r = 0; r < rows; r++) {
      const xs = x.subarray(r * cols, (r + 1) * cols);
      const { min, max } = finiteMinMax(xs);
      const p = computeQParams(min, max, U8);
      expect(q.subarray(r * cols, (r + 1) * cols)).toEqual(quantizeAffine(xs, p.scale, p.zeroPoint, p.qmin, p.qmax));
      expect([scale[r], zeroPoint[r]]).toEqual([p.scale, p.zeroPoint]);
    }
  });

  it('skips NaN/Inf in the observer; a slice with no finite value gets the eps scale', () => {
    const x = new Float32Array([Number.NaN, Number.NaN, Infinity, 1, -2, Number.NaN]);
    const { q, scale, zeroPoint } = quantizePerChannel(x, [2, 3], { ...S8SYM, axis: 0 });
    expect(scale[0]).toBe(QPARAM_EPS);
    expect(Array.from(q.subarray(0, 3))).toEqual([0, 0, 127]);
    expect(scale[1]).toBe(f(2 / 127.5));
    expect(zeroPoint[1]).toBe(0);
    // -2 * fround(1 / scale) in float32 is -127.49999 -> -127 (no tie), as in PyTorch.
    expect(Array.from(q.subarray(3))).toEqual([64, -127, 0]);
  });

  it('rejects bad shapes and axes with clear messages', () => {
    expect(() => quantizePerChannel(M, [2, 3], { ...U8, axis: 0 })).toThrow(/needs 6 elements, got 8/);
    expect(() => quantizePerChannel(M, [0, 8], { ...U8, axis: 0 })).toThrow(/positive whole numbers/);
    expect(() => quantizePerChannel(M, [2, 4], { ...U8, axis: 2 as 0 })).toThrow(/axis/);
    expect(() => dequantizePerChannel(new Int32Array(8), [2, 4], new Float32Array(4), new Int32Array(4), 0)).toThrow(/expected 2 scales/);
  });
});

describe('quantizeGroupwise (docs/numerics.md group-wise)', () => {
  it('groups of 2 along each row, hand-computed 2×4', () => {
    // Groups: [-1, 0], [0.5, 2], [-0.5, -0.25], [0, 0.25].
    const { q, scale, zeroPoint } = quantizeGroupwise(M, [2, 4], { ...U8, groupSize: 2 });
    expect(Array.from(scale)).toEqual([f(1 / 255), f(2 / 255), f(0.5 / 255), f(0.25 / 255)]);
    expect(Array.from(zeroPoint)).toEqual([255, 0, 255, 0]);
    // 0.5 / (2/255) = 63.75 -> 64. -0.25 / (0.5/255) would be the tie -127.5, but in float32
    // (as PyTorch) 1/scale = 509.99997, so -0.25 * that = -127.49999 -> -127 -> 255 - 127 = 128.
    expect(Array.from(q)).toEqual([0, 255, 64, 255, 0, 128, 0, 255]);
    const xr = dequantizeGroupwise(q, [2, 4], scale, zeroPoint, 2);
    expect(xr[0]).toBeCloseTo(-1, 6);
    expect(xr[1]).toBe(0);
    expect(xr[2]).toBeCloseTo(64 * 2 / 255, 6);
    expect(xr[7]).toBeCloseTo(0.25, 6);
  });

  it('groupSize = cols is per-row; a group never spans two rows', () => {
    const x = normalArray(6 * 8, 3);
    const g = quantizeGroupwise(x, [6, 8], { ...U8, groupSize: 8 });
    const r = quantizePerChannel(x, [6, 8], { ...U8, axis: 0 });
    expect(g).toEqual(r);
    const g4 = quantizeGroupwise(x, [6, 8], { ...U8, groupSize: 4 });
    expect(g4.scale.length).toBe(12);
    // Group 3 is row 1, columns 4..7.
    const { min, max } = finiteMinMax(x.subarray(12, 16));
    const p = computeQParams(min, max, U8);
    expect(g4.scale[3]).toBe(p.scale);
    expect(g4.zeroPoint[3]).toBe(p.zeroPoint);
  });

  it('smaller groups never increase the error (finer slices of the same rows)', () => {
    const rows = 16, cols = 256;
    const x = normalArray(rows * cols, 21, 0, 0.02);
    const err = (gs: number) => {
      const { q, scale, zeroPoint } = quantizeGroupwise(x, [rows, cols], { bits: 4, signed: true, symmetric: true, groupSize: gs });
      const xr = dequantizeGroupwise(q, [rows, cols], scale, zeroPoint, gs);
      let s = 0; for (let i = 0; i < x.length; i++) s += (xr[i] - x[i]) ** 2; return s;
    };
    expect(err(32)).toBeLessThan(err(256));
  });

  it('throws a RangeError when groupSize does not divide cols', () => {
    expect(() => quantizeGroupwise(M, [2, 4], { ...U8, groupSize: 3 })).toThrow(RangeError);
    expect(() => quantizeGroupwise(M, [2, 4], { ...U8, groupSize: 3 })).toThrow(/groupSize 3 does not divide the 4 columns/);
    expect(() => quantizeGroupwise(M, [2, 4], { ...U8, groupSize: 0 })).toThrow(/positive whole number/);
    expect(() => dequantizeGroupwise(new Int32Array(8), [2, 4], new Float32Array(2), new Int32Array(2), 2)).toThrow(/expected 4 scales/);
  });
});
