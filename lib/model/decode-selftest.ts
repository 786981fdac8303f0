/**
 * Self-test of the fused decode kernels (lib/compute/kernels/matvec.ts and decode.ts, run by
 * fused-decode.ts) against their CPU twins on seeded inputs:
 * - the dequantize-and-multiply per storage format, plain and with its LayerNorm, GELU (exact and
 *   GPT-2's tanh form, with large inputs) and residual variants, against decode-reference.ts `matVecReference` (float64 over the format's own dequantize);
 * - attention of one query over a cache, against `attendOneQueryReference`;
 * - the draw of the next token, against sampling.ts `sampleToken` given the same u;
 * - whole decode steps of a seeded tiny GPT in each format (and one with GPT-2's tanh GELU), against the tfjs forward over the whole
 *   context with tf.matMul on expanded weights (the uncached path the course used before the KV
 *   cache), the same forward through the tiled dequantizing matmul, and greedy generation against the ops path;
 * - the tiled dequantizing matmul (kernels/dequant-matmul.ts) and its input gradient per format,
 *   against `dequantMatMulReference` and `dequantMatMulGradReference`.
 * The kernels compute in float32, the twins in float64: a case passes when the largest error is at
 * most DECODE_TOLERANCE of the largest magnitude (float32 sums over a few hundred terms are off by about 1e-6).
 */
import type { Tensor } from '@tensorflow/tfjs-core';
import type { Compute } from '../compute';
import { attendOneQueryProgram } from '../compute/kernels/decode';
import type { GeluForm } from '../compute/kernels/decode-wgsl';
import { runMatVec, type MatVecWeight } from '../compute/matvec-gpu';
import { uploadStoredWeight } from '../compute/weight-format-gpu';
import { errorMessage } from '../errors';
import { mulberry32, normalArray } from '../random';
import { quantizeWeight, WEIGHT_FORMATS, FORMAT_LABELS, type WeightFormat } from '../quant/weight-formats';
import type { GeluKind, TinyLMConfig } from './config';
import { runDequantMatMul, runDequantMatMulGrad } from '../compute/dequant-matmul-gpu';
import { countDispatches } from '../compute/dispatch-count';
import { attendOneQueryReference, dequantMatMulGradReference, dequantMatMulReference, matVecReference } from './decode-reference';
import { FusedDecoder } from './fused-decode';
import { createQuantizedStore } from './quantized-store';
import { tinyLMTensorShapes } from './reference-forward';
import { sampleToken } from './sampling';
import { TinyLM } from './tiny-lm';

/** Largest error allowed, as a share of the reference's largest magnitude. */
export const DECODE_TOLERANCE = 1e-4;
/** Draws of the sampling case, and how many may differ (u within float32 rounding of a boundary). */
export const SAMPLE_DRAWS = 200;
export const SAMPLE_MISMATCHES_ALLOWED = 1;

export type DecodeSelfTestCase =
  | { kind: 'matvec'; name: string; format: WeightFormat; seed: number }
  | { kind: 'attend'; name: string; positions: number; seed: number }
  | { kind: 'sample'; name: string; seed: number }
  | { kind: 'decode'; name: string; format: WeightFormat; seed: number; activation?: GeluKind }
  | { kind: 'dqmm'; name: string; format: WeightFormat; seed: number };

/** The tiled dequantizing matmul's case: X [M, K] · W'ᵀ with W' [N, K]; odd M and N reach the tiles' edges, K spans three groups or blocks. */
export const DQMM_SHAPE = { M: 37, N: 130, K: 192 } as const;

/**
 * Each matvec case runs the forms a decode step uses, at the tiny model's shapes: c_attn; c_fc with
 * LayerNorm and the exact GELU, then with GPT-2's tanh GELU (twice: pre-activations near 1, and
 * biases up to ±10⁴ so the tanh's argument reaches ±10¹¹, where a naive tanh overflows to NaN and
 * the cube overflows float32); c_proj with the residual.
 */
const VARIANTS = [
  { variant: 'plain', rows: 384, cols: 128 },
  { variant: 'ln-gelu', rows: 512, cols: 128 },
  { variant: 'ln-gelu-tanh', rows: 512, cols: 128 },
  { variant: 'ln-gelu-tanh-large', rows: 512, cols: 128 },
  { variant: 'residual', rows: 128, cols: 512 },
] as const;

export const DECODE_SELF_TEST_CASES: readonly DecodeSelfTestCase[] = [
  ...WEIGHT_FORMATS.map((format, i): DecodeSelfTestCase => ({ kind: 'matvec', name: `${FORMAT_LABELS[format]} matvec: c_attn; c_fc + LN + GELU (erf, tanh); c_proj + residual`, format, seed: 60 + i })),
  { kind: 'attend', name: 'Attention, 1 query over 97 cached positions', positions: 97, seed: 70 },
  { kind: 'sample', name: `Next-token draw, ${SAMPLE_DRAWS} seeded cases`, seed: 71 },
  ...(['fp32', 'int8-channel', 'int4-group64', 'nf4-dq'] as const).map((format, i): DecodeSelfTestCase => ({ kind: 'decode', name: `${FORMAT_LABELS[format]} GPT: prefill, then decode steps on both paths`, format, seed: 80 + i })),
  { kind: 'decode', name: `${FORMAT_LABELS['int8-channel']} GPT with GPT-2’s tanh GELU (gelu_new), some pre-activations ±30: both paths`, format: 'int8-channel', seed: 85, activation: 'gelu_new' },
  ...WEIGHT_FORMATS.map((format, i): DecodeSelfTestCase => ({ kind: 'dqmm', name: `${FORMAT_LABELS[format]} tiled matmul and its gradient`, format, seed: 90 + i })),
];

export interface DecodeSelfTestResult {
  name: string;
  kind: DecodeSelfTestCase['kind'];
  /** Largest |GPU − reference| over the reference's largest magnitude (mismatched draws for the sampling case). */
  measured: number;
  tolerance: number;
  gpuMs: number;
  cpuMs: number;
  passed: boolean;
  /** Why the case could not run. */
  error?: string;
}

/** Largest |got − want| over the largest |want| (Infinity when the lengths differ, NaN when either holds NaN): a self-test case's error. */
export function relativeError(got: ArrayLike<number>, want: ArrayLike<number>): number {
  let diff = 0, scale = 0;
  for (let i = 0; i < want.length; i++) {
    diff = Math.max(diff, Math.abs(got[i] - want[i]));
    scale = Math.max(scale, Math.abs(want[i]));
  }
  return got.length !== want.length ? Infinity : diff / Math.max(scale, 1e-30);
}

const SMALL_GPT: TinyLMConfig = { vocab_size: 63, n_layer: 2, n_head: 4, n_embd: 128, block_size: 24, layer_norm_eps: 1e-5, tokenizer: { type: 'byte' } };

/** Seeded weights for a config: LayerNorm gains near 1, everything else N(0, 0.1²) (0.02 for embeddings). */
export function seededGptWeights(c: TinyLMConfig, seed: number): { tensors: Map<string, Float32Array>; shapes: Map<string, number[]> } {
  const shapes = tinyLMTensorShapes(c);
  const tensors = new Map<string, Float32Array>();
  let s = seed * 1000;
  for (const [name, shape] of shapes) {
    const n = shape.reduce((a, b) => a * b, 1);
    const gain = /ln_(1|2|f)\.weight$/.test(name);
    tensors.set(name, normalArray(n, s++, gain ? 1 : 0, gain ? 0.1 : /wte|wpe/.test(name) ? 0.5 : 0.1));
  }
  return { tensors, shapes };
}

async function timed<T>(f: () => Promise<T> | T): Promise<[T, number]> {
  const t0 = performance.now();
  const v = await f();
  return [v, performance.now() - t0];
}

async function matVecVariant(compute: Compute, format: WeightFormat, v: (typeof VARIANTS)[number], seed: number) {
  const { tf } = compute;
  const w = normalArray(v.rows * v.cols, seed, 0, 0.05);
  for (let r = 0; r < v.cols; r += 37) w[3 * v.cols + r] *= 20; // a few outliers in row 3
  const x = normalArray(v.cols, seed + 1);
  const bias = normalArray(v.rows, seed + 2, 0, 0.1);
  if (v.variant === 'ln-gelu-tanh-large') for (let r = 0; r < v.rows; r++) bias[r] *= 10 ** (r % 6); // |bias| up to about 10⁴
  const gelu: GeluForm | null = v.variant === 'ln-gelu' ? 'erf' : v.variant.startsWith('ln-gelu-tanh') ? 'tanh' : null;
  const residual = normalArray(v.rows, seed + 3);
  const ln = { weight: normalArray(v.cols, seed + 4, 1, 0.1), bias: normalArray(v.cols, seed + 5, 0, 0.1), eps: 1e-5 };
  const stored = quantizeWeight(format, w, [v.rows, v.cols]);
  const [want, cpuMs] = await timed(() =>
    matVecReference(stored, x, { bias, ...(gelu ? { layerNorm: ln, gelu } : {}), ...(v.variant === 'residual' ? { residual } : {}) }),
  );
  const device = uploadStoredWeight(compute, stored);
  const held: Tensor[] = [];
  const t = <T extends Tensor>(x: T) => (held.push(x), x);
  try {
    const mv = device.matVecWeight() as MatVecWeight;
    const o = {
      bias: t(tf.tensor1d(bias)),
      ...(gelu ? { layerNorm: { params: t(tf.tensor1d([...ln.weight, ...ln.bias])), eps: ln.eps }, gelu } : {}),
      ...(v.variant === 'residual' ? { residual: t(tf.tensor1d(residual)) } : {}),
    };
    const xt = t(tf.tensor1d(x));
    await t(runMatVec(compute, mv, xt, o)).data(); // compiles the pipeline
    const [got, gpuMs] = await timed(async () => (await t(runMatVec(compute, mv, xt, o)).data()) as Float32Array);
    return { measured: relativeError(got, want), gpuMs, cpuMs };
  } finally {
    tf.dispose(held);
    device.dispose();
  }
}

async function matVecCase(compute: Compute, c: Extract<DecodeSelfTestCase, { kind: 'matvec' }>) {
  let measured = 0, gpuMs = 0, cpuMs = 0;
  for (const [i, v] of VARIANTS.entries()) {
    const r = await matVecVariant(compute, c.format, v, c.seed * 10 + i);
    measured = Math.max(measured, r.measured);
    gpuMs += r.gpuMs;
    cpuMs += r.cpuMs;
  }
  return { measured, gpuMs, cpuMs };
}

async function attendCase(compute: Compute, c: Extract<DecodeSelfTestCase, { kind: 'attend' }>) {
  const { tf } = compute;
  const webgpu = compute.webgpu!;
  const C = 128, H = 4, P = 128, pos = c.positions - 1;
  const qkv = normalArray(3 * C, c.seed);
  const cache = normalArray(2 * P * C, c.seed + 1);
  const [want, cpuMs] = await timed(() => attendOneQueryReference(qkv.subarray(0, C), cache.subarray(0, P * C), cache.subarray(P * C), c.positions, H));
  const inputs = [tf.tensor1d(qkv), tf.tensor3d(cache, [2, P, C])];
  const run = () => tf.engine().makeTensorFromTensorInfo(webgpu.runWebGPUProgram(attendOneQueryProgram(C, H), inputs, 'float32', [
    { type: 'int32', data: [C] }, { type: 'int32', data: [C / H] }, { type: 'int32', data: [P] }, { type: 'int32', data: [pos] }, { type: 'float32', data: [1 / Math.sqrt(C / H)] },
  ]));
  try {
    const warm = run();
    await warm.data(); // compiles the pipeline
    warm.dispose();
    const [got, gpuMs] = await timed(async () => {
      const y = run();
      const d = (await y.data()) as Float32Array;
      y.dispose();
      return d;
    });
    return { measured: relativeError(got, want), gpuMs, cpuMs };
  } finally {
    tf.dispose(inputs);
  }
}

async function sampleCase(compute: Compute, c: Extract<DecodeSelfTestCase, { kind: 'sample' }>) {
  const { tf } = compute;
  const config = { ...SMALL_GPT };
  const { tensors, shapes } = seededGptWeights(config, 1);
  const store = createQuantizedStore(compute, tensors, shapes, 'fp32');
  const model = new TinyLM(tf, config, store);
  const decoder = FusedDecoder.create(tf, config, store);
  try {
    if (typeof decoder === 'string') throw new Error(decoder);
    const r = mulberry32(c.seed);
    let mismatches = 0, gpuMs = 0, cpuMs = 0;
    for (let i = 0; i < SAMPLE_DRAWS; i++) {
      const V = 2 + Math.floor(r() * 300);
      const logits = normalArray(V, c.seed * 1000 + i, 0, 1 + 4 * r());
      const o = { temperature: [0, 0.3, 1, 2][i % 4], topK: i % 3 === 0 ? 1 + Math.floor(r() * V) : undefined };
      const u = r();
      const t0 = performance.now();
      const want = sampleToken(logits, o, () => u);
      cpuMs += performance.now() - t0;
      const lt = tf.tensor1d(logits);
      const t1 = performance.now();
      const id = decoder.sample(lt, o, u);
      const got = (await id.data())[0];
      gpuMs += performance.now() - t1;
      tf.dispose([lt, id]);
      if (got !== want) mismatches++;
    }
    return { measured: mismatches, gpuMs, cpuMs };
  } finally {
    model.dispose();
  }
}

async function decodeCase(compute: Compute, c: Extract<DecodeSelfTestCase, { kind: 'decode' }>) {
  const { tf } = compute;
  const config: TinyLMConfig = c.activation ? { ...SMALL_GPT, activation: c.activation } : SMALL_GPT;
  const { tensors, shapes } = seededGptWeights(config, c.seed);
  if (c.activation === 'gelu_new') {
    // Every 7th c_fc bias at ±30: GELU's tanh argument reaches about 10³ there, beyond exp's float32 range.
    for (let l = 0; l < config.n_layer; l++) {
      const b = tensors.get(`transformer.h.${l}.mlp.c_fc.bias`) as Float32Array;
      for (let r = 0; r < b.length; r += 7) b[r] = (r % 2 ? -30 : 30);
    }
  }
  const model = new TinyLM(tf, config, createQuantizedStore(compute, tensors, shapes, c.format));
  const r = mulberry32(c.seed);
  const tokens = Array.from({ length: config.block_size }, () => Math.floor(r() * config.vocab_size));
  const prefill = 7;
  try {
    const decoder = FusedDecoder.create(tf, config, model.store);
    if (typeof decoder === 'string') throw new Error(decoder);
    model.matmulPath = 'ops';
    const [{ value: want, dispatches: opsDispatches }, cpuMs] = await timed(() => countDispatches(tf, () => model.logits(tokens)));
    model.matmulPath = 'fused';
    // The prefill over the whole context through the dequantizing matmul (for packed formats): one
    // dispatch a Linear instead of expand, multiply and add the bias.
    const { value: prefilled, dispatches } = await countDispatches(tf, () => model.logits(tokens));
    if (c.format !== 'fp32' && !((dispatches ?? 0) < (opsDispatches ?? 0))) throw new Error(`the prefill did not take the dequantizing matmul (${dispatches} dispatches against ${opsDispatches})`);
    let error = relativeError(prefilled, want);
    const cache = model.newCache();
    model.stepTensor(cache, tokens.slice(0, prefill)).dispose();
    const fc = decoder.fromOpsCache(cache);
    cache.dispose();
    let gpuMs = 0;
    try {
      for (let t = prefill; t < tokens.length; t++) {
        const id = tf.tensor1d([tokens[t]], 'int32');
        const t0 = performance.now();
        const logits = decoder.step(fc, id);
        const got = (await logits.data()) as Float32Array;
        gpuMs += performance.now() - t0;
        tf.dispose([id, logits]);
        error = Math.max(error, relativeError(got, want.subarray(t * config.vocab_size, (t + 1) * config.vocab_size)));
      }
    } finally {
      for (const t of fc.layers) t.dispose();
    }
    // The one-dispatch step, fed the same tokens.
    const mega = await model.megaDecoder();
    if (typeof mega === 'string') throw new Error(mega);
    const cache2 = model.newCache();
    model.stepTensor(cache2, tokens.slice(0, prefill)).dispose();
    const first = tf.tensor1d([tokens[prefill]], 'int32');
    let state: Tensor = mega.init(cache2, first);
    first.dispose();
    cache2.dispose();
    try {
      for (let t = prefill; t < tokens.length; t++) {
        if (t > prefill) {
          const fed = mega.withToken(state, tokens[t]);
          state.dispose();
          state = fed;
        }
        const t0 = performance.now();
        const next = mega.step(state, t, { temperature: 0 }, 0);
        state.dispose();
        state = next;
        const z = mega.logits(state);
        const got = (await z.data()) as Float32Array;
        gpuMs += performance.now() - t0;
        z.dispose();
        error = Math.max(error, relativeError(got, want.subarray(t * config.vocab_size, (t + 1) * config.vocab_size)));
      }
    } finally {
      state.dispose();
    }
    // Greedy generation on each GPU path against the ops path: the same ids, unless the two best
    // logits of the ops path are within float32 rounding of each other where they part.
    const prompt = tokens.slice(0, 5);
    const greedy = { temperature: 0, seed: 1 };
    model.decodePath = 'ops';
    const ops = await model.generate(prompt, 16, greedy);
    for (const path of ['fused', 'auto'] as const) {
      model.decodePath = path;
      const got = await model.generate(prompt, 16, greedy);
      const expected = path === 'auto' ? 'one-dispatch' : 'fused';
      if (model.lastDecode?.path !== expected) throw new Error(`generation did not take the ${expected} path: ${model.lastDecode?.why}`);
      const part = ops.findIndex((id, i) => id !== got[i]);
      if (part >= 0) {
        const z = await model.nextTokenLogits([...prompt, ...ops.slice(0, part)]);
        const gap = Math.abs(z[ops[part]] - z[got[part]]) / Math.max(...Array.from(z, Math.abs));
        if (gap > DECODE_TOLERANCE) throw new Error(`${expected} generation parts from the ops path at token ${part + 1} (${got[part]} against ${ops[part]}, logits ${gap.toExponential(1)} apart)`);
      }
    }
    return { measured: error, gpuMs: gpuMs / (2 * (tokens.length - prefill)), cpuMs };
  } finally {
    model.dispose();
  }
}

async function dqmmCase(compute: Compute, c: Extract<DecodeSelfTestCase, { kind: 'dqmm' }>) {
  const { tf } = compute;
  const webgpu = compute.webgpu!;
  const { M, N, K } = DQMM_SHAPE;
  const w = normalArray(N * K, c.seed, 0, 0.05);
  for (let k = 0; k < K; k += 29) w[5 * K + k] *= 20; // a few outliers in row 5
  const x = normalArray(M * K, c.seed + 1);
  const dy = normalArray(M * N, c.seed + 2);
  const bias = normalArray(N, c.seed + 3, 0, 0.1);
  const stored = quantizeWeight(c.format, w, [N, K]);
  const [want, cpuMs] = await timed(() => [dequantMatMulReference(stored, x, M, bias), dequantMatMulGradReference(stored, dy, M)]);
  const device = uploadStoredWeight(compute, stored);
  const inputs = [tf.tensor2d(x, [M, K]), tf.tensor2d(dy, [M, N]), tf.tensor1d(bias)];
  try {
    const mv = device.matVecWeight() as MatVecWeight;
    const run = async () => {
      const y = runDequantMatMul(tf, webgpu, inputs[0], mv, inputs[2]);
      const dx = runDequantMatMulGrad(tf, webgpu, inputs[1], mv);
      const got = [(await y.data()) as Float32Array, (await dx.data()) as Float32Array];
      tf.dispose([y, dx]);
      return got;
    };
    await run(); // compiles the pipelines
    const [got, gpuMs] = await timed(run);
    return { measured: Math.max(relativeError(got[0], want[0]), relativeError(got[1], want[1])), gpuMs, cpuMs };
  } finally {
    tf.dispose(inputs);
    device.dispose();
  }
}

/** Runs one case on WebGPU; on another backend it reports that there is nothing to compare. */
export async function runDecodeSelfTestCase(compute: Compute, c: DecodeSelfTestCase): Promise<DecodeSelfTestResult> {
  const tolerance = c.kind === 'sample' ? SAMPLE_MISMATCHES_ALLOWED : DECODE_TOLERANCE;
  const base = { name: c.name, kind: c.kind, tolerance };
  if (!compute.webgpu) return { ...base, measured: NaN, gpuMs: NaN, cpuMs: NaN, passed: false, error: 'WebGPU is not active' };
  try {
    const r = c.kind === 'matvec' ? await matVecCase(compute, c) : c.kind === 'attend' ? await attendCase(compute, c) : c.kind === 'sample' ? await sampleCase(compute, c) : c.kind === 'dqmm' ? await dqmmCase(compute, c) : await decodeCase(compute, c);
    return { ...base, ...r, passed: r.measured <= tolerance };
  } catch (e) {
    return { ...base, measured: NaN, gpuMs: NaN, cpuMs: NaN, passed: false, error: errorMessage(e) };
  }
}
