/**
 * LoRA adapters for the tiny GPT (Hu et al. 2021, "LoRA: Low-Rank Adaptation of Large Language
 * Models"), laid out and initialised as Hugging Face PEFT does (peft/tuners/lora/layer.py,
 * `LoraLayer.update_layer` and `reset_lora_parameters`). For an adapted Linear W0 [out, in]:
 *
 *   h = W0 x + b + scale · B A dropout(x),   A [r, in], B [out, r],   scale = α / r   (rsLoRA: α / √r)
 *
 * B starts at zero, so the adapted model is the base model exactly until the first update; A starts
 * Kaiming-uniform (see kaimingUniformBound). For QLoRA, LoftQ can start them instead
 * (loftqLoraWeights: A and B from the SVD of the NF4 base's error, docs/numerics.md). Only A and B are trained: r (in + out) parameters per
 * matrix (docs/numerics.md, "LoRA and QLoRA"). The base weights stay wherever their WeightStore keeps
 * them (float32, or NF4 + double quantization for QLoRA), frozen.
 */
import type { Tensor2D, Variable } from '@tensorflow/tfjs-core';
import type { Tfjs } from '../compute';
import type { TinyLMConfig } from '../model/config';
import type { LinearAdapters } from '../model/tiny-lm';
import { loftqInit } from '../lora/loftq';
import { loraMatrixParams } from '../lora/params';
import { loraScaling } from '../lora/scale';
import { mulberry32 } from '../random';
import './gradients';

/**
 * The Linear modules of a block LoRA can adapt, named as PEFT's `target_modules` would match them
 * in nanoGPT's module tree (a name matches a module whose path ends with "." + name):
 * attn.c_attn (q, k, v), attn.c_proj (attention output), mlp.c_fc (up), mlp.c_proj (down).
 */
export type LoraTarget = 'c_attn' | 'attn.c_proj' | 'c_fc' | 'mlp.c_proj';

export const LORA_TARGETS: readonly LoraTarget[] = ['c_attn', 'attn.c_proj', 'c_fc', 'mlp.c_proj'];

/** The module path within block l: 'c_attn' → 'attn.c_attn', 'c_fc' → 'mlp.c_fc'. */
const BLOCK_PATH: Readonly<Record<LoraTarget, string>> = { c_attn: 'attn.c_attn', 'attn.c_proj': 'attn.c_proj', c_fc: 'mlp.c_fc', 'mlp.c_proj': 'mlp.c_proj' };

export interface LoraConfig {
  /** Rank r ≥ 1. */
  r: number;
  /** lora_alpha: the update is scaled by α / r (or α / √r with rsLoRA). */
  alpha: number;
  /** lora_dropout in [0, 1): applied to the adapter's input x while training, as PEFT does. */
  dropout: number;
  /** Which Linear modules of every block get an adapter (at least one). */
  targets: readonly LoraTarget[];
  /** Rank-stabilised LoRA (Kalajdzievski 2023): scale α / √r instead of α / r. */
  rsLoRA?: boolean;
}

/** PEFT's LoraConfig defaults: r = 8, lora_alpha = 8, lora_dropout = 0, use_rslora = False (docs/numerics.md). */
export const PEFT_LORA_DEFAULTS = { r: 8, alpha: 8, dropout: 0, rsLoRA: false } as const;

/** Throws a RangeError naming the first bad field of a LoRA config. */
export function checkLoraConfig(c: LoraConfig): void {
  if (!Number.isSafeInteger(c.r) || c.r < 1) throw new RangeError(`The LoRA rank r must be a whole number ≥ 1, got ${c.r}.`);
  if (!Number.isFinite(c.alpha) || c.alpha <= 0) throw new RangeError(`lora_alpha must be a finite number > 0, got ${c.alpha}.`);
  if (!Number.isFinite(c.dropout) || c.dropout < 0 || c.dropout >= 1) throw new RangeError(`lora_dropout must be in [0, 1), got ${c.dropout}.`);
  if (c.targets.length === 0) throw new RangeError('LoRA needs at least one target module.');
  for (const t of c.targets) if (!LORA_TARGETS.includes(t)) throw new RangeError(`"${t}" is not a Linear module of a block; targets are ${LORA_TARGETS.join(', ')}.`);
  if (new Set(c.targets).size !== c.targets.length) throw new RangeError('A LoRA target module is listed twice.');
}

/** scale = α / r (Hu et al. 2021; PEFT `scaling`), or α / √r with rsLoRA (PEFT `use_rslora=True`). */
export function loraScale(c: Pick<LoraConfig, 'r' | 'alpha' | 'rsLoRA'>): number {
  return loraScaling(c.alpha, c.r, c.rsLoRA);
}

/** Trainable parameters of one adapted [out, in] matrix: A has r·in, B has out·r (docs/numerics.md: 4096², r 8 → 65,536). */
export function loraParamCount(dIn: number, dOut: number, r: number): number {
  return loraMatrixParams(dIn, dOut, r);
}

/**
 * The bound of torch.nn.init.kaiming_uniform_(w, a, mode='fan_in', nonlinearity='leaky_relu'):
 * gain = √(2 / (1 + a²)) (torch.nn.init.calculate_gain('leaky_relu', a)), std = gain / √fan_in,
 * bound = √3 · std, and w ~ U(−bound, bound). PEFT initialises lora_A with a = √5
 * (`nn.init.kaiming_uniform_(self.lora_A[adapter_name].weight, a=math.sqrt(5))`, as nn.Linear
 * does), so gain = √(2/6) = 1/√3 and bound = √3 · (1/√3) / √fan_in = 1 / √fan_in, fan_in = in.
 */
export function kaimingUniformBound(fanIn: number, a = Math.sqrt(5)): number {
  const gain = Math.sqrt(2 / (1 + a * a));
  return Math.sqrt(3) * (gain / Math.sqrt(fanIn));
}

/** One adapted Linear: its module path in nanoGPT's tree and its sizes. */
export interface LoraModule {
  /** e.g. 'transformer.h.0.attn.c_attn' (the weight is `${path}.weight`, stored [out, in]). */
  path: string;
  in: number;
  out: number;
}

/** The adapted modules of a model, block by block and within a block in LORA_TARGETS order. */
export function loraModules(model: TinyLMConfig, targets: readonly LoraTarget[]): LoraModule[] {
  const C = model.n_embd;
  const size: Record<LoraTarget, [number, number]> = { c_attn: [C, 3 * C], 'attn.c_proj': [C, C], c_fc: [C, 4 * C], 'mlp.c_proj': [4 * C, C] };
  const out: LoraModule[] = [];
  for (let l = 0; l < model.n_layer; l++) {
    for (const t of LORA_TARGETS) {
      if (!targets.includes(t)) continue;
      out.push({ path: `transformer.h.${l}.${BLOCK_PATH[t]}`, in: size[t][0], out: size[t][1] });
    }
  }
  return out;
}

/** Which LoRA target a module path belongs to ('transformer.h.3.mlp.c_fc' → 'c_fc'), or null. */
export function loraTargetOf(path: string): LoraTarget | null {
  const m = /^transformer\.h\.\d+\.(attn\.c_attn|attn\.c_proj|mlp\.c_fc|mlp\.c_proj)$/.exec(path);
  if (!m) return null;
  return LORA_TARGETS.find((t) => BLOCK_PATH[t] === m[1]) ?? null;
}

/** An adapted matrix's A [r, in] and B [out, r] as row-major float32 values. */
export interface LoraModuleWeights extends LoraModule {
  A: Float32Array;
  B: Float32Array;
}

/** A whole adapter in plain arrays: what export writes, import reads and merge folds into the base. */
export interface LoraWeightsData {
  config: LoraConfig;
  modules: LoraModuleWeights[];
}

/**
 * The initial adapter, as PEFT makes it: for each module in loraModules order, A [r, in] drawn
 * U(−1/√in, 1/√in) row by row from one mulberry32(seed) stream, and B [out, r] zero.
 */
export function initialLoraWeights(model: TinyLMConfig, config: LoraConfig, seed: number): LoraWeightsData {
  checkLoraConfig(config);
  const rand = mulberry32(seed);
  const modules = loraModules(model, config.targets).map((m) => {
    const bound = kaimingUniformBound(m.in);
    const A = new Float32Array(config.r * m.in);
    for (let i = 0; i < A.length; i++) A[i] = (2 * rand() - 1) * bound;
    return { ...m, A, B: new Float32Array(m.out * config.r) };
  });
  return { config: { ...config, targets: [...config.targets] }, modules };
}

/** How the adapters start: 'zero' is PEFT's default (Kaiming A, zero B); 'loftq' is LoftQ (QLoRA only). */
export type LoraInit = 'zero' | 'loftq';

export const LORA_INITS: readonly LoraInit[] = ['zero', 'loftq'];

/** LoftQ's adapter for every adapted module, and the float32 weights a QLoRA store should quantize. */
export interface LoftQLoraInit {
  /** A and B of each module in loraModules order, from lib/lora/loftq.ts loftqInit. */
  adapter: LoraWeightsData;
  /**
   * The model's float32 weights with each adapted Linear weight replaced by what LoftQ's last step
   * quantized (W − scale · B_{T−1} A_{T−1}; W itself when T = 1). An NF4 + DQ store built from these
   * holds LoftQ's base Q_T for the adapted weights and NF4(W) for the rest, as plain QLoRA.
   */
  baseValues: Map<string, Float32Array>;
  /** Per module, ‖W − dequant(Q) − scale · B A‖_F after each step, and plain QLoRA's ‖W − dequant(NF4(W))‖_F. */
  residuals: { path: string; residualNorms: number[]; zeroBNorm: number }[];
}

/**
 * LoftQ initialisation (docs/numerics.md, "LoftQ initialisation") for every module the config
 * adapts: loftqInit(W, [out, in], { rank: r, scale, iterations }) on the float32 weight
 * `${path}.weight`, with scale = loraScale(config) so that scale · B A is LoftQ's correction. Only
 * meaningful on an NF4 + DQ base, whose blocks (64, 256) loftqInit uses by default. Throws a
 * RangeError for a missing weight or one whose length is not out · in, and loftqInit's for the rest.
 */
export function loftqLoraWeights(model: TinyLMConfig, config: LoraConfig, values: ReadonlyMap<string, Float32Array>, iterations?: number): LoftQLoraInit {
  checkLoraConfig(config);
  const scale = loraScale(config);
  const baseValues = new Map(values);
  const residuals: LoftQLoraInit['residuals'] = [];
  const modules = loraModules(model, config.targets).map((m) => {
    const name = `${m.path}.weight`;
    const w = values.get(name);
    if (!w) throw new RangeError(`LoftQ needs the weight "${name}", which the model does not have.`);
    if (w.length !== m.out * m.in) throw new RangeError(`"${name}" has ${w.length} values; [${m.out}, ${m.in}] needs ${m.out * m.in}.`);
    const r = loftqInit(w, [m.out, m.in], { rank: config.r, scale, iterations });
    baseValues.set(name, r.quantizerInput);
    residuals.push({ path: m.path, residualNorms: r.residualNorms, zeroBNorm: r.quantizationErrorNorms[0] });
    return { ...m, A: r.A, B: r.B };
  });
  return { adapter: { config: { ...config, targets: [...config.targets] }, modules }, baseValues, residuals };
}

interface Pair {
  module: LoraModule;
  A: Variable;
  B: Variable;
}

/**
 * The adapter as trainable tf.Variables, plugged into a TinyLM through its `adapters` hook
 * (model.adapters = lora). delta(x, path) = scale · (dropout(x) Aᵀ) Bᵀ for an adapted path, null
 * for the others. Dropout acts only between beginTraining(seed) and endTraining(): each delta call
 * then draws its mask with tf.dropout (inverted dropout, kept values scaled by 1/(1 − p), as
 * torch.nn.Dropout) seeded from a mulberry32(seed) stream, so a training step is reproducible.
 */
export class LoraAdapters implements LinearAdapters {
  readonly config: LoraConfig;
  readonly scale: number;
  private readonly pairs = new Map<string, Pair>();
  private dropoutRand: (() => number) | null = null;
  private disposed = false;

  constructor(
    private readonly tf: Tfjs,
    readonly model: TinyLMConfig,
    config: LoraConfig,
    init: { seed: number } | { weights: LoraWeightsData },
  ) {
    checkLoraConfig(config);
    this.config = { ...config, targets: [...config.targets] };
    this.scale = loraScale(config);
    const data = 'seed' in init ? initialLoraWeights(model, config, init.seed) : init.weights;
    const expected = loraModules(model, config.targets);
    if (data.modules.length !== expected.length) throw new RangeError(`The adapter has ${data.modules.length} matrices; the config needs ${expected.length}.`);
    expected.forEach((m, i) => {
      const w = data.modules[i];
      if (w.path !== m.path || w.A.length !== config.r * m.in || w.B.length !== m.out * config.r) {
        throw new RangeError(`Adapter matrix ${i} should be ${m.path} with A [${config.r}, ${m.in}] and B [${m.out}, ${config.r}].`);
      }
    });
    for (const [i, m] of expected.entries()) {
      const w = data.modules[i];
      // tf.tidy frees the initial-value tensors; it never disposes variables.
      this.pairs.set(m.path, {
        module: m,
        A: tf.tidy(() => tf.variable(tf.tensor2d(w.A, [config.r, m.in]), true)),
        B: tf.tidy(() => tf.variable(tf.tensor2d(w.B, [m.out, config.r]), true)),
      });
    }
  }

  /** The adapted modules, in loraModules order. */
  get modules(): LoraModule[] {
    return [...this.pairs.values()].map((p) => p.module);
  }

  /** A and B of every adapted module, in order (A then B), for tf.variableGrads and the optimizer. */
  variables(): Variable[] {
    this.checkAlive();
    return [...this.pairs.values()].flatMap((p) => [p.A, p.B]);
  }

  /** The variables of one module (tests, inspection). */
  pair(path: string): { A: Variable; B: Variable } {
    this.checkAlive();
    const p = this.pairs.get(path);
    if (!p) throw new RangeError(`No adapter on "${path}".`);
    return { A: p.A, B: p.B };
  }

  /** Σ r (in + out) over the adapted modules. */
  trainableParams(): number {
    return [...this.pairs.values()].reduce((s, p) => s + loraParamCount(p.module.in, p.module.out, this.config.r), 0);
  }

  /** Turns dropout on for the forward passes until endTraining(), with masks drawn from `seed`. */
  beginTraining(seed: number): void {
    this.dropoutRand = mulberry32(seed);
  }

  endTraining(): void {
    this.dropoutRand = null;
  }

  delta(x: Tensor2D, prefix: string): Tensor2D | null {
    const p = this.pairs.get(prefix);
    if (!p || this.disposed) return null;
    const { tf } = this;
    const p0 = this.config.dropout;
    const xd = this.dropoutRand && p0 > 0 ? (tf.dropout(x, p0, undefined, Math.floor(this.dropoutRand() * 2 ** 32)) as Tensor2D) : x;
    // scale · (x Aᵀ) Bᵀ as (x Aᵀ)(scale · B)ᵀ: the scale multiplies B [out, r], not the [rows, out] product.
    return tf.matMul(tf.matMul(xd, p.A, false, true), tf.mul(p.B, this.scale), false, true) as Tensor2D;
  }

  /** The current A and B values, read back from the backend. */
  async read(): Promise<LoraWeightsData> {
    this.checkAlive();
    const modules: LoraModuleWeights[] = [];
    for (const p of this.pairs.values()) {
      // slice(): on the CPU backend data() may hand out the backend's own array.
      modules.push({ ...p.module, A: ((await p.A.data()) as Float32Array).slice(), B: ((await p.B.data()) as Float32Array).slice() });
    }
    return { config: { ...this.config, targets: [...this.config.targets] }, modules };
  }

  /** Overwrites A and B with `data` (same config and modules, e.g. an imported adapter). */
  load(data: LoraWeightsData): void {
    this.checkAlive();
    if (data.config.r !== this.config.r) throw new RangeError(`The adapter has rank ${data.config.r}; these adapters have rank ${this.config.r}.`);
    const paths = new Set(data.modules.map((m) => m.path));
    for (const path of this.pairs.keys()) if (!paths.has(path)) throw new RangeError(`The adapter has no matrices for "${path}".`);
    for (const m of data.modules) {
      const p = this.pairs.get(m.path);
      if (!p) throw new RangeError(`These adapters do not adapt "${m.path}".`);
      if (m.A.length !== p.A.size || m.B.length !== p.B.size) throw new RangeError(`"${m.path}": A or B has the wrong size.`);
    }
    const { tf } = this;
    for (const m of data.modules) {
      const p = this.pairs.get(m.path)!;
      tf.tidy(() => {
        p.A.assign(tf.tensor2d(m.A, p.A.shape as [number, number]));
        p.B.assign(tf.tensor2d(m.B, p.B.shape as [number, number]));
      });
    }
  }

  private checkAlive(): void {
    if (this.disposed) throw new Error('These LoRA adapters have been disposed.');
  }

  dispose(): void {
    if (this.disposed) return;
    this.disposed = true;
    for (const p of this.pairs.values()) {
      p.A.dispose();
      p.B.dispose();
    }
    this.pairs.clear();
  }
}
