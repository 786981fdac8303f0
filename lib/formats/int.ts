/**
 * Integer codes: int8, uint8, int4, uint4. Ranges as docs/numerics.md "Affine (integer) quantization":
 * signed b bits [-2^(b-1), 2^(b-1) - 1], unsigned [0, 2^b - 1]. Signed codes are stored in
 * two's complement: code = v mod 2^b.
 */

/** The integer formats the course stores quantized weights in. */
export type IntFormat = 'int8' | 'uint8' | 'int4' | 'uint4';

/** Every {@link IntFormat}. */
export const INT_FORMATS: readonly IntFormat[] = ['int8', 'uint8', 'int4', 'uint4'];

/** Width, signedness and range of an integer format; see {@link intFormatInfo}. */
export interface IntFormatInfo {
  bits: number;
  signed: boolean;
  min: number;
  max: number;
}

const INT_SPECS: Record<IntFormat, { bits: number; signed: boolean }> = {
  int8: { bits: 8, signed: true },
  uint8: { bits: 8, signed: false },
  int4: { bits: 4, signed: true },
  uint4: { bits: 4, signed: false },
};

function specOf(f: IntFormat): { bits: number; signed: boolean } {
  const s = Object.prototype.hasOwnProperty.call(INT_SPECS, f) ? INT_SPECS[f] : undefined;
  if (!s) throw new RangeError(`unknown integer format: ${String(f)}`);
  return s;
}

/**
 * Width and range (docs/numerics.md "Ranges"): signed min = -2^(b-1), max = 2^(b-1) - 1;
 * unsigned min = 0, max = 2^b - 1. int8 [-128, 127], uint8 [0, 255], int4 [-8, 7], uint4 [0, 15].
 */
export function intFormatInfo(f: IntFormat): IntFormatInfo {
  const { bits, signed } = specOf(f);
  return signed
    ? { bits, signed, min: -(2 ** (bits - 1)), max: 2 ** (bits - 1) - 1 }
    : { bits, signed, min: 0, max: 2 ** bits - 1 };
}

/**
 * The bit pattern of an integer: code = v for v >= 0, v + 2^b for v < 0 (two's complement), so
 * encodeInt('int8', -1) = 0xFF and encodeInt('int4', -8) = 0b1000. -0 encodes as 0.
 *
 * @throws RangeError for a non-integer (including NaN and +-Infinity) or a value outside [min, max].
 *   Rounding and clamping are the quantizer's job (lib/quant), not the codec's.
 */
export function encodeInt(f: IntFormat, value: number): number {
  const { bits, min, max } = intFormatInfo(f);
  if (!Number.isInteger(value)) throw new RangeError(`${f} stores integers, got ${value}`);
  if (value < min || value > max) throw new RangeError(`${f} holds ${min} to ${max}, got ${value}`);
  return value < 0 ? value + 2 ** bits : value + 0; // + 0 turns -0 into 0
}

/**
 * The integer a bit pattern stands for: unsigned v = code; signed v = code - 2^b when
 * code >= 2^(b-1) (two's complement), else code.
 *
 * @throws RangeError unless bits is an integer in [0, 2^b - 1].
 */
export function decodeInt(f: IntFormat, bits: number): number {
  const { bits: width, signed } = specOf(f);
  const size = 2 ** width;
  if (!Number.isInteger(bits) || bits < 0 || bits >= size) {
    throw new RangeError(`${f} codes are integers from 0 to ${size - 1}, got ${bits}`);
  }
  return signed && bits >= size / 2 ? bits - size : bits;
}
