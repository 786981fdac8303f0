/**
 * Quantization-aware training for the tiny GPT: full fine-tuning whose forward pass sees every
 * Linear weight fake-quantized (and, optionally, every Linear input), so the weights learn to sit
 * well on the grid they will be stored in. Gradients pass the rounding by the straight-through
 * estimator; with LSQ (Esser et al. 2019) the grid's step is trained too. Rules: lib/quant/qat.ts;
 * docs/numerics.md "Quantization-aware training". The trainer's 'qat' mode builds this over its
 * variable store (trainer.ts).
 */
import type { Tensor, Tensor2D, Variable } from '@tensorflow/tfjs-core';
import type { Tfjs } from '../compute';
import type { TinyLMConfig } from '../model/config';
import type { LinearAdapters } from '../model/tiny-lm';
import type { WeightStore } from '../model/weights';
import { lsqGradScale, lsqInitialStep, lsqRange, weightGrid } from '../quant/qat';
import { fakeQuantRange, fakeQuantWeight, lsqFakeQuant } from './fake-quant';
import './gradients';

export interface QatOptions {
  /** Weight bits, 2–8. */
  bits: number;
  /** Columns per group along a row, or −1 for one range (or LSQ step) per output channel. */
  groupSize: number;
  /** Symmetric signed weight grid; else affine (min/max with a zero point). LSQ is always symmetric signed. */
  symmetric: boolean;
  /** Learn the weight grid's step per row or group (LSQ) instead of re-ranging it from min/max. */
  lsq: boolean;
  /**
   * Fake-quantize the Linear inputs too: 'dynamic', per token with its own min/max range; 'static',
   * one range per layer kept as a running min/max of the training batches (what a deployed model
   * with fixed activation scales uses); or 'none'.
   */
  activations: 'none' | 'dynamic' | 'static';
  /** Activation bits, 2–8 (affine unsigned, as PyTorch's default activation observer). */
  activationBits: number;
}

/**
 * The running range's momentum c: range ← range + c · (batch range − range), the first batch taken
 * as it is (PyTorch's MovingAverageMinMaxObserver, averaging_constant 0.01).
 */
export const STATIC_RANGE_MOMENTUM = 0.01;

/** One update of a running range (null before the first batch). */
export function movingAverageRange(old: { lo: number; hi: number } | null, batch: { lo: number; hi: number }, c = STATIC_RANGE_MOMENTUM): { lo: number; hi: number } {
  if (!old) return { ...batch };
  return { lo: old.lo + c * (batch.lo - old.lo), hi: old.hi + c * (batch.hi - old.hi) };
}

export const QAT_DEFAULTS: QatOptions = { bits: 4, groupSize: -1, symmetric: true, lsq: false, activations: 'none', activationBits: 8 };

/** The Linear weights QAT quantizes: every block's attn.c_attn, attn.c_proj, mlp.c_fc and mlp.c_proj (the embeddings stay float32). */
export function qatLinearNames(config: TinyLMConfig): string[] {
  return Array.from({ length: config.n_layer }, (_, l) => ['attn.c_attn', 'attn.c_proj', 'mlp.c_fc', 'mlp.c_proj'].map((m) => `transformer.h.${l}.${m}`)).flat();
}

/** Throws a RangeError naming the first option QAT cannot use on weights `cols` wide. */
export function checkQatOptions(o: QatOptions, cols: readonly number[]): void {
  weightGrid(o);
  if (o.groupSize !== -1) {
    if (!Number.isInteger(o.groupSize) || o.groupSize < 1) throw new RangeError(`The QAT group size must be a whole number ≥ 1, or −1 for one per row, got ${o.groupSize}.`);
    const bad = cols.find((c) => c % o.groupSize !== 0);
    if (bad !== undefined) throw new RangeError(`The QAT group size ${o.groupSize} does not divide a layer's ${bad} inputs.`);
  }
  if (!['none', 'dynamic', 'static'].includes(o.activations)) throw new RangeError(`activations must be none, dynamic or static, got ${String(o.activations)}.`);
  if (!Number.isInteger(o.activationBits) || o.activationBits < 2 || o.activationBits > 8) throw new RangeError(`The activation bits must be a whole number from 2 to 8, got ${o.activationBits}.`);
}

export interface QatStore extends WeightStore {
  /** LSQ's trainable steps, one [slices, 1] variable per Linear weight (empty without LSQ). */
  readonly steps: ReadonlyMap<string, Variable>;
  /** Fake-quantizes the Linear inputs (null when activations are 'none'); set it as the model's adapters. */
  readonly inputs: LinearAdapters | null;
  /**
   * Static ranges: between beginTraining and endTraining each forward pass moves a layer's running
   * range towards its batch's min/max (movingAverageRange) and quantizes with the moved range;
   * endTraining stores the moved ranges. Outside training the stored ranges are used (before any
   * training step, each batch's own range). No-ops otherwise.
   */
  beginTraining(): void;
  endTraining(): void;
  /** The static ranges by Linear module path, read back (empty unless activations are 'static'). */
  activationRanges(): Promise<Map<string, { lo: number; hi: number }>>;
}

/**
 * Wraps `inner` (the trainer's variable store): get(name) of a Linear weight returns it
 * fake-quantized — min/max per row or group with the STE (fake-quant.ts fakeQuantWeight), or LSQ
 * with a trained step per slice, initialised at 2·mean|w|/√Qp and its gradient scaled by
 * 1/√(width · Qp) — and every other tensor as it is. `inner` is owned: dispose() frees it and the steps.
 */
export function createQatStore(tf: Tfjs, inner: WeightStore, config: TinyLMConfig, o: QatOptions, initial: ReadonlyMap<string, Float32Array>): QatStore {
  const names = new Set(qatLinearNames(config).map((n) => `${n}.weight`));
  checkQatOptions(o, [...names].map((n) => inner.shape(n)[1]));
  const steps = new Map<string, Variable>();
  const r = lsqRange(o.bits, true);
  if (o.lsq) {
    for (const name of names) {
      const [rows, cols] = inner.shape(name);
      const width = o.groupSize === -1 ? cols : o.groupSize;
      const w = initial.get(name);
      if (!w) throw new RangeError(`QAT needs the initial values of "${name}".`);
      const init = new Float32Array((rows * cols) / width);
      for (let k = 0; k < init.length; k++) init[k] = lsqInitialStep(w.subarray(k * width, (k + 1) * width), r);
      steps.set(name, tf.variable(tf.tensor2d(init, [init.length, 1]), true, `qat_step_${name}`));
    }
  }
  const ranges = new Map<string, { lo: Variable; hi: Variable }>();
  const pending = new Map<string, [Tensor, Tensor]>();
  let training = false;
  const staticInput = (x: Tensor2D, prefix: string): Tensor2D => {
    const stored = ranges.get(prefix);
    let lo: Tensor, hi: Tensor;
    if (training || !stored) {
      const bLo = tf.min(x), bHi = tf.max(x);
      lo = stored ? tf.add(stored.lo, tf.mul(tf.sub(bLo, stored.lo), STATIC_RANGE_MOMENTUM)) : bLo;
      hi = stored ? tf.add(stored.hi, tf.mul(tf.sub(bHi, stored.hi), STATIC_RANGE_MOMENTUM)) : bHi;
      if (training) {
        for (const t of pending.get(prefix) ?? []) t.dispose();
        pending.set(prefix, [tf.keep(tf.clone(lo)), tf.keep(tf.clone(hi))]);
      }
    } else {
      lo = stored.lo;
      hi = stored.hi;
    }
    return fakeQuantRange(tf, x, lo, hi, o.activationBits) as Tensor2D;
  };
  const inputs: LinearAdapters | null = o.activations === 'none' ? null : {
    delta: () => null,
    // dynamic: per token (row of x), affine unsigned min/max range, the STE inside it (PyTorch's
    // dynamic activation fake quantization); static: one running range per layer.
    input: (x: Tensor2D, prefix: string): Tensor2D =>
      o.activations === 'dynamic' ? fakeQuantWeight(tf, x, { bits: o.activationBits, groupSize: -1, symmetric: false }) : staticInput(x, prefix),
  };
  let disposed = false;
  return {
    format: 'fp32',
    residency: 'packed',
    // The inner store's variables are trained (every weight, LayerNorms included): say so, so the
    // model's fused layer norm passes gradients to γ and β too (WeightStore.trainable).
    trainable: inner.trainable,
    steps,
    inputs,
    beginTraining() {
      training = o.activations === 'static';
    },
    endTraining() {
      training = false;
      for (const [prefix, [lo, hi]] of pending) {
        const r = ranges.get(prefix);
        if (r) {
          r.lo.assign(lo);
          r.hi.assign(hi);
        } else {
          ranges.set(prefix, { lo: tf.variable(lo, false, `qat_lo_${prefix}`), hi: tf.variable(hi, false, `qat_hi_${prefix}`) });
        }
        lo.dispose();
        hi.dispose();
      }
      pending.clear();
    },
    async activationRanges() {
      const out = new Map<string, { lo: number; hi: number }>();
      for (const [prefix, r] of ranges) out.set(prefix, { lo: (await r.lo.data())[0], hi: (await r.hi.data())[0] });
      return out;
    },
    get(name) {
      if (!names.has(name)) return inner.get(name);
      // tidy frees the intermediate copy of the variable; inside tf.variableGrads the tape still
      // reaches the variable through it.
      return tf.tidy(() => {
        const w = inner.get(name) as Tensor2D;
        const [rows, cols] = w.shape;
        const step = steps.get(name);
        if (!step) return fakeQuantWeight(tf, w, o);
        const width = o.groupSize === -1 ? cols : o.groupSize;
        const q = lsqFakeQuant(tf, tf.reshape(w, [(rows * cols) / width, width]), step, r, lsqGradScale(width, r));
        return tf.reshape(q, [rows, cols]);
      });
    },
    shape: (name) => inner.shape(name),
    bytesHeld: () => inner.bytesHeld() + [...steps.values()].reduce((s, v) => s + 4 * v.size, 0),
    bitsPerWeight: () => 32,
    dispose() {
      if (disposed) return;
      disposed = true;
      inner.dispose();
      for (const v of steps.values()) v.dispose();
      steps.clear();
      for (const r of ranges.values()) {
        r.lo.dispose();
        r.hi.dispose();
      }
      ranges.clear();
      for (const t of [...pending.values()].flat()) t.dispose();
      pending.clear();
    },
  };
}
