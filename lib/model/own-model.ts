/**
 * "Your own model" in the quantized-inference comparison: the figures the widget shows before a
 * GPT-2-family checkpoint is loaded (from its header alone, gpt2-checkpoint.ts), the memory budget it
 * is held to, the loaded weights as the comparison's TinyLMWeights, and the text it is scored on.
 * docs/numerics.md, "GPT-2 checkpoints", gives the memory formula (neededBytes).
 */
import { formatBinaryBytes, formatBytes, formatParameterCount } from '../memory/format';
import { readGpt2Weights, type Gpt2Checkpoint, type Gpt2MemoryNeeds } from './gpt2-checkpoint';
import type { TinyLMWeights } from './load';

export { OWN_TEXT_MAX_CHARS, OWN_WINDOW_TOKENS, scoredText } from './own-model-text';

/** Share of the reported device memory a load may take: a quarter (the browser, the page and the OS need the rest). */
export const BUDGET_FRACTION = 0.25;

/**
 * The budget when the browser does not report its memory: what a browser reporting 8 GiB gets,
 * BUDGET_FRACTION × 8 GiB ≈ 2.1 GB — enough for GPT-2 small's comparison (about 1.9 GB from an F16
 * file, docs/numerics.md "GPT-2 checkpoints").
 */
export const FALLBACK_BUDGET_BYTES = BUDGET_FRACTION * 8 * 2 ** 30;

export interface MemoryBudget {
  bytes: number;
  /** Where the figure comes from, for the learner. */
  source: string;
}

/**
 * The memory a checkpoint's load may take on this device: BUDGET_FRACTION × navigator.deviceMemory
 * (GiB, which browsers round to a power of two and clamp to implementation-defined bounds, e.g. 2 to 32) when the browser reports
 * it, else FALLBACK_BUDGET_BYTES. Source: the Device Memory API (W3C), `navigator.deviceMemory`.
 */
export function memoryBudget(deviceMemoryGiB: number | undefined | null): MemoryBudget {
  if (typeof deviceMemoryGiB === 'number' && Number.isFinite(deviceMemoryGiB) && deviceMemoryGiB > 0) {
    const bytes = BUDGET_FRACTION * deviceMemoryGiB * 2 ** 30;
    return { bytes, source: `a quarter of the ${formatBinaryBytes(deviceMemoryGiB * 2 ** 30)} (${formatBytes(deviceMemoryGiB * 2 ** 30)}) this browser reports (navigator.deviceMemory)` };
  }
  return { bytes: FALLBACK_BUDGET_BYTES, source: `a fixed ${formatBytes(FALLBACK_BUDGET_BYTES)}: this browser does not report its memory` };
}

export interface CheckpointSummary {
  /** "124M (124,439,808)" */
  parameters: string;
  /** "mostly F16" etc: the dtypes of the tensors read, with counts. */
  dtypes: string;
  fileSize: string;
  /** neededBytes, and what it is made of. */
  needed: string;
  breakdown: string;
  budget: string;
  fits: boolean;
}

/**
 * What the widget shows of an opened checkpoint before any weight is read: its parameter count, the
 * file's size and storage types, neededBytes = 4 · parameters (the float32 weights the load reads
 * and the comparison keeps) + the larger of the largest tensor's read transient and what the
 * comparison builds beside them at its peak (Gpt2MemoryNeeds, compare-memory.ts), with that peak's
 * parts, and whether it is within the budget (≤, as checkMemoryBudget).
 */
export function summarizeCheckpoint(ckpt: Pick<Gpt2Checkpoint, 'memory' | 'tensors'>, budget: MemoryBudget): CheckpointSummary {
  const m: Gpt2MemoryNeeds = ckpt.memory;
  const counts = new Map<string, number>();
  for (const t of ckpt.tensors) counts.set(t.dtype, (counts.get(t.dtype) ?? 0) + 1);
  return {
    parameters: `${formatParameterCount(m.parameters)} (${m.parameters.toLocaleString('en-US')})`,
    dtypes: [...counts].map(([d, n]) => `${d} (${n} tensor${n === 1 ? '' : 's'})`).join(', '),
    fileSize: formatBytes(m.fileBytes),
    needed: formatBytes(m.neededBytes),
    breakdown: breakdown(m),
    budget: `${formatBytes(budget.bytes)} (${budget.source})`,
    fits: m.neededBytes <= budget.bytes,
  };
}

/** neededBytes in words: the float32 weights, then the larger of the read's transient and the comparison's peak, with its parts. */
function breakdown(m: Gpt2MemoryNeeds): string {
  const c = m.comparison;
  const weights = `${formatBytes(m.weightBytes)} of float32 weights, kept while each format is built`;
  if (m.peakReadBytes >= c.peakBytes) return `${weights} + ${formatBytes(m.peakReadBytes)} while the largest tensor is read`;
  const last = c.scoringBytes >= c.decodeBytes ? `${formatBytes(c.scoringBytes)} scoring a batch of windows` : `${formatBytes(c.decodeBytes)} decoding (KV cache)`;
  return `${weights} + at the comparison's peak: ${formatBytes(c.storeBytes)} for the largest format's weights on the device (FP16, with the float32 copies tfjs ops expand) + ${formatBytes(c.maskBytes)} attention mask + ${formatBytes(c.referenceBytes)} of FP32's logits kept for KL + ${last}`;
}

/** How the widget names a loaded checkpoint: the folder's name (or "Your model") and its shape. */
export function ownModelLabel(folder: string | null, config: Pick<Gpt2Checkpoint['config'], 'n_layer' | 'n_embd' | 'n_head' | 'vocab_size'>, parameters: number): string {
  const name = folder?.trim() ? folder.trim() : 'Your model';
  return `${name} (GPT-2 layout: ${config.n_layer} layers, n_embd ${config.n_embd}, ${config.n_head} heads, vocabulary ${config.vocab_size.toLocaleString('en-US')}, ${formatParameterCount(parameters)} parameters)`;
}

/** The folder a picked file came from (a File's webkitRelativePath, "gpt2/config.json" → "gpt2"), or null. */
export function folderOf(relativePaths: readonly string[]): string | null {
  for (const p of relativePaths) {
    const i = p.indexOf('/');
    if (i > 0) return p.slice(0, i);
  }
  return null;
}

/**
 * The loaded checkpoint's weights as the comparison's TinyLMWeights (the course's names and layout,
 * float32; readGpt2Weights), reporting tensor k of n as each arrives; the signal stops it between
 * slices (its reason is thrown).
 */
export async function readOwnWeights(ckpt: Gpt2Checkpoint, o: { signal?: AbortSignal; onTensor?: (k: number, n: number, name: string) => void; chunkBytes?: number } = {}): Promise<TinyLMWeights> {
  const values = new Map<string, Float32Array>();
  const shapes = new Map<string, number[]>();
  const n = ckpt.tensors.length;
  o.onTensor?.(0, n, '');
  for await (const t of readGpt2Weights(ckpt, { signal: o.signal, chunkBytes: o.chunkBytes })) {
    values.set(t.name, t.values);
    shapes.set(t.name, t.shape);
    o.onTensor?.(values.size, n, t.name);
  }
  o.signal?.throwIfAborted();
  return { config: ckpt.config, values, shapes };
}
