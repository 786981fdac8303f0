/// <reference lib="webworker" />
/**
 * Runs lib/quant's CPU references (round-to-nearest, GPTQ, AWQ) over the tiny model's Linear
 * weights off the page's main thread, one layer at a time with progress (protocol:
 * methods-protocol.ts). No tfjs here: the forward passes stay on the page's GPU backend.
 */
import { errorMessage } from '@/lib/errors';
import { quantizeLinears } from '@/lib/model/weight-methods';
import type { QuantizeReply, QuantizeRequest } from './methods-protocol';

declare const self: DedicatedWorkerGlobalScope;

self.onmessage = (e: MessageEvent<QuantizeRequest>) => {
  const m = e.data;
  const post = (r: QuantizeReply, transfer: Transferable[] = []) => self.postMessage(r, transfer);
  try {
    const values = new Map(m.values);
    const shapes = new Map(m.shapes);
    const out: [string, Float32Array][] = [];
    const layers: QuantizeReply & { type: 'done' } = { id: m.id, type: 'done', values: out, layers: [], ms: 0 };
    m.stats.forEach((s, i) => {
      const r = quantizeLinears(values, shapes, [s], m.method, m.setting);
      const key = `${s.name}.weight`;
      out.push([key, r.values.get(key)!]);
      layers.layers.push(...r.layers);
      layers.ms += r.ms;
      post({ id: m.id, type: 'progress', done: i + 1, total: m.stats.length, layer: s.name });
    });
    post(layers, out.map(([, v]) => v.buffer));
  } catch (err) {
    post({ id: m.id, type: 'error', error: errorMessage(err) });
  }
};
