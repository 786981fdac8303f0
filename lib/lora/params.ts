/**
 * What LoRA costs and saves for a given architecture, target modules and rank r: trainable
 * parameters, the adapter file's bytes, and fine-tuning memory for full fine-tuning, LoRA and
 * QLoRA. Source of every rule: docs/numerics.md, "LoRA and QLoRA".
 */
import { fourBitBitsPerParameter } from '../quant/four-bit';
import { MODULE_ROLES, parameterBreakdown, type Architecture, type LinearModule, type ModuleRole } from './architectures';

/** Which modules get adapters: a list of roles, or PEFT's "all-linear" (every Linear of every layer, lm_head excluded). */
export type LoraTargets = readonly ModuleRole[] | 'all-linear';

/** PEFT's LoraConfig defaults for Llama-style models (docs/numerics.md): r = 8, lora_alpha = 8, targets q_proj and v_proj. */
export const PEFT_DEFAULTS = { r: 8, alpha: 8, dropout: 0, targets: ['q', 'v'] as readonly ModuleRole[] } as const;

/** The QLoRA paper's recipe (docs/numerics.md): r = 64, alpha = 16, all linear layers but lm_head, lr 2e-4. */
export const QLORA_RECIPE = { r: 64, alpha: 16, targets: 'all-linear' as LoraTargets, learningRate: 2e-4 } as const;

/**
 * Trainable parameters of one adapted d_out × d_in matrix: B is d_out × r, A is r × d_in, so
 * r · (d_in + d_out) (Hu et al. 2021). Check (docs/numerics.md): 4096 × 4096 at r = 8 → 65,536.
 */
export function loraMatrixParams(dIn: number, dOut: number, r: number): number {
  checkRank(r);
  return r * (dIn + dOut);
}

function checkRank(r: number): void {
  if (!Number.isInteger(r) || r < 1) throw new RangeError(`The LoRA rank r must be a whole number ≥ 1, got ${r}`);
}

/** The roles a target list covers: "all-linear" is every role. */
export function targetRoles(targets: LoraTargets): readonly ModuleRole[] {
  return targets === 'all-linear' ? MODULE_ROLES : targets;
}

/**
 * The modules of one layer that get adapters: those serving any targeted role. GPT-2's fused
 * c_attn serves q, k and v, so targeting any of them adapts the whole of c_attn.
 */
export function targetedModules(a: Architecture, targets: LoraTargets): LinearModule[] {
  const roles = targetRoles(targets);
  return a.modules.filter((m) => m.roles.some((r) => roles.includes(r)));
}

/**
 * Trainable LoRA parameters: layers · Σ r · (in + out) over the targeted modules of a layer.
 * Check (docs/numerics.md): Llama-2-7B, q_proj and v_proj, r = 8 → 32 · 2 · 65,536 = 4,194,304.
 */
export function loraTrainableParams(a: Architecture, targets: LoraTargets, r: number): number {
  checkRank(r);
  return a.layers * targetedModules(a, targets).reduce((s, m) => s + loraMatrixParams(m.in, m.out, r), 0);
}

/** Trainable parameters as a percentage of the base model's: 100 · trainable / total. */
export function trainablePercent(trainable: number, total: number): number {
  if (!(total > 0)) throw new RangeError(`The model's parameter count must be positive, got ${total}`);
  return (100 * trainable) / total;
}

/** Adapter tensor dtypes and their bytes per value. */
export type AdapterDType = 'fp32' | 'fp16' | 'bf16';
export const ADAPTER_DTYPE_BYTES: Readonly<Record<AdapterDType, number>> = { fp32: 4, fp16: 2, bf16: 2 };
const SAFETENSORS_DTYPE: Readonly<Record<AdapterDType, string>> = { fp32: 'F32', fp16: 'F16', bf16: 'BF16' };

export interface AdapterFileSize {
  /** The tensors' bytes: trainable parameters × bytes per value. Exact. */
  dataBytes: number;
  /** The safetensors header: 8-byte length + JSON, ESTIMATED by writing the header PEFT's tensor names would give. */
  headerBytes: number;
  totalBytes: number;
  /** Number of tensors (an A and a B per adapted matrix). */
  tensors: number;
}

/**
 * The bytes of an adapter_model.safetensors as PEFT saves it: data = trainable · bytes per value
 * (exact); header estimated by serialising the JSON header the safetensors format defines (name →
 * {dtype, shape, data_offsets}, plus {"__metadata__": {"format": "pt"}}) for PEFT's tensor names,
 * e.g. "base_model.model.model.layers.0.self_attn.q_proj.lora_A.weight" ([r, in]) and "…lora_B.weight"
 * ([out, r]), padded to a multiple of 8, plus the 8-byte length. The real file's tensor order may
 * differ, which changes the offsets' digits by a few bytes; so the header is an estimate.
 */
export function adapterFileSize(a: Architecture, targets: LoraTargets, r: number, dtype: AdapterDType): AdapterFileSize {
  checkRank(r);
  const width = ADAPTER_DTYPE_BYTES[dtype];
  const modules = targetedModules(a, targets);
  const root = a.family === 'llama' ? 'base_model.model.model.layers' : 'base_model.model.transformer.h';
  const dt = SAFETENSORS_DTYPE[dtype];
  // The header's length is summed piece by piece (not built as one string): 70B all-linear has 1,120 tensors.
  let json = '{"__metadata__":{"format":"pt"}'.length;
  let offset = 0;
  let tensors = 0;
  for (let l = 0; l < a.layers; l++) {
    for (const m of modules) {
      for (const [part, shape] of [['lora_A', [r, m.in]], ['lora_B', [m.out, r]]] as const) {
        const bytes = shape[0] * shape[1] * width;
        const entry = `,"${root}.${l}.${m.path}.${part}.weight":{"dtype":"${dt}","shape":[${shape[0]},${shape[1]}],"data_offsets":[${offset},${offset + bytes}]}`;
        json += entry.length;
        offset += bytes;
        tensors++;
      }
    }
  }
  json += 1; // the closing brace
  const headerBytes = 8 + Math.ceil(json / 8) * 8;
  return { dataBytes: offset, headerBytes, totalBytes: offset + headerBytes, tensors };
}

/**
 * Full fine-tuning with Adam in mixed precision (ZeRO paper, Rajbhandari et al. 2020): 2 bytes of
 * 16-bit weights + 2 of 16-bit gradients + 12 of fp32 master weights, Adam m and v = 16 bytes per
 * parameter, before activations (docs/numerics.md).
 */
export const FULL_FT_BYTES_PER_PARAM = { weights: 2, gradients: 2, optimizer: 12 } as const;
/** Bytes per trainable adapter parameter: the same 16 as full fine-tuning, only for far fewer parameters. */
export const ADAPTER_BYTES_PER_PARAM = 16;
/** LoRA's frozen base in 16 bits: 2 bytes per parameter. */
export const LORA_BASE_BYTES_PER_PARAM = 2;
/** QLoRA's frozen base in NF4 with double quantization: 4.127 bits = 0.516 bytes per parameter (lib/quant/four-bit). */
export const QLORA_BASE_BYTES_PER_PARAM = fourBitBitsPerParameter(64, true, 256) / 8;
/**
 * QLoRA's parameters outside NF4 (embeddings, an untied lm_head, norms, biases) stay in the 16-bit
 * compute dtype: 2 bytes each. bitsandbytes (transformers' `replace_with_bnb_linear`) swaps only the
 * blocks' nn.Linear / Conv1D modules for Linear4bit, skips lm_head (`modules_to_not_convert`), and
 * an nn.Embedding is no Linear; the QLoRA script (artidoro/qlora `qlora.py`) casts embed_tokens and
 * lm_head back to bf16 after `prepare_model_for_kbit_training` (norms it keeps in fp32: 2 bytes
 * more per norm weight, 0.5 MB for Llama-2-7B, not counted).
 */
export const QLORA_UNQUANTIZED_BYTES_PER_PARAM = 2;

/** A model's parameters as QLoRA splits them: `quantized` (NF4) of `total`. */
export interface BaseParameters {
  total: number;
  /** The weights of the transformer blocks' Linear modules: what bitsandbytes stores in NF4. */
  quantized: number;
}

/**
 * The QLoRA split of an architecture: quantized = layers · Σ out · in over a layer's Linear modules
 * (biases excluded), total = totalParameters. Llama-2-7B: 6,476,005,376 of 6,738,415,616; the other
 * 262,410,240 are the embedding and lm_head (2 × 32,000 × 4,096) and the norms (65 × 4,096).
 */
export function baseParameters(a: Architecture): BaseParameters {
  const b = parameterBreakdown(a);
  const quantized = a.layers * a.modules.reduce((s, m) => s + m.out * m.in, 0);
  return { total: b.total, quantized };
}

export type FineTuneMethod = 'full' | 'lora' | 'qlora';
export const FINE_TUNE_METHODS: readonly FineTuneMethod[] = ['full', 'lora', 'qlora'];

export interface FineTuneMemory {
  method: FineTuneMethod;
  /** The model's weights: trainable (full) or frozen (LoRA, QLoRA). */
  baseBytes: number;
  /** Gradients and optimizer state: of every parameter (full) or of the adapters' (16 B each, weights included). */
  trainingStateBytes: number;
  /** base + training state, before activations. */
  totalBytes: number;
}

/**
 * Fine-tuning memory before activations (docs/numerics.md, "LoRA and QLoRA"), for P model parameters and
 * T trainable adapter parameters: full = 16 · P (2 weights in base, 14 gradients and optimizer);
 * LoRA = 2 · P + 16 · T; QLoRA = 0.516 · Q + 2 · (P − Q) + 16 · T, where Q are the parameters
 * stored in NF4 (`baseParameters`: the blocks' Linear weights; embeddings, lm_head and norms stay
 * 16-bit, QLORA_UNQUANTIZED_BYTES_PER_PARAM). Given a bare count P instead of a split, QLoRA counts
 * every parameter at 0.516 B (Q = P): a lower bound, for when only the size is known.
 * Check: Llama-2-7B, all-linear, r = 64: 3.87 GB of base + 16 × 159,907,840 = 6.42 GB (6.03 GB with
 * every parameter in NF4).
 */
export function fineTuneMemory(method: FineTuneMethod, base: number | BaseParameters, trainable: number): FineTuneMemory {
  const parameters = typeof base === 'number' ? base : base.total;
  const quantized = typeof base === 'number' ? base : base.quantized;
  if (!(parameters > 0) || !(trainable >= 0)) throw new RangeError(`Parameter counts must be positive, got ${parameters} and ${trainable}`);
  if (!(quantized >= 0 && quantized <= parameters)) throw new RangeError(`The quantized parameters (${quantized}) must be between 0 and the total (${parameters})`);
  if (method === 'full') {
    const baseBytes = FULL_FT_BYTES_PER_PARAM.weights * parameters;
    const trainingStateBytes = (FULL_FT_BYTES_PER_PARAM.gradients + FULL_FT_BYTES_PER_PARAM.optimizer) * parameters;
    return { method, baseBytes, trainingStateBytes, totalBytes: baseBytes + trainingStateBytes };
  }
  const baseBytes =
    method === 'lora'
      ? LORA_BASE_BYTES_PER_PARAM * parameters
      : QLORA_BASE_BYTES_PER_PARAM * quantized + QLORA_UNQUANTIZED_BYTES_PER_PARAM * (parameters - quantized);
  const trainingStateBytes = ADAPTER_BYTES_PER_PARAM * trainable;
  return { method, baseBytes, trainingStateBytes, totalBytes: baseBytes + trainingStateBytes };
}

export interface ActivationShape {
  layers: number;
  hidden: number;
  heads: number;
  batch: number;
  seq: number;
}

/**
 * An ESTIMATE of the activations a training step keeps for the backward pass, in bytes:
 * layers · s · b · h · (34 + 5 · a · s / h), with s the sequence length, b the batch, h the hidden
 * size and a the heads — Korthikanti et al. 2022, "Reducing Activation Recomputation in Large
 * Transformer Models", eq. 1 (16-bit activations, no recomputation, no tensor parallelism). The 34
 * counts a GPT-style layer with a 4h MLP and dropout masks; the 5as/h term is the materialised
 * attention scores, which FlashAttention avoids. Embeddings, logits and the loss are not counted.
 * LoRA still back-propagates through the frozen layers, so it keeps about the same activations.
 */
export function activationBytesEstimate({ layers, hidden, heads, batch, seq }: ActivationShape): number {
  for (const [k, v] of Object.entries({ layers, hidden, heads, batch, seq })) {
    if (!Number.isInteger(v) || v < 1) throw new RangeError(`${k} must be a whole number ≥ 1, got ${v}`);
  }
  return layers * seq * batch * hidden * (34 + (5 * heads * seq) / hidden);
}

/** Roles as a bitmask (bit i = MODULE_ROLES[i]), for a URL: q, v → 0b101 = 5. */
export function rolesToMask(roles: readonly ModuleRole[]): number {
  return MODULE_ROLES.reduce((m, r, i) => (roles.includes(r) ? m | (1 << i) : m), 0);
}

/** The roles in a bitmask made by rolesToMask. */
export function maskToRoles(mask: number): ModuleRole[] {
  return MODULE_ROLES.filter((_, i) => (mask & (1 << i)) !== 0);
}

/** The mask of every role: what "all-linear" selects. */
export const ALL_ROLES_MASK = (1 << MODULE_ROLES.length) - 1;
