/**
 * Per-channel and group-wise affine quantization of a row-major matrix [rows, cols] — the CPU
 * reference. Source: docs/numerics.md "Affine (integer) quantization": "Per-channel: the same
 * with one (scale, zp) per slice along `axis`. Group-wise: one per run of `groupSize` consecutive
 * elements along the reduction axis." Each slice gets a min/max observer over its finite values,
 * `computeQParams`, and `quantizeAffine`'s arithmetic (x * fround(1/scale) in float32, round half to
 * even, clamp; NaN -> zero point), so a single slice gives exactly what the per-tensor functions give.
 *
 * Layout (as lib/lab/types.ts): rows are output channels (PyTorch's default ch_axis = 0 for
 * Linear weights, torch.ao PerChannelMinMaxObserver); a row holds one dot product's weights, so
 * groups run along a row (GPTQ / AWQ / bitsandbytes-style blocks).
 */
import { computeQParams, integerRange, roundHalfEven, type QuantOptions } from './affine';

export type MatrixShape = [number, number];

export interface SliceQuantized {
  /** Codes, same layout and length as the input. */
  q: Int32Array;
  /** One float32 scale per slice (row, column or group). */
  scale: Float32Array;
  /** One zero-point per slice. */
  zeroPoint: Int32Array;
}

export interface PerChannelOptions extends QuantOptions {
  /** 0: one (scale, zp) per row (output channel); 1: one per column (input channel). */
  axis: 0 | 1;
}

export interface GroupwiseOptions extends QuantOptions {
  /** Elements per group along a row; must divide cols. */
  groupSize: number;
}

function checkShape(length: number, shape: MatrixShape): void {
  const [rows, cols] = shape;
  if (!Number.isInteger(rows) || !Number.isInteger(cols) || rows <= 0 || cols <= 0) {
    throw new RangeError(`shape must be two positive whole numbers [rows, cols], got [${rows}, ${cols}]`);
  }
  if (rows * cols !== length) throw new RangeError(`shape [${rows}, ${cols}] needs ${rows * cols} elements, got ${length}`);
}

function checkAxis(axis: number): void {
  if (axis !== 0 && axis !== 1) throw new RangeError(`axis must be 0 (rows) or 1 (columns), got ${axis}`);
}

function checkGroupSize(cols: number, groupSize: number): void {
  if (!Number.isInteger(groupSize) || groupSize <= 0) throw new RangeError(`groupSize must be a positive whole number, got ${groupSize}`);
  if (cols % groupSize !== 0) throw new RangeError(`groupSize ${groupSize} does not divide the ${cols} columns of a row; pick a divisor of ${cols}`);
}

function checkParams(slices: number, scale: Float32Array, zeroPoint: Int32Array): void {
  if (scale.length !== slices || zeroPoint.length !== slices) {
    throw new RangeError(`expected ${slices} scales and zero-points, got ${scale.length} and ${zeroPoint.length}`);
  }
}

/**
 * Observer + quantize over `slices` slices of the flat array x. 'contiguous': slice s is elements
 * [s * run, (s + 1) * run) (rows, groups); 'column': x is [n / slices, slices] row-major and slice c
 * is column c. Two concrete loops rather than an index callback, for speed on 16M-element tensors.
 */
function quantizeSlices(x: Float32Array, slices: number, sliceOf: 'contiguous' | 'column', run: number, o: QuantOptions): SliceQuantized {
  const { qmin, qmax } = integerRange(o.bits, o.signed);
  const n = x.length;
  const lo = new Float64Array(slices).fill(Infinity);
  const hi = new Float64Array(slices).fill(-Infinity);
  // Observer pass: finite min/max per slice.
  if (sliceOf === 'contiguous') {
    for (let s = 0, i = 0; s < slices; s++) {
      let mn = Infinity, mx = -Infinity;
      for (const end = i + run; i < end; i++) {
        const v = x[i];
        if (v - v !== 0) continue; // NaN or ±Inf
        if (v < mn) mn = v;
        if (v > mx) mx = v;
      }
      lo[s] = mn; hi[s] = mx;
    }
  } else {
    for (let i = 0; i < n; i += slices) {
      for (let c = 0; c < slices; c++) {
        const v = x[i + c];
        if (v - v !== 0) continue; // NaN or ±Inf
        if (v < lo[c]) lo[c] = v;
        if (v > hi[c]) hi[c] = v;
      }
    }
  }
  const scale = new Float32Array(slices);
  const zeroPoint = new Int32Array(slices);
  const inv = new Float32Array(slices);
  for (let s = 0; s < slices; s++) {
    let mn = lo[s], mx = hi[s];
    if (mn > mx) { mn = 0; mx = 0; } // no finite value in the slice: eps scale, as an all-zero slice
    const p = computeQParams(mn, mx, o);
    scale[s] = p.scale;
    zeroPoint[s] = p.zeroPoint;
    inv[s] = 1 / p.scale; // float32, as quantizeAffine's Math.fround(1 / scale)
  }
  // Quantize pass: q = clamp(zp + roundHalfEven(fround(x * inv)), qmin, qmax); NaN -> zp.
  const f = Math.fround;
  const q = new Int32Array(n);
  const code = (v: number, s: number): number => {
    if (v !== v) return zeroPoint[s];
    const c = zeroPoint[s] + roundHalfEven(f(v * inv[s]));
    return c < qmin ? qmin : c > qmax ? qmax : c;
  };
  if (sliceOf === 'contiguous') {
    for (let s = 0, i = 0; s < slices; s++) for (const end = i + run; i < end; i++) q[i] = code(x[i], s);
  } else {
    for (let i = 0; i < n; i += slices) for (let c = 0; c < slices; c++) q[i + c] = code(x[i + c], c);
  }
  return { q, scale, zeroPoint };
}

/**
 * Per-channel affine quantization of a row-major [rows, cols] matrix (docs/numerics.md, per-channel;
 * PyTorch `quantize_per_channel` with a PerChannelMinMaxObserver).
 * axis 0: slice r = row r (one (scale, zp) per output channel, PyTorch's default for Linear weights);
 * axis 1: slice c = column c. Per slice: lo = min(finite, 0), hi = max(finite, 0) →
 * `computeQParams` → q = clamp(zp + roundHalfEven(x * fround(1/scale)), qmin, qmax).
 * A slice with no finite value gets the eps scale of an all-zero slice; NaN codes to the zero point
 * and ±Inf to qmax / qmin, as `quantizeAffine`.
 */
export function quantizePerChannel(x: Float32Array, shape: MatrixShape, o: PerChannelOptions): SliceQuantized {
  checkShape(x.length, shape);
  checkAxis(o.axis);
  const [rows, cols] = shape;
  return o.axis === 0 ? quantizeSlices(x, rows, 'contiguous', cols, o) : quantizeSlices(x, cols, 'column', rows, o);
}

/** x'[r, c] = scale[s] * (q[r, c] - zp[s]) in float32, with s = r (axis 0) or c (axis 1). */
export function dequantizePerChannel(q: Int32Array, shape: MatrixShape, scale: Float32Array, zeroPoint: Int32Array, axis: 0 | 1): Float32Array {
  checkShape(q.length, shape);
  checkAxis(axis);
  const [rows, cols] = shape;
  checkParams(axis === 0 ? rows : cols, scale, zeroPoint);
  const out = new Float32Array(q.length);
  if (axis === 0) {
    for (let r = 0, i = 0; r < rows; r++) {
      const s = scale[r], z = zeroPoint[r];
      for (const end = i + cols; i < end; i++) out[i] = s * (q[i] - z);
    }
  } else {
    for (let i = 0; i < q.length; i += cols) for (let c = 0; c < cols; c++) out[i + c] = scale[c] * (q[i + c] - zeroPoint[c]);
  }
  return out;
}

/**
 * Group-wise affine quantization (docs/numerics.md: one (scale, zp) per run of `groupSize` consecutive
 * elements along the reduction axis, i.e. along a row). Group g covers row floor(g / (cols/groupSize)),
 * columns (g % (cols/groupSize)) * groupSize ... + groupSize - 1; as the matrix is row-major and
 * groupSize divides cols, element i belongs to group floor(i / groupSize). Per group, the same
 * observer and arithmetic as `quantizePerChannel`. Throws a RangeError when groupSize does not
 * divide cols.
 */
export function quantizeGroupwise(x: Float32Array, shape: MatrixShape, o: GroupwiseOptions): SliceQuantized {
  checkShape(x.length, shape);
  checkGroupSize(shape[1], o.groupSize);
  return quantizeSlices(x, x.length / o.groupSize, 'contiguous', o.groupSize, o);
}

/** x'[i] = scale[g] * (q[i] - zp[g]) in float32, with g = floor(i / groupSize). */
export function dequantizeGroupwise(q: Int32Array, shape: MatrixShape, scale: Float32Array, zeroPoint: Int32Array, groupSize: number): Float32Array {
  checkShape(q.length, shape);
  checkGroupSize(shape[1], groupSize);
  const groups = q.length / groupSize;
  checkParams(groups, scale, zeroPoint);
  const out = new Float32Array(q.length);
  for (let g = 0, i = 0; g < groups; g++) {
    const s = scale[g], z = zeroPoint[g];
    for (const end = i + groupSize; i < end; i++) out[i] = s * (q[i] - z);
  }
  return out;
}
