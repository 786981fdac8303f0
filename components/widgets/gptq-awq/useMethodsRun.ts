'use client';

import { useCallback, useEffect, useRef, useState } from 'react';
import { getCompute } from '@/lib/compute';
import { methodPathLabel } from '@/lib/compute/gptq-gpu';
import { errorMessage } from '@/lib/errors';
import { fetchFile } from '@/lib/io/fetch-file';
import type { Calibration } from '@/lib/model/methods-engine';
import { quantizesOnDevice, type QuantizeOn } from '@/lib/model/quantize-on';
import type { MethodSetting, WeightMethod } from '@/lib/model/weight-methods';
import { WEIGHT_METHOD_LABELS } from '@/lib/model/weight-methods';
import { TINY_MODEL_URL } from '@/lib/model/tiny-model';
import { workerQuantize } from './workerQuantize';

export interface ResultRow {
  key: string;
  setting: string;
  method: string;
  perplexity: number;
  kl: number;
  top1: number;
  /** Quantization time, ms; null for FP32. */
  ms: number | null;
  /** Where the quantization ran, e.g. 'WebGPU' or 'CPU reference'; null for FP32. */
  ranOn: string | null;
}

/** What one Run quantizes: the tiny model's shared calibration, or a capture made on Run (a loaded checkpoint's) reporting windows done. */
export interface RunSource {
  /** The model's name, shown with its results (they stay named for it when the learner switches). */
  label: string;
  calibration: Calibration | ((onWindows: (done: number, total: number) => void) => Promise<Calibration>);
  /** Tokens per held-out window (default: the model's block size). */
  windowTokens?: number;
}

/** Layers finished of the current quantization, for a progress bar. */
export interface LayerCount {
  done: number;
  total: number;
}

/**
 * Runs the whole-model comparison: FP32's held-out score, then for each setting and method the
 * calibrated Linear weights quantized in a Web Worker (lib/model/weight-methods quantizeLinears) or
 * on the GPU, and the rebuilt model scored on the page's backend. Stop ends the capture between
 * batches and terminates the worker.
 */
export function useMethodsRun() {
  const [rows, setRows] = useState<ResultRow[]>([]);
  const [status, setStatus] = useState('');
  const [running, setRunning] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const [layers, setLayers] = useState<LayerCount | null>(null);
  const [quantized, setQuantized] = useState<{ layers: number; model: string }>({ layers: 0, model: '' });
  const worker = useRef<ReturnType<typeof workerQuantize> | null>(null);
  const progress = useRef<(text: string, p: { done: number; total: number; layer: string }) => void>(() => {});
  // Each run's number: Stop (or a newer run) makes an older one stale, so a run still finishing a
  // calibration window when Run is pressed again never writes into the new one's rows.
  const runId = useRef(0);

  const stop = useCallback(() => {
    runId.current++;
    worker.current?.dispose();
    worker.current = null;
    setRunning(false);
    setLayers(null);
    setStatus('Stopped.');
  }, []);
  useEffect(() => () => worker.current?.dispose(), []);

  const run = useCallback(async (source: RunSource, settings: MethodSetting[], methods: WeightMethod[], heldout: number, on: QuantizeOn) => {
    const id = ++runId.current;
    const stale = () => runId.current !== id;
    setRunning(true);
    setError(null);
    setRows([]);
    setLayers(null);
    try {
      const c = typeof source.calibration === 'function'
        ? await source.calibration((done, total) => {
          if (stale()) throw new Error('Stopped.');
          setStatus(`Capturing the Linear layers’ inputs: ${done} of ${total} calibration windows…`);
        })
        : source.calibration;
      if (stale()) return;
      setQuantized({ layers: c.stats.length, model: source.label });
      const [engine, compute, text] = await Promise.all([
        import('@/lib/model/methods-engine'),
        getCompute(),
        fetchFile(`${TINY_MODEL_URL}/heldout.txt`).then((r) => r.text()),
      ]);
      const windows = engine.heldoutWindows(c.config, text, heldout, source.windowTokens);
      setStatus(`Scoring FP32 on ${windows.length} held-out windows…`);
      const fp32 = await engine.scoreFp32(compute, c, windows);
      if (stale()) return;
      setRows([{ key: 'fp32', setting: 'FP32', method: '—', perplexity: fp32.perplexity, kl: 0, top1: 1, ms: null, ranOn: null }]);
      for (const setting of settings) {
        for (const method of methods) {
          if (stale()) return;
          const label = `${setting.bits}-bit, group ${setting.groupSize}`;
          const name = WEIGHT_METHOD_LABELS[method];
          let q: Map<string, Float32Array> & { ms?: number };
          let ranOn: string;
          setLayers({ done: 0, total: c.stats.length });
          if (quantizesOnDevice(method, on, compute)) {
            setStatus(`${label}: ${name} quantizing on ${methodPathLabel(compute.backend)}…`);
            const r = await engine.quantizeOnDevice(compute, c, method, setting, (done, total, layer) => {
              setStatus(`${label}: ${name} quantizing on ${methodPathLabel(compute.backend)} — ${done} of ${total} layers (${layer})`);
              setLayers({ done, total });
              return !stale();
            });
            q = Object.assign(r.values, { ms: r.ms });
            ranOn = methodPathLabel(r.layers[0]?.path ?? compute.backend);
          } else {
            worker.current ??= workerQuantize((t, p) => progress.current(t, p));
            progress.current = (t, p) => {
              setStatus(`${label}: ${name} quantizing — ${t}${p.layer ? ` (now ${p.layer})` : ''}`);
              setLayers({ done: p.done, total: p.total });
            };
            setStatus(`${label}: ${name} quantizing in a worker…`);
            q = await worker.current.quantize(c, c.stats, method, setting);
            ranOn = methodPathLabel('cpu-reference');
          }
          if (stale()) return;
          setLayers(null);
          setStatus(`${label}: scoring ${name} on ${windows.length} held-out windows…`);
          const s = await engine.scoreReplaced(compute, c, q, windows, fp32.logits);
          const row: ResultRow = { key: `${setting.bits}/${setting.groupSize}/${method}`, setting: label, method: name, perplexity: s.perplexity, kl: s.klFromFp32, top1: s.top1Agreement, ms: q.ms ?? 0, ranOn };
          setRows((r) => [...r, row]);
        }
      }
      setStatus(`Done: ${settings.length * methods.length} quantized models scored on ${windows.length} held-out windows.`);
    } catch (e) {
      if (!stale()) setError(errorMessage(e));
    } finally {
      if (!stale()) {
        setRunning(false);
        setLayers(null);
      }
    }
  }, []);

  return { rows, status, running, error, layers, quantized, run, stop };
}
