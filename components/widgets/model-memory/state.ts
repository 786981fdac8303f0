import { ARCHITECTURE_PRESETS, PRESET_IDS, presetArchitecture, totalParameters } from '@/lib/lora/architectures';
import { MAX_KV_BATCH, MAX_KV_CONTEXT, parseParameterCount, type KvCacheDType } from '@/lib/memory';
import { memoryFormatChoices } from '@/lib/memory/ledger';
import type { StateSpec } from '@/lib/url/widget-state';

/** The formats a learner can pick, from lib/quant's registry; FP16 and BF16 share a row (both 16 bits a weight). */
export const CHOICES = memoryFormatChoices();
export const ALL_FORMATS_MASK = (1 << CHOICES.length) - 1;

/** Cache dtypes offered: FP16 and BF16 are both 2 bytes, so one choice. */
export const KV_CHOICES: { dtype: KvCacheDType; label: string }[] = [
  { dtype: 'fp16', label: 'FP16 / BF16 (2 B)' },
  { dtype: 'fp8', label: 'FP8 (1 B)' },
  { dtype: 'int8', label: 'INT8 (1 B, codes only)' },
  { dtype: 'int4', label: 'INT4 (½ B, codes only)' },
];

export const CUSTOM = 'custom';
/** The presets, smallest first. */
export const MODELS = [...ARCHITECTURE_PRESETS].sort((a, b) => totalParameters(a) - totalParameters(b));
export const CONTEXT_SUGGESTIONS = [2048, 4096, 8192, 32768, 131072, MAX_KV_CONTEXT];

/** The widget's URL state: `<id>.model`, `.params`, `.context`, `.batch`, `.kv`, `.formats` (a bit per CHOICES row). */
export type State = { model: string; params: number; context: number; batch: number; kv: string; formats: number };
export const SPEC: StateSpec<State> = {
  model: { kind: 'oneOf', options: [...PRESET_IDS, CUSTOM] },
  params: { kind: 'int', min: 1, max: 1e15 },
  context: { kind: 'int', min: 1, max: MAX_KV_CONTEXT },
  batch: { kind: 'int', min: 1, max: MAX_KV_BATCH },
  kv: { kind: 'oneOf', options: KV_CHOICES.map((c) => c.dtype) },
  formats: { kind: 'int', min: 0, max: ALL_FORMATS_MASK },
};

export type Update = (patch: Partial<State>) => void;

export function baseState(initialModel: string | undefined, initialSize: string | undefined): State {
  const common = { context: 4096, batch: 1, kv: 'fp16', formats: ALL_FORMATS_MASK };
  if (initialModel !== undefined) return { model: presetArchitecture(initialModel).id, params: 7e9, ...common };
  if (initialSize !== undefined) {
    const p = parseParameterCount(initialSize);
    if (!p.ok) throw new Error(`ModelMemory: initialSize "${initialSize}": ${p.error}`);
    return { model: CUSTOM, params: Math.round(p.parameters), ...common };
  }
  return { model: 'llama-2-7b', params: 7e9, ...common };
}
