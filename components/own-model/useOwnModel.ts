'use client';

import { useEffect, useRef, useState } from 'react';
import { importFailure } from '@/lib/io/fetch-file';
import type { Gpt2Checkpoint } from '@/lib/model/gpt2-checkpoint';
import type { CheckpointSummary, MemoryBudget } from '@/lib/model/own-model';
import { setOwnModel, useOwnModelSession, type OwnLoaded } from './session';

export type { OwnLoaded } from './session';

/** An opened checkpoint: its header's figures, no weights read yet. */
export interface Opened {
  ckpt: Gpt2Checkpoint;
  label: string;
  summary: CheckpointSummary;
  budget: MemoryBudget;
}

/** "CheckpointMemoryError: …": the library's named error as the widget shows it. */
export function named(e: unknown): string {
  return e instanceof Error ? `${e.name}: ${e.message}` : String(e);
}

/** The checkpoint code (BPE, safetensors, the GPT-2 mapping) loads when the learner picks files. */
async function ownModelCode() {
  return Promise.all([import('@/lib/model/gpt2-checkpoint'), import('@/lib/model/own-model')]).catch((e: unknown) => {
    throw new Error(importFailure('the checkpoint reader', e));
  });
}

/**
 * Picking, opening, loading (tensor k of n, cancellable) and dropping a GPT-2-family checkpoint for
 * one widget. The loaded model belongs to the tab (session.ts): `available` is it, whichever widget
 * loaded it; `loaded` is it while this widget uses it (`back` returns this widget to the tiny model,
 * `use` takes the tab's model again, `unload` frees it for every widget).
 */
export function useOwnModel() {
  const available = useOwnModelSession();
  const [onTiny, setOnTiny] = useState(false);
  const [opened, setOpened] = useState<Opened | null>(null);
  const [busy, setBusy] = useState<'opening' | 'loading' | null>(null);
  const [progress, setProgress] = useState<{ k: number; n: number } | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [note, setNote] = useState<string | null>(null);
  const abort = useRef<AbortController | null>(null);
  useEffect(() => () => abort.current?.abort(), []);

  const pick = async (files: File[]) => {
    if (files.length === 0 || busy) return;
    setBusy('opening');
    setOpened(null); // a new pick replaces the last one's figures, even when it fails
    setError(null);
    setNote(null);
    try {
      const [{ gpt2FilesFromFolder, openGpt2Checkpoint, checkMemoryBudget }, { memoryBudget, summarizeCheckpoint, ownModelLabel, folderOf }] = await ownModelCode();
      const ckpt = await openGpt2Checkpoint(await gpt2FilesFromFolder(files));
      const budget = memoryBudget((navigator as Navigator & { deviceMemory?: number }).deviceMemory);
      const label = ownModelLabel(folderOf(files.map((f) => f.webkitRelativePath ?? '')), ckpt.config, ckpt.memory.parameters);
      setOpened({ ckpt, label, summary: summarizeCheckpoint(ckpt, budget), budget });
      checkMemoryBudget(ckpt.memory, budget.bytes); // a file that does not fit is named now, before any weight is read
    } catch (e) {
      setError(named(e));
    } finally {
      setBusy(null);
    }
  };

  const load = async () => {
    if (!opened || busy) return;
    const ac = new AbortController();
    abort.current = ac;
    setBusy('loading');
    setError(null);
    setNote(null);
    try {
      const [{ checkMemoryBudget }, { readOwnWeights }] = await ownModelCode();
      checkMemoryBudget(opened.ckpt.memory, opened.budget.bytes);
      // The budget is for one model: the one the tab holds is let go before the new one is read.
      if (available) setOwnModel(null);
      const weights = await readOwnWeights(opened.ckpt, { signal: ac.signal, onTensor: (k, n) => setProgress({ k, n }) });
      setOwnModel({ label: opened.label, weights }); // replaces (and lets go of) any model loaded before
      setOnTiny(false);
      setOpened(null);
    } catch (e) {
      if (ac.signal.aborted) setNote(available ? 'Loading was cancelled; nothing was kept, and the model loaded before was let go when loading began.' : 'Loading was cancelled; nothing was kept.');
      else setError(named(e));
    } finally {
      if (abort.current === ac) abort.current = null;
      setBusy(null);
      setProgress(null);
    }
  };

  const loaded: OwnLoaded | null = onTiny ? null : available;
  return {
    available,
    loaded,
    opened,
    busy,
    progress,
    error,
    note,
    pick,
    load,
    cancel: () => abort.current?.abort(),
    fail: (e: unknown) => setError(named(e)),
    back: () => { setOnTiny(true); setNote(null); },
    use: () => { setOnTiny(false); setNote(null); },
    unload: () => { setOwnModel(null); setOnTiny(false); setNote('Your model was unloaded from this tab.'); },
  };
}

export type OwnModelState = ReturnType<typeof useOwnModel>;
