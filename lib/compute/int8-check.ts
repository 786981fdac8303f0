/**
 * "Prove the GPU path": per-tensor INT8 quantization of one tensor on the active backend, compared
 * code by code with the CPU reference (lib/quant/affine). On WebGPU it runs the fused WGSL kernels
 * (a min/max partials pass, then one quantize pass); on WebGL and CPU the same function as tfjs
 * ops. The quantization parameters always come from the reference `computeQParams`, fed with the
 * min and max the backend measured, so any difference in the codes is the backend's.
 */
import { computeQParams, finiteMinMax, quantizeAffine, type QParams, type QuantOptions } from '../quant/affine';
import type { Compute } from './index';
import { foldMinMaxPartials, minMaxPartialsProgram, minMaxThreads } from './kernels/minmax';
import { quantizeAffineProgram } from './kernels/quantize-affine';
import type { Tensor1D } from '@tensorflow/tfjs-core';

export const INT8_SIGNED_SYMMETRIC: QuantOptions = { bits: 8, signed: true, symmetric: true };

export interface BackendQuantizeResult {
  codes: Int32Array;
  params: QParams;
  min: number;
  max: number;
}

/** Quantizes `x` (already on the backend) per tensor on the active backend and reads the codes back. */
export async function quantizeOnBackend(compute: Compute, x: Tensor1D, o: QuantOptions): Promise<BackendQuantizeResult> {
  const { tf, webgpu } = compute;
  const n = x.shape[0];
  if (webgpu) {
    const threads = minMaxThreads(n);
    const partialsInfo = webgpu.runWebGPUProgram(minMaxPartialsProgram(threads), [x], 'float32', [
      { type: 'int32', data: [n] },
      { type: 'int32', data: [Math.ceil(n / threads)] },
      { type: 'int32', data: [threads] },
    ]);
    const partials = tf.engine().makeTensorFromTensorInfo(partialsInfo);
    const { min, max } = foldMinMaxPartials((await partials.data()) as Float32Array);
    partials.dispose();
    const params = computeQParams(min, max, o);
    const codesInfo = webgpu.runWebGPUProgram(quantizeAffineProgram(n), [x], 'int32', [
      { type: 'float32', data: [Math.fround(1 / params.scale)] },
      { type: 'float32', data: [params.zeroPoint] },
      { type: 'float32', data: [params.qmin] },
      { type: 'float32', data: [params.qmax] },
    ]);
    const codesTensor = tf.engine().makeTensorFromTensorInfo(codesInfo);
    const codes = (await codesTensor.data()) as Int32Array;
    codesTensor.dispose();
    return { codes, params, min, max };
  }
  // WebGL / CPU: the same function as a chain of tfjs ops (tf.round rounds half to even).
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
  try {
    let result = await quantizeOnBackend(compute, x, o); // warm-up
    const backendTimes: number[] = [];
    const referenceTimes: number[] = [];
    let reference: Int32Array = new Int32Array(0);
    let referenceParams: QParams = result.params;
    for (let r = 0; r < runs; r++) {
      let t0 = performance.now();
      result = await quantizeOnBackend(compute, x, o);
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
  }
}
