/// <reference lib="webworker" />
/**
 * Runs lib/quant's CPU references (round-to-nearest, GPTQ, AWQ) over a model's Linear weights off
 * the page's main thread, one layer at a time with progress (protocol: methods-protocol.ts). The
 * weights and statistics of the last calibration are kept here, so each further method or setting
 * is one small message. No tfjs here: the forward passes stay on the page's GPU backend.
 */
import { errorMessage } from '@/lib/errors';
import type { LinearInputStats } from '@/lib/model/activations';
import { quantizeLinears } from '@/lib/model/weight-methods';
import type { QuantizeReply, QuantizeRequest } from './methods-protocol';

declare const self: DedicatedWorkerGlobalScope;

let kept: { calibration: number; values: Map<string, Float32Array>; shapes: Map<string, number[]>; stats: LinearInputStats[] } | null = null;

self.onmessage = (e: MessageEvent<QuantizeRequest>) => {
  const m = e.data;
  const post = (r: QuantizeReply, transfer: Transferable[] = []) => self.postMessage(r, transfer);
  try {
    if (m.data) kept = { calibration: m.calibration, values: new Map(m.data.values), shapes: new Map(m.data.shapes), stats: m.data.stats };
    if (!kept || kept.calibration !== m.calibration) throw new Error('The quantization worker has not been sent this calibration.');
    const { values, shapes, stats } = kept;
    const out: [string, Float32Array][] = [];
    const layers: QuantizeReply & { type: 'done' } = { id: m.id, type: 'done', values: out, layers: [], ms: 0 };
    stats.forEach((s, i) => {
      post({ id: m.id, type: 'progress', done: i, total: stats.length, layer: s.name });
      const r = quantizeLinears(values, shapes, [s], m.method, m.setting);
      const key = `${s.name}.weight`;
      out.push([key, r.values.get(key)!]);
      layers.layers.push(...r.layers);
      layers.ms += r.ms;
    });
    post({ id: m.id, type: 'progress', done: stats.length, total: stats.length, layer: '' });
    post(layers, out.map(([, v]) => v.buffer));
  } catch (err) {
    post({ id: m.id, type: 'error', error: errorMessage(err) });
  }
};
