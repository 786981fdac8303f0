/**
 * The quantize benchmark (issue "Quantization lab", item 7), run in the browser by app/bench and
 * by `npm run bench` (scripts/bench.mjs): one quantize → dequantize → error-statistics pass,
 * INT8 symmetric per-tensor min–max, on seeded normal weights, by
 *   fused-webgpu     the lab's fused WGSL kernels (lib/lab/gpu.ts, a session's run()),
 *   tfjs-ops-webgpu  the same computation as a chain of stock tfjs ops (lib/lab/tfjs-ops.ts),
 *   cpu-reference    the plain TypeScript reference (lib/lab/lab.ts runLabReference).
 * Each timing is performance.now() around an awaited run that includes reading the statistics
 * back. One warm-up run per implementation and size (it compiles the shaders and lets the GPU
 * sessions measure the tensor's range, which they then reuse, as the lab does when only the
 * settings change; the CPU reference scans for the range on every run), then the timed runs,
 * interleaved fused / tfjs-ops / CPU so that drift affects all three alike.
 */
import { BACKEND_LABELS, getCompute } from '../compute';
import { probeBrowser } from '../compute/detect';
import { createLabSession } from '../lab/gpu';
import { createTfjsOpsLabSession } from '../lab/tfjs-ops';
import { runLabReference } from '../lab/lab';
import { INT8_PER_TENSOR, type LabSettings, type LabStats } from '../lab/types';
import { syntheticMatrix } from '../tensors/synthetic';
import { BENCH_IMPLS, ratioTable, statsAgreement, summarizeRuns, type BenchImpl, type BenchRow, type RatioRow, type StatsAgreement } from './stats';

export const BENCH_SETTINGS: LabSettings = INT8_PER_TENSOR;

/** Square sides of the benchmarked matrices: 1024² = 1M and 4096² = 16M float32 elements. */
export const DEFAULT_BENCH_SIDES = [1024, 4096];
export const DEFAULT_BENCH_RUNS = 7;
/** The CPU reference takes seconds per run at 16M, so it gets fewer runs from this size up. */
export const SLOW_CPU_ELEMENTS = 8 * 1024 * 1024;
export const DEFAULT_SLOW_CPU_RUNS = 5;

export interface QuantizeBenchOptions {
  /** Matrix sides (rows = cols); default [1024, 4096]. */
  sides?: number[];
  /** Timed runs per implementation and size (at least 1; default 7). */
  runs?: number;
  /** Timed runs of the CPU reference at SLOW_CPU_ELEMENTS elements and above (default 5). */
  slowCpuRuns?: number;
  /** Which implementations to time (default all three). */
  impls?: BenchImpl[];
  /** Seed of the synthetic normal weights (default 1). */
  seed?: number;
}

export interface BenchCheck {
  impl: Exclude<BenchImpl, 'cpu-reference'>;
  elements: number;
  /** Agreement of its statistics (warm-up run) with the CPU reference's on the same tensor. */
  agreement: StatsAgreement;
}

export interface QuantizeBenchReport {
  rows: BenchRow[];
  ratios: RatioRow[];
  checks: BenchCheck[];
  /** The backend tfjs runs on, e.g. "WebGPU (software)". */
  backend: string;
  /** The WebGPU adapter, e.g. "WebGPU adapter: google swiftshader (software, on the CPU)." */
  adapter: string;
  settings: LabSettings;
  notes: string[];
}

const tick = () => new Promise<void>((resolve) => setTimeout(resolve, 0));

function positiveInt(n: number | undefined, fallback: number, name: string): number {
  if (n === undefined) return fallback;
  if (!Number.isInteger(n) || n < 1) throw new RangeError(`${name} must be a whole number of at least 1, got ${n}`);
  return n;
}

/** Runs the benchmark; `onProgress` hears a line before each step (for a status line or the console). */
export async function runQuantizeBench(options: QuantizeBenchOptions = {}, onProgress: (message: string) => void = () => {}): Promise<QuantizeBenchReport> {
  const sides = options.sides ?? DEFAULT_BENCH_SIDES;
  for (const s of sides) positiveInt(s, 1, 'each side');
  const runs = positiveInt(options.runs, DEFAULT_BENCH_RUNS, 'runs');
  const slowCpuRuns = positiveInt(options.slowCpuRuns, DEFAULT_SLOW_CPU_RUNS, 'slowCpuRuns');
  const seed = options.seed ?? 1;
  const settings = BENCH_SETTINGS;
  const notes: string[] = [];

  const [compute, probe] = await Promise.all([getCompute(), probeBrowser()]);
  const backend = `${BACKEND_LABELS[compute.backend]}${compute.software ? ' (software)' : ''}`;
  const adapter = probe.adapter?.description ?? probe.availability.webgpu.detail;
  let impls = (options.impls ?? [...BENCH_IMPLS]).filter((i) => BENCH_IMPLS.includes(i));
  if (!compute.webgpu) {
    impls = impls.filter((i) => i === 'cpu-reference');
    notes.push(`tfjs runs on ${backend}, not WebGPU, so only the CPU reference was timed.`);
  }
  notes.push(
    'GPU sessions measure the tensor’s range on their warm-up run and reuse it (as the lab does when only the settings change); the CPU reference scans for it on every run.',
  );

  const rows: BenchRow[] = [];
  const checks: BenchCheck[] = [];
  for (const side of sides) {
    const elements = side * side;
    onProgress(`${elements.toLocaleString('en-US')} elements: generating seeded normal weights…`);
    await tick();
    const x = syntheticMatrix({ distribution: 'normal', rows: side, cols: side, seed });
    const fused = impls.includes('fused-webgpu') ? createLabSession(compute, x, side, side) : null;
    const ops = impls.includes('tfjs-ops-webgpu') ? createTfjsOpsLabSession(compute, x, side, side) : null;
    const runners: Record<BenchImpl, () => Promise<LabStats>> = {
      'fused-webgpu': async () => {
        if (!fused) throw new Error('no fused session');
        const r = await fused.run(settings);
        if (!r.ok) throw new Error(r.errors.join(' '));
        if (r.path !== 'fused-webgpu') throw new Error('the lab session did not take the fused WebGPU path');
        return r.stats;
      },
      'tfjs-ops-webgpu': async () => {
        if (!ops) throw new Error('no tfjs-ops session');
        const r = await ops.run(settings);
        if (!r.ok) throw new Error(r.errors.join(' '));
        return r.stats;
      },
      'cpu-reference': async () => {
        const r = runLabReference(x, side, side, settings);
        if (!r.ok) throw new Error(r.errors.join(' '));
        return r.stats;
      },
    };
    try {
      const warm = new Map<BenchImpl, LabStats>();
      for (const impl of impls) {
        onProgress(`${elements.toLocaleString('en-US')} elements: warm-up run of ${impl}…`);
        await tick();
        warm.set(impl, await runners[impl]());
      }
      const reference = warm.get('cpu-reference') ?? (await runners['cpu-reference']());
      for (const impl of ['tfjs-ops-webgpu', 'fused-webgpu'] as const) {
        const stats = warm.get(impl);
        if (stats) checks.push({ impl, elements, agreement: statsAgreement(stats, reference) });
      }
      const cpuRuns = elements >= SLOW_CPU_ELEMENTS ? Math.min(runs, slowCpuRuns) : runs;
      const times = new Map<BenchImpl, number[]>(impls.map((i) => [i, []]));
      for (let k = 0; k < runs; k++) {
        for (const impl of impls) {
          if (impl === 'cpu-reference' && k >= cpuRuns) continue;
          onProgress(`${elements.toLocaleString('en-US')} elements: ${impl} run ${k + 1} of ${impl === 'cpu-reference' ? cpuRuns : runs}…`);
          await tick();
          const t0 = performance.now();
          await runners[impl]();
          times.get(impl)?.push(performance.now() - t0);
        }
      }
      for (const impl of impls) rows.push(summarizeRuns(impl, elements, times.get(impl) ?? []));
    } finally {
      fused?.dispose();
      ops?.dispose();
    }
  }
  onProgress('Done.');
  return { rows, ratios: ratioTable(rows), checks, backend, adapter, settings, notes };
}
