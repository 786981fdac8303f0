/**
 * The decode benchmark: the tiny model generating after a prompt with its Linear weights in each
 * storage format, on the page's backend — tokens per second after the prefill, weight bytes read
 * per token and GPU dispatches per token (lib/model/decode-speed.ts). Formats are measured in turn
 * within each round, so every format sees the same machine load; the figure is the median over
 * rounds. Beside each, the same model decoded by the tfjs-op path with the KV cache (the fused
 * kernels' baseline). Ratios are measured side by side in one run, never asserted in tests.
 */
import type { Compute } from '../compute';
import { backendLabel } from '../compute';
import { encodeText } from '../model/config';
import { measureDecodeSpeed } from '../model/decode-speed';
import type { TinyLMWeights } from '../model/load';
import { makeWeightStore } from '../model/stores';
import { TinyLM, type DecodePath } from '../model/tiny-lm';
import { FORMAT_LABELS, WEIGHT_FORMATS, type WeightFormat } from '../quant/weight-formats';
import { profileFusedDecode, type DecodeProfile } from './decode-profile';
import { median } from './stats';

export interface DecodeBenchOptions {
  /** Tokens generated per timed run (default 48, as lesson 7's comparison). */
  tokens?: number;
  /** Timed runs per format (default 3). */
  rounds?: number;
  /** Tokens of the one tfjs-op run per format (default 16; 0 leaves the baseline out). */
  opsTokens?: number;
  prompt?: string;
  /** Formats to measure, in this order (default every format). */
  formats?: readonly WeightFormat[];
  /** Tokens the backend may run ahead of the read-backs (TinyLM.generate's readAhead, default 1). */
  readAhead?: number;
}

export interface DecodeBaseline {
  tokensPerSecond: number;
  bytesPerToken: number;
  dispatchesPerToken: number | null;
}

export interface DecodeBenchRow {
  format: WeightFormat;
  /** The format as lesson 7 names it: FP32, FP16, BF16, INT8, INT4, NF4. */
  label: string;
  decodePath: DecodePath;
  tokensPerSecond: number;
  runs: number[];
  bytesPerToken: number;
  dispatchesPerToken: number | null;
  /** Where a fused step's time goes (decode-profile.ts), or null off the fused path. */
  profile: DecodeProfile | null;
  /** The tfjs-op path with the KV cache on the same backend, or null when left out. */
  ops: DecodeBaseline | null;
  /** The few-kernels fused path (fused-decode.ts), when the row's path is the one-dispatch one. */
  fused: DecodeBaseline | null;
}

export interface DecodeBenchReport {
  adapter: string;
  tokens: number;
  rounds: number;
  decode: DecodeBenchRow[];
}

/** lib/quant's labels, shortened as lesson 7's table heads them ("INT8, per channel" → "INT8"). */
export function shortDecodeLabel(format: WeightFormat): string {
  return FORMAT_LABELS[format].split(/[ ,]/)[0];
}

export async function runDecodeBench(compute: Compute, weights: TinyLMWeights, o: DecodeBenchOptions = {}, log: (m: string) => void = () => {}): Promise<DecodeBenchReport> {
  const tokens = o.tokens ?? 48, rounds = o.rounds ?? 3, opsTokens = o.opsTokens ?? 16;
  const prompt = encodeText(weights.config, o.prompt ?? 'And God said unto Moses, ').ids;
  if (prompt.length === 0) throw new Error('The prompt has no characters the model knows.');
  const sampling = { temperature: 0.8, topK: 20, seed: 7, readAhead: o.readAhead };
  const formats = o.formats ?? WEIGHT_FORMATS;
  const models = new Map<WeightFormat, TinyLM>();
  const runs = new Map<WeightFormat, number[]>();
  const meta = new Map<WeightFormat, { dispatches: number | null }>();
  try {
    for (const f of formats) {
      models.set(f, new TinyLM(compute.tf, weights.config, makeWeightStore(compute, f, weights)));
      runs.set(f, []);
    }
    for (let r = 0; r < rounds; r++) {
      for (const f of formats) {
        const s = await measureDecodeSpeed(models.get(f)!, prompt, tokens, sampling);
        runs.get(f)!.push(s.tokensPerSecond);
        meta.set(f, { dispatches: s.dispatchesPerToken });
        const iv = [...s.intervalsMs].sort((a, b) => a - b);
        log(`${shortDecodeLabel(f)} round ${r + 1}: ${s.tokensPerSecond.toFixed(1)} tokens/s (${models.get(f)!.lastDecode?.path}); ms per token min ${iv[0].toFixed(1)}, median ${median(iv).toFixed(1)}, max ${iv[iv.length - 1].toFixed(1)}; prefill ${(1000 * s.prefillSeconds).toFixed(0)} ms`);
      }
    }
    const decode: DecodeBenchRow[] = [];
    for (const f of formats) {
      const model = models.get(f)!;
      const path = model.lastDecode?.path ?? 'ops';
      const bytesPerToken = await model.weightBytesPerToken();
      const baseline = async (p: 'fused' | 'ops'): Promise<DecodeBaseline> => {
        model.decodePath = p;
        try {
          const s = await measureDecodeSpeed(model, prompt, opsTokens, sampling);
          log(`${shortDecodeLabel(f)} on the ${p} path: ${s.tokensPerSecond.toFixed(1)} tokens/s`);
          return { tokensPerSecond: s.tokensPerSecond, bytesPerToken: await model.weightBytesPerToken(), dispatchesPerToken: s.dispatchesPerToken };
        } finally {
          model.decodePath = 'auto';
        }
      };
      const fused = opsTokens >= 2 && path === 'one-dispatch' ? await baseline('fused') : null;
      const ops = opsTokens >= 2 && path !== 'ops' ? await baseline('ops') : null;
      const profile = await profileFusedDecode(model, prompt);
      if (profile) log(`${shortDecodeLabel(f)} step: ${profile.queueMs.toFixed(2)} ms to queue, ${profile.pipelinedMs.toFixed(2)} ms queued back to back, ${profile.syncedMs.toFixed(2)} ms read back each time`);
      decode.push({ format: f, label: shortDecodeLabel(f), decodePath: path, tokensPerSecond: median(runs.get(f)!), runs: runs.get(f)!, bytesPerToken, dispatchesPerToken: meta.get(f)?.dispatches ?? null, profile, ops, fused });
    }
    return { adapter: backendLabel(compute), tokens, rounds, decode };
  } finally {
    for (const m of models.values()) m.dispose();
  }
}
