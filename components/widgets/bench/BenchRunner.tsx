'use client';

import { WidgetFrame } from '@/components/widget-kit/WidgetFrame';
import { WidgetError } from '@/components/widget-kit/WidgetError';
import { useCallback, useEffect, useRef, useState } from 'react';
import type { QuantizeBenchOptions, QuantizeBenchReport } from '@/lib/bench/quantize-bench';
import type { TrainBenchOptions, TrainBenchReport } from '@/lib/bench/train-bench';
import type { DecodeBenchOptions, DecodeBenchReport } from '@/lib/bench/decode-bench';
import type { PrefillBenchOptions, PrefillBenchReport } from '@/lib/bench/prefill-bench';
import { getCompute } from '@/lib/compute';
import { TINY_MODEL_URL } from '@/lib/model/tiny-model';
import { summarizeLatency, type BenchImpl, type BenchRow, type LatencySummary } from '@/lib/bench/stats';
import { ScrollRegion } from '@/components/ui/ScrollRegion';
import { errorMessage } from '@/lib/errors';
import { hasFields, isArrayOf } from '@/lib/results-store-guards';
import { SavedResult, adapterLabel, useSavedResult } from '@/components/widget-kit/SavedResult';
import { datedFileName } from '@/lib/export/names';
import { downloadText } from '@/components/widget-kit/export-dom';

declare global {
  interface Window {
    /** The benchmark, for scripts/bench.mjs (`npm run bench`) and for the curious in the console. */
    lowbitBench?: {
      run(options?: QuantizeBenchOptions): Promise<QuantizeBenchReport>;
      /** p50/p95 of latency samples in ms (the script measures them on a lesson page). */
      summarize(samples: number[]): LatencySummary;
      /** QLoRA against LoRA-on-FP32 step time on this page's backend (lib/bench/train-bench). */
      train(options?: TrainBenchOptions): Promise<TrainBenchReport>;
      /** A training step's GPU time kernel by kernel on this page's backend (lib/bench/train-profile). */
      trainProfile(options?: Parameters<typeof import('@/lib/bench/train-bench').runTrainProfile>[3]): ReturnType<typeof import('@/lib/bench/train-bench').runTrainProfile>;
      /** Decode speed per storage format on this page's backend (lib/bench/decode-bench). */
      decode(options?: DecodeBenchOptions): Promise<DecodeBenchReport>;
      /** Lesson 7's perplexity batch per storage format, through the dequantizing matmul and through tf.matMul (lib/bench/prefill-bench). */
      prefill(options?: PrefillBenchOptions): Promise<PrefillBenchReport>;
    };
  }
}

const IMPL_LABELS: Record<BenchImpl, string> = {
  'fused-webgpu': 'Fused WebGPU kernels',
  'tfjs-ops-webgpu': 'tfjs ops on WebGPU',
  'cpu-reference': 'CPU reference',
};

/** A report read back from the browser's store (lib/results-store): the fields the view reads. */
const isReport = (x: unknown): x is QuantizeBenchReport =>
  hasFields(x, [], ['backend', 'adapter']) &&
  isArrayOf(x.rows, (r): r is BenchRow => hasFields(r, ['elements', 'medianMs', 'minMs', 'maxMs', 'runs'], ['impl']), 100) &&
  isArrayOf(x.ratios, (r): r is QuantizeBenchReport['ratios'][number] => hasFields(r, ['elements'], [], ['tfjsOpsOverFused', 'cpuOverFused']), 100) &&
  isArrayOf(x.checks, (c): c is QuantizeBenchReport['checks'][number] => hasFields(c, ['elements'], ['impl']) && hasFields(c.agreement, ['max', 'histogramMoves']), 100) &&
  isArrayOf(x.notes, (n): n is string => typeof n === 'string', 100);

function ms(t: number): string {
  return t >= 100 ? t.toFixed(0) : t.toFixed(1);
}

function ratio(r: number | null): string {
  return r === null ? '—' : `${r >= 10 ? r.toFixed(0) : r.toFixed(1)}×`;
}

function timing(row: BenchRow | undefined) {
  if (!row) return '—';
  return (
    <>
      {ms(row.medianMs)} <span className="widget-caption">({ms(row.minMs)}–{ms(row.maxMs)}, {row.runs} runs)</span>
    </>
  );
}

/** The training benchmark, loaded on demand: tfjs, the model and the trainer stay out of the page's first load. */
async function runTrain(options?: TrainBenchOptions): Promise<TrainBenchReport> {
  const [{ runTrainBench }, { sharedTinyLMWeights }, compute] = await Promise.all([
    import('@/lib/bench/train-bench'),
    import('@/lib/model/fetch-weights'),
    getCompute(),
  ]);
  const weights = await sharedTinyLMWeights(TINY_MODEL_URL);
  const res = await fetch('/datasets/kjv-shout/train.txt');
  if (!res.ok) throw new Error(`Could not load the fine-tuning text: HTTP ${res.status}.`);
  return runTrainBench(compute, weights, await res.text(), options, (m) => console.log(`[bench] ${m}`));
}

/** The training step's per-kernel profile, loaded on demand like the training benchmark. */
async function runTrainProfile(options?: Parameters<typeof import('@/lib/bench/train-bench').runTrainProfile>[3]) {
  const [{ runTrainProfile: profile }, { sharedTinyLMWeights }, compute] = await Promise.all([
    import('@/lib/bench/train-bench'),
    import('@/lib/model/fetch-weights'),
    getCompute(),
  ]);
  const res = await fetch('/datasets/kjv-shout/train.txt');
  if (!res.ok) throw new Error(`Could not load the fine-tuning text: HTTP ${res.status}.`);
  return profile(compute, await sharedTinyLMWeights(TINY_MODEL_URL), await res.text(), options);
}

/** The decode benchmark, loaded on demand like the training one. */
async function runDecode(options?: DecodeBenchOptions): Promise<DecodeBenchReport> {
  const [{ runDecodeBench }, { sharedTinyLMWeights }, compute] = await Promise.all([
    import('@/lib/bench/decode-bench'),
    import('@/lib/model/fetch-weights'),
    getCompute(),
  ]);
  return runDecodeBench(compute, await sharedTinyLMWeights(TINY_MODEL_URL), options, (m) => console.log(`[bench] ${m}`));
}

/** The prefill benchmark, loaded on demand like the training one. */
async function runPrefill(options?: PrefillBenchOptions): Promise<PrefillBenchReport> {
  const [{ runPrefillBench }, { sharedTinyLMWeights }, compute] = await Promise.all([
    import('@/lib/bench/prefill-bench'),
    import('@/lib/model/fetch-weights'),
    getCompute(),
  ]);
  return runPrefillBench(compute, await sharedTinyLMWeights(TINY_MODEL_URL), options, (m) => console.log(`[bench] ${m}`));
}

/** A benchmark report: the adapter, the table of medians and ratios, and the agreement checks. */
function ReportView({ report }: { report: QuantizeBenchReport }) {
  return (
    <>
      <p className="widget-caption">{report.adapter}</p>
      <ScrollRegion>
        <table data-testid="bench-table">
          <caption className="widget-caption">Median milliseconds per run (min–max), statistics read back included</caption>
          <thead>
            <tr>
              <th scope="col">Elements</th>
              {(['fused-webgpu', 'tfjs-ops-webgpu', 'cpu-reference'] as const).map((impl) => (
                <th scope="col" key={impl}>
                  {IMPL_LABELS[impl]}
                </th>
              ))}
              <th scope="col">tfjs ops ÷ fused</th>
              <th scope="col">CPU ÷ fused</th>
            </tr>
          </thead>
          <tbody>
            {report.ratios.map((r) => {
              const at = (impl: BenchImpl) => report.rows.find((row) => row.elements === r.elements && row.impl === impl);
              return (
                <tr key={r.elements}>
                  <th scope="row">{r.elements.toLocaleString('en-US')}</th>
                  <td>{timing(at('fused-webgpu'))}</td>
                  <td>{timing(at('tfjs-ops-webgpu'))}</td>
                  <td>{timing(at('cpu-reference'))}</td>
                  <td>{ratio(r.tfjsOpsOverFused)}</td>
                  <td>{ratio(r.cpuOverFused)}</td>
                </tr>
              );
            })}
          </tbody>
        </table>
      </ScrollRegion>
      <p>
        <button type="button" data-testid="bench-download" onClick={() => downloadText(`${JSON.stringify(report, null, 2)}\n`, datedFileName('lowbit-bench', new Date(), 'json'), 'application/json')}>
          Download results (JSON)
        </button>
      </p>
      <ul className="widget-caption" data-testid="bench-checks">
        {report.checks.map((c) => (
          <li key={`${c.impl}-${c.elements}`}>
            {IMPL_LABELS[c.impl]} against the CPU reference at {c.elements.toLocaleString('en-US')} elements: largest relative
            difference of MSE, max |error| and clipped share {c.agreement.max.toExponential(1)}; {c.agreement.histogramMoves}{' '}
            histogram counts moved.
          </li>
        ))}
        {report.notes.map((n) => (
          <li key={n}>{n}</li>
        ))}
      </ul>
    </>
  );
}

/** Times the fused kernels, the tfjs-op chain and the CPU reference on the same tensors and shows the ratios. */
export function BenchRunner() {
  const [report, setReport] = useState<QuantizeBenchReport | null>(null);
  const [progress, setProgress] = useState<string | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [large, setLarge] = useState(false);
  const running = useRef(false);
  const [busy, setBusy] = useState(false);
  const { saved, save } = useSavedResult('bench:quantize', isReport);

  const run = useCallback(async (options: QuantizeBenchOptions = {}, log = false): Promise<QuantizeBenchReport> => {
    if (running.current) throw new Error('The benchmark is already running.');
    running.current = true;
    setBusy(true);
    setError(null);
    setReport(null);
    try {
      // Loaded on demand: the page's first load stays free of the lab and of tfjs.
      const { runQuantizeBench } = await import('@/lib/bench/quantize-bench');
      const r = await runQuantizeBench(options, (message) => {
        setProgress(message);
        if (log) console.log(`[bench] ${message}`);
      });
      setReport(r);
      void adapterLabel(r.backend).then((adapter) => save(adapter, r));
      return r;
    } catch (e) {
      setError(errorMessage(e));
      throw e;
    } finally {
      running.current = false;
      setBusy(false);
      setProgress(null);
    }
  }, [save]);

  useEffect(() => {
    window.lowbitBench = { run: (options) => run(options, true), summarize: (samples) => summarizeLatency(samples), train: runTrain, trainProfile: runTrainProfile, decode: runDecode, prefill: runPrefill };
    return () => {
      delete window.lowbitBench;
    };
  }, [run]);

  const onClick = () => {
    run({ sides: large ? [1024, 4096] : [1024] }).catch(() => {});
  };

  return (
    <WidgetFrame
      title="Quantize → dequantize → error statistics, INT8 per tensor"
      subtitle={report && <>Backend: <strong data-testid="bench-backend">{report.backend}</strong></>}
      testId="bench-runner"
    >
      <div className="controls">
        <label>
          <input type="checkbox" checked={large} onChange={(e) => setLarge(e.target.checked)} disabled={busy} /> Include 16M elements
          (4096 × 4096: a few minutes on a software GPU)
        </label>
        <button type="button" className="primary" onClick={onClick} disabled={busy} data-testid="bench-run">
          {busy ? 'Running…' : 'Run the benchmark'}
        </button>
      </div>
      <p className="widget-caption" aria-live="polite" data-testid="bench-progress">
        {progress ?? (busy ? 'Loading the compute backend…' : '')}
      </p>
      {error && (
        <WidgetError>The benchmark failed: {error}</WidgetError>
      )}
      {report && <ReportView report={report} />}
      {!report && !busy && saved && (
        <SavedResult savedAt={saved.savedAt} adapter={saved.adapter} onRunAgain={onClick} testId="bench-saved">
          <ReportView report={saved.data} />
        </SavedResult>
      )}
    </WidgetFrame>
  );
}
