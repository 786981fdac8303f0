/**
 * "Prove the GPU path": per-tensor INT8 quantization of one tensor on the active backend, compared
 * code by code with the CPU reference (lib/quant/affine). On WebGPU it runs the lab's WGSL kernels
 * (a min/max pass over cells, then the codes pass); on WebGL and CPU the same function as tfjs
 * ops. The quantization parameters always come from the reference `computeQParams`, fed with the
 * min and max the backend measured, so any difference in the codes is the backend's.
 */
import { computeQParams, finiteMinMax, quantizeAffine, type QParams, type QuantOptions } from '../quant/affine';
import { INT8_PER_TENSOR } from './types';
import type { Compute } from '../compute/index';
import { createLabSession, type LabSession } from './gpu';
import type { Tensor1D } from '@tensorflow/tfjs-core';

export const INT8_SIGNED_SYMMETRIC: QuantOptions = { bits: 8, signed: true, symmetric: true };

export interface BackendQuantizeResult {
  codes: Int32Array;
  params: QParams;
  min: number;
  max: number;
}

/** A square [side, side] matrix for n elements (n a power of 4), or one row when n is not. */
function squareShape(n: number): { rows: number; cols: number } {
  const side = Math.round(Math.sqrt(n));
  return side * side === n ? { rows: side, cols: side } : { rows: 1, cols: n };
}

/**
 * Quantizes `data` per tensor on the active backend and reads the codes back. On WebGPU this is
 * the lab's own kernels (a cell min/max pass, then the codes pass: lib/lab/gpu); on WebGL
 * and CPU the same function as a chain of tfjs ops (tf.round rounds half to even).
 */
export async function quantizeOnBackend(compute: Compute, x: Tensor1D, o: QuantOptions, session: LabSession | null): Promise<BackendQuantizeResult> {
  const { tf } = compute;
  if (session) {
    const q = await session.quantize({ ...INT8_PER_TENSOR, ...o });
    const params = { scale: q.params.scale[0], zeroPoint: q.params.zeroPoint[0], qmin: q.params.qmin, qmax: q.params.qmax };
    return { codes: q.codes, params, min: q.tensorMin, max: q.tensorMax };
  }
  const [minT, maxT] = [tf.min(x), tf.max(x)];
  const [min, max] = [(await minT.data())[0], (await maxT.data())[0]];
  tf.dispose([minT, maxT]);
  const params = computeQParams(min, max, o);
  const codesTensor = tf.tidy(() =>
    tf.cast(tf.clipByValue(tf.add(tf.round(tf.mul(x, tf.scalar(Math.fround(1 / params.scale)))), tf.scalar(params.zeroPoint)), params.qmin, params.qmax), 'int32'),
  );
  const codes = (await codesTensor.data()) as Int32Array;
  codesTensor.dispose();
  return { codes, params, min, max };
}

export interface Int8CheckResult {
  elements: number;
  params: QParams;
  /** Median wall time of the backend path, from the tensor on the device to the codes read back. */
  backendMs: number;
  /** Median wall time of the CPU reference on the same data. */
  referenceMs: number;
  runs: number;
  /** Largest |backend code - reference code| over all elements, and how many differ. */
  maxCodeDifference: number;
  mismatches: number;
}

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
}

/** Largest absolute difference between two code arrays of the same length, and the count of differences. */
export function compareCodes(a: Int32Array, b: Int32Array): { maxCodeDifference: number; mismatches: number } {
  if (a.length !== b.length) throw new Error(`code arrays differ in length: ${a.length} vs ${b.length}`);
  let maxCodeDifference = 0, mismatches = 0;
  for (let i = 0; i < a.length; i++) {
    const d = Math.abs(a[i] - b[i]);
    if (d !== 0) { mismatches++; if (d > maxCodeDifference) maxCodeDifference = d; }
  }
  return { maxCodeDifference, mismatches };
}

/**
 * Quantizes `data` to INT8 on the backend `runs` times after one warm-up (which compiles the
 * shaders) and once on the CPU reference per run; returns median times and the code comparison.
 */
export async function runInt8Check(compute: Compute, data: Float32Array, runs = 3, o: QuantOptions = INT8_SIGNED_SYMMETRIC): Promise<Int8CheckResult> {
  const { tf } = compute;
  const x = tf.tensor1d(data, 'float32');
  const { rows, cols } = squareShape(data.length);
  const session = compute.webgpu ? createLabSession(compute, data, rows, cols) : null;
  try {
    let result = await quantizeOnBackend(compute, x, o, session); // warm-up
    const backendTimes: number[] = [];
    const referenceTimes: number[] = [];
    let reference: Int32Array = new Int32Array(0);
    let referenceParams: QParams = result.params;
    for (let r = 0; r < runs; r++) {
      session?.clearCache(); // each timed run measures the min/max pass too
      let t0 = performance.now();
      result = await quantizeOnBackend(compute, x, o, session);
      backendTimes.push(performance.now() - t0);
      t0 = performance.now();
      const { min, max } = finiteMinMax(data);
      referenceParams = computeQParams(min, max, o);
      reference = quantizeAffine(data, referenceParams.scale, referenceParams.zeroPoint, referenceParams.qmin, referenceParams.qmax);
      referenceTimes.push(performance.now() - t0);
    }
    if (referenceParams.scale !== result.params.scale || referenceParams.zeroPoint !== result.params.zeroPoint) {
      throw new Error(`the backend measured a different range (${result.min}..${result.max}) than the reference`);
    }
    return {
      elements: data.length,
      params: result.params,
      backendMs: median(backendTimes),
      referenceMs: median(referenceTimes),
      runs,
      ...compareCodes(result.codes, reference),
    };
  } finally {
    x.dispose();
    session?.dispose();
  }
}
