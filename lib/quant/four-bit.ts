/**
 * 4-bit blockwise quantization with bitsandbytes' semantics (NF4 and FP4, as used by QLoRA), plus
 * QLoRA's double quantization of the per-block absmax constants. Source: docs/numerics.md
 * "4-bit blockwise (bitsandbytes, QLoRA)" (bitsandbytes `functional.py` `get_4bit_type`,
 * `quantize_4bit`, `create_dynamic_map`, `quantize_blockwise`; `csrc/kernels.cu`). Arithmetic that
 * bitsandbytes does in float32 is rounded to float32 here with Math.fround.
 */

const f = Math.fround;

/**
 * NF4 code, index 0..15 (docs/numerics.md): 7 negative values, an exact zero (index 7), 8 positive values,
 * derived from normal quantiles (QLoRA paper eq. 4, bitsandbytes `create_normal_map`), float32.
 */
export const NF4_CODE: Float32Array = new Float32Array([
  -1.0, -0.6961928009986877, -0.5250730514526367, -0.39491748809814453,
  -0.28444138169288635, -0.18477343022823334, -0.09105003625154495, 0.0,
  0.07958029955625534, 0.16093020141124725, 0.24611230194568634, 0.33791524171829224,
  0.44070982933044434, 0.5626170039176941, 0.7229568362236023, 1.0,
]);

/** FP4 magnitudes for the 3 low bits 0b000..0b111 (docs/numerics.md): {0, 0.0625, 8, 12, 4, 6, 2, 3} / 12. */
const FP4_MAGNITUDE = [0, 0.0625, 8, 12, 4, 6, 2, 3].map((v) => f(v / 12));

/**
 * bitsandbytes FP4 code (not OCP E2M1; docs/numerics.md), index = sign bit (8) + 3 magnitude bits:
 * FP4_CODE[m] = {0, 0.0625, 8, 12, 4, 6, 2, 3}[m] / 12 and FP4_CODE[8 + m] = -FP4_CODE[m]
 * (index 8 is -0). Float32.
 */
export const FP4_CODE: Float32Array = new Float32Array(16);
for (let m = 0; m < 8; m++) {
  FP4_CODE[m] = FP4_MAGNITUDE[m];
  FP4_CODE[8 + m] = -FP4_MAGNITUDE[m];
}

export type FourBitType = 'nf4' | 'fp4';

/** Default 4-bit block size (bitsandbytes `quantize_4bit`, QLoRA): 64 values per absmax. */
export const DEFAULT_BLOCK_SIZE = 64;
/** Default block size for double quantization of the absmax constants: 256. */
export const DEFAULT_DQ_BLOCK_SIZE = 256;

/**
 * Nearest-entry lookup in an ascending table: the number of midpoints (c[k] + c[k+1]) / 2 that `s`
 * is strictly above. A value exactly on a midpoint therefore goes to the lower index (the strict
 * `x > threshold` comparisons of bitsandbytes' `dQuantizeNF4`). Values beyond either end clamp.
 */
function makeNearest(sorted: Float32Array): (s: number) => number {
  const mid = new Float64Array(sorted.length - 1);
  for (let k = 0; k < mid.length; k++) mid[k] = (sorted[k] + sorted[k + 1]) / 2; // exact in float64
  return (s: number) => {
    let lo = 0, hi = mid.length; // answer in [0, mid.length]
    while (lo < hi) {
      const m = (lo + hi) >> 1;
      if (s > mid[m]) lo = m + 1; else hi = m;
    }
    return lo;
  };
}

const nearestNF4 = makeNearest(NF4_CODE);
const FP4_SORTED_MAGNITUDES = new Float32Array([...FP4_MAGNITUDE].sort((a, b) => a - b));
const nearestFP4Magnitude = makeNearest(FP4_SORTED_MAGNITUDES);
const FP4_BITS_OF_SORTED = Array.from(FP4_SORTED_MAGNITUDES, (v) => FP4_MAGNITUDE.indexOf(v));

/**
 * Code index of a scaled value s = x / absmax (in [-1, 1]).
 * NF4: nearest entry of NF4_CODE, a midpoint tie goes to the lower index.
 * FP4 (bitsandbytes `dQuantizeFP4`): sign bit 8 if s < 0, then the nearest magnitude of |s|, a
 * midpoint tie going to the smaller magnitude (for positive s this is also the lower-valued entry;
 * the magnitude bits are not monotone in value, so "lower index" is not meaningful there).
 * 0 (and -0) maps to index 7 (NF4) / 0 (FP4).
 */
export function fourBitIndex(s: number, type: FourBitType): number {
  if (type === 'nf4') return nearestNF4(s);
  const sign = s < 0 ? 8 : 0;
  return sign + FP4_BITS_OF_SORTED[nearestFP4Magnitude(Math.abs(s))];
}

function codeOf(type: FourBitType): Float32Array {
  if (type === 'nf4') return NF4_CODE;
  if (type === 'fp4') return FP4_CODE;
  throw new RangeError(`type must be 'nf4' or 'fp4', got ${String(type)}`);
}

function checkBlockSize(blockSize: number): number {
  if (!Number.isInteger(blockSize) || blockSize < 1) throw new RangeError(`blockSize must be a positive whole number, got ${blockSize}`);
  return blockSize;
}

/**
 * Blockwise 4-bit quantization (docs/numerics.md): for each block of `blockSize` values (default 64; the
 * last block may be partial), absmax = max|x| (float32), scaled = x * (1/absmax) with 1/absmax and
 * the product in float32, idx = nearest code entry (see fourBitIndex). Codes are packed two per
 * byte, the first element in the high nibble: packed[j] = idx[2j] << 4 | idx[2j+1]; an odd length
 * pads the last low nibble with 0.
 * An all-zero block has absmax 0: every element gets the code of 0.0 (NF4 index 7, FP4 index 0)
 * instead of 0 * (1/0) = NaN, and dequantizes to 0.
 * NaN or ±Infinity input (which would poison the block's absmax) throws a RangeError naming the index.
 */
export function quantize4bit(x: Float32Array, o: { type: FourBitType; blockSize?: number }): { packed: Uint8Array; absmax: Float32Array } {
  codeOf(o.type);
  const bs = checkBlockSize(o.blockSize ?? DEFAULT_BLOCK_SIZE);
  const n = x.length;
  const nBlocks = Math.ceil(n / bs);
  const absmax = new Float32Array(nBlocks);
  const packed = new Uint8Array(Math.ceil(n / 2));
  for (let b = 0; b < nBlocks; b++) {
    const start = b * bs, end = Math.min(n, start + bs);
    let m = 0;
    for (let i = start; i < end; i++) {
      const v = x[i];
      if (!Number.isFinite(v)) throw new RangeError(`quantize4bit: x[${i}] is ${v}; 4-bit quantization needs finite values`);
      const a = Math.abs(v);
      if (a > m) m = a;
    }
    absmax[b] = m;
    const inv = f(1 / m); // Infinity for an all-zero block; only x = 0 can then occur
    for (let i = start; i < end; i++) {
      const s = x[i] === 0 ? 0 : f(x[i] * inv);
      const idx = fourBitIndex(s, o.type);
      if ((i & 1) === 0) packed[i >> 1] = idx << 4; else packed[i >> 1] |= idx;
    }
  }
  return { packed, absmax };
}

/**
 * Inverse of quantize4bit: x'[i] = code[idx[i]] * absmax[floor(i / blockSize)], in float32, with
 * idx[2j] = packed[j] >> 4 and idx[2j+1] = packed[j] & 15 (docs/numerics.md). `length` drops the padding
 * nibble of an odd length. Throws a RangeError if packed/absmax are too short for `length`.
 */
export function dequantize4bit(packed: Uint8Array, absmax: Float32Array, o: { type: FourBitType; blockSize?: number; length: number }): Float32Array {
  const code = codeOf(o.type);
  const bs = checkBlockSize(o.blockSize ?? DEFAULT_BLOCK_SIZE);
  const n = o.length;
  if (!Number.isInteger(n) || n < 0) throw new RangeError(`length must be a non-negative whole number, got ${n}`);
  if (packed.length < Math.ceil(n / 2)) throw new RangeError(`packed has ${packed.length} bytes, ${Math.ceil(n / 2)} needed for ${n} values`);
  if (absmax.length < Math.ceil(n / bs)) throw new RangeError(`absmax has ${absmax.length} entries, ${Math.ceil(n / bs)} needed for ${n} values in blocks of ${bs}`);
  const out = new Float32Array(n);
  for (let i = 0; i < n; i++) {
    const byte = packed[i >> 1];
    const idx = (i & 1) === 0 ? byte >> 4 : byte & 15;
    out[i] = code[idx] * absmax[Math.floor(i / bs)];
  }
  return out;
}

/**
 * bitsandbytes' "dynamic" 8-bit code, `create_dynamic_map(signed, max_exponent_bits=7, total_bits=8)`:
 * for exponent i = 0..6 (signed: fraction_items = 2^i + 1; unsigned: 2^(i+1) + 1),
 * boundaries = linspace(0.1, 1, fraction_items) (float32), means = (b[k] + b[k+1]) / 2, and the
 * entries 10^(i-6) * means (and their negatives if signed); then 0 and 1.0 are appended and the
 * list is sorted ascending. Signed: 127 negative + 0 + 127 positive + 1.0 = 256 entries, from
 * -0.99296875 to 1.0 (bitsandbytes appends +1.0 only, so there is no -1.0). Unsigned: 254 positive
 * + 0 + 1.0 = 256 entries (bitsandbytes would pad a short list with zeros; with 8 bits none is needed).
 */
export function dynamicCode8(signed = true): Float32Array {
  const maxExponentBits = 7, totalBits = 8;
  const nonSignBits = totalBits - 1; // bitsandbytes: total_bits - (1 if signed else 1)
  const data: number[] = [];
  for (let i = 0; i < maxExponentBits; i++) {
    const fractionItems = signed ? 2 ** (i + nonSignBits - maxExponentBits) + 1 : 2 ** (i + nonSignBits - maxExponentBits + 1) + 1;
    const boundaries = linspaceF32(0.1, 1, fractionItems);
    const scale = f(10 ** (-(maxExponentBits - 1) + i));
    for (let k = 0; k + 1 < boundaries.length; k++) {
      const mean = f(f(boundaries[k] + boundaries[k + 1]) / 2);
      const v = f(scale * mean);
      data.push(v);
      if (signed) data.push(-v);
    }
  }
  // additional_items = 2^(non_sign_bits - max_exponent_bits) - 1 = 0 for these arguments.
  data.push(0, 1.0);
  while (data.length < 2 ** totalBits) data.push(0);
  return new Float32Array(data.sort((a, b) => a - b));
}

/**
 * torch.linspace(start, end, steps) in float32: step = (end - start) / (steps - 1); the first half
 * is start + i * step, the second half end - (steps - 1 - i) * step (ATen's symmetric formula).
 */
function linspaceF32(start: number, end: number, steps: number): Float32Array {
  const out = new Float32Array(steps);
  if (steps === 1) { out[0] = start; return out; }
  const s = f(start), e = f(end);
  const step = f(f(e - s) / (steps - 1));
  const half = Math.floor(steps / 2);
  for (let i = 0; i < steps; i++) out[i] = i < half ? f(s + f(step * i)) : f(e - f(step * (steps - 1 - i)));
  return out;
}

const DYNAMIC_SIGNED = dynamicCode8(true);
const nearestDynamic = makeNearest(DYNAMIC_SIGNED);
/** Index of 0.0 in the signed dynamic code (127). */
const DYNAMIC_ZERO = DYNAMIC_SIGNED.indexOf(0);

export interface DoubleQuantizedAbsmax {
  /** One byte per absmax constant: index into dynamicCode8(true). */
  codes: Uint8Array;
  /** offset = mean(absmax), float32. */
  offset: number;
  /** One float32 absmax per block of centred constants. */
  absmax2: Float32Array;
}

/**
 * QLoRA double quantization (docs/numerics.md; bitsandbytes `quantize_4bit(compress_statistics=True)`):
 * offset = mean(absmax) (summed in float64, rounded to float32), c = absmax - offset (float32), then
 * c is quantized blockwise (default 256 per block, last block partial) with the signed dynamic code:
 * absmax2 = max|c| per block, code = nearest entry of dynamicCode8(true) to c * (1/absmax2)
 * (float32; a midpoint tie goes to the lower index). A block of all-zero c gets absmax2 0 and the
 * code of 0.0. Non-finite absmax throws a RangeError naming the index.
 */
export function doubleQuantizeAbsmax(absmax: Float32Array, blockSize = DEFAULT_DQ_BLOCK_SIZE): DoubleQuantizedAbsmax {
  const bs = checkBlockSize(blockSize);
  const n = absmax.length;
  let sum = 0;
  for (let i = 0; i < n; i++) {
    if (!Number.isFinite(absmax[i])) throw new RangeError(`doubleQuantizeAbsmax: absmax[${i}] is ${absmax[i]}`);
    sum += absmax[i];
  }
  const offset = n === 0 ? 0 : f(sum / n);
  const nBlocks = Math.ceil(n / bs);
  const absmax2 = new Float32Array(nBlocks);
  const codes = new Uint8Array(n);
  for (let b = 0; b < nBlocks; b++) {
    const start = b * bs, end = Math.min(n, start + bs);
    let m = 0;
    for (let i = start; i < end; i++) m = Math.max(m, Math.abs(f(absmax[i] - offset)));
    absmax2[b] = m;
    const inv = f(1 / m);
    for (let i = start; i < end; i++) {
      const c = f(absmax[i] - offset);
      codes[i] = c === 0 ? DYNAMIC_ZERO : nearestDynamic(f(c * inv));
    }
  }
  return { codes, offset, absmax2 };
}

/**
 * Inverse of doubleQuantizeAbsmax: absmax'[i] = dynamic[codes[i]] * absmax2[floor(i / blockSize)] + offset,
 * each operation in float32 (bitsandbytes `dequantize_blockwise(...) + offset`).
 */
export function dequantizeAbsmax(q: DoubleQuantizedAbsmax, blockSize = DEFAULT_DQ_BLOCK_SIZE): Float32Array {
  const bs = checkBlockSize(blockSize);
  const n = q.codes.length;
  if (q.absmax2.length < Math.ceil(n / bs)) throw new RangeError(`absmax2 has ${q.absmax2.length} entries, ${Math.ceil(n / bs)} needed`);
  const out = new Float32Array(n);
  for (let i = 0; i < n; i++) out[i] = f(DYNAMIC_SIGNED[q.codes[i]] * q.absmax2[Math.floor(i / bs)]) + q.offset;
  return out;
}

/**
 * Storage cost per parameter (docs/numerics.md): 4 bits of code plus the absmax overhead, which is
 * 32 / blockSize without double quantization and 8 / blockSize + 32 / (blockSize * dqBlockSize)
 * with it (the single float32 offset per tensor is ignored). NF4 + DQ at 64/256: 4 + 0.125 +
 * 0.001953125 = 4.126953125 ≈ 4.127; without DQ: 4.5.
 */
export function fourBitBitsPerParameter(blockSize = DEFAULT_BLOCK_SIZE, doubleQuant = true, dqBlockSize = DEFAULT_DQ_BLOCK_SIZE): number {
  checkBlockSize(blockSize);
  checkBlockSize(dqBlockSize);
  return 4 + (doubleQuant ? 8 / blockSize + 32 / (blockSize * dqBlockSize) : 32 / blockSize);
}
