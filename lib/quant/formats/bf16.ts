/**
 * 'bf16': bfloat16 codes, PyTorch's rounding (bits = (u + 0x7FFF + ((u >> 16) & 1)) >> 16, which
 * `encodeFloat('bf16', ·)` implements), packed as in half.ts.
 */
import { halfLayout, packHalves, unpackHalves, type HalfWeight } from './half';
import { WEIGHT_TENSOR_CASES } from './selftest-tensors';
import type { WeightFormatSpec } from './spec';

export const BF16: WeightFormatSpec<'bf16', HalfWeight<'bf16'>> = {
  format: 'bf16',
  label: 'BF16',
  shortLabel: 'BF16',
  codesPerWord: 2,
  bitsPerWeight: 16,
  uncountedInMemory: [],
  layout: halfLayout,
  bufferBytes: (w) => [w.words.byteLength],
  quantize: (x, shape) => ({ format: 'bf16', shape, words: packHalves(x, 'bf16') }),
  dequantize: unpackHalves,
  selfTest: WEIGHT_TENSOR_CASES,
};
