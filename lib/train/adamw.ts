/**
 * AdamW (Loshchilov & Hutter 2019, "Decoupled Weight Decay Regularization") with global-norm
 * gradient clipping, as PyTorch does it, on tf.Variables — plus a plain-TypeScript reference of the
 * same step (docs/design.md rule 3).
 *
 * torch.optim.AdamW (https://pytorch.org/docs/stable/generated/torch.optim.AdamW.html; defaults
 * lr = 1e-3, betas = (0.9, 0.999), eps = 1e-8, weight_decay = 1e-2, amsgrad = False), step t ≥ 1
 * for a parameter θ with gradient g:
 *
 *   θ ← θ − lr · λ · θ                                 (decoupled decay: param.mul_(1 − lr·λ))
 *   m ← β1 m + (1 − β1) g,   v ← β2 v + (1 − β2) g²
 *   θ ← θ − (lr / (1 − β1ᵗ)) · m / (√v / √(1 − β2ᵗ) + ε)
 *
 * (the last line is `_single_tensor_adam`'s step_size and denom, equal to lr · m̂ / (√v̂ + ε) with the
 * bias-corrected m̂ = m / (1 − β1ᵗ), v̂ = v / (1 − β2ᵗ)). m and v start at zero.
 *
 * torch.nn.utils.clip_grad_norm_(params, max_norm) (norm_type 2, the default): total = ‖(‖g_1‖₂, …,
 * ‖g_n‖₂)‖₂ over every gradient, coef = max_norm / (total + 1e-6), and every gradient is multiplied
 * by min(coef, 1). It returns the total norm before clipping.
 *
 * A parameter without a gradient (tf.variableGrads found no path to it) is skipped, as PyTorch skips
 * parameters whose .grad is None: no decay, no moment update, and its step count t (PyTorch keeps
 * one per parameter, state['step']) does not advance.
 */
import type { NamedTensorMap, Scalar, Tensor, Variable } from '@tensorflow/tfjs-core';
import type { WebGPUBackend } from '@tensorflow/tfjs-backend-webgpu';
import type { Tfjs } from '../compute';
import { adamwStepOnDevice, sumSquaresOnDevice } from '../compute/adamw-gpu';

export interface AdamWOptions {
  lr: number;
  beta1: number;
  beta2: number;
  eps: number;
  weightDecay: number;
}

/** torch.optim.AdamW's defaults. */
export const TORCH_ADAMW_DEFAULTS: Readonly<AdamWOptions> = { lr: 1e-3, beta1: 0.9, beta2: 0.999, eps: 1e-8, weightDecay: 1e-2 };

/** The 1e-6 clip_grad_norm_ adds to the norm before dividing. */
export const CLIP_EPS = 1e-6;

export function checkAdamWOptions(o: AdamWOptions): void {
  if (!Number.isFinite(o.lr) || o.lr <= 0) throw new RangeError(`The learning rate must be a finite number > 0, got ${o.lr}.`);
  for (const [k, v] of [['beta1', o.beta1], ['beta2', o.beta2]] as const) {
    if (!Number.isFinite(v) || v < 0 || v >= 1) throw new RangeError(`${k} must be in [0, 1), got ${v}.`);
  }
  if (!Number.isFinite(o.eps) || o.eps <= 0) throw new RangeError(`eps must be a finite number > 0, got ${o.eps}.`);
  if (!Number.isFinite(o.weightDecay) || o.weightDecay < 0) throw new RangeError(`The weight decay must be a finite number ≥ 0, got ${o.weightDecay}.`);
}

export interface AdamWParam {
  variable: Variable;
  /** Whether weight decay applies (nanoGPT decays 2-D tensors only, not biases or LayerNorm). */
  decay: boolean;
}

/**
 * The optimizer over `params`. Its state — m and v, one float32 value each per parameter, i.e. 8
 * bytes per trainable parameter — lives on the backend as non-trainable variables.
 */
export class AdamW {
  private readonly o: AdamWOptions;
  /** m and v: separate variables for the tf-op step; on WebGPU one variable mv [2n] (m then v) for the fused kernels. */
  private readonly slots: { p: AdamWParam; m: Variable | null; v: Variable | null; mv: Variable | null; t: number }[];
  private t = 0;
  private disposed = false;
  /**
   * The WebGPU backend when the step runs as fused kernels (lib/compute/adamw-gpu.ts: three
   * dispatches a parameter instead of about fifteen tf ops), null for the tf-op step (WebGL, CPU).
   */
  private readonly webgpu: WebGPUBackend | null;

  constructor(private readonly tf: Tfjs, params: readonly AdamWParam[], options: Partial<AdamWOptions> = {}) {
    this.webgpu = tf.getBackend() === 'webgpu' ? (tf.backend() as unknown as WebGPUBackend) : null;
    this.o = { ...TORCH_ADAMW_DEFAULTS, ...options };
    checkAdamWOptions(this.o);
    const names = new Set<string>();
    for (const p of params) {
      if (names.has(p.variable.name)) throw new RangeError(`Variable "${p.variable.name}" is listed twice.`);
      names.add(p.variable.name);
    }
    const zeros = (n: number) => tf.tidy(() => tf.variable(tf.zeros([n]), false));
    this.slots = params.map((p) =>
      this.webgpu
        ? { p, m: null, v: null, mv: zeros(2 * p.variable.size), t: 0 }
        : { p, m: tf.tidy(() => tf.variable(tf.zerosLike(p.variable), false)), v: tf.tidy(() => tf.variable(tf.zerosLike(p.variable), false)), mv: null, t: 0 },
    );
  }

  get options(): Readonly<AdamWOptions> {
    return this.o;
  }

  /** Calls of step() so far. (Each parameter also counts its own updates for the bias correction, as PyTorch's state['step'].) */
  get steps(): number {
    return this.t;
  }

  /** Parameters optimized. */
  paramCount(): number {
    return this.slots.reduce((s, x) => s + x.p.variable.size, 0);
  }

  /** m and v: 2 × 4 bytes per parameter. */
  stateBytes(): number {
    return 8 * this.paramCount();
  }

  /**
   * Clips the gradients to global norm `maxNorm` (null or Infinity: no clipping), then updates every
   * parameter that has a gradient. `grads` maps variable names to gradients, as tf.variableGrads
   * returns them; they are not disposed here. Returns the global gradient norm before clipping, a
   * scalar the caller disposes.
   */
  step(grads: NamedTensorMap, maxNorm: number | null = null): Scalar {
    if (this.disposed) throw new Error('This optimizer has been disposed.');
    if (maxNorm !== null && !(maxNorm > 0)) throw new RangeError(`The clipping norm must be > 0 (or null for none), got ${maxNorm}.`);
    const { tf, o } = this;
    this.t++;
    return tf.tidy(() => {
      const live = this.slots.filter((s) => grads[s.p.variable.name] !== undefined);
      const gs = live.map((s) => grads[s.p.variable.name] as Tensor);
      const webgpu = this.webgpu;
      const squares = (g: Tensor) => (webgpu ? tf.reshape(sumSquaresOnDevice(tf, webgpu, g), []) : tf.sum(tf.square(g)));
      const norm = gs.length === 0 ? tf.scalar(0) : tf.sqrt(addNInChunks(tf, gs.map(squares))) as Scalar;
      const coef = maxNorm === null || maxNorm === Infinity ? null : tf.minimum(tf.div(maxNorm, tf.add(norm, CLIP_EPS)), 1);
      live.forEach((s, i) => {
        s.t++;
        const bc1 = 1 - o.beta1 ** s.t;
        const bc2Sqrt = Math.sqrt(1 - o.beta2 ** s.t);
        const stepSize = o.lr / bc1;
        const decayFactor = s.p.decay && o.weightDecay > 0 ? 1 - o.lr * o.weightDecay : 1;
        if (webgpu && s.mv) {
          const next = adamwStepOnDevice(tf, webgpu, s.p.variable, gs[i], s.mv, coef, { beta1: o.beta1, beta2: o.beta2, decayFactor, stepSize, bc2Sqrt, eps: o.eps });
          s.p.variable.assign(next.param);
          s.mv.assign(next.mv);
          return;
        }
        const g = coef ? tf.mul(gs[i], coef) : gs[i];
        const param = decayFactor !== 1 ? tf.mul(s.p.variable, decayFactor) : s.p.variable;
        const m = tf.add(tf.mul(s.m!, o.beta1), tf.mul(g, 1 - o.beta1));
        const v = tf.add(tf.mul(s.v!, o.beta2), tf.mul(tf.square(g), 1 - o.beta2));
        const denom = tf.add(tf.div(tf.sqrt(v), bc2Sqrt), o.eps);
        s.p.variable.assign(tf.sub(param, tf.mul(tf.div(m, denom), stepSize)));
        s.m!.assign(m);
        s.v!.assign(v);
      });
      return norm;
    });
  }

  dispose(): void {
    if (this.disposed) return;
    this.disposed = true;
    for (const s of this.slots) {
      s.m?.dispose();
      s.v?.dispose();
      s.mv?.dispose();
    }
  }
}

/**
 * clip_grad_norm_ in plain TypeScript (float64): scales every gradient in place by
 * min(maxNorm / (total + 1e-6), 1) and returns the total norm before clipping.
 */
export function clipGradNormReference(grads: readonly Float64Array[], maxNorm: number): number {
  let sq = 0;
  for (const g of grads) for (const x of g) sq += x * x;
  const total = Math.sqrt(sq);
  const coef = Math.min(maxNorm / (total + CLIP_EPS), 1);
  for (const g of grads) for (let i = 0; i < g.length; i++) g[i] *= coef;
  return total;
}

/** One parameter's AdamW state in the reference. */
export interface AdamWReferenceState {
  m: Float64Array;
  v: Float64Array;
}

/**
 * One AdamW update of `param` in place (float64), the parameter's t-th update (t ≥ 1), exactly the formulas of the module
 * comment; `state` (m, v) is updated in place too.
 */
export function adamwStepReference(param: Float64Array, grad: Float64Array, state: AdamWReferenceState, t: number, o: AdamWOptions, decay: boolean): void {
  const bc1 = 1 - o.beta1 ** t;
  const bc2Sqrt = Math.sqrt(1 - o.beta2 ** t);
  for (let i = 0; i < param.length; i++) {
    const g = grad[i];
    if (decay) param[i] *= 1 - o.lr * o.weightDecay;
    state.m[i] = o.beta1 * state.m[i] + (1 - o.beta1) * g;
    state.v[i] = o.beta2 * state.v[i] + (1 - o.beta2) * g * g;
    param[i] -= (o.lr / bc1) * (state.m[i] / (Math.sqrt(state.v[i]) / bc2Sqrt + o.eps));
  }
}

/**
 * Inputs one tf.addN may take: WebGPU binds each input as a storage buffer, the output takes one
 * more, and adapters may allow as few as 8 per shader stage (SwiftShader does) — beyond that the
 * pipeline is invalid and the sum is never written.
 */
export const ADDN_MAX_INPUTS = 7;

/** Σ xs as tf.addN computes it, in groups of at most ADDN_MAX_INPUTS inputs (then the groups' sums, and so on). */
export function addNInChunks<T extends Tensor>(tf: Pick<Tfjs, 'addN'>, xs: readonly T[]): T {
  if (xs.length === 0) throw new RangeError('addNInChunks needs at least one tensor.');
  let level: T[] = [...xs];
  while (level.length > 1) {
    const next: T[] = [];
    for (let i = 0; i < level.length; i += ADDN_MAX_INPUTS) {
      const group = level.slice(i, i + ADDN_MAX_INPUTS);
      next.push(group.length === 1 ? group[0] : tf.addN(group));
    }
    level = next;
  }
  return level[0];
}
