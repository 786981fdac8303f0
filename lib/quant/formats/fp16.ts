/** 'fp16': IEEE binary16 codes (round to nearest even from float32, lib/formats `encodeFloat`), packed as in half.ts. */
import { halfLayout, packHalves, unpackHalves, type HalfWeight } from './half';
import { WEIGHT_TENSOR_CASES } from './selftest-tensors';
import type { WeightFormatSpec } from './spec';

export const FP16: WeightFormatSpec<'fp16', HalfWeight<'fp16'>> = {
  format: 'fp16',
  label: 'FP16',
  shortLabel: 'FP16',
  codesPerWord: 2,
  bitsPerWeight: 16,
  uncountedInMemory: [],
  layout: halfLayout,
  bufferBytes: (w) => [w.words.byteLength],
  quantize: (x, shape) => ({ format: 'fp16', shape, words: packHalves(x, 'fp16') }),
  dequantize: unpackHalves,
  selfTest: WEIGHT_TENSOR_CASES,
};
