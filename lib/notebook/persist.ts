/**
 * Saving a learner's edits in the browser (localStorage, or any store with the same three
 * methods), per notebook and cell, under `lowbit:nb:<notebookId>:<cellId>`.
 *
 * A saved lesson cell keeps, beside the edited source, a hash of the lesson's code it started from,
 * so the page can say when the lesson's own code has changed since the learner edited it. The hash
 * is FNV-1a, 32-bit (Fowler–Noll–Vo: h ← (h ⊕ byte) · 16777619 mod 2³², from 2166136261, over the
 * UTF-16 code units) — a change detector, not a security measure.
 *
 * Storage can fail (quota exceeded, disabled by the browser's privacy settings): every function
 * here catches that and says so in words, and the page keeps the edit in memory.
 */
import { errorMessage } from '../errors';

/** The three methods of the Web Storage API this module uses (localStorage in the page, a Map in tests). */
export interface KeyValueStore {
  getItem(key: string): string | null;
  setItem(key: string, value: string): void;
  removeItem(key: string): void;
  readonly length: number;
  key(index: number): string | null;
}

export const STORAGE_PREFIX = 'lowbit:nb:';

/** The storage key of one cell's edit. */
export function cellKey(notebookId: string, cellId: string): string {
  return `${STORAGE_PREFIX}${notebookId}:${cellId}`;
}

/** FNV-1a 32-bit of `text`'s UTF-16 code units, as 8 hex digits. */
export function sourceHash(text: string): string {
  let h = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) {
    h ^= text.charCodeAt(i);
    h = Math.imul(h, 0x01000193) >>> 0;
  }
  return h.toString(16).padStart(8, '0');
}

export interface LoadedCell {
  /** The source to show: the saved edit, or the original. */
  source: string;
  /** True when a saved edit was found. */
  edited: boolean;
  /** True when the edit was made on a different version of the original (the lesson changed since). */
  originalChanged: boolean;
  /** Set when storage could not be read. */
  error: string | null;
}

function describe(e: unknown, what: string): string {
  const name = e instanceof Error ? e.name : '';
  if (name === 'QuotaExceededError') return `Your edit could not be ${what}: the browser's storage for this site is full. It stays on this page until you leave it.`;
  if (name === 'SecurityError') return `Your edit could not be ${what}: this browser does not let the page use storage (private mode or a privacy setting). It stays on this page until you leave it.`;
  return `Your edit could not be ${what} (${errorMessage(e)}). It stays on this page until you leave it.`;
}

/** The saved edit of a cell, if any, checked against the cell's original code. */
export function loadCell(store: KeyValueStore | null, notebookId: string, cellId: string, original: string): LoadedCell {
  if (!store) return { source: original, edited: false, originalChanged: false, error: null };
  let raw: string | null;
  try {
    raw = store.getItem(cellKey(notebookId, cellId));
  } catch (e) {
    return { source: original, edited: false, originalChanged: false, error: describe(e, 'read back') };
  }
  if (raw === null) return { source: original, edited: false, originalChanged: false, error: null };
  try {
    const v = JSON.parse(raw) as unknown;
    if (typeof v === 'object' && v !== null && typeof (v as { source?: unknown }).source === 'string' && typeof (v as { base?: unknown }).base === 'string') {
      const { source, base } = v as { source: string; base: string };
      return { source, edited: true, originalChanged: base !== sourceHash(original), error: null };
    }
  } catch {
    // fall through: a damaged entry is ignored
  }
  return { source: original, edited: false, originalChanged: false, error: 'A saved edit of this cell was damaged and was ignored.' };
}

/**
 * Saves `source` as the cell's edit (removes the entry when it equals the original). Returns null,
 * or a message when storage failed.
 */
export function saveCell(store: KeyValueStore | null, notebookId: string, cellId: string, source: string, original: string): string | null {
  if (!store) return 'Your edit could not be saved: this browser has no storage for the page. It stays on this page until you leave it.';
  try {
    if (source === original) store.removeItem(cellKey(notebookId, cellId));
    else store.setItem(cellKey(notebookId, cellId), JSON.stringify({ source, base: sourceHash(original) }));
    return null;
  } catch (e) {
    return describe(e, 'saved');
  }
}

/** Forgets one cell's edit. Returns null, or a message when storage failed. */
export function forgetCell(store: KeyValueStore | null, notebookId: string, cellId: string): string | null {
  try {
    store?.removeItem(cellKey(notebookId, cellId));
    return null;
  } catch (e) {
    return describe(e, 'removed');
  }
}

/** Forgets every saved edit of a notebook. Returns null, or a message when storage failed. */
export function forgetNotebook(store: KeyValueStore | null, notebookId: string): string | null {
  if (!store) return null;
  try {
    const prefix = `${STORAGE_PREFIX}${notebookId}:`;
    const keys: string[] = [];
    for (let i = 0; i < store.length; i++) {
      const k = store.key(i);
      if (k !== null && k.startsWith(prefix)) keys.push(k);
    }
    for (const k of keys) store.removeItem(k);
    return null;
  } catch (e) {
    return describe(e, 'removed');
  }
}

/** Reads a stored JSON value; null when absent, unreadable or damaged. */
export function loadJson(store: KeyValueStore | null, key: string): unknown {
  try {
    const raw = store?.getItem(key) ?? null;
    return raw === null ? null : (JSON.parse(raw) as unknown);
  } catch {
    return null;
  }
}

/** Stores a JSON value. Returns null, or a message when storage failed. */
export function saveJson(store: KeyValueStore | null, key: string, value: unknown): string | null {
  if (!store) return 'The notebook could not be saved: this browser has no storage for the page. It stays on this page until you leave it.';
  try {
    store.setItem(key, JSON.stringify(value));
    return null;
  } catch (e) {
    return describe(e, 'saved');
  }
}
