/**
 * One ggml block taken apart: which bytes hold the fp16 scale (and Q4_1's min), which byte and
 * nibble holds each of the 32 codes, and what each decodes to. Layouts: docs/numerics.md
 * "GGUF blocks" (ggml-common.h `block_q8_0`, `block_q4_0`, `block_q4_1`; little-endian fp16).
 * Used by the GGUF block inspector; the arithmetic is lib/quant/gguf's.
 */
import { decodeFloat } from '../formats';
import { parseNumberInput } from '../formats/parse';
import { INPUT_LIMITS, inputTooLong, quoteInput } from '../text/input';
import { GGUF_BLOCK_VALUES, dequantizeGGUF, ggufBlockInfo, quantizeGGUF, type GGUFType } from './gguf';

export interface GGUFHeaderField {
  /** 'd' (the scale) or 'm' (Q4_1's minimum). */
  name: 'd' | 'm';
  /** Byte offset of the little-endian fp16 in the block. */
  offset: number;
  /** The fp16 bits, (bytes[offset + 1] << 8) | bytes[offset]. */
  bits: number;
  value: number;
}

export interface GGUFElement {
  index: number;
  /** The stored code: int8 for Q8_0, 0..15 for Q4_0 and Q4_1. */
  code: number;
  /** Offset of the byte that holds the code. */
  byte: number;
  /** For 4-bit types: qs[j] holds element j in its low nibble and element j + 16 in its high nibble. */
  nibble: 'low' | 'high' | null;
  /** The decoded value: q·d (Q8_0), (q − 8)·d (Q4_0), q·d + m (Q4_1). */
  value: number;
}

export interface GGUFBlockView {
  type: GGUFType;
  bytes: Uint8Array;
  header: GGUFHeaderField[];
  /** Offset of qs[0]. */
  codesOffset: number;
  elements: GGUFElement[];
}

/** Quantizes 32 values into one block of `type` and takes it apart (see GGUFBlockView). */
export function inspectGGUFBlock(type: GGUFType, x: Float32Array): GGUFBlockView {
  if (x.length !== GGUF_BLOCK_VALUES) throw new RangeError(`A GGUF block holds ${GGUF_BLOCK_VALUES} values, got ${x.length}`);
  const bytes = quantizeGGUF(type, x);
  const decoded = dequantizeGGUF(type, bytes, GGUF_BLOCK_VALUES);
  const fp16 = (offset: number) => bytes[offset] | (bytes[offset + 1] << 8);
  const header: GGUFHeaderField[] = [{ name: 'd', offset: 0, bits: fp16(0), value: decodeFloat('fp16', fp16(0)) }];
  if (type === 'q4_1') header.push({ name: 'm', offset: 2, bits: fp16(2), value: decodeFloat('fp16', fp16(2)) });
  const codesOffset = 2 * header.length;
  const elements: GGUFElement[] = [];
  for (let i = 0; i < GGUF_BLOCK_VALUES; i++) {
    if (type === 'q8_0') {
      const byte = codesOffset + i;
      elements.push({ index: i, code: (bytes[byte] << 24) >> 24, byte, nibble: null, value: decoded[i] });
    } else {
      const high = i >= GGUF_BLOCK_VALUES / 2;
      const byte = codesOffset + (high ? i - GGUF_BLOCK_VALUES / 2 : i);
      elements.push({ index: i, code: high ? bytes[byte] >> 4 : bytes[byte] & 0x0f, byte, nibble: high ? 'high' : 'low', value: decoded[i] });
    }
  }
  return { type, bytes, header, codesOffset, elements };
}

/** Human names of the block types with their layout, from ggufBlockInfo. */
export function ggufTypeLabel(type: GGUFType): string {
  const info = ggufBlockInfo(type);
  const name = type.toUpperCase();
  return `${name} (${info.blockBytes} bytes, ${info.bitsPerWeight} bits/weight)`;
}

export type ParsedBlock = { ok: true; values: Float32Array } | { ok: false; error: string };

/**
 * Parses a pasted block: numbers separated by commas, spaces, semicolons or new lines (brackets
 * ignored). Exactly 32 finite numbers are needed; anything else is an error naming the problem.
 */
export function parseBlockValues(text: string): ParsedBlock {
  const long = inputTooLong(text, INPUT_LIMITS.numberList, 'a block of 32 numbers');
  if (long) return { ok: false, error: long };
  const tokens = text.replace(/[[\]()]/g, ' ').split(/[\s,;]+/).filter((t) => t.length > 0);
  if (tokens.length === 0) return { ok: false, error: 'Paste 32 numbers separated by commas or spaces.' };
  const values: number[] = [];
  for (let k = 0; k < tokens.length; k++) {
    const p = parseNumberInput(tokens[k]);
    if (!p.ok) return { ok: false, error: `Value ${k + 1}: ${p.error}` };
    if (!Number.isFinite(p.value)) return { ok: false, error: `Value ${k + 1} is ${p.value}; a GGUF block needs finite numbers.` };
    if (!Number.isFinite(Math.fround(p.value))) return { ok: false, error: `Value ${k + 1} (${quoteInput(tokens[k])}) is too large for float32, the type ggml quantizes from.` };
    values.push(p.value);
  }
  if (values.length !== GGUF_BLOCK_VALUES) {
    return { ok: false, error: `A block holds exactly ${GGUF_BLOCK_VALUES} values; you pasted ${values.length}.` };
  }
  return { ok: true, values: Float32Array.from(values) };
}
