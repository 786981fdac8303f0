/**
 * 'nf4-dq': bitsandbytes NF4 with double-quantized constants, blocks of 64 and 256, exactly as
 * lib/quant/qlora-weight.ts stores it (codes two a byte, high nibble first, regrouped into words),
 * plus the tensor's float32 offset, which travels as a kernel uniform (docs/numerics.md,
 * "4-bit blockwise"). The memory figure is QLoRA's 4.127 bits (lib/quant `fourBitBitsPerParameter`).
 */
import { fourBitBitsPerParameter } from '../four-bit';
import type { MatrixShape } from '../per-channel';
import { dequantizeNF4Weight, nf4DeviceLayout, quantizeNF4Weight, type NF4Weight } from '../qlora-weight';
import { WEIGHT_TENSOR_CASES } from './selftest-tensors';
import type { WeightFormatSpec } from './spec';

export interface NF4DQWeight {
  format: 'nf4-dq';
  shape: MatrixShape;
  nf4: NF4Weight;
}

export const NF4_DQ: WeightFormatSpec<'nf4-dq', NF4DQWeight> = {
  format: 'nf4-dq',
  label: 'NF4 + double quant',
  shortLabel: 'NF4 + DQ',
  codesPerWord: 8,
  bitsPerWeight: fourBitBitsPerParameter(64, true, 256),
  uncountedInMemory: [],
  layout: ([rows, cols]) => {
    const l = nf4DeviceLayout(rows * cols);
    return {
      buffers: [{ name: 'codes', bytes: l.codes }, { name: 'absmax codes', bytes: l.absmaxCodes }, { name: 'absmax2', bytes: l.absmax2 }],
      scalarBytes: 4,
    };
  },
  // As uploaded: codes and absmax codes regrouped into whole words, then absmax2.
  bufferBytes: (w) => [4 * Math.ceil(w.nf4.packed.length / 4), 4 * Math.ceil(w.nf4.absmax.codes.length / 4), w.nf4.absmax.absmax2.byteLength],
  quantize: (x, shape) => ({ format: 'nf4-dq', shape, nf4: quantizeNF4Weight(x) }),
  dequantize: (w) => dequantizeNF4Weight(w.nf4),
  selfTest: WEIGHT_TENSOR_CASES,
};
