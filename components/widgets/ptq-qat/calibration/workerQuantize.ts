'use client';

import type { QuantizeFn } from '@/lib/model/calibration-sizes';
import type { QuantizeReply, QuantizeRequest } from '../../gptq-awq/methods-protocol';

const spawn = () => new Worker(new URL('../../gptq-awq/methods.worker.ts', import.meta.url), { type: 'module' });

/**
 * lib/model/weight-methods quantizeLinears in a Web Worker (the GPTQ lesson's methods.worker.ts):
 * the CPU references run off the main thread, so the page stays responsive. One worker, started on
 * first use; dispose() ends it (a request in flight then never settles: the engine has moved on).
 */
export function workerQuantize(onProgress: (text: string) => void): { quantize: QuantizeFn; dispose: () => void } {
  let worker: Worker | null = null;
  let id = 0;
  const quantize: QuantizeFn = (c, stats, method, setting) => {
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
        else resolve(new Map(m.values));
      };
      w.onerror = (e) => reject(new Error(e.message || 'The quantization worker failed.'));
      w.postMessage(req);
    });
  };
  return { quantize, dispose: () => { worker?.terminate(); worker = null; } };
}
