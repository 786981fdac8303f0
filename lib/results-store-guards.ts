/**
 * Guards for what lib/results-store reads back (its `isData` argument), in their own small module
 * so that a widget's first load carries them without the store, which loads on demand.
 */

/** True for an array whose every element passes `item` (a guard for `isData`). */
export function isArrayOf<T>(x: unknown, item: (v: unknown) => v is T, maxLength = 10_000): x is T[] {
  return Array.isArray(x) && x.length <= maxLength && x.every(item);
}

/**
 * True for a plain object whose `numbers` fields are numbers, `strings` fields strings and
 * `nullable` fields numbers or null (JSON writes NaN and ±Infinity as null).
 */
export function hasFields(x: unknown, numbers: readonly string[], strings: readonly string[] = [], nullable: readonly string[] = []): x is Record<string, unknown> {
  if (typeof x !== 'object' || x === null || Array.isArray(x)) return false;
  const o = x as Record<string, unknown>;
  return (
    numbers.every((k) => typeof o[k] === 'number') &&
    strings.every((k) => typeof o[k] === 'string') &&
    nullable.every((k) => typeof o[k] === 'number' || o[k] === null)
  );
}
