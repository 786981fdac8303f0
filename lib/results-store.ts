/**
 * The last result of each heavy widget (the six-format comparison, a QLoRA run, the benchmarks),
 * kept in the browser so that a learner who comes back sees it — "Computed <when> on <adapter>" —
 * without running it again. IndexedDB where the browser has it (database `lowbit-results`, one
 * object store `results` keyed by the widget's key); an in-memory store in Node's tests, in
 * browsers without IndexedDB and wherever opening the database fails (private browsing).
 *
 * Bounded: a record's data is kept as JSON of at most MAX_RESULT_CHARS characters (a larger one is
 * not saved) under a key of at most 80 word characters, so the database holds one record per widget key.
 * Validated: what is read back is checked field by field and by the caller's `isData` guard; a
 * record that fails (another version of the course, a damaged database) reads as none. No function
 * throws: storage is a convenience, never a reason for a widget to fail.
 */

/** The largest record kept, in characters of its data's JSON. */
export const MAX_RESULT_CHARS = 200_000;
const KEY_PATTERN = /^[\w:.-]{1,80}$/;
const MAX_ADAPTER_CHARS = 200;

/** A widget's last result: when (ms since the epoch), on which adapter, and what. */
export interface SavedResult<T> {
  key: string;
  savedAt: number;
  /** The backend and adapter as the learner reads them, e.g. "WebGPU (software) · google swiftshader". */
  adapter: string;
  data: T;
}

/** What is stored: the data as JSON, so that its size is known and nothing but plain data is kept. */
export interface StoredRecord {
  key: string;
  savedAt: number;
  adapter: string;
  json: string;
}

export interface ResultsStore {
  /** The last result under `key` whose data passes `isData`, else null. */
  load<T>(key: string, isData: (x: unknown) => x is T): Promise<SavedResult<T> | null>;
  /** Saves `data` under `key` (replacing the last); false when it cannot be kept (too large, bad key, storage failed). */
  save(key: string, adapter: string, data: unknown, now?: number): Promise<boolean>;
  remove(key: string): Promise<void>;
}

/** The record to store, or null when the key is malformed or the data does not fit MAX_RESULT_CHARS. */
export function toRecord(key: string, adapter: string, data: unknown, now: number): StoredRecord | null {
  if (!KEY_PATTERN.test(key) || !Number.isFinite(now)) return null;
  let json: string | undefined;
  try {
    json = JSON.stringify(data);
  } catch {
    return null;
  }
  if (json === undefined || json.length > MAX_RESULT_CHARS) return null;
  return { key, savedAt: now, adapter: adapter.slice(0, MAX_ADAPTER_CHARS), json };
}

/**
 * Reads back a stored record: null unless it has the key asked for, a finite time, an adapter
 * string, JSON within MAX_RESULT_CHARS that parses, and data that passes `isData`.
 */
export function fromRecord<T>(raw: unknown, key: string, isData: (x: unknown) => x is T): SavedResult<T> | null {
  if (typeof raw !== 'object' || raw === null) return null;
  const r = raw as Partial<Record<keyof StoredRecord, unknown>>;
  if (r.key !== key || typeof r.savedAt !== 'number' || !Number.isFinite(r.savedAt) || typeof r.adapter !== 'string' || r.adapter.length > MAX_ADAPTER_CHARS) return null;
  if (typeof r.json !== 'string' || r.json.length > MAX_RESULT_CHARS) return null;
  let data: unknown;
  try {
    data = JSON.parse(r.json);
  } catch {
    return null;
  }
  return isData(data) ? { key, savedAt: r.savedAt, adapter: r.adapter, data } : null;
}

/** A store held in memory: the tests', and the fallback without IndexedDB. */
export function memoryResultsStore(): ResultsStore {
  const records = new Map<string, StoredRecord>();
  return {
    load: async (key, isData) => fromRecord(records.get(key), key, isData),
    save: async (key, adapter, data, now = Date.now()) => {
      const rec = toRecord(key, adapter, data, now);
      if (rec) records.set(key, rec);
      return rec !== null;
    },
    remove: async (key) => {
      records.delete(key);
    },
  };
}

const DB_NAME = 'lowbit-results';
const STORE = 'results';

function request<T>(r: IDBRequest<T>): Promise<T> {
  return new Promise((resolve, reject) => {
    r.onsuccess = () => resolve(r.result);
    r.onerror = () => reject(r.error ?? new Error('IndexedDB request failed'));
  });
}

function openDb(factory: IDBFactory): Promise<IDBDatabase> {
  const open = factory.open(DB_NAME, 1);
  open.onupgradeneeded = () => {
    if (!open.result.objectStoreNames.contains(STORE)) open.result.createObjectStore(STORE, { keyPath: 'key' });
  };
  return request(open);
}

/** A store in IndexedDB (`factory`, the browser's `indexedDB`), falling back to `fallback` when the database cannot be opened. */
export function indexedDbResultsStore(factory: IDBFactory, fallback: ResultsStore = memoryResultsStore()): ResultsStore {
  let db: Promise<IDBDatabase | null> | null = null;
  const database = () => (db ??= openDb(factory).catch(() => null));
  const withStore = async <T>(mode: IDBTransactionMode, work: (s: IDBObjectStore) => IDBRequest<T>): Promise<T> => {
    const d = await database();
    if (!d) throw new Error('no database');
    return request(work(d.transaction(STORE, mode).objectStore(STORE)));
  };
  return {
    load: async (key, isData) => {
      if (!KEY_PATTERN.test(key)) return null;
      try {
        return fromRecord(await withStore('readonly', (s) => s.get(key)), key, isData);
      } catch {
        return fallback.load(key, isData);
      }
    },
    save: async (key, adapter, data, now = Date.now()) => {
      const rec = toRecord(key, adapter, data, now);
      if (!rec) return false;
      try {
        await withStore('readwrite', (s) => s.put(rec));
        return true;
      } catch {
        return fallback.save(key, adapter, data, now);
      }
    },
    remove: async (key) => {
      try {
        await withStore('readwrite', (s) => s.delete(key));
      } catch {
        await fallback.remove(key);
      }
    },
  };
}

let shared: ResultsStore | null = null;

/** The page's store: IndexedDB when `globalThis.indexedDB` exists, else in memory. One per page. */
export function resultsStore(): ResultsStore {
  shared ??= typeof indexedDB !== 'undefined' ? indexedDbResultsStore(indexedDB) : memoryResultsStore();
  return shared;
}
