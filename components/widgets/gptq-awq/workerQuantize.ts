'use client';

import type { ModelCalibration } from '@/lib/model/activations';
import type { QuantizeFn } from '@/lib/model/calibration-sizes';
import type { QuantizeData, QuantizeReply, QuantizeRequest } from './methods-protocol';

const spawn = () => new Worker(new URL('./methods.worker.ts', import.meta.url), { type: 'module' });

/** A worker quantization's result: the replaced weights and the worker's own quantization time, ms. */
type WorkerQuantize = (...args: Parameters<QuantizeFn>) => Promise<Map<string, Float32Array> & { ms: number }>;

/** Progress: "k of n layers", and the figures — `done` layers finished of `total`, `layer` the one being quantized ('' when all are done). */
export type LayerProgress = (text: string, p: { done: number; total: number; layer: string }) => void;

/**
 * The Linear weights and statistics a request needs, copied once (slice) and the copies
 * transferred, not cloned: the page keeps its own (a loaded model's weights belong to the tab).
 * Only the layers in `stats` go: for a loaded checkpoint, the chosen blocks', not its 500 MB.
 */
function requestData(c: ModelCalibration, stats: QuantizeData['stats']): { data: QuantizeData; transfer: Transferable[] } {
  const linear = stats.map((s) => `${s.name}.weight`);
  const values: [string, Float32Array][] = linear.map((k) => [k, c.values.get(k)!.slice()]);
  const copies = stats.map((s) => ({ ...s, absMax: s.absMax.slice(), absMean: s.absMean.slice(), sample: s.sample.slice(), hessian: s.hessian?.slice() ?? null }));
  const transfer: Transferable[] = [...values.map(([, v]) => v.buffer), ...copies.flatMap((s) => [s.absMax.buffer, s.absMean.buffer, s.sample.buffer, ...(s.hessian ? [s.hessian.buffer] : [])])];
  return { data: { values, shapes: linear.map((k) => [k, c.shapes.get(k)!]), stats: copies }, transfer };
}

/**
 * lib/model/weight-methods quantizeLinears in a Web Worker (the GPTQ lesson's methods.worker.ts):
 * the CPU references run off the main thread, so the page stays responsive. One worker, started on
 * first use; a calibration's weights and statistics are sent with its first request and kept by the
 * worker for the next. dispose() ends it (a request in flight then never settles: the engine has
 * moved on).
 */
export function workerQuantize(onProgress: LayerProgress): { quantize: WorkerQuantize; dispose: () => void } {
  let worker: Worker | null = null;
  let id = 0;
  let sent: { c: ModelCalibration; stats: readonly unknown[]; n: number } | null = null;
  const quantize: WorkerQuantize = (c, stats, method, setting) => {
    worker ??= spawn();
    const w = worker;
    const fresh = sent?.c !== c || sent.stats !== stats;
    if (fresh) sent = { c, stats, n: (sent?.n ?? 0) + 1 };
    const { data, transfer } = fresh ? requestData(c, [...stats]) : { data: undefined, transfer: [] };
    const req: QuantizeRequest = { id: ++id, calibration: sent!.n, method, setting, data };
    return new Promise((resolve, reject) => {
      w.onmessage = (e: MessageEvent<QuantizeReply>) => {
        const m = e.data;
        if (m.id !== req.id) return;
        if (m.type === 'progress') onProgress(`${m.done} of ${m.total} layers`, m);
        else if (m.type === 'error') reject(new Error(m.error));
        else resolve(Object.assign(new Map(m.values), { ms: m.ms }));
      };
      w.onerror = (e) => reject(new Error(e.message || 'The quantization worker failed.'));
      w.postMessage(req, transfer);
    });
  };
  return { quantize, dispose: () => { worker?.terminate(); worker = null; sent = null; } };
}
