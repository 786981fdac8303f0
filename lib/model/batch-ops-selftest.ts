/**
 * Self-test of the fused batch kernels (lib/compute/train-fused-gpu.ts, which the model takes on
 * WebGPU for training, perplexity and prefill) against their float64 twins (train-reference.ts):
 * seeded inputs and output gradients, the op's value and its gradients by tf.grads. A case passes
 * when every output's largest difference over its largest |reference value| is at most
 * BATCH_OPS_TOLERANCE.
 */
import type { Tensor } from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-core/dist/register_all_gradients';
import type { Compute } from '../compute';
import { countDispatches } from '../compute/dispatch-count';
import { activeWebGPU } from '../compute/fake-quant-gpu';
import { fusedCausalAttention, fusedGelu, fusedLayerNorm } from '../compute/train-fused-gpu';
import { errorMessage } from '../errors';
import { mulberry32 } from '../random';
import { BATCH_OPS_TOLERANCE, type BatchOpsSelfTestCase, type BatchOpsSelfTestResult } from './batch-ops-selftest-cases';
import { TinyLM } from './tiny-lm';
import type { TinyLMConfig } from './config';
import type { WeightStore } from './weights';
import { relativeError, seededGptWeights } from './decode-selftest';
import { causalAttentionGradReference, causalAttentionReference, geluGradReference, geluReference, layerNormGradReference, layerNormReference } from './train-reference';

function seeded(n: number, seed: number, scale: number): Float32Array {
  const r = mulberry32(seed);
  return Float32Array.from({ length: n }, () => (r() * 2 - 1) * scale);
}

interface Planned {
  elements: number;
  /** Work the reference needs on the backend first (the whole-model case's tfjs-ops run). */
  prepare?: () => Promise<void>;
  /** Float64 outputs, in the order `run` returns them. */
  reference: () => ArrayLike<number>[];
  /** The fused op's outputs: its value, then the gradients. */
  run: () => Promise<Float32Array[]>;
}

function plan(compute: Compute, c: BatchOpsSelfTestCase): Planned {
  const { tf } = compute;
  const webgpu = activeWebGPU(tf)!;
  const read = async (ts: Tensor[]) => {
    const out = await Promise.all(ts.map((t) => t.data() as Promise<Float32Array>));
    tf.dispose(ts);
    return out;
  };
  if (c.kind === 'attention') {
    const s = { B: c.B, T: c.T, H: c.H, hd: c.hd };
    const C = c.H * c.hd, scale = 1 / Math.sqrt(c.hd);
    const qkv = seeded(c.B * c.T * 3 * C, c.seed, 1.5);
    const dy = seeded(c.B * c.T * C, c.seed + 1000, 1);
    return {
      elements: qkv.length,
      reference: () => [causalAttentionReference(qkv, s, scale).y, causalAttentionGradReference(qkv, dy, s, scale)],
      run: () => read(tf.tidy(() => {
        const x = tf.tensor2d(qkv, [c.B * c.T, 3 * C]);
        const g = tf.tensor2d(dy, [c.B * c.T, C]);
        const y = fusedCausalAttention(tf, webgpu, x, s, scale);
        const [dx] = tf.grads((t: Tensor) => tf.sum(tf.mul(fusedCausalAttention(tf, webgpu, t as never, s, scale), g)))([x]);
        return [y, dx];
      })),
    };
  }
  if (c.kind === 'gelu') {
    const x = seeded(c.rows * c.cols, c.seed, c.spread);
    const dy = seeded(x.length, c.seed + 1000, 1);
    return {
      elements: x.length,
      reference: () => [Float64Array.from(x, (v) => geluReference(v, c.gelu)), Float64Array.from(x, (v, i) => dy[i] * geluGradReference(v, c.gelu))],
      run: () => read(tf.tidy(() => {
        const t = tf.tensor2d(x, [c.rows, c.cols]);
        const g = tf.tensor2d(dy, [c.rows, c.cols]);
        const y = fusedGelu(tf, webgpu, t, c.gelu);
        const [dx] = tf.grads((u: Tensor) => tf.sum(tf.mul(fusedGelu(tf, webgpu, u as never, c.gelu), g)))([t]);
        return [y, dx];
      })),
    };
  }
  if (c.kind === 'model') return planModel(compute, c);
  const eps = 1e-5;
  const x = seeded(c.rows * c.C, c.seed, 3);
  const gamma = seeded(c.C, c.seed + 1, 1.5), beta = seeded(c.C, c.seed + 2, 0.5);
  const dy = seeded(x.length, c.seed + 1000, 1);
  return {
    elements: x.length,
    reference: () => {
      const g = layerNormGradReference(x, dy, c.rows, c.C, gamma, eps);
      return [layerNormReference(x, c.rows, c.C, gamma, beta, eps), g.dx, ...(c.trainParams ? [g.dGamma, g.dBeta] : [])];
    },
    run: () => read(tf.tidy(() => {
      const t = tf.tensor2d(x, [c.rows, c.C]);
      const ga = tf.tensor1d(gamma), be = tf.tensor1d(beta), g = tf.tensor2d(dy, [c.rows, c.C]);
      const y = fusedLayerNorm(tf, webgpu, t, ga, be, eps, c.trainParams);
      const f = (...a: Tensor[]) => tf.sum(tf.mul(fusedLayerNorm(tf, webgpu, a[0] as never, c.trainParams ? a[1] : ga, c.trainParams ? a[2] : be, eps, c.trainParams), g));
      const grads = tf.grads(f)(c.trainParams ? [t, ga, be] : [t]);
      return [y, ...grads];
    })),
  };
}

/**
 * A small model whose weights are all trained (a store of variables, as full fine-tuning's), run with
 * batchOps 'ops' for the reference and 'fused' for the check: its logits over a batch and the
 * gradients of Σ logits · R (R seeded) for every weight — so the kernels are checked where the
 * model wires them, layer norm's γ and β included.
 */
function planModel(compute: Compute, c: Extract<BatchOpsSelfTestCase, { kind: 'model' }>): Planned {
  const { tf } = compute;
  const config: TinyLMConfig = { vocab_size: 256, n_layer: 2, n_head: 2, n_embd: 64, block_size: 32, layer_norm_eps: 1e-5, tokenizer: { type: 'byte' }, activation: c.gelu };
  const { tensors: values, shapes } = seededGptWeights(config, c.seed);
  const r = mulberry32(c.seed);
  const batch = Array.from({ length: c.B }, () => Array.from({ length: c.T }, () => Math.floor(r() * config.vocab_size)));
  const proj = seeded(c.B * c.T * config.vocab_size, c.seed + 1000, 1);
  const names = [...shapes.keys()];
  const runWith = (batchOps: 'fused' | 'ops') => async () => {
    const vars = tf.tidy(() => names.map((n) => tf.variable(tf.tensor(values.get(n)!, shapes.get(n)!), true)));
    const byName = new Map(names.map((n, i) => [n, vars[i]]));
    const store: WeightStore = {
      format: 'fp32', residency: 'packed', trainable: true,
      get: (n) => tf.clone(byName.get(n)!), shape: (n) => shapes.get(n)!, bytesHeld: () => 0, bitsPerWeight: () => 32,
      dispose: () => {},
    };
    const model = new TinyLM(tf, config, store);
    model.batchOps = batchOps;
    try {
      const R = tf.tensor3d(proj, [c.B, c.T, config.vocab_size]);
      const logits = model.logitsBatchTensor(batch);
      const { value, grads } = tf.variableGrads(() => tf.sum(tf.mul(model.logitsBatchTensor(batch), R)) as never, vars);
      const out = [logits, ...vars.map((v) => grads[v.name])];
      const data = await Promise.all(out.map((t) => t.data() as Promise<Float32Array>));
      tf.dispose([R, value, ...out]);
      return data;
    } finally {
      model.dispose();
      tf.dispose(vars);
    }
  };
  let reference: Float32Array[] = [];
  return {
    elements: [...values.values()].reduce((a, v) => a + v.length, 0),
    prepare: async () => { reference = await runWith('ops')(); },
    reference: () => reference,
    run: runWith('fused'),
  };
}

/** Runs one case on the page's backend (WebGPU only: elsewhere the model uses tfjs ops, which the unit tests check). */
export async function runBatchOpsSelfTestCase(compute: Compute, c: BatchOpsSelfTestCase): Promise<BatchOpsSelfTestResult> {
  const base = { name: c.name, elements: 0, path: 'fused-webgpu' as const };
  try {
    if (!activeWebGPU(compute.tf)) throw new Error('WebGPU is not active: the model uses tfjs ops here.');
    const p = plan(compute, c);
    const t0 = performance.now();
    await p.prepare?.();
    const want = p.reference();
    const cpuMs = performance.now() - t0;
    await p.run(); // compiles the shaders
    const t1 = performance.now();
    const { value: got, dispatches } = await countDispatches(compute.tf, p.run);
    const gpuMs = performance.now() - t1;
    const worst = Math.max(...want.map((w, i) => relativeError(got[i] ?? [], w)));
    return { ...base, elements: p.elements, relativeError: worst, dispatches, gpuMs, cpuMs, passed: worst <= BATCH_OPS_TOLERANCE };
  } catch (e) {
    return { ...base, relativeError: NaN, dispatches: null, gpuMs: NaN, cpuMs: NaN, passed: false, error: errorMessage(e) };
  }
}
