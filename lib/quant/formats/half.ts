/**
 * What 'fp16' and 'bf16' share: 16-bit codes, two per word, element 2k in bits 0-15 and 2k+1 in
 * bits 16-31, so ceil(n/2) words (docs/numerics.md, "Floats" and "Memory").
 */
import { decodeFloat, encodeFloat } from '../../formats/float';
import type { MatrixShape } from '../per-channel';
import { f32Bytes, halfCodeAt, type FormatLayout } from './spec';

export interface HalfWeight<F extends 'fp16' | 'bf16'> {
  format: F;
  shape: MatrixShape;
  words: Int32Array;
}

const HALF_INF = { fp16: 0x7c00, bf16: 0x7f80 } as const;
const HALF_MAX = { fp16: 65504, bf16: 3.3895313892515355e38 } as const;

/** Codes of lib/formats `encodeFloat(format, ·)`, packed two per word; refuses a value that would round to infinity. */
export function packHalves(x: Float32Array, format: 'fp16' | 'bf16'): Int32Array {
  const words = new Int32Array(Math.ceil(x.length / 2));
  for (let i = 0; i < x.length; i++) {
    const code = encodeFloat(format, x[i]);
    if ((code & 0x7fff) === HALF_INF[format]) {
      throw new RangeError(`value ${i} of the weight, ${x[i]}, is beyond ${format}'s largest finite value ${HALF_MAX[format]} and would become infinity`);
    }
    words[i >> 1] |= code << (16 * (i & 1));
  }
  return words;
}

/** lib/formats decodeFloat of each packed code. */
export function unpackHalves(w: HalfWeight<'fp16' | 'bf16'>): Float32Array {
  const out = new Float32Array(w.shape[0] * w.shape[1]);
  for (let i = 0; i < out.length; i++) out[i] = decodeFloat(w.format, halfCodeAt(w.words, i));
  return out;
}

export const halfLayout = ([rows, cols]: MatrixShape): FormatLayout => ({ buffers: [{ name: 'codes', bytes: f32Bytes(Math.ceil((rows * cols) / 2)) }], scalarBytes: 0 });
