/**
 * The course's tiny model as shipped in public/models/ (scripts/pretrain): where it is served and
 * which of its tensors the quantization lab offers. A unit test checks these against the shipped
 * config.json, so the list cannot drift from the file.
 */
import type { TinyLMConfig } from './config';

/** The model's folder name and its URL on the static site. */
export const TINY_MODEL_NAME = 'kjv-char-4l';
export const TINY_MODEL_URL = `/models/${TINY_MODEL_NAME}`;
/** Layers of the shipped model (its config.json's n_layer). */
export const TINY_MODEL_LAYERS = 4;

/**
 * Held-out windows of block_size characters that the inference comparison scores per format: a
 * sample spread evenly over the held-out books (lib/model/eval evalWindows), small enough to run
 * six formats in a browser. The pretraining script's held-out loss covers every window instead.
 */
export const COMPARISON_WINDOWS = 8;

/** The matrices of one block, in the order a token meets them. */
export const BLOCK_MATRICES = ['attn.c_attn', 'attn.c_proj', 'mlp.c_fc', 'mlp.c_proj'] as const;

/**
 * The 2-D tensors the lab can quantize, as short names: 'wte' (the token embedding, also the output
 * head) and 'h.<layer>.<matrix>' for every block's four Linear weights.
 */
export function modelMatrixNames(nLayer = TINY_MODEL_LAYERS): string[] {
  const names = ['wte'];
  for (let l = 0; l < nLayer; l++) for (const m of BLOCK_MATRICES) names.push(`h.${l}.${m}`);
  return names;
}

/** The safetensors name of a short matrix name: 'h.0.attn.c_attn' → 'transformer.h.0.attn.c_attn.weight'. */
export function matrixTensorName(short: string): string {
  return `transformer.${short}.weight`;
}

const MATRIX_ROLES: Record<(typeof BLOCK_MATRICES)[number], string> = {
  'attn.c_attn': 'attention q, k, v projection',
  'attn.c_proj': 'attention output projection',
  'mlp.c_fc': 'MLP up-projection',
  'mlp.c_proj': 'MLP down-projection',
};

/** A learner-facing label: "Block 1 · MLP up-projection (mlp.c_fc)" or "Token embedding / output head (wte)". */
export function matrixLabel(short: string): string {
  if (short === 'wte') return 'Token embedding / output head (wte)';
  const m = /^h\.(\d+)\.(.+)$/.exec(short);
  if (!m || !(m[2] in MATRIX_ROLES)) return short;
  return `Block ${Number(m[1]) + 1} · ${MATRIX_ROLES[m[2] as keyof typeof MATRIX_ROLES]} (${m[2]})`;
}

/** True when `config` has the layers this module assumes. */
export function matchesShippedModel(config: Pick<TinyLMConfig, 'n_layer'>): boolean {
  return config.n_layer === TINY_MODEL_LAYERS;
}
