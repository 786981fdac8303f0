/**
 * How the course writes sizes: bytes in decimal or binary units and parameter counts the way model
 * cards say them, three significant figures without trailing zeros. Kept apart from lib/memory's
 * index so a widget that only formats bytes does not load the storage-format table.
 */

/** A byte unit: decimal (kB … TB, 10^3 steps) or binary (KiB … TiB, 2^10 steps). */
export type ByteUnit = 'B' | 'kB' | 'MB' | 'GB' | 'TB' | 'KiB' | 'MiB' | 'GiB' | 'TiB';

const BYTE_UNIT_SIZE: Readonly<Record<ByteUnit, number>> = {
  B: 1, kB: 1e3, MB: 1e6, GB: 1e9, TB: 1e12, KiB: 2 ** 10, MiB: 2 ** 20, GiB: 2 ** 30, TiB: 2 ** 40,
};

/** Bytes in a given unit, three significant figures (trimNumber): (524288, 'MiB') -> "0.5 MiB", (34359738368, 'GB') -> "34.4 GB". */
export function formatBytesIn(bytes: number, unit: ByteUnit): string {
  return `${trimNumber(bytes / BYTE_UNIT_SIZE[unit])} ${unit}`;
}

/** Bytes in binary units, the largest unit that gives at least 1: 524288 -> "512 KiB", 2^35 -> "32 GiB". */
export function formatBinaryBytes(bytes: number): string {
  for (const unit of ['TiB', 'GiB', 'MiB', 'KiB'] as const) {
    if (bytes >= BYTE_UNIT_SIZE[unit]) return formatBytesIn(bytes, unit);
  }
  return formatBytesIn(bytes, 'B');
}

/** "7B", "405B", "1.5B", "350M": a parameter count the way model cards say it. */
export function formatParameterCount(parameters: number): string {
  const units: [number, string][] = [[1e12, 'T'], [1e9, 'B'], [1e6, 'M'], [1e3, 'K']];
  for (const [size, suffix] of units) {
    if (parameters >= size) return `${trimNumber(parameters / size)}${suffix}`;
  }
  return trimNumber(parameters);
}

/**
 * Bytes in decimal units with up to three significant figures and no trailing zeros:
 * 260e9 -> "260 GB", 32.5e9 -> "32.5 GB", 3.6e12 -> "3.6 TB", 5e8 -> "500 MB".
 */
export function formatBytes(bytes: number): string {
  const units: [number, string][] = [[1e12, 'TB'], [1e9, 'GB'], [1e6, 'MB'], [1e3, 'kB']];
  for (const [size, suffix] of units) {
    if (bytes >= size) return `${trimNumber(bytes / size)} ${suffix}`;
  }
  return `${trimNumber(bytes)} B`;
}

/** A number to three significant figures (four when it is >= 1000), without trailing zeros or exponent. */
export function trimNumber(x: number): string {
  if (x === 0) return '0';
  const digits = Math.abs(x) >= 1000 ? 4 : 3;
  const rounded = Number(x.toPrecision(digits));
  return rounded.toLocaleString('en-US', { maximumFractionDigits: 20, useGrouping: false });
}
