import { shortNumber } from '@/lib/formats/display';
import { presetArchitecture, type ModuleRole } from '@/lib/lora/architectures';
import type { LoraTargets } from '@/lib/lora/params';
import { formatBytes, type KvCacheDType, type WeightFormat } from '@/lib/memory';
import { kvCrossoverContext } from '@/lib/serving/kv-memory';
import { arithmeticIntensity } from '@/lib/serving/roofline';
import { separateServing } from '@/lib/serving/adapters';

/**
 * Figures quoted in the prose of the lesson "Serving: KV cache, batching and the roofline",
 * computed by lib/serving rather than typed by hand (docs/design.md, rule 7; docs/numerics.md,
 * "Serving"). Server-renderable: no hooks.
 */

/**
 * The context at which `batch` sequences' KV cache reaches the weights (lib/serving kvCrossoverContext):
 * `<KvCrossover arch="llama-2-7b" />` renders "25,706".
 */
export function KvCrossover({ arch, batch = 1, dtype = 'fp16', format = 'fp16' }: { arch: string; batch?: number; dtype?: KvCacheDType; format?: WeightFormat }) {
  const c = kvCrossoverContext(presetArchitecture(arch), dtype, batch, format);
  return <span className="figure">{c === null ? 'more than a million' : c.toLocaleString('en-US')}</span>;
}

/**
 * Arithmetic intensity of an in × out Linear at `tokens` rows per weight read, FP16 activations
 * (lib/serving arithmeticIntensity): `<LinearIntensity dIn={4096} dOut={4096} tokens={1} weightBytes={2} />` renders "0.9995".
 */
export function LinearIntensity({ dIn, dOut, tokens, weightBytes, digits = 4 }: { dIn: number; dOut: number; tokens: number; weightBytes: number; digits?: number }) {
  return <span className="figure">{shortNumber(arithmeticIntensity({ in: dIn, out: dOut, tokens, weightBytes, activationBytes: 2 }), digits)}</span>;
}

/** One LoRA adapter's FP16 bytes kept beside the base (lib/serving separateServing): `<AdapterBytes arch="llama-2-7b" r={8} />` renders "8.39 MB". */
export function AdapterBytes({ arch, r, targets = 'q,v' }: { arch: string; r: number; targets?: string }) {
  const t: LoraTargets = targets === 'all-linear' ? 'all-linear' : (targets.split(',') as ModuleRole[]);
  const a = presetArchitecture(arch);
  const o = { targets: t, r, format: 'fp16' as const, adapterBytes: 2 };
  return <span className="figure">{formatBytes(separateServing(a, { ...o, adapters: 2 }).bytes - separateServing(a, { ...o, adapters: 1 }).bytes)}</span>;
}
