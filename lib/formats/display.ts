/**
 * How the course writes numbers of these formats: format names, exact decimal expansions and
 * hexadecimal codes. Pure helpers shared by the number-format widgets and lessons.
 */
import type { FloatFormat } from './float';
import type { IntFormat } from './int';

export const FLOAT_FORMAT_LABELS: Readonly<Record<FloatFormat, string>> = {
  fp32: 'FP32',
  fp16: 'FP16',
  bf16: 'BF16',
  'fp8-e4m3': 'FP8 E4M3',
  'fp8-e5m2': 'FP8 E5M2',
  'fp4-e2m1': 'FP4 E2M1',
};

export const INT_FORMAT_LABELS: Readonly<Record<IntFormat, string>> = {
  int8: 'INT8',
  uint8: 'UINT8',
  int4: 'INT4',
  uint4: 'UINT4',
};

/**
 * The exact decimal value of a finite double, with no rounding: every binary fraction has a
 * finite decimal expansion (m x 2^-k = m x 5^k / 10^k). 0.1 in float32 -> "0.100000001490116119384765625";
 * 0.10009765625 -> "0.10009765625". Infinities and NaN are written "Infinity", "-Infinity", "NaN";
 * -0 is written "-0".
 */
export function exactDecimal(x: number): string {
  if (Number.isNaN(x)) return 'NaN';
  if (!Number.isFinite(x)) return x > 0 ? 'Infinity' : '-Infinity';
  if (x === 0) return Object.is(x, -0) ? '-0' : '0';
  const negative = x < 0;
  let v = Math.abs(x);
  // Scale to an integer mantissa: v = m x 2^-k with m an integer (k <= 1074 for doubles).
  let k = 0;
  while (!Number.isInteger(v)) {
    v *= 2; // exact: doubling a double never rounds (no overflow below 2^1024 here)
    k++;
  }
  const m = BigInt(v);
  let digits = (m * 5n ** BigInt(k)).toString();
  if (k > 0) {
    digits = digits.padStart(k + 1, '0');
    const intPart = digits.slice(0, digits.length - k);
    const frac = digits.slice(digits.length - k).replace(/0+$/, '');
    digits = frac ? `${intPart}.${frac}` : intPart;
  }
  return (negative ? '-' : '') + digits;
}

/** A short human form: up to `significant` digits, scientific notation for very large or small magnitudes. */
export function shortNumber(x: number, significant = 6): string {
  if (Number.isNaN(x)) return 'NaN';
  if (!Number.isFinite(x)) return x > 0 ? '∞' : '−∞';
  if (x === 0) return Object.is(x, -0) ? '−0' : '0';
  const a = Math.abs(x);
  const s = a >= 1e-4 && a < 1e7 ? String(Number(x.toPrecision(significant))) : x.toExponential(Math.max(0, significant - 1)).replace(/\.?0+e/, 'e').replace('e+', 'e');
  return s.replace(/^-/, '−');
}

/** "0x3DCD": a code in hexadecimal, zero-padded to the format's width in nibbles (at least one). */
export function hexCode(bits: number, width: number): string {
  return '0x' + (bits >>> 0).toString(16).toUpperCase().padStart(Math.max(1, Math.ceil(width / 4)), '0');
}

/** The code's bits, most significant first, as an array of 0/1 of length `width`. */
export function bitArray(bits: number, width: number): (0 | 1)[] {
  const out: (0 | 1)[] = [];
  for (let i = width - 1; i >= 0; i--) out.push(((Math.floor(bits / 2 ** i) % 2) as 0 | 1));
  return out;
}

/** Flips bit `index` (0 = least significant) of a code up to 32 bits wide; the result is unsigned. */
export function flipBit(bits: number, index: number): number {
  return (bits ^ (1 << index)) >>> 0;
}
