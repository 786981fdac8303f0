/**
 * WGSL kernels over heatmap cells (lib/lab/types.ts: a cell is `cellCols` consecutive
 * elements of one row of a row-major matrix). One thread scans one cell contiguously, which is
 * the fast access pattern on the CPU-emulated adapter, and writes that cell's partial results;
 * the small per-cell arrays are folded on the CPU. CPU references: lib/lab/lab.ts.
 */
import type { WebGPUProgram } from '@tensorflow/tfjs-backend-webgpu/dist/webgpu_program';

export const CELL_WORKGROUP = 64;

const IS_FINITE = `
  fn isFiniteF32(v : f32) -> bool {
    return (bitcast<u32>(v) & 0x7fffffffu) < 0x7f800000u;
  }
`;

/** Per-cell fields written by the cell min/max pass, in this order. */
export const CELL_RANGE_FIELDS = 4; // min, max, nonFinite, sum x^2 (finite elements)

/**
 * Per cell: finite min, finite max, the count of NaN/Inf and the sum of x^2 over the finite
 * elements (the signal power behind SQNR, which does not depend on the settings), as
 * [4 * cells] float32. Uniforms: cellCols, cells. Reference: lib/lab/lab `cellMinMax`.
 */
export function cellMinMaxProgram(cells: number): WebGPUProgram {
  return {
    variableNames: ['x'],
    outputShape: [cells * CELL_RANGE_FIELDS],
    shaderKey: 'lowbit_cell_minmax',
    dispatchLayout: { x: [0] },
    dispatch: [Math.ceil(cells / CELL_WORKGROUP), 1, 1],
    workgroupSize: [CELL_WORKGROUP, 1, 1],
    uniforms: 'cellCols : i32, cells : i32,',
    getUserCode: () => `
      ${IS_FINITE}
      fn main(index : i32) {
        if (index >= uniforms.cells) { return; }
        let start = index * uniforms.cellCols;
        var lo = uniforms.INFINITY;
        var hi = -uniforms.INFINITY;
        var bad = 0.0;
        var sumX2 = 0.0;
        for (var i = start; i < start + uniforms.cellCols; i = i + 1) {
          let v = x[i];
          if (isFiniteF32(v)) {
            lo = min(lo, v);
            hi = max(hi, v);
            sumX2 = sumX2 + v * v;
          } else {
            bad = bad + 1.0;
          }
        }
        setOutputAtIndex(index * 4, lo);
        setOutputAtIndex(index * 4 + 1, hi);
        setOutputAtIndex(index * 4 + 2, bad);
        setOutputAtIndex(index * 4 + 3, sumX2);
      }
    `,
  };
}

/**
 * Histogram of the finite values over [lo, lo + bins / invWidth): bin = floor((x - lo) * invWidth)
 * clamped to [0, bins - 1], counted in a workgroup-local histogram and added to the global one
 * once per workgroup. Output: int32 [bins], which must start at zero (pass a zeros tensor as the
 * output). Each thread scans `chunk` contiguous elements. Uniforms: n, chunk, lo, invWidth.
 * Reference: lib/quant/histogram `valueHistogram`.
 */
export function valueHistogramProgram(threads: number, bins: number): WebGPUProgram {
  return {
    variableNames: ['x'],
    outputShape: [bins],
    shaderKey: `lowbit_value_histogram_${bins}`,
    dispatchLayout: { x: [0] },
    dispatch: [Math.ceil(threads / CELL_WORKGROUP), 1, 1],
    workgroupSize: [CELL_WORKGROUP, 1, 1],
    atomic: true,
    uniforms: 'n : i32, chunk : i32, lo : f32, invWidth : f32,',
    getUserCode: () => `
      ${IS_FINITE}
      var<workgroup> localHist : array<atomic<i32>, ${bins}>;
      fn main(index : i32) {
        for (var b = i32(localIndex); b < ${bins}; b = b + ${CELL_WORKGROUP}) {
          atomicStore(&localHist[b], 0);
        }
        workgroupBarrier();
        let start = index * uniforms.chunk;
        let end = min(start + uniforms.chunk, uniforms.n);
        for (var i = start; i < end; i = i + 1) {
          let v = x[i];
          if (isFiniteF32(v)) {
            let t = floor((v - uniforms.lo) * uniforms.invWidth);
            let bin = i32(clamp(t, 0.0, f32(${bins - 1})));
            atomicAdd(&localHist[bin], 1);
          }
        }
        workgroupBarrier();
        for (var b = i32(localIndex); b < ${bins}; b = b + ${CELL_WORKGROUP}) {
          let c = atomicLoad(&localHist[b]);
          if (c != 0) { atomicAdd(&result[b], c); }
        }
      }
    `,
  };
}

/** Elements a fused-pass thread covers (whole cells): measured fastest on the CPU-emulated adapter. */
export const FUSED_ELEMENTS_PER_THREAD = 512;

/** Cells one fused-pass thread handles: enough whole cells to cover about 512 elements. */
export function fusedCellsPerThread(cellCols: number): number {
  return Math.max(1, Math.floor(FUSED_ELEMENTS_PER_THREAD / cellCols));
}

/** What the fused pass measures: everything ('full'), or only the per-cell sums of err^2 ('sums'). */
export type FusedMode = 'full' | 'sums';

/** Per-thread statistics written by the fused pass after the per-cell sums, in this order. */
export const FUSED_THREAD_FIELDS = 2; // max |err|, clipped count

/**
 * Layout of the fused pass's int32 output: per cell the sum of err^2 (bit-cast float32), then per
 * thread max |err| (bit-cast) and the clipped count, then the error histogram.
 */
export function fusedOutputLayout(cells: number, cellsPerThread: number, bins: number) {
  const threads = Math.ceil(cells / cellsPerThread);
  const threadOffset = cells;
  const histOffset = threadOffset + threads * FUSED_THREAD_FIELDS;
  return { threads, threadOffset, histOffset, length: histOffset + bins };
}

/**
 * The fused pass: quantize, dequantize and measure in one read of the tensor. For every finite
 * element, with its slice's (1/scale, scale, zp): u = zp + round(x * inv); q = clamp(u, qmin, qmax);
 * x' = scale * (q - zp); err = x' - x. It writes per cell the sum of err^2, per thread the
 * largest |err| and the clipped count, and the error histogram (bins over [-range, range]),
 * counted in a private array per thread and added to the output once at the end — no workgroup
 * barrier, which costs more than it saves on a CPU-emulated adapter. `anyNonFinite` = 0 (the
 * min/max pass found no NaN/Inf) skips the per-element finiteness test. Finite counts and sum x^2
 * come from the cell min/max pass. The output (see `fusedOutputLayout`) must start at zero.
 * params: float32 [slices * 3] = (inv, scale, zp) per slice. sliceMode: 0 tensor, 1 channel
 * (slice = row), 2 group (slice = cell). Sizes are uniforms, never baked into the WGSL: tfjs
 * caches the compiled pipeline by shaderKey across tensors.
 *
 * `mode` 'sums' writes only the per-cell sums of err^2 (output int32 [cells], bit-cast float32):
 * no histogram, no max |err|, no clipped count. Without the per-element histogram (half of the
 * full pass's time on the CPU-emulated adapter) and with vector arithmetic it runs 3-4× faster
 * there at 1M elements, close to the time of merely reading x. The lab uses it per tensor, where
 * those three come exactly from the sorted values instead (lib/lab/sorted-errors.ts); the
 * uniforms are the same, and the output need not start at zero.
 * Reference: lib/lab/lab `analyzeReference`.
 */
export function fusedLabProgram(cells: number, bins: number, cellsPerThread: number, cellCols: number, mode: FusedMode = 'full'): WebGPUProgram {
  const out = fusedOutputLayout(cells, cellsPerThread, bins);
  const full = mode === 'full';
  // Read x four floats at a time when a cell is a whole number of vec4s: about 30% faster here.
  const vec4 = cellCols % 4 === 0;
  const element = (v: string) => full
    ? `
            if (uniforms.anyNonFinite == 0 || isFiniteF32(${v})) {
              let u = zp + round(${v} * inv);
              let q = clamp(u, uniforms.qmin, uniforms.qmax);
              if (u != q) { clipped = clipped + 1; }
              let err = scale * (q - zp) - ${v};
              sumErr2 = sumErr2 + err * err;
              maxErr = max(maxErr, abs(err));
              let b = i32(clamp(floor((err - uniforms.errLo) * uniforms.errInvWidth), 0.0, f32(${bins - 1})));
              hist[b] = hist[b] + 1;
            }`
    : `
            if (uniforms.anyNonFinite == 0 || isFiniteF32(${v})) {
              let err = scale * (clamp(zp + round(${v} * inv), uniforms.qmin, uniforms.qmax) - zp) - ${v};
              sumErr2 = sumErr2 + err * err;
            }`;
  // 'sums' on vec4s: the four errors in one vector expression, NaN/Inf lanes masked by select,
  // four running sums per cell added at its end: about 30% faster than four scalar elements here.
  const sumsVec4 = `let start = cell * (uniforms.cellCols / 4);
          var acc = vec4<f32>(0.0);
          for (var i = start; i < start + uniforms.cellCols / 4; i = i + 1) {
            let v4 = x[i];
            let e4 = scale * (clamp(zp + round(v4 * inv), vec4<f32>(uniforms.qmin), vec4<f32>(uniforms.qmax)) - zp) - v4;
            let finite = (bitcast<vec4<u32>>(v4) & vec4<u32>(0x7fffffffu)) < vec4<u32>(0x7f800000u);
            acc = acc + select(vec4<f32>(0.0), e4 * e4, finite);
          }
          sumErr2 = (acc.x + acc.y) + (acc.z + acc.w);`;
  const loop = vec4 && !full
    ? sumsVec4
    : vec4
    ? `let start = cell * (uniforms.cellCols / 4);
          for (var i = start; i < start + uniforms.cellCols / 4; i = i + 1) {
            let v4 = x[i];${element('v4.x')}${element('v4.y')}${element('v4.z')}${element('v4.w')}
          }`
    : `let start = cell * uniforms.cellCols;
          for (var i = start; i < start + uniforms.cellCols; i = i + 1) {
            let v = x[i];${element('v')}
          }`;
  const store = full ? 'atomicStore(&result[cell], bitcast<i32>(sumErr2));' : 'setOutputAtIndexI32(cell, bitcast<i32>(sumErr2));';
  return {
    variableNames: ['x', 'params'],
    variableComponents: vec4 ? [4, 1] : undefined,
    outputShape: [full ? out.length : cells],
    shaderKey: `lowbit_fused_lab_${bins}_${vec4 ? 'vec4' : 'scalar'}_${mode}`,
    dispatchLayout: { x: [0] },
    dispatch: [Math.ceil(out.threads / CELL_WORKGROUP), 1, 1],
    workgroupSize: [CELL_WORKGROUP, 1, 1],
    atomic: full,
    uniforms: 'cellCols : i32, cellsPerRow : i32, cells : i32, sliceMode : i32, qmin : f32, qmax : f32, errLo : f32, errInvWidth : f32, cellsPerThread : i32, threadOffset : i32, histOffset : i32, anyNonFinite : i32,',
    getUserCode: () => `
      ${IS_FINITE}
      fn main(index : i32) {
        let firstCell = index * uniforms.cellsPerThread;
        if (firstCell >= uniforms.cells) { return; }
        let lastCell = min(firstCell + uniforms.cellsPerThread, uniforms.cells);
        ${full ? `var hist : array<i32, ${bins}>;
        var maxErr = 0.0;
        var clipped = 0;` : ''}
        for (var cell = firstCell; cell < lastCell; cell = cell + 1) {
          var slice = 0;
          if (uniforms.sliceMode == 1) { slice = cell / uniforms.cellsPerRow; }
          if (uniforms.sliceMode == 2) { slice = cell; }
          let inv = params[slice * 3];
          let scale = params[slice * 3 + 1];
          let zp = params[slice * 3 + 2];
          var sumErr2 = 0.0;
          ${loop}
          ${store}
        }
        ${full ? `let o = uniforms.threadOffset + index * ${FUSED_THREAD_FIELDS};
        atomicStore(&result[o], bitcast<i32>(maxErr));
        atomicStore(&result[o + 1], clipped);
        for (var b = 0; b < ${bins}; b = b + 1) {
          if (hist[b] != 0) { atomicAdd(&result[uniforms.histOffset + b], hist[b]); }
        }` : ''}
      }
    `,
  };
}

/**
 * Codes of every element with its slice's parameters: q = clamp(zp + round(x * inv), qmin, qmax),
 * NaN -> zp. Output int32 [n], one cell per thread. params as for {@link fusedLabProgram}.
 * Reference: lib/lab/lab `quantizeSlices`.
 */
export function sliceCodesProgram(cells: number, n: number): WebGPUProgram {
  return {
    variableNames: ['x', 'params'],
    outputShape: [n],
    shaderKey: 'lowbit_slice_codes',
    dispatchLayout: { x: [0] },
    dispatch: [Math.ceil(cells / CELL_WORKGROUP), 1, 1],
    workgroupSize: [CELL_WORKGROUP, 1, 1],
    uniforms: 'cellCols : i32, cellsPerRow : i32, cells : i32, sliceMode : i32, qmin : f32, qmax : f32,',
    getUserCode: () => `
      fn main(index : i32) {
        if (index >= uniforms.cells) { return; }
        var slice = 0;
        if (uniforms.sliceMode == 1) { slice = index / uniforms.cellsPerRow; }
        if (uniforms.sliceMode == 2) { slice = index; }
        let inv = params[slice * 3];
        let zp = params[slice * 3 + 2];
        let start = index * uniforms.cellCols;
        for (var i = start; i < start + uniforms.cellCols; i = i + 1) {
          let v = x[i];
          var q = zp;
          if (!isnan(v)) { q = clamp(zp + round(v * inv), uniforms.qmin, uniforms.qmax); }
          setOutputAtIndexI32(i, i32(q));
        }
      }
    `,
  };
}

/**
 * Zeros an int32 buffer on the device, so that an atomic kernel can accumulate into it without
 * uploading a buffer of zeros from JavaScript first. Output int32 [n].
 */
export function zeroFillProgram(n: number): WebGPUProgram {
  return {
    variableNames: [],
    outputShape: [n],
    shaderKey: 'lowbit_zero_fill',
    dispatchLayout: { x: [0] },
    dispatch: [Math.ceil(n / (CELL_WORKGROUP * 4)), 1, 1],
    workgroupSize: [CELL_WORKGROUP, 1, 1],
    size: true,
    getUserCode: () => `
      fn main(index : i32) {
        for (var k = 0; k < 4; k = k + 1) {
          let i = index * 4 + k;
          if (i < uniforms.size) { setOutputAtIndexI32(i, 0); }
        }
      }
    `,
  };
}
