/**
 * 'int8-channel': signed 8-bit symmetric, one float32 scale per output channel (row), PyTorch's
 * per-channel observer (lib/quant `quantizePerChannel`, axis 0: scale = max(eps, amax / 127.5),
 * zp = 0). Four two's-complement codes per word, element 4k+j in bits 8j..8j+7: ceil(n/4) words
 * plus `rows` float32 scales. x' = scale[row] * q (docs/numerics.md, "Memory").
 */
import { quantizePerChannel, type MatrixShape } from '../per-channel';
import { WEIGHT_TENSOR_CASES } from './selftest-tensors';
import { f32Bytes, int8CodeAt, packCodes, type WeightFormatSpec } from './spec';

export interface Int8ChannelWeight {
  format: 'int8-channel';
  shape: MatrixShape;
  words: Int32Array;
  scale: Float32Array;
}

export const INT8_CHANNEL: WeightFormatSpec<'int8-channel', Int8ChannelWeight> = {
  format: 'int8-channel',
  label: 'INT8, per channel',
  shortLabel: 'INT8',
  codesPerWord: 4,
  bitsPerWeight: 8,
  uncountedInMemory: ['scales'],
  layout: ([rows, cols]) => ({
    buffers: [{ name: 'codes', bytes: f32Bytes(Math.ceil((rows * cols) / 4)) }, { name: 'scales', bytes: f32Bytes(rows) }],
    scalarBytes: 0,
  }),
  bufferBytes: (w) => [w.words.byteLength, w.scale.byteLength],
  quantize: (x, shape) => {
    const r = quantizePerChannel(x, shape, { bits: 8, signed: true, symmetric: true, axis: 0 });
    return { format: 'int8-channel', shape, words: packCodes(r.q, 8), scale: r.scale };
  },
  // The product is float32: the integer factor is exact, so one rounding, as the GPU's f32 multiply.
  dequantize: (w) => {
    const [rows, cols] = w.shape;
    const out = new Float32Array(rows * cols);
    for (let r = 0, i = 0; r < rows; r++) {
      const s = w.scale[r];
      for (const end = i + cols; i < end; i++) out[i] = s * int8CodeAt(w.words, i);
    }
    return out;
  },
  selfTest: WEIGHT_TENSOR_CASES,
};
