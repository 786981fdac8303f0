import { encodeFloat, floatFormatInfo, overflowThreshold, type FloatFormat } from '@/lib/formats';
import { hexCode, shortNumber } from '@/lib/formats/display';

/**
 * The bits a float format stores for `value`, in hexadecimal (lib/formats encodeFloat, round to
 * nearest, ties to even): `<StoredBits format="bf16" value={0.1} />` renders "0x3DCD". With `top`,
 * only the top `top` bits of that code, cut off without rounding: `<StoredBits format="fp32"
 * value={0.1} top={16} />` renders "0x3DCC", the truncation BF16 does *not* do.
 */
export function StoredBits({ format, value, top }: { format: FloatFormat; value: number; top?: number }) {
  const width = floatFormatInfo(format).bits;
  const code = encodeFloat(format, value);
  const kept = top === undefined ? code : Math.floor(code / 2 ** (width - top));
  return <span className="figure">{hexCode(kept, top ?? width)}</span>;
}

/**
 * The smallest magnitude that rounds past a format's largest finite value (lib/formats
 * overflowThreshold): `<OverflowThreshold format="fp16" />` renders "65520".
 */
export function OverflowThreshold({ format }: { format: FloatFormat }) {
  return <span className="figure">{shortNumber(overflowThreshold(format))}</span>;
}
