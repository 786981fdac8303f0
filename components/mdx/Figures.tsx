import { floatFormatInfo, roundToFormat, type FloatFormat } from '@/lib/formats';
import { exactDecimal, shortNumber } from '@/lib/formats/display';
import { positiveFiniteValues } from '@/lib/formats/number-line';
import { bitsPerParameter, formatBytes, weightBytes, type WeightFormat } from '@/lib/memory';

/**
 * Figures quoted in lesson prose, computed by lib/memory rather than typed by hand
 * (DESIGN.md, "Lesson anatomy"): `<WeightBytes parameters={65e9} format="fp32" />` renders "260 GB".
 */
export function WeightBytes({ parameters, format }: { parameters: number; format: WeightFormat }) {
  return <span className="figure">{formatBytes(weightBytes(parameters, format))}</span>;
}

/** Bits per weight of a format, to `digits` decimals: `<BitsPerWeight format="nf4-dq" />` renders "4.127". */
export function BitsPerWeight({ format, digits = 3 }: { format: WeightFormat; digits?: number }) {
  const bits = bitsPerParameter(format);
  return <span className="figure">{Number.isInteger(bits) ? String(bits) : bits.toFixed(digits)}</span>;
}

type FormatFactName = 'maxFinite' | 'minNormal' | 'minSubnormal' | 'epsilon' | 'bits' | 'exponentBits' | 'mantissaBits' | 'bias';

/**
 * A fact of a float format from lib/formats' floatFormatInfo, written for prose:
 * `<FormatFact format="fp16" fact="maxFinite" />` renders "65504"; `exact` writes the full decimal
 * expansion instead of six significant digits.
 */
export function FormatFact({ format, fact, exact = false }: { format: FloatFormat; fact: FormatFactName; exact?: boolean }) {
  const v = floatFormatInfo(format)[fact];
  return <span className="figure">{exact ? exactDecimal(v) : shortNumber(v)}</span>;
}

/** The value a float format stores for `value`: `<StoredAs format="bf16" value={0.1} />` renders "0.10009765625". */
export function StoredAs({ format, value }: { format: FloatFormat; value: number }) {
  return <span className="figure">{exactDecimal(roundToFormat(format, value))}</span>;
}

/**
 * Every non-negative value of a small float format, written as a list: `<FormatValues
 * format="fp4-e2m1" />` renders "0, 0.5, 1, 1.5, 2, 3, 4 and 6" (lib/formats positiveFiniteValues).
 */
export function FormatValues({ format }: { format: FloatFormat }) {
  const values = [0, ...positiveFiniteValues(format)].map((v) => shortNumber(v));
  return <span className="figure">{values.length > 1 ? `${values.slice(0, -1).join(', ')} and ${values[values.length - 1]}` : values[0]}</span>;
}
