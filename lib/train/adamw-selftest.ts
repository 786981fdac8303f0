/**
 * Self-test of AdamW's fused WebGPU step (lib/compute/adamw-gpu.ts, which AdamW takes on WebGPU)
 * against the float64 twin of lib/train/adamw.ts (`clipGradNormReference`, `adamwStepReference`):
 * a few steps of the optimizer on seeded parameters and gradients, shaped as a LoRA adapter's and a
 * full fine-tuning step's. A case passes when the largest difference of the parameters, and of the
 * gradient norms the steps return, is at most ADAMW_TOLERANCE of the largest |value|.
 */
import type { NamedTensorMap, Variable } from '@tensorflow/tfjs-core';
import type { Compute } from '../compute';
import { errorMessage } from '../errors';
import { mulberry32 } from '../random';
import { AdamW, adamwStepReference, clipGradNormReference, type AdamWOptions, type AdamWReferenceState } from './adamw';

import { ADAMW_TOLERANCE, type AdamWSelfTestCase, type AdamWSelfTestResult } from './adamw-selftest-cases';

const OPTIONS: AdamWOptions = { lr: 1e-2, beta1: 0.9, beta2: 0.999, eps: 1e-8, weightDecay: 0.1 };

function seeded(n: number, r: () => number, scale: number): Float32Array {
  return Float32Array.from({ length: n }, () => (r() * 2 - 1) * scale);
}

/** Runs one case with the page's AdamW (fused on WebGPU) and with the float64 twin. */
export async function runAdamWSelfTestCase(compute: Compute, c: AdamWSelfTestCase): Promise<AdamWSelfTestResult> {
  const { tf } = compute;
  const r = mulberry32(c.seed);
  const sizes = c.shapes.map((s) => s.reduce((a, b) => a * b, 1));
  const start = sizes.map((n) => seeded(n, r, 0.5));
  const grads = Array.from({ length: c.steps }, () => sizes.map((n) => seeded(n, r, 0.2)));
  const base = { name: c.name, elements: sizes.reduce((a, b) => a + b, 0), path: compute.webgpu ? 'fused-webgpu' as const : 'tf-ops' as const };
  const vars: Variable[] = [];
  let opt: AdamW | null = null;
  try {
    // The twin, in float64.
    const t0 = performance.now();
    const params = start.map((p) => Float64Array.from(p));
    const states: AdamWReferenceState[] = sizes.map((n) => ({ m: new Float64Array(n), v: new Float64Array(n) }));
    const wantNorms: number[] = [];
    for (const g of grads) {
      const g64 = g.map((x) => Float64Array.from(x));
      wantNorms.push(c.maxNorm === null ? Math.sqrt(g64.reduce((s, x) => s + x.reduce((a, v) => a + v * v, 0), 0)) : clipGradNormReference(g64, c.maxNorm));
      params.forEach((p, i) => adamwStepReference(p, g64[i], states[i], wantNorms.length, OPTIONS, c.decay[i]));
    }
    const cpuMs = performance.now() - t0;
    // The page's optimizer.
    c.shapes.forEach((s, i) => vars.push(tf.variable(tf.tensor(start[i], s), true, `adamw-selftest-${c.seed}-${i}`)));
    opt = new AdamW(tf, vars.map((v, i) => ({ variable: v, decay: c.decay[i] })), OPTIONS);
    const t1 = performance.now();
    const gotNorms: number[] = [];
    for (const g of grads) {
      const map: NamedTensorMap = {};
      vars.forEach((v, i) => { map[v.name] = tf.tensor(g[i], c.shapes[i]); });
      const norm = opt.step(map, c.maxNorm);
      gotNorms.push((await norm.data())[0]);
      norm.dispose();
      tf.dispose(Object.values(map));
    }
    const got = await Promise.all(vars.map((v) => v.data() as Promise<Float32Array>));
    const gpuMs = performance.now() - t1;
    let diff = 0, scale = 0;
    params.forEach((p, i) => p.forEach((want, j) => { diff = Math.max(diff, Math.abs(got[i][j] - want)); scale = Math.max(scale, Math.abs(want)); }));
    let normError = 0;
    wantNorms.forEach((w, k) => { normError = Math.max(normError, Math.abs(gotNorms[k] - w) / w); });
    const relativeError = Math.max(diff / scale, normError);
    return { ...base, relativeError, gpuMs, cpuMs, passed: relativeError <= ADAMW_TOLERANCE };
  } catch (e) {
    return { ...base, relativeError: NaN, gpuMs: NaN, cpuMs: NaN, passed: false, error: errorMessage(e) };
  } finally {
    opt?.dispose();
    for (const v of vars) v.dispose();
  }
}
