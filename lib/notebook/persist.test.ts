import { describe, expect, it } from 'vitest';
import { cellKey, forgetCell, forgetNotebook, loadCell, saveCell, sourceHash, type KeyValueStore } from './persist';

function memoryStore(): KeyValueStore & { map: Map<string, string> } {
  const map = new Map<string, string>();
  return {
    map,
    getItem: (k) => map.get(k) ?? null,
    setItem: (k, v) => void map.set(k, v),
    removeItem: (k) => void map.delete(k),
    get length() { return map.size; },
    key: (i) => [...map.keys()][i] ?? null,
  };
}

describe('notebook persistence', () => {
  it('hashes with FNV-1a 32-bit (published test vectors)', () => {
    expect(sourceHash('')).toBe('811c9dc5');
    expect(sourceHash('a')).toBe('e40c292c');
    expect(sourceHash('foobar')).toBe('bf9cf968');
  });

  it('saves an edit, reads it back, and drops it when it equals the original', () => {
    const s = memoryStore();
    expect(loadCell(s, 'lesson', 'c1', 'x').edited).toBe(false);
    expect(saveCell(s, 'lesson', 'c1', 'y', 'x')).toBeNull();
    expect(s.map.has(cellKey('lesson', 'c1'))).toBe(true);
    expect(loadCell(s, 'lesson', 'c1', 'x')).toEqual({ source: 'y', edited: true, originalChanged: false, error: null });
    saveCell(s, 'lesson', 'c1', 'x', 'x');
    expect(s.map.size).toBe(0);
  });

  it('notices when the original changed since the edit', () => {
    const s = memoryStore();
    saveCell(s, 'lesson', 'c1', 'mine', 'old');
    const r = loadCell(s, 'lesson', 'c1', 'new');
    expect(r.source).toBe('mine');
    expect(r.originalChanged).toBe(true);
  });

  it('ignores a damaged entry and says so', () => {
    const s = memoryStore();
    s.setItem(cellKey('n', 'c'), '{not json');
    const r = loadCell(s, 'n', 'c', 'orig');
    expect(r.source).toBe('orig');
    expect(r.error).toMatch(/damaged/);
  });

  it('reports a full or disabled storage in words instead of throwing', () => {
    const full = memoryStore();
    full.setItem = () => {
      throw Object.assign(new Error('quota'), { name: 'QuotaExceededError' });
    };
    expect(saveCell(full, 'n', 'c', 'a', 'b')).toMatch(/full/);
    const denied = memoryStore();
    denied.getItem = () => {
      throw Object.assign(new Error('denied'), { name: 'SecurityError' });
    };
    expect(loadCell(denied, 'n', 'c', 'orig')).toMatchObject({ source: 'orig', edited: false });
    expect(loadCell(denied, 'n', 'c', 'orig').error).toMatch(/storage/);
    expect(saveCell(null, 'n', 'c', 'a', 'b')).toMatch(/no storage/);
  });

  it('forgets one cell or a whole notebook, leaving other notebooks alone', () => {
    const s = memoryStore();
    saveCell(s, 'a', 'c1', '1', '0');
    saveCell(s, 'a', 'c2', '2', '0');
    saveCell(s, 'ab', 'c1', '3', '0');
    forgetCell(s, 'a', 'c1');
    expect(s.map.has(cellKey('a', 'c1'))).toBe(false);
    forgetNotebook(s, 'a');
    expect([...s.map.keys()]).toEqual([cellKey('ab', 'c1')]);
  });
});
