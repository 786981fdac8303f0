/**
 * What one step of the course's browser trainer (trainer.ts, float32 compute) would hold for a
 * GPT-2-family model of a given shape, with the trainer widget's adapter recipe (recipes.ts
 * the learner's rank and adapted layers, by default COMPARISON_RECIPE's r = 8 on every Linear layer
 * of every block; LOOP: batches of 8 windows of 64 tokens), so that the widget can say whether a learner's own checkpoint could be trained on this
 * device. Formulas: docs/numerics.md, "Memory" (a step of the trainer on your own model); the parts, in bytes:
 *
 *   base         LoRA:  4 · P (createFloat32Store keeps every tensor in float32);
 *                QLoRA: Σ over the blocks' Linear weights of NF4 + double quantization's buffers as
 *                the store uploads them (lib/quant weightLayout 'nf4-dq': codes, absmax codes and
 *                absmax2, each rounded up to whole 32-bit words) + the NF4 and dynamic-code lookup
 *                tables the store uploads with each weight (4 · (16 + 256) = 1,088 bytes), and
 *                4 · (P − Q) for the rest (embeddings, LayerNorms, biases: float32, as the store
 *                keeps them). Off WebGPU the store holds the NF4 values as float32: 4 · P.
 *   adapters     16 · T: the adapters' float32 weights, their gradients and AdamW's two moments
 *                (4 + 4 + 8 bytes per trainable parameter, as the trainer's MemoryLedger counts),
 *                with T = loraTrainableParams(gpt2Architecture(…), the targets' roles, r).
 *   activations  2 · activationBytesEstimate(…) (Korthikanti et al. 2022, eq. 1): that estimate
 *                is for 16-bit activations, and this trainer keeps them in float32, twice as wide.
 *                An ESTIMATE: tfjs keeps every intermediate of the forward pass until the backward
 *                pass ends, so the real figure can be higher.
 *   logits       LOGITS_FLOATS_HELD · B · T · V · 4: the [B·T, V] tensors of the loss head
 *                (loss.ts nextTokenLoss) alive at once while its gradient is computed (see below).
 *   mask         4 · block_size²: the causal mask the model keeps on the backend (lib/model/tiny-lm).
 *   worker copy  4 · P: the float32 weights the training worker is sent (its own copy, read to build
 *                the store).
 *
 * P is the model's parameter count (lib/lora parameterBreakdown, the tied head counted once), Q the
 * blocks' Linear weights (lib/lora baseParameters), B·T the batch's tokens and V the vocabulary.
 * The tab's own float32 copy of the loaded weights (4 · P) is held beside all this and not counted:
 * it is there whether the model is trained or not.
 */
import type { TinyLMConfig } from '../model/config';
import { gpt2Architecture, type Architecture, type ModuleRole } from '../lora/architectures';
import { activationBytesEstimate, ADAPTER_BYTES_PER_PARAM, baseParameters, loraTrainableParams } from '../lora/params';
import { dynamicCode8, NF4_CODE } from '../quant/four-bit';
import { weightLayout } from '../quant/weight-formats';
import { COMPARISON_RECIPE, LOOP, TARGET_PRESETS, type TargetPreset } from './recipes';

/** The model shape the figures need: a TinyLMConfig's sizes (a loaded GPT-2 checkpoint's config is one). */
export type TrainingModelShape = Pick<TinyLMConfig, 'vocab_size' | 'n_layer' | 'n_head' | 'n_embd' | 'block_size'>;

/** The adapter modes the figures cover. */
export type AdapterTrainMode = 'lora' | 'qlora';

/**
 * Bytes of the lookup tables the NF4 + DQ store uploads with each weight: the 16 NF4 levels and the
 * 256 values of the signed dynamic 8-bit code that dequantizes the absmax, float32: 4 · 272 = 1,088
 * (lib/compute/nf4-gpu.ts uploads exactly these; a test checks the two agree).
 */
export const NF4_TABLE_BYTES_PER_WEIGHT = 4 * (NF4_CODE.length + dynamicCode8(true).length);

/**
 * How many [B·T, V] buffers of 4-byte values (float32 logits and their gradients, the int32 one-hot
 * targets) the loss head (loss.ts nextTokenLoss: matMul → logSoftmax → product with the one-hot
 * targets → mean) holds at once at its peak, while tf.variableGrads runs its backward pass: the
 * logits, the one-hot targets, logSoftmax's value, the product and, in the backward pass, the
 * broadcast loss gradient and the products and exponentials that lead to the logits' gradient.
 * Counted buffer by buffer on tfjs's CPU backend (own-model-training.test.ts): 12 such buffers are
 * made and at most 10 are alive at once. Reshapes and widening casts (int32 → float32) share their
 * input's buffer on the CPU and WebGPU backends alike, so they add none; tf.memory().numBytes counts
 * such a shared buffer once per tensor, which is why it reports more (15).
 */
export const LOGITS_FLOATS_HELD = 10;

export interface OwnTrainingMemory {
  mode: AdapterTrainMode;
  /** P: every parameter, the tied head once. */
  parameters: number;
  /** Q: the blocks' Linear weights (what QLoRA stores in NF4). */
  quantized: number;
  /** T: the adapters' trainable parameters. */
  trainable: number;
  /** Windows per batch and tokens per window (the window shortened to the model's context if that is smaller). */
  batch: number;
  seq: number;
  /** The frozen base as the trainer's store holds it. */
  baseBytes: number;
  /** The adapters, their gradients and AdamW's moments: 16 · T. */
  adapterBytes: number;
  /** The estimate of the activations kept for the backward pass, float32. */
  activationBytes: number;
  /** The loss head's [B·T, V] tensors. */
  logitsBytes: number;
  /** The model's causal mask, block_size² float32. */
  maskBytes: number;
  /** The training worker's float32 copy of the weights, 4 · P. */
  workerCopyBytes: number;
  totalBytes: number;
}

/** The course's target modules (recipes.ts TARGET_PRESETS) as lib/lora's roles: c_attn serves q, k, v; attn.c_proj o; c_fc up; mlp.c_proj down. */
export function targetRolesOf(preset: TargetPreset): ModuleRole[] {
  const role: Record<string, ModuleRole> = { c_attn: 'q', 'attn.c_proj': 'o', c_fc: 'up', 'mlp.c_proj': 'down' };
  return TARGET_PRESETS[preset].map((t) => role[t]);
}

/** The GPT-2 architecture of a model shape (lib/lora), its MLP 4 · n_embd as the course's model has it. */
export function trainingArchitecture(c: TrainingModelShape): Architecture {
  return gpt2Architecture('own', 'Your model', { hidden: c.n_embd, layers: c.n_layer, heads: c.n_head, vocab: c.vocab_size, positions: c.block_size });
}

/**
 * The memory one LoRA or QLoRA step of the trainer's recipe would hold for a model of shape `c`,
 * part by part (see the module comment for every formula). `nf4Packed` (default true) is whether
 * the backend holds NF4 packed (WebGPU); false counts QLoRA's base as float32, as the store holds
 * it on WebGL or the CPU. Check (the course's tiny model, 4 layers, n_embd 128, vocabulary 63,
 * QLoRA): T = 65,536 → 1,048,576 bytes of adapters and optimizer; LoRA's base 4 · 817,792 bytes.
 */
export function ownTrainingMemory(c: TrainingModelShape, mode: AdapterTrainMode, o: { nf4Packed?: boolean; r?: number; targets?: TargetPreset } = {}): OwnTrainingMemory {
  for (const k of ['vocab_size', 'n_layer', 'n_head', 'n_embd', 'block_size'] as const) {
    if (!Number.isSafeInteger(c[k]) || c[k] < 1) throw new RangeError(`${k} must be a whole number ≥ 1, got ${c[k]}`);
  }
  if (c.n_embd % c.n_head !== 0) throw new RangeError(`n_embd (${c.n_embd}) must be divisible by n_head (${c.n_head})`);
  const a = trainingArchitecture(c);
  const { total: parameters, quantized } = baseParameters(a);
  const trainable = loraTrainableParams(a, targetRolesOf(o.targets ?? COMPARISON_RECIPE.targets), o.r ?? COMPARISON_RECIPE.r);
  const batch = LOOP.batchSize;
  const seq = Math.min(LOOP.blockSize, c.block_size);
  let baseBytes = 4 * parameters;
  if (mode === 'qlora' && (o.nf4Packed ?? true)) {
    const perLayer = a.modules.reduce((s, m) => {
      const l = weightLayout('nf4-dq', [m.out, m.in]);
      return s + l.total - l.scalarBytes + NF4_TABLE_BYTES_PER_WEIGHT; // the offset travels as a uniform, not a buffer
    }, 0);
    baseBytes = a.layers * perLayer + 4 * (parameters - quantized);
  }
  const adapterBytes = ADAPTER_BYTES_PER_PARAM * trainable;
  const activationBytes = 2 * activationBytesEstimate({ layers: c.n_layer, hidden: c.n_embd, heads: c.n_head, batch, seq });
  const logitsBytes = LOGITS_FLOATS_HELD * batch * seq * c.vocab_size * 4;
  const maskBytes = 4 * c.block_size ** 2;
  const workerCopyBytes = 4 * parameters;
  return {
    mode, parameters, quantized, trainable, batch, seq, baseBytes, adapterBytes, activationBytes, logitsBytes, maskBytes, workerCopyBytes,
    totalBytes: baseBytes + adapterBytes + activationBytes + logitsBytes + maskBytes + workerCopyBytes,
  };
}

/**
 * Whether a step's memory is within a budget in bytes (lib/model/own-model memoryBudget): total ≤
 * budget, as the checkpoint's load is held to it (checkMemoryBudget).
 */
export function ownTrainingFits(m: Pick<OwnTrainingMemory, 'totalBytes'>, budgetBytes: number): boolean {
  return m.totalBytes <= budgetBytes;
}
