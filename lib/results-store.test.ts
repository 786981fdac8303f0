import { describe, expect, it } from 'vitest';
import { fromRecord, MAX_RESULT_CHARS, memoryResultsStore, toRecord } from './results-store';
import { hasFields, isArrayOf } from './results-store-guards';

type Row = { format: string; ppl: number };
const isRow = (x: unknown): x is Row => hasFields(x, ['ppl'], ['format']);
const isRows = (x: unknown): x is Row[] => isArrayOf(x, isRow);

describe('results store (in memory)', () => {
  it('keeps the last result per key with when and on which adapter', async () => {
    const store = memoryResultsStore();
    expect(await store.load('inference', isRows)).toBeNull();
    expect(await store.save('inference', 'WebGPU (software)', [{ format: 'fp32', ppl: 3.5 }], 1000)).toBe(true);
    expect(await store.save('inference', 'WebGL', [{ format: 'nf4', ppl: 3.9 }], 2000)).toBe(true);
    expect(await store.load('inference', isRows)).toEqual({ key: 'inference', savedAt: 2000, adapter: 'WebGL', data: [{ format: 'nf4', ppl: 3.9 }] });
    await store.remove('inference');
    expect(await store.load('inference', isRows)).toBeNull();
  });

  it('reads a record whose data fails the guard as none', async () => {
    const store = memoryResultsStore();
    await store.save('k', 'CPU', { other: true }, 1);
    expect(await store.load('k', isRows)).toBeNull();
  });

  it('refuses data over MAX_RESULT_CHARS, malformed keys and data JSON cannot hold', async () => {
    const store = memoryResultsStore();
    expect(await store.save('big', 'CPU', 'x'.repeat(MAX_RESULT_CHARS))).toBe(false);
    expect(await store.save('has space', 'CPU', 1)).toBe(false);
    expect(await store.save('k'.repeat(81), 'CPU', 1)).toBe(false);
    expect(await store.save('fn', 'CPU', () => 1)).toBe(false);
    const cyclic: Record<string, unknown> = {};
    cyclic.self = cyclic;
    expect(await store.save('cyclic', 'CPU', cyclic)).toBe(false);
  });
});

describe('fromRecord', () => {
  const good = toRecord('k', 'WebGPU', [{ format: 'fp32', ppl: 3 }], 5)!;
  it('round-trips toRecord', () => {
    expect(fromRecord(good, 'k', isRows)?.data).toEqual([{ format: 'fp32', ppl: 3 }]);
  });
  it('rejects another key, a bad time, adapter or JSON, and non-objects', () => {
    expect(fromRecord(good, 'other', isRows)).toBeNull();
    expect(fromRecord({ ...good, savedAt: 'yesterday' }, 'k', isRows)).toBeNull();
    expect(fromRecord({ ...good, savedAt: Number.NaN }, 'k', isRows)).toBeNull();
    expect(fromRecord({ ...good, adapter: 7 }, 'k', isRows)).toBeNull();
    expect(fromRecord({ ...good, json: '{not json' }, 'k', isRows)).toBeNull();
    expect(fromRecord({ ...good, json: 'x'.repeat(MAX_RESULT_CHARS + 1) }, 'k', isRows)).toBeNull();
    expect(fromRecord(null, 'k', isRows)).toBeNull();
    expect(fromRecord('text', 'k', isRows)).toBeNull();
  });
});

describe('guards', () => {
  it('check field types and array length', () => {
    expect(hasFields({ a: 1, b: null, s: 'x' }, ['a'], ['s'], ['b'])).toBe(true);
    expect(hasFields({ a: 1, b: null }, ['a', 'b'])).toBe(false);
    expect(hasFields({ a: 1 }, [], [], ['b'])).toBe(false);
    expect(hasFields({ a: '1' }, ['a'])).toBe(false);
    expect(hasFields([1], [])).toBe(false);
    expect(isArrayOf([1, 2, 3], (v): v is number => typeof v === 'number', 2)).toBe(false);
  });
});
