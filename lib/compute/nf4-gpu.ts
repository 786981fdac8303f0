/**
 * An NF4 + double-quantization weight held on the device at about half a byte per weight, and
 * dequantized to float32 on demand by the WGSL kernel in kernels/nf4.ts (the QLoRA base weight:
 * frozen, 4-bit, expanded only for the matmul that needs it). Without WebGPU the packed bytes stay
 * in main memory and the CPU reference (lib/quant/qlora-weight.ts) dequantizes them.
 */
import type { Tensor, Tensor1D } from '@tensorflow/tfjs-core';
import { dynamicCode8, NF4_CODE } from '../quant/four-bit';
import { bytesToWords, dequantizeNF4Weight, nf4DeviceLayout, type NF4DeviceLayout, type NF4Weight } from '../quant/qlora-weight';
import type { Compute } from './index';
import { NF4_TABLE_DYNAMIC_OFFSET, nf4DequantizeProgram } from './kernels/nf4';

export interface NF4DeviceWeight {
  readonly length: number;
  /** 'webgpu': packed words on the GPU, WGSL dequantization; 'cpu-reference': bytes in main memory. */
  readonly path: 'webgpu' | 'cpu-reference';
  /** The parts' sizes as laid out (lib/quant/qlora-weight `nf4DeviceLayout`). */
  readonly layout: NF4DeviceLayout;
  /** Bytes of the 272-entry float32 lookup table uploaded with the weight. */
  readonly tableBytes: number;
  /** Bytes the backend's own accounting (tf.memory().numBytes) gained when the weight was uploaded; 0 on the CPU path. */
  readonly measuredDeviceBytes: number;
  /** The float32 weights, a new tensor the caller disposes. */
  dequantize(): Tensor1D;
  /** The device tensors in kernels/nf4.ts's input order (codes, absmax codes, absmax2, tables); empty on the CPU path. Not the caller's to dispose. */
  readonly inputs: readonly Tensor[];
  dispose(): void;
}

const TABLES = (() => {
  const t = new Float32Array(NF4_TABLE_DYNAMIC_OFFSET + 256);
  t.set(NF4_CODE, 0);
  t.set(dynamicCode8(true), NF4_TABLE_DYNAMIC_OFFSET);
  return t;
})();

/** Bytes of the lookup tables uploaded with each weight: 16 NF4 values and 256 dynamic-code values, float32 (1,088). */
export const NF4_TABLE_BYTES = TABLES.byteLength;

/** Uploads a quantized weight: codes and absmax codes as int32 words, absmax2 and the tables as float32. */
export function uploadNF4Weight(compute: Compute, w: NF4Weight): NF4DeviceWeight {
  const layout = nf4DeviceLayout(w.length, w.blockSize, w.dqBlockSize);
  const { tf, webgpu } = compute;
  if (!webgpu) {
    let disposed = false;
    return {
      length: w.length, path: 'cpu-reference', layout, tableBytes: 0, measuredDeviceBytes: 0, inputs: [],
      dequantize: () => {
        if (disposed) throw new Error('This NF4 weight was disposed');
        return tf.tensor1d(dequantizeNF4Weight(w), 'float32');
      },
      dispose: () => { disposed = true; },
    };
  }
  const before = tf.memory().numBytes;
  const codes = tf.tensor1d(bytesToWords(w.packed), 'int32');
  const absmaxCodes = tf.tensor1d(bytesToWords(w.absmax.codes), 'int32');
  const absmax2 = tf.tensor1d(w.absmax.absmax2.length > 0 ? w.absmax.absmax2 : new Float32Array(1), 'float32');
  const tables = tf.tensor1d(TABLES, 'float32');
  const measuredDeviceBytes = tf.memory().numBytes - before;
  const parts = [codes, absmaxCodes, absmax2, tables];
  let disposed = false;
  return {
    length: w.length, path: 'webgpu', layout, tableBytes: TABLES.byteLength, measuredDeviceBytes, inputs: parts,
    dequantize: () => {
      if (disposed) throw new Error('This NF4 weight was disposed');
      if (w.length === 0) return tf.tensor1d([], 'float32');
      const info = webgpu.runWebGPUProgram(nf4DequantizeProgram(w.length), parts, 'float32', [
        { type: 'int32', data: [w.length] },
        { type: 'int32', data: [Math.ceil(w.length / 8)] },
        { type: 'int32', data: [w.blockSize] },
        { type: 'int32', data: [w.dqBlockSize] },
        { type: 'float32', data: [w.absmax.offset] },
      ]);
      return tf.engine().makeTensorFromTensorInfo(info) as Tensor1D;
    },
    dispose: () => {
      if (disposed) return;
      disposed = true;
      for (const p of parts) p.dispose();
    },
  };
}
