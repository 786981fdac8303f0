/** 'fp32': the float32 values themselves, 4 bytes per weight (docs/numerics.md, "Memory"). */
import type { MatrixShape } from '../per-channel';
import { WEIGHT_TENSOR_CASES } from './selftest-tensors';
import { f32Bytes, type WeightFormatSpec } from './spec';

export interface Fp32Weight {
  format: 'fp32';
  shape: MatrixShape;
  values: Float32Array;
}

export const FP32: WeightFormatSpec<'fp32', Fp32Weight> = {
  format: 'fp32',
  label: 'FP32',
  shortLabel: 'FP32',
  codesPerWord: 1,
  bitsPerWeight: 32,
  uncountedInMemory: [],
  layout: ([rows, cols]) => ({ buffers: [{ name: 'values', bytes: f32Bytes(rows * cols) }], scalarBytes: 0 }),
  bufferBytes: (w) => [w.values.byteLength],
  quantize: (x, shape) => ({ format: 'fp32', shape, values: Float32Array.from(x) }),
  dequantize: (w) => Float32Array.from(w.values),
  selfTest: WEIGHT_TENSOR_CASES,
};
