/**
 * The prefill benchmark: lesson 7's perplexity batch (windows × block_size tokens through the whole
 * model) with the Linear weights in each storage format, multiplied two ways on the page's backend,
 * side by side in each round: through the tiled dequantizing matmul that reads the packed words
 * (TinyLM.matmulPath 'fused', lib/compute/dequant-matmul-gpu.ts) and by expanding each weight to
 * float32 for tf.matMul ('ops'). The figure is the median over rounds. Ratios are measured side by
 * side in one run, never asserted in tests.
 */
import type { Compute } from '../compute';
import { backendLabel } from '../compute';
import type { TinyLMWeights } from '../model/load';
import { makeWeightStore } from '../model/stores';
import { TinyLM } from '../model/tiny-lm';
import { WEIGHT_FORMATS, type WeightFormat } from '../quant/weight-formats';
import { shortDecodeLabel } from './decode-bench';
import { median } from './stats';

export interface PrefillBenchOptions {
  /** Sequences of block_size tokens in the batch (default 8, lesson 7's windows). */
  windows?: number;
  /** Timed runs per format and path (default 3). */
  rounds?: number;
  formats?: readonly WeightFormat[];
}

export interface PrefillBenchRow {
  format: WeightFormat;
  label: string;
  /** Median ms of the batch through the dequantizing matmul; null when the format takes tf.matMul either way (FP32, or off WebGPU). */
  fusedMs: number | null;
  /** Median ms of the batch with each weight expanded to float32 for tf.matMul. */
  opsMs: number;
  /** opsMs / fusedMs: above 1 when reading the packed words is faster. */
  speedup: number | null;
}

export interface PrefillBenchReport {
  adapter: string;
  tokens: number;
  rounds: number;
  prefill: PrefillBenchRow[];
}

/** Seeded token ids in the vocabulary: the batch's content does not change the work. */
function batchOf(windows: number, T: number, vocab: number): number[][] {
  return Array.from({ length: windows }, (_, b) => Array.from({ length: T }, (_, t) => (b * 7919 + t * 104729) % vocab));
}

export async function runPrefillBench(compute: Compute, weights: TinyLMWeights, o: PrefillBenchOptions = {}, log: (m: string) => void = () => {}): Promise<PrefillBenchReport> {
  const windows = o.windows ?? 8, rounds = o.rounds ?? 3;
  const { config } = weights;
  const batch = batchOf(windows, config.block_size, config.vocab_size);
  const formats = o.formats ?? WEIGHT_FORMATS;
  const models = new Map<WeightFormat, TinyLM>();
  const times = new Map<string, number[]>();
  const time = async (model: TinyLM, path: 'fused' | 'ops') => {
    model.matmulPath = path;
    const t0 = performance.now();
    const t = model.logitsBatchTensor(batch);
    await t.data();
    t.dispose();
    return performance.now() - t0;
  };
  try {
    for (const f of formats) models.set(f, new TinyLM(compute.tf, config, makeWeightStore(compute, f, weights)));
    const packed = (f: WeightFormat) => f !== 'fp32' && compute.webgpu !== null && models.get(f)!.store.residency === 'packed';
    // One untimed batch on each path: kernels compile.
    for (const f of formats) for (const p of packed(f) ? (['fused', 'ops'] as const) : (['ops'] as const)) await time(models.get(f)!, p);
    for (let r = 0; r < rounds; r++) {
      for (const f of formats) {
        for (const p of packed(f) ? (['fused', 'ops'] as const) : (['ops'] as const)) {
          const ms = await time(models.get(f)!, p);
          times.set(`${f}:${p}`, [...(times.get(`${f}:${p}`) ?? []), ms]);
          log(`${shortDecodeLabel(f)} ${p} round ${r + 1}: ${ms.toFixed(0)} ms`);
        }
      }
    }
    const prefill = formats.map((f): PrefillBenchRow => {
      const opsMs = median(times.get(`${f}:ops`)!);
      const fused = times.get(`${f}:fused`);
      const fusedMs = fused ? median(fused) : null;
      return { format: f, label: shortDecodeLabel(f), fusedMs, opsMs, speedup: fusedMs ? opsMs / fusedMs : null };
    });
    return { adapter: backendLabel(compute), tokens: windows * config.block_size, rounds, prefill };
  } finally {
    for (const m of models.values()) m.dispose();
  }
}
