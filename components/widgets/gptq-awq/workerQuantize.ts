'use client';

import type { QuantizeFn } from '@/lib/model/calibration-sizes';
import type { QuantizeReply, QuantizeRequest } from './methods-protocol';

const spawn = () => new Worker(new URL('./methods.worker.ts', import.meta.url), { type: 'module' });

/** A worker quantization's result: the replaced weights and the worker's own quantization time, ms. */
type WorkerQuantize = (...args: Parameters<QuantizeFn>) => Promise<Map<string, Float32Array> & { ms: number }>;

/**
 * lib/model/weight-methods quantizeLinears in a Web Worker (the GPTQ lesson's methods.worker.ts):
 * the CPU references run off the main thread, so the page stays responsive. One worker, started on
 * first use; dispose() ends it (a request in flight then never settles: the engine has moved on).
 */
export function workerQuantize(onProgress: (text: string) => void): { quantize: WorkerQuantize; dispose: () => void } {
  let worker: Worker | null = null;
  let id = 0;
  const quantize: WorkerQuantize = (c, stats, method, setting) => {
    worker ??= spawn();
    const w = worker;
    const linear = stats.map((s) => `${s.name}.weight`);
    const req: QuantizeRequest = { id: ++id, method, setting, values: linear.map((k) => [k, c.values.get(k)!]), shapes: linear.map((k) => [k, c.shapes.get(k)!]), stats: [...stats] };
    return new Promise((resolve, reject) => {
      w.onmessage = (e: MessageEvent<QuantizeReply>) => {
        const m = e.data;
        if (m.id !== req.id) return;
        if (m.type === 'progress') onProgress(`${m.done} of ${m.total} layers`);
        else if (m.type === 'error') reject(new Error(m.error));
        else resolve(Object.assign(new Map(m.values), { ms: m.ms }));
      };
      w.onerror = (e) => reject(new Error(e.message || 'The quantization worker failed.'));
      w.postMessage(req);
    });
  };
  return { quantize, dispose: () => { worker?.terminate(); worker = null; } };
}
