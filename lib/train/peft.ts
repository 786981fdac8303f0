/**
 * LoRA adapters in Hugging Face PEFT's file layout, and merging them into the base weights.
 *
 * PEFT saves an adapter as adapter_model.safetensors plus adapter_config.json. The tensors are the
 * model's state dict restricted to the adapter, named `base_model.model.<module path>.lora_A.weight`
 * and `.lora_B.weight` (PEFT's `get_peft_model_state_dict` drops the adapter name "default"), where
 * the module path is the base model's, here nanoGPT's: e.g.
 * `base_model.model.transformer.h.0.attn.c_attn.lora_A.weight`. lora_A.weight is A [r, in] and
 * lora_B.weight is B [out, r], as the nn.Linear layers lora_A (in → r) and lora_B (r → out) store
 * them. nanoGPT's Linear layers are torch.nn.Linear, so fan_in_fan_out is false (GPT-2's Conv1D
 * would need true).
 *
 * Merging (PEFT `merge_and_unload`): W' = W0 + scale · B A for every adapted matrix, with W0 the
 * base as the adapter model saw it — for QLoRA the NF4 + DQ weights dequantized.
 */
import { readSafetensors, tensorToFloat32, writeSafetensors, type SafetensorsTensor } from '../io/safetensors';
import { errorMessage } from '../errors';
import type { TinyLMConfig } from '../model/config';
import type { TinyLMWeights } from '../model/load';
import { isQuantizedWeightName } from '../model/quantized-store';
import type { WeightFormat } from '../model/weights';
import { quoteInput, shortenInput } from '../text/input';
import { dequantizeWeight, quantizeWeight } from '../quant/weight-formats';
import { checkLoraConfig, LORA_TARGETS, loraModules, loraScale, loraTargetOf, type LoraConfig, type LoraModuleWeights, type LoraTarget, type LoraWeightsData } from './lora';

/** The prefix PEFT's PeftModel puts before the base model's module paths. */
export const PEFT_PREFIX = 'base_model.model.';

/** `base_model.model.<path>.lora_A.weight` or `.lora_B.weight`. */
export function peftTensorName(path: string, which: 'A' | 'B'): string {
  return `${PEFT_PREFIX}${path}.lora_${which}.weight`;
}

/** adapter_config.json as PEFT's LoraConfig writes it (the fields this course uses, and the defaults of the others that matter). */
export interface PeftAdapterConfig {
  peft_type: 'LORA';
  task_type: 'CAUSAL_LM';
  base_model_name_or_path: string;
  r: number;
  lora_alpha: number;
  lora_dropout: number;
  target_modules: string[];
  bias: 'none';
  use_rslora: boolean;
  fan_in_fan_out: false;
  init_lora_weights: true;
  inference_mode: true;
  modules_to_save: null;
  use_dora: false;
}

/** adapter_config.json for a LoRA config. */
export function peftAdapterConfig(config: LoraConfig, baseModel: string): PeftAdapterConfig {
  checkLoraConfig(config);
  return {
    peft_type: 'LORA',
    task_type: 'CAUSAL_LM',
    base_model_name_or_path: baseModel,
    r: config.r,
    lora_alpha: config.alpha,
    lora_dropout: config.dropout,
    target_modules: LORA_TARGETS.filter((t) => config.targets.includes(t)),
    bias: 'none',
    use_rslora: config.rsLoRA ?? false,
    fan_in_fan_out: false,
    init_lora_weights: true,
    inference_mode: true,
    modules_to_save: null,
    use_dora: false,
  };
}

/**
 * An adapter as PEFT's two files: adapter_model.safetensors (F32, lora_A then lora_B of each
 * module in order) and the adapter_config.json object (JSON.stringify it to write the file).
 */
export function exportPeftAdapter(data: LoraWeightsData, baseModel: string): { safetensors: Uint8Array<ArrayBuffer>; adapterConfig: PeftAdapterConfig } {
  const { r } = data.config;
  const tensors: [string, SafetensorsTensor][] = [];
  for (const m of data.modules) {
    tensors.push([peftTensorName(m.path, 'A'), { dtype: 'F32', shape: [r, m.in], data: m.A }]);
    tensors.push([peftTensorName(m.path, 'B'), { dtype: 'F32', shape: [m.out, r], data: m.B }]);
  }
  return { safetensors: writeSafetensors(tensors, { format: 'pt' }), adapterConfig: peftAdapterConfig(data.config, baseModel) };
}

export type PeftImportProblem = 'bad-config' | 'unknown-tensor' | 'missing-module' | 'missing-pair' | 'r-mismatch' | 'shape-mismatch' | 'bad-values';

/** An adapter that does not fit the base model or its own config; `problem` says which check failed, the message names the tensor. */
export class PeftImportError extends Error {
  constructor(readonly problem: PeftImportProblem, message: string) {
    super(message);
    this.name = 'PeftImportError';
  }
}

const BLOCK_PATHS: Readonly<Record<LoraTarget, string>> = { c_attn: 'attn.c_attn', 'attn.c_proj': 'attn.c_proj', c_fc: 'mlp.c_fc', 'mlp.c_proj': 'mlp.c_proj' };

/**
 * The block modules a PEFT target_modules list selects: PEFT matches a module whose full name equals
 * an entry or ends with "." + entry, so 'c_attn' and 'attn.c_attn' select the same module and
 * 'c_proj' selects both attn.c_proj and mlp.c_proj.
 */
export function targetsFromPeft(names: readonly string[]): LoraTarget[] {
  const chosen = new Set<LoraTarget>();
  for (const name of names) {
    const hit = LORA_TARGETS.filter((t) => `transformer.h.0.${BLOCK_PATHS[t]}`.endsWith(`.${name}`));
    if (hit.length === 0) throw new PeftImportError('bad-config', `target_modules names ${quoteInput(name)}, which is not a Linear module of a block (${Object.values(BLOCK_PATHS).join(', ')}).`);
    hit.forEach((t) => chosen.add(t));
  }
  return LORA_TARGETS.filter((t) => chosen.has(t));
}

/** Reads adapter_config.json (a parsed object or its text) into a LoraConfig; PeftImportError 'bad-config' naming the field. */
export function parsePeftAdapterConfig(json: unknown): { config: LoraConfig; baseModel: string } {
  let o = json;
  if (typeof o === 'string') {
    try {
      o = JSON.parse(o);
    } catch (e) {
      throw new PeftImportError('bad-config', `adapter_config.json is not valid JSON (${errorMessage(e)}).`);
    }
  }
  if (typeof o !== 'object' || o === null || Array.isArray(o)) throw new PeftImportError('bad-config', 'adapter_config.json must be a JSON object.');
  const c = o as Record<string, unknown>;
  if (c.peft_type !== 'LORA') throw new PeftImportError('bad-config', `adapter_config.json has peft_type ${shortenInput(JSON.stringify(c.peft_type) ?? String(c.peft_type))}; only "LORA" adapters can be read.`);
  if (c.bias !== undefined && c.bias !== 'none') throw new PeftImportError('bad-config', `adapter_config.json has bias ${shortenInput(JSON.stringify(c.bias) ?? String(c.bias))}; only "none" is supported (no trained biases).`);
  if (c.fan_in_fan_out === true) throw new PeftImportError('bad-config', 'adapter_config.json has fan_in_fan_out true, which is for GPT-2 Conv1D layers; this model uses nn.Linear.');
  if (c.use_dora === true) throw new PeftImportError('bad-config', 'adapter_config.json is a DoRA adapter (use_dora true), which this reader does not handle.');
  const targets = Array.isArray(c.target_modules) && c.target_modules.every((t) => typeof t === 'string') ? targetsFromPeft(c.target_modules as string[]) : null;
  if (!targets) throw new PeftImportError('bad-config', `adapter_config.json: target_modules must be a list of module names, got ${shortenInput(JSON.stringify(c.target_modules) ?? String(c.target_modules))}.`);
  const config: LoraConfig = {
    r: c.r as number,
    alpha: c.lora_alpha as number,
    dropout: (c.lora_dropout ?? 0) as number,
    targets,
    rsLoRA: (c.use_rslora ?? false) as boolean,
  };
  if (typeof config.rsLoRA !== 'boolean') throw new PeftImportError('bad-config', `adapter_config.json: use_rslora must be true or false, got ${shortenInput(JSON.stringify(c.use_rslora) ?? String(c.use_rslora))}.`);
  try {
    checkLoraConfig(config);
  } catch (e) {
    throw new PeftImportError('bad-config', `adapter_config.json: ${errorMessage(e)}`);
  }
  return { config, baseModel: typeof c.base_model_name_or_path === 'string' ? c.base_model_name_or_path : '' };
}

/**
 * The largest rank an adapter can usefully have on these modules: min(in, out) over them, since
 * rank(B A) ≤ min(in, out) for every [out, in] matrix (a larger r adds parameters, not expressiveness).
 * Checked before anything is allocated for the adapter, so an absurd r in adapter_config.json is a
 * named error, not a failed allocation.
 */
export function maxUsefulRank(modules: readonly { in: number; out: number }[]): number {
  return modules.reduce((m, x) => Math.min(m, x.in, x.out), Infinity);
}

function checkRankFits(r: number, modules: readonly { path: string; in: number; out: number }[]): void {
  const most = maxUsefulRank(modules);
  if (r > most) {
    const tight = modules.find((m) => Math.min(m.in, m.out) === most);
    throw new PeftImportError('bad-config', `adapter_config.json: r = ${r} is larger than this model allows: at most ${most}, the smaller side of ${tight?.path} [${tight?.out}, ${tight?.in}].`);
  }
}

const NAME = /^base_model\.model\.(.+)\.lora_(A|B)\.weight$/;
const FLOATS = new Set(['F32', 'F16', 'BF16']);

/**
 * Reads a PEFT LoRA adapter (adapter_model.safetensors bytes and adapter_config.json) for a base
 * model with config `model`, checking that every module target_modules selects in every block has
 * both lora_A [r, in] and lora_B [out, r], with r from the config and in, out from the base; no
 * other tensors; F32, F16 or BF16 (widened exactly) and finite. Throws a PeftImportError naming
 * the tensor (or a SafetensorsError for a malformed file).
 */
export function importPeftAdapter(model: TinyLMConfig, safetensors: Uint8Array, adapterConfig: unknown): LoraWeightsData & { baseModel: string } {
  const { config, baseModel } = parsePeftAdapterConfig(adapterConfig);
  const expected = loraModules(model, config.targets);
  checkRankFits(config.r, expected);
  const { tensors } = readSafetensors(safetensors);
  const wanted = new Set(expected.map((m) => m.path));
  for (const name of tensors.keys()) {
    const m = NAME.exec(name);
    if (!m) throw new PeftImportError('unknown-tensor', `${quoteInput(name)} is not a LoRA tensor (base_model.model.<module>.lora_A.weight or .lora_B.weight).`);
    if (!wanted.has(m[1])) {
      const why = loraTargetOf(m[1]) === null ? 'not a Linear module of this model' : 'not selected by target_modules, or beyond the model\'s layers';
      throw new PeftImportError('unknown-tensor', `${quoteInput(name)} adapts ${quoteInput(m[1])}, ${why}.`);
    }
  }
  const r = config.r;
  const modules: LoraModuleWeights[] = expected.map((m) => {
    const a = tensors.get(peftTensorName(m.path, 'A'));
    const b = tensors.get(peftTensorName(m.path, 'B'));
    if (!a && !b) throw new PeftImportError('missing-module', `The adapter has no lora_A or lora_B for "${m.path}", which target_modules selects.`);
    if (!a || !b) throw new PeftImportError('missing-pair', `"${m.path}" has ${a ? 'lora_A' : 'lora_B'} but no ${a ? 'lora_B' : 'lora_A'}: each adapted module needs both.`);
    const check = (t: SafetensorsTensor, which: 'A' | 'B'): Float32Array => {
      const name = peftTensorName(m.path, which);
      if (t.shape.length !== 2) throw new PeftImportError('shape-mismatch', `"${name}" has shape [${t.shape.join(', ')}]; a LoRA matrix is 2-D.`);
      const [rows, cols] = t.shape;
      const rank = which === 'A' ? rows : cols;
      if (rank !== r) throw new PeftImportError('r-mismatch', `"${name}" has rank ${rank} (shape [${t.shape.join(', ')}]) but adapter_config.json says r = ${r}.`);
      const need = which === 'A' ? [r, m.in] : [m.out, r];
      if (rows !== need[0] || cols !== need[1]) {
        throw new PeftImportError('shape-mismatch', `"${name}" has shape [${t.shape.join(', ')}]; the base model's ${m.path} [${m.out}, ${m.in}] needs [${need.join(', ')}].`);
      }
      if (!FLOATS.has(t.dtype)) throw new PeftImportError('bad-values', `"${name}" is stored as ${t.dtype}; LoRA matrices are F32, F16 or BF16.`);
      const v = Float32Array.from(tensorToFloat32(t));
      const bad = v.findIndex((x) => !Number.isFinite(x));
      if (bad >= 0) throw new PeftImportError('bad-values', `"${name}" holds ${v[bad]} at index ${bad}; every value must be finite.`);
      return v;
    };
    return { ...m, A: check(a, 'A'), B: check(b, 'B') };
  });
  return { config, modules, baseModel };
}

/**
 * The base weights as a model whose Linear weights are stored in `format` computes with them: for
 * the names a quantized store quantizes (isQuantizedWeightName), dequantizeWeight(quantizeWeight(…)),
 * the CPU reference the WebGPU kernels match bit for bit; everything else, and every tensor for
 * 'fp32', unchanged (the same arrays).
 */
export function dequantizedBaseWeights(w: TinyLMWeights, format: WeightFormat): TinyLMWeights {
  if (format === 'fp32') return w;
  const values = new Map<string, Float32Array>();
  for (const [name, x] of w.values) values.set(name, isQuantizedWeightName(name) ? dequantizeWeight(quantizeWeight(format, x, w.shapes.get(name)!)) : x);
  return { config: w.config, values, shapes: w.shapes };
}

/**
 * Folds an adapter into the base (PEFT merge_and_unload): for each adapted module,
 * W' = W0 + scale · B A, summed in float64 and rounded once to float32. Returns new weights; the
 * tensors that are not adapted are the base's own arrays (not copied). `base` must already be what
 * the adapter model computed with (dequantizedBaseWeights for QLoRA).
 */
export function mergeLora(base: TinyLMWeights, lora: LoraWeightsData): TinyLMWeights {
  const { r } = lora.config;
  const scale = loraScale(lora.config);
  const values = new Map(base.values);
  for (const m of lora.modules) {
    const name = `${m.path}.weight`;
    const w0 = base.values.get(name);
    const shape = base.shapes.get(name);
    if (!w0 || !shape) throw new RangeError(`The base model has no "${name}" to merge into.`);
    if (shape[0] !== m.out || shape[1] !== m.in) throw new RangeError(`"${name}" is [${shape.join(', ')}] but the adapter is for [${m.out}, ${m.in}].`);
    const merged = new Float32Array(m.out * m.in);
    for (let o = 0; o < m.out; o++) {
      for (let i = 0; i < m.in; i++) {
        let s = 0;
        for (let k = 0; k < r; k++) s += m.B[o * r + k] * m.A[k * m.in + i];
        merged[o * m.in + i] = w0[o * m.in + i] + scale * s;
      }
    }
    values.set(name, merged);
  }
  return { config: base.config, values, shapes: base.shapes };
}
