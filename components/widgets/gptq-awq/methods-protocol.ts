import type { LinearInputStats } from '@/lib/model/activations';
import type { LayerOutcome, MethodSetting, WeightMethod } from '@/lib/model/weight-methods';

/** The Linear weights to quantize (name.weight → values), their shapes and calibration statistics. */
export interface QuantizeData {
  values: [string, Float32Array][];
  shapes: [string, number[]][];
  stats: LinearInputStats[];
}

/**
 * Page → worker: quantize the Linear weights of calibration `calibration` by one method at one
 * setting. `data` comes with the first request for a calibration (the worker keeps it for the
 * next methods and settings, so a large model's weights and Hessians cross once); later requests
 * for the same calibration leave it out.
 */
export interface QuantizeRequest {
  id: number;
  calibration: number;
  method: WeightMethod;
  setting: MethodSetting;
  data?: QuantizeData;
}

/** Worker → page: the layer being quantized (`done` finished so far), the whole result, or an error. */
export type QuantizeReply =
  | { id: number; type: 'progress'; done: number; total: number; layer: string }
  | { id: number; type: 'done'; values: [string, Float32Array][]; layers: LayerOutcome[]; ms: number }
  | { id: number; type: 'error'; error: string };
