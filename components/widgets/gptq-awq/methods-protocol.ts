import type { LinearInputStats } from '@/lib/model/activations';
import type { LayerOutcome, MethodSetting, WeightMethod } from '@/lib/model/weight-methods';

/** Page → worker: quantize these Linear weights by one method at one setting. */
export interface QuantizeRequest {
  id: number;
  method: WeightMethod;
  setting: MethodSetting;
  /** The Linear weights only (name.weight → values) and their shapes. */
  values: [string, Float32Array][];
  shapes: [string, number[]][];
  stats: LinearInputStats[];
}

/** Worker → page: a layer done, the whole result, or an error. */
export type QuantizeReply =
  | { id: number; type: 'progress'; done: number; total: number; layer: string }
  | { id: number; type: 'done'; values: [string, Float32Array][]; layers: LayerOutcome[]; ms: number }
  | { id: number; type: 'error'; error: string };
