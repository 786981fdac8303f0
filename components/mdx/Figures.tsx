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
