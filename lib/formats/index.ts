/**
 * lib/formats — exact number-format codecs (docs/numerics.md "Floats" and the integer ranges of
 * "Affine (integer) quantization"). Framework-free; see float.ts and int.ts for the formulas.
 */
export {
  FLOAT_FORMATS,
  decodeFloat,
  describeFloat,
  encodeFloat,
  floatFormatInfo,
  floatFormatSpec,
  nextUp,
  overflowThreshold,
  roundToFormat,
  roundingInfo,
  tryEncodeFloat,
} from './float';
export type { FloatDescription, FloatFormat, FloatFormatInfo, FloatSpec, OverflowPolicy, RoundingInfo, SpecialValues } from './float';
export { INT_FORMATS, decodeInt, encodeInt, intFormatInfo } from './int';
export type { IntFormat, IntFormatInfo } from './int';
