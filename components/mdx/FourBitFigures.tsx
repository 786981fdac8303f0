import type { CSSProperties } from 'react';
import { bitArray, exactDecimal, hexCode, shortNumber } from '@/lib/formats/display';
import { formatBytes } from '@/lib/memory';
import {
  DEFAULT_BLOCK_SIZE,
  DEFAULT_DQ_BLOCK_SIZE,
  NF4_CODE,
  dequantize4bit,
  fourBitBitsPerParameter,
  quantize4bit,
} from '@/lib/quant/four-bit';
import { ggufBlockInfo, type GGUFType } from '@/lib/quant/gguf';
import { SHOOTOUT_WEIGHTS, formatShootout, type ShootoutFormat } from '@/lib/quant/four-bit-compare';
import { sampleRow } from '@/lib/quant/four-bit-samples';
import { microscalingBitsPerWeight } from '@/lib/quant/microscaling';
import { ScrollRegion } from '@/components/ui/ScrollRegion';

/**
 * Figures about 4-bit block formats quoted in lesson prose ("4-bit: NF4, blocks and double
 * quantization"), computed by lib/quant rather than typed by hand (docs/design.md, rule 7).
 * Formulas: docs/numerics.md "4-bit blockwise (bitsandbytes, QLoRA)" and "GGUF blocks".
 * Server-renderable: no hooks, no client code.
 */

/** Bits of one 4-bit code: what fourBitBitsPerParameter counts before the absmax constants. */
const CODE_BITS = 4;

const num: CSSProperties = { textAlign: 'right', fontVariantNumeric: 'tabular-nums', whiteSpace: 'nowrap' };

/**
 * A bit count to at most `digits` decimals, without trailing zeros: 4.126953125 -> "4.127",
 * 4.5 -> "4.5", 5 -> "5".
 */
function bitsText(bits: number, digits: number): string {
  return shortNumber(Number(bits.toFixed(digits)), 15);
}

function checkNF4Index(index: number): number {
  if (!Number.isInteger(index) || index < 0 || index >= NF4_CODE.length) {
    throw new RangeError(`An NF4 code index is a whole number from 0 to ${NF4_CODE.length - 1}, got ${index}`);
  }
  return index;
}

interface BlockProps {
  /** Values per absmax constant (default 64, bitsandbytes and QLoRA). */
  blockSize?: number;
  /** Count the constants double-quantized (8-bit codes in blocks of `dqBlockSize`); default false. */
  doubleQuant?: boolean;
  /** Constants per second-level float32 absmax (default 256). */
  dqBlockSize?: number;
  /** Decimals to show (trailing zeros dropped); default 3. */
  digits?: number;
}

/**
 * Bits per parameter of bitsandbytes' 4-bit storage, code and constants
 * (lib/quant/four-bit `fourBitBitsPerParameter`): `<FourBitBits blockSize={64} doubleQuant />`
 * renders "4.127", `<FourBitBits blockSize={64} />` renders "4.5".
 */
export function FourBitBits({ blockSize = DEFAULT_BLOCK_SIZE, doubleQuant = false, dqBlockSize = DEFAULT_DQ_BLOCK_SIZE, digits = 3 }: BlockProps) {
  return <span className="figure">{bitsText(fourBitBitsPerParameter(blockSize, doubleQuant, dqBlockSize), digits)}</span>;
}

/**
 * Bits per parameter spent on the absmax constants alone: fourBitBitsPerParameter minus the 4-bit
 * code. `<AbsmaxOverheadBits blockSize={64} />` renders "0.5" (32/64);
 * `<AbsmaxOverheadBits blockSize={64} doubleQuant />` renders "0.127" (8/64 + 32/(64·256)).
 */
export function AbsmaxOverheadBits({ blockSize = DEFAULT_BLOCK_SIZE, doubleQuant = false, dqBlockSize = DEFAULT_DQ_BLOCK_SIZE, digits = 3 }: BlockProps) {
  return <span className="figure">{bitsText(fourBitBitsPerParameter(blockSize, doubleQuant, dqBlockSize) - CODE_BITS, digits)}</span>;
}

/**
 * Bytes the absmax constants of a model of `parameters` weights take (decimal units, lib/memory
 * `formatBytes`): `<AbsmaxBytes parameters={65e9} blockSize={64} />` renders "4.06 GB";
 * with `doubleQuant`, "1.03 GB".
 */
export function AbsmaxBytes({ parameters, blockSize = DEFAULT_BLOCK_SIZE, doubleQuant = false, dqBlockSize = DEFAULT_DQ_BLOCK_SIZE }: Omit<BlockProps, 'digits'> & { parameters: number }) {
  const bits = fourBitBitsPerParameter(blockSize, doubleQuant, dqBlockSize) - CODE_BITS;
  return <span className="figure">{formatBytes((parameters * bits) / 8)}</span>;
}

/**
 * What double quantization saves: bits per parameter (`<DoubleQuantSaving />` renders "0.373" at
 * block 64), or bytes for a model when `parameters` is given (`<DoubleQuantSaving parameters={65e9} />`
 * renders "3.03 GB").
 */
export function DoubleQuantSaving({ parameters, blockSize = DEFAULT_BLOCK_SIZE, dqBlockSize = DEFAULT_DQ_BLOCK_SIZE, digits = 3 }: Omit<BlockProps, 'doubleQuant'> & { parameters?: number }) {
  const saved = fourBitBitsPerParameter(blockSize, false, dqBlockSize) - fourBitBitsPerParameter(blockSize, true, dqBlockSize);
  return <span className="figure">{parameters === undefined ? bitsText(saved, digits) : formatBytes((parameters * saved) / 8)}</span>;
}

/** Bits per weight of a ggml block type (lib/quant/gguf `ggufBlockInfo`): `<GgufBits type="q4_0" />` renders "4.5". */
export function GgufBits({ type }: { type: GGUFType }) {
  return <span className="figure">{shortNumber(ggufBlockInfo(type).bitsPerWeight)}</span>;
}

/** Bytes of one 32-value ggml block: `<GgufBlockBytes type="q4_0" />` renders "18". */
export function GgufBlockBytes({ type }: { type: GGUFType }) {
  return <span className="figure">{ggufBlockInfo(type).blockBytes}</span>;
}

/**
 * Bits per weight of an FP4 microscaling format (lib/quant/microscaling `microscalingBitsPerWeight`):
 * `<MicroscalingBits type="mxfp4" />` renders "4.25", `type="nvfp4"` "4.5". `n` (the tensor's size)
 * spreads NVFP4's per-tensor FP32 scale over the tensor.
 */
export function MicroscalingBits({ type, n, digits = 3 }: { type: 'mxfp4' | 'nvfp4'; n?: number; digits?: number }) {
  return <span className="figure">{bitsText(microscalingBitsPerWeight(type, n), digits)}</span>;
}

/**
 * One entry of the NF4 code (lib/quant/four-bit `NF4_CODE`, float32): `<NF4Level index={12} />`
 * renders "0.4407"; `exact` writes the float32 value's full decimal expansion.
 */
export function NF4Level({ index, digits = 4, exact = false }: { index: number; digits?: number; exact?: boolean }) {
  const v = NF4_CODE[checkNF4Index(index)];
  return <span className="figure">{exact ? exactDecimal(v) : shortNumber(v, digits)}</span>;
}

/** How many NF4 levels are negative, zero or positive: `<NF4LevelCount sign="positive" />` renders "8". */
export function NF4LevelCount({ sign }: { sign: 'negative' | 'zero' | 'positive' }) {
  const count = Array.from(NF4_CODE).filter((v) => (sign === 'negative' ? v < 0 : sign === 'positive' ? v > 0 : v === 0)).length;
  return <span className="figure">{count}</span>;
}

/** The 16 NF4 levels with their index and 4-bit pattern, read from lib/quant/four-bit `NF4_CODE`. */
export function NF4CodeTable({ caption }: { caption?: string }) {
  return (
    <figure className="nf4-code-table" data-testid="nf4-code-table">
      <ScrollRegion label="The 16 NF4 levels">
        <table>
          <thead>
            <tr>
              <th scope="col">Index</th>
              <th scope="col">Bits</th>
              <th scope="col">NF4 value (float32)</th>
            </tr>
          </thead>
          <tbody>
            {Array.from(NF4_CODE, (v, i) => (
              <tr key={i}>
                <td style={num}>{i}</td>
                <td style={num}>
                  <code>{bitArray(i, 4).join('')}</code>
                </td>
                <td style={num}>{shortNumber(v, 8)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </ScrollRegion>
      <figcaption className="widget-caption">
        {caption ?? 'The NF4 code as bitsandbytes ships it, read from the course’s 4-bit quantizer.'}
      </figcaption>
    </figure>
  );
}

/** One block quantized to NF4 by lib/quant/four-bit, with everything a worked example shows. */
function nf4Example(x: readonly number[], blockSize: number) {
  if (x.length === 0) throw new RangeError('An NF4 example needs at least one value');
  const values = Float32Array.from(x);
  const { packed, absmax } = quantize4bit(values, { type: 'nf4', blockSize });
  const xhat = dequantize4bit(packed, absmax, { type: 'nf4', blockSize, length: values.length });
  // The codes are the nibbles of the packed bytes, first element in the high nibble (docs/numerics.md).
  const codes = Array.from(values, (_, i) => ((i & 1) === 0 ? packed[i >> 1] >> 4 : packed[i >> 1] & 15));
  return { values, packed, absmax, xhat, codes };
}

/** A packed byte as its two nibbles, high first: "1100 0101". */
function nibbles(byte: number): string {
  const bits = bitArray(byte, 8).join('');
  return `${bits.slice(0, 4)} ${bits.slice(4)}`;
}

type ExampleFact = 'absmax' | 'codes' | 'bytes' | 'byte' | 'byteBits' | 'byteDecimal';

/**
 * One fact of an NF4 worked example, quantized by lib/quant/four-bit `quantize4bit` (one block when
 * `blockSize` is at least the length): `show="absmax"` -> "1.6", `"codes"` -> "12, 5, 7, 0, 14, 7, 7, 10",
 * `"bytes"` -> "0xC5 0x70 0xE7 0x7A", and for byte `index`: `"byte"` -> "0xC5", `"byteBits"` ->
 * "1100 0101", `"byteDecimal"` -> "197".
 */
export function NF4ExampleFact({ x, show, index = 0, blockSize = DEFAULT_BLOCK_SIZE }: { x: readonly number[]; show: ExampleFact; index?: number; blockSize?: number }) {
  const ex = nf4Example(x, blockSize);
  if ((show === 'byte' || show === 'byteBits' || show === 'byteDecimal') && !(Number.isInteger(index) && index >= 0 && index < ex.packed.length)) {
    throw new RangeError(`byte index must be a whole number from 0 to ${ex.packed.length - 1}, got ${index}`);
  }
  const text =
    show === 'absmax'
      ? Array.from(ex.absmax, (a) => shortNumber(a)).join(', ')
      : show === 'codes'
        ? ex.codes.join(', ')
        : show === 'bytes'
          ? Array.from(ex.packed, (b) => hexCode(b, 8)).join(' ')
          : show === 'byte'
            ? hexCode(ex.packed[index], 8)
            : show === 'byteBits'
              ? nibbles(ex.packed[index])
              : String(ex.packed[index]);
  return <span className="figure">{text}</span>;
}

/**
 * A worked example of NF4 blockwise quantization, every number computed by lib/quant/four-bit:
 * the block's absmax, then per value x/absmax, the nearest NF4 index and its bits, the NF4 value,
 * the dequantized x̂ = code·absmax and the error; then the packed bytes, two codes each.
 * `<NF4WorkedExample x={[0.8, -0.3, 0.05, -1.6, 1.2, 0.0, -0.04, 0.4]} />`.
 */
export function NF4WorkedExample({ x, blockSize = DEFAULT_BLOCK_SIZE, caption }: { x: readonly number[]; blockSize?: number; caption?: string }) {
  const ex = nf4Example(x, blockSize);
  return (
    <figure className="nf4-example" data-testid="nf4-example">
      <p>
        {ex.absmax.length === 1 ? (
          <>
            One block of {ex.values.length} values:{' '}
            <span className="figure" data-testid="nf4-example-absmax">absmax = {shortNumber(ex.absmax[0], 8)}</span>.
          </>
        ) : (
          <>
            {ex.absmax.length} blocks of {blockSize}:{' '}
            <span className="figure" data-testid="nf4-example-absmax">absmax = {Array.from(ex.absmax, (a) => shortNumber(a, 8)).join(', ')}</span>.
          </>
        )}
      </p>
      <ScrollRegion label="Weights, their NF4 codes and what they decode to">
        <table>
          <thead>
            <tr>
              <th scope="col">x</th>
              <th scope="col">x / absmax</th>
              <th scope="col">index</th>
              <th scope="col">bits</th>
              <th scope="col">NF4 value</th>
              <th scope="col">x̂ = value · absmax</th>
              <th scope="col">error x̂ − x</th>
            </tr>
          </thead>
          <tbody>
            {Array.from(ex.values, (v, i) => {
              const a = ex.absmax[Math.floor(i / blockSize)];
              // x × (1/absmax) in float32, as quantize4bit computes it (docs/numerics.md); shown, not used.
              const scaled = v === 0 ? 0 : Math.fround(v * Math.fround(1 / a));
              return (
                <tr key={i}>
                  <td style={num}>{shortNumber(v, 6)}</td>
                  <td style={num}>{shortNumber(scaled, 6)}</td>
                  <td style={num}>{ex.codes[i]}</td>
                  <td style={num}>
                    <code>{bitArray(ex.codes[i], 4).join('')}</code>
                  </td>
                  <td style={num}>{shortNumber(NF4_CODE[ex.codes[i]], 6)}</td>
                  <td style={num}>{shortNumber(ex.xhat[i], 6)}</td>
                  <td style={num}>{shortNumber(ex.xhat[i] - v, 3)}</td>
                </tr>
              );
            })}
          </tbody>
        </table>
      </ScrollRegion>
      <ScrollRegion label="The packed bytes">
        <table>
          <thead>
            <tr>
              <th scope="col">byte</th>
              <th scope="col">high nibble (first)</th>
              <th scope="col">low nibble (second)</th>
              <th scope="col">bits</th>
              <th scope="col">hex</th>
            </tr>
          </thead>
          <tbody>
            {Array.from(ex.packed, (b, j) => (
              <tr key={j}>
                <td style={num}>{j}</td>
                <td style={num}>{b >> 4}</td>
                <td style={num}>{b & 15}</td>
                <td style={num}>
                  <code>{nibbles(b)}</code>
                </td>
                <td style={num} data-testid={`nf4-example-byte-${j}`}>
                  <code>{hexCode(b, 8)}</code>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </ScrollRegion>
      <figcaption className="widget-caption">
        {caption ?? 'Computed live with the course’s 4-bit quantizer.'} x / absmax is computed as bitsandbytes does it, x × (1/absmax) in
        float32; a value exactly halfway between two levels takes the lower index.
      </figcaption>
    </figure>
  );
}

/**
 * A format's bits per weight as the shoot-out widget counts them on its default weights (every
 * stored bit of SHOOTOUT_WEIGHTS seeded normal values, lib/quant/four-bit-compare formatShootout):
 * `<ShootoutBits format="nf4" />` renders "4.1289", the large-tensor 4.127 plus the float32 offset
 * spread over 16,384 weights. `<ShootoutBits weights />` renders the weight count, "16,384".
 */
export function ShootoutBits({ format = 'nf4', digits = 4, weights = false }: { format?: ShootoutFormat; digits?: number; weights?: boolean }) {
  if (weights) return <span className="figure">{SHOOTOUT_WEIGHTS.toLocaleString('en-US')}</span>;
  const row = formatShootout(sampleRow('normal', SHOOTOUT_WEIGHTS, 1)).find((r) => r.format === format);
  if (!row) throw new RangeError(`The shoot-out has no format "${format}"`);
  return <span className="figure">{bitsText(row.bitsPerWeight, digits)}</span>;
}
