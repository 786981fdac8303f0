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
import { TinyLM } from '../model/tiny-lm';
import { FORMAT_LABELS, WEIGHT_FORMATS, type WeightFormat } from '../quant/weight-formats';
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

export interface DecodeBenchRow {
  format: WeightFormat;
  /** The format as lesson 7 names it: FP32, FP16, BF16, INT8, INT4, NF4. */
  label: string;
  decodePath: 'fused' | 'ops';
  tokensPerSecond: number;
  runs: number[];
  bytesPerToken: number;
  dispatchesPerToken: number | null;
  /** The tfjs-op path with the KV cache on the same backend, or null when left out. */
  ops: { tokensPerSecond: number; bytesPerToken: number; dispatchesPerToken: number | null } | null;
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
        log(`${shortDecodeLabel(f)} round ${r + 1}: ${s.tokensPerSecond.toFixed(1)} tokens/s (${models.get(f)!.lastDecode?.path})`);
      }
    }
    const decode: DecodeBenchRow[] = [];
    for (const f of formats) {
      const model = models.get(f)!;
      const path = model.lastDecode?.path ?? 'ops';
      const bytesPerToken = model.weightBytesPerToken();
      let ops: DecodeBenchRow['ops'] = null;
      if (opsTokens >= 2 && path === 'fused') {
        model.decodePath = 'ops';
        const s = await measureDecodeSpeed(model, prompt, opsTokens, sampling);
        ops = { tokensPerSecond: s.tokensPerSecond, bytesPerToken: model.weightBytesPerToken(), dispatchesPerToken: s.dispatchesPerToken };
        model.decodePath = 'auto';
        log(`${shortDecodeLabel(f)} on tfjs ops: ${s.tokensPerSecond.toFixed(1)} tokens/s`);
      }
      decode.push({ format: f, label: shortDecodeLabel(f), decodePath: path, tokensPerSecond: median(runs.get(f)!), runs: runs.get(f)!, bytesPerToken, dispatchesPerToken: meta.get(f)?.dispatches ?? null, ops });
    }
    return { adapter: backendLabel(compute), tokens, rounds, decode };
  } finally {
    for (const m of models.values()) m.dispose();
  }
}
