'use client';

import { createContext, useCallback, useContext, useEffect, useMemo, useRef, useState, useSyncExternalStore, type ReactNode } from 'react';
import { detectCompute } from '@/lib/compute';
import { TINY_MODEL_URL } from '@/lib/model/tiny-model';
import { DEFAULT_TIME_LIMIT_MS } from '@/lib/notebook/limits';
import type { CellState, KernelWorker, NotebookSession, SessionSnapshot } from '@/lib/notebook/session';
import type { KernelFile } from '@/lib/notebook/protocol';

const EMPTY: SessionSnapshot = { kernel: 'off', backend: null, software: false, notes: [], error: null, cells: {}, running: null, queued: [], timeLimitMs: DEFAULT_TIME_LIMIT_MS };
const IDLE: CellState = { status: 'idle', stale: false, outputs: [], ms: null, defines: [], reads: [], startedAt: null };
const noSubscribe = () => () => undefined;
const getEmpty = () => EMPTY;

interface Entry {
  element: () => HTMLElement | null;
  source: () => string;
}

export interface NotebookApi {
  snapshot: SessionSnapshot;
  /** A cell announces itself (so Run all knows it and its place); returns the unregister function. */
  register(id: string, entry: Entry): () => void;
  run(ids: readonly string[]): void;
  runAll(): void;
  runStale(): void;
  restartAndRunAll(): void;
  /** A fresh kernel, nothing run (a different notebook was opened). */
  restart(): void;
  stop(): void;
  clearCell(id: string): void;
  setTimeLimit(seconds: number): void;
  setFiles(files: KernelFile[]): void;
  /** "cell 3": a cell's place among the page's code cells. */
  label(id: string): string;
}

const Ctx = createContext<NotebookApi | null>(null);

function spawnKernel(): KernelWorker {
  return new Worker(new URL('../../lib/notebook/kernel.worker.ts', import.meta.url), { type: 'module' }) as unknown as KernelWorker;
}

/**
 * One notebook session per page, shared by all its cells: the kernel worker starts on the first
 * Run (nothing runs on page load), on the backend the page's probe chose (?backend= honoured).
 */
export function NotebookProvider({ children }: { children: ReactNode }) {
  const [session, setSession] = useState<NotebookSession | null>(null);
  const entries = useRef(new Map<string, Entry>());
  /** The session once its code has loaded: a Run pressed before that waits for it rather than being lost. */
  const ready = useRef<Promise<NotebookSession | null> | null>(null);
  const files = useRef<KernelFile[]>([]);

  useEffect(() => {
    // The session engine loads after the page (its code is not part of a lesson's first load).
    let s: NotebookSession | null = null;
    let gone = false;
    ready.current = import('@/lib/notebook/session').then(({ NotebookSession: Session }) => {
      if (gone) return null;
      s = new Session({
        spawn: spawnKernel,
        backend: async () => {
          const status = await detectCompute();
          return { backend: status.backend ?? 'cpu', software: status.software };
        },
        modelUrl: new URL(TINY_MODEL_URL, location.href).href,
      });
      if (files.current.length > 0) s.setFiles(files.current);
      setSession(s);
      return s;
    });
    return () => {
      gone = true;
      s?.dispose();
    };
  }, []);

  const snapshot = useSyncExternalStore(session?.subscribe ?? noSubscribe, session?.getSnapshot ?? getEmpty, getEmpty);

  const ordered = useCallback((): string[] => {
    const list = [...entries.current.entries()];
    list.sort(([, a], [, b]) => {
      const ea = a.element(), eb = b.element();
      if (!ea || !eb) return 0;
      return ea.compareDocumentPosition(eb) & Node.DOCUMENT_POSITION_FOLLOWING ? -1 : 1;
    });
    return list.map(([id]) => id);
  }, []);

  const actions = useMemo<Omit<NotebookApi, 'snapshot'>>(() => {
    const labels = () => Object.fromEntries(ordered().map((id, i) => [id, `cell ${i + 1}`]));
    const jobs = (ids: readonly string[]) => {
      const l = labels();
      return ids.filter((id) => entries.current.has(id)).map((id) => ({ cellId: id, source: entries.current.get(id)!.source(), labels: l }));
    };
    return {
      register(id, entry) {
        entries.current.set(id, entry);
        return () => {
          if (entries.current.get(id) === entry) entries.current.delete(id);
        };
      },
      run: (ids) => {
        if (session) session.run(jobs(ids));
        else void ready.current?.then((s) => s?.run(jobs(ids)));
      },
      runAll: () => {
        if (session) session.run(jobs(ordered()));
        else void ready.current?.then((s) => s?.run(jobs(ordered())));
      },
      runStale: () => {
        const cells = session?.getSnapshot().cells ?? {};
        session?.run(jobs(ordered().filter((id) => cells[id]?.stale)));
      },
      restartAndRunAll: () => void session?.restartAndRun(jobs(ordered())),
      restart: () => {
        if (session && session.getSnapshot().kernel !== 'off') void session.restartAndRun([]);
      },
      stop: () => session?.stop(),
      clearCell: (id) => session?.clearCell(id),
      setTimeLimit: (s) => session?.setTimeLimit(s * 1000),
      setFiles: (f) => {
        files.current = f;
        session?.setFiles(f);
      },
      label: (id) => labels()[id] ?? 'cell',
    };
  }, [session, ordered]);
  const api = useMemo<NotebookApi>(() => ({ ...actions, snapshot }), [actions, snapshot]);

  return <Ctx.Provider value={api}>{children}</Ctx.Provider>;
}

export function useNotebook(): NotebookApi {
  const api = useContext(Ctx);
  if (!api) throw new Error('A notebook cell must be inside a <NotebookProvider> (lesson pages and /notebook/ have one).');
  return api;
}

export function useCellState(id: string): CellState {
  return useNotebook().snapshot.cells[id] ?? IDLE;
}
