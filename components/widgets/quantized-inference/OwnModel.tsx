'use client';

import { useEffect, useRef, useState, type DragEvent } from 'react';
import { WidgetError } from '@/components/widget-kit/WidgetError';
import { importFailure } from '@/lib/io/fetch-file';
import type { Gpt2Checkpoint } from '@/lib/model/gpt2-checkpoint';
import type { TinyLMWeights } from '@/lib/model/load';
import type { CheckpointSummary, MemoryBudget } from '@/lib/model/own-model';

/** An opened checkpoint: its header's figures, no weights read yet. */
interface Opened {
  ckpt: Gpt2Checkpoint;
  label: string;
  summary: CheckpointSummary;
  budget: MemoryBudget;
}

/** A loaded checkpoint: what the comparison runs on instead of the tiny model. */
export interface OwnLoaded {
  label: string;
  weights: TinyLMWeights;
}

/** "CheckpointMemoryError: …": the library's named error as the widget shows it. */
function named(e: unknown): string {
  return e instanceof Error ? `${e.name}: ${e.message}` : String(e);
}

/** The checkpoint code (BPE, safetensors, the GPT-2 mapping) loads when the learner picks files. */
async function ownModelCode() {
  return Promise.all([import('@/lib/model/gpt2-checkpoint'), import('@/lib/model/own-model')]).catch((e: unknown) => {
    throw new Error(importFailure('the checkpoint reader', e));
  });
}

/** Picking, opening, loading (tensor k of n, cancellable) and dropping a GPT-2-family checkpoint. */
export function useOwnModel() {
  const [opened, setOpened] = useState<Opened | null>(null);
  const [loaded, setLoaded] = useState<OwnLoaded | null>(null);
  const [busy, setBusy] = useState<'opening' | 'loading' | null>(null);
  const [progress, setProgress] = useState<{ k: number; n: number } | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [note, setNote] = useState<string | null>(null);
  const abort = useRef<AbortController | null>(null);
  useEffect(() => () => abort.current?.abort(), []);

  const pick = async (files: File[]) => {
    if (files.length === 0 || busy) return;
    setBusy('opening');
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
      const weights = await readOwnWeights(opened.ckpt, { signal: ac.signal, onTensor: (k, n) => setProgress({ k, n }) });
      setLoaded({ label: opened.label, weights });
      setOpened(null);
    } catch (e) {
      if (ac.signal.aborted) setNote('Loading was cancelled; nothing was kept.');
      else setError(named(e));
    } finally {
      if (abort.current === ac) abort.current = null;
      setBusy(null);
      setProgress(null);
    }
  };

  const cancel = () => abort.current?.abort();
  const fail = (e: unknown) => setError(named(e));
  const back = () => { setLoaded(null); setNote(null); };
  return { opened, loaded, busy, progress, error, note, pick, load, cancel, back, fail };
}

type OwnModelState = ReturnType<typeof useOwnModel>;

/**
 * The files of a drop: dropped files as they are, or a dropped folder's files read from its entries
 * (webkitGetAsEntry). The entries are taken before the first await: a drop's items are readable only
 * during the event.
 */
async function droppedFiles(dt: DataTransfer): Promise<File[]> {
  const entries = [...dt.items].map((i) => i.webkitGetAsEntry?.()).filter((e): e is FileSystemEntry => !!e);
  if (!entries.some((e) => e.isDirectory)) return [...dt.files];
  const out: File[] = [];
  const walk = async (e: FileSystemEntry): Promise<void> => {
    if (e.isFile) out.push(await new Promise<File>((res, rej) => (e as FileSystemFileEntry).file(res, rej)));
    else if (e.isDirectory) {
      const reader = (e as FileSystemDirectoryEntry).createReader();
      for (;;) {
        const batch = await new Promise<FileSystemEntry[]>((res, rej) => reader.readEntries(res, rej));
        if (batch.length === 0) break;
        for (const b of batch) await walk(b);
      }
    }
  };
  for (const e of entries) await walk(e);
  return out;
}

/** The "Your own model" control: pick or drop the files, the header's figures, Load with progress, and back to the tiny model. */
export function OwnModelPanel({ own, disabled, text, onText, textError }: { own: OwnModelState; disabled: boolean; text: string; onText: (t: string) => void; textError: string | null }) {
  const [over, setOver] = useState(false);
  const { opened, loaded, busy, progress, error, note, summaryRows } = { ...own, summaryRows: own.opened ? rows(own.opened.summary) : [] };
  const off = disabled || busy !== null;
  const onDrop = (e: DragEvent) => {
    e.preventDefault();
    setOver(false);
    if (!off) void droppedFiles(e.dataTransfer).then(own.pick, (err: unknown) => own.fail(err));
  };
  return (
    <fieldset className="control" data-testid="own-model" data-state={loaded ? 'loaded' : busy ?? (opened ? 'opened' : 'none')} style={{ display: 'block', minWidth: 0 }}>
      <legend>Your own model</legend>
      <div className="nb-dropzone" onDragOver={(e) => { e.preventDefault(); setOver(true); }} onDragLeave={() => setOver(false)} onDrop={onDrop} style={over ? { borderColor: 'var(--accent)' } : undefined} data-testid="own-model-drop">
        <p>A GPT-2-family checkpoint from your disk: its folder, or its three files (config.json, model.safetensors, tokenizer.json), picked or dropped here. It is read on this device: nothing is uploaded or downloaded.</p>
        <div className="controls" style={{ marginTop: '0.4rem' }}>
          <label className="control"><span>Pick a folder</span>
            <input type="file" multiple disabled={off} {...{ webkitdirectory: '' }} onChange={(e) => { const f = [...(e.target.files ?? [])]; e.target.value = ''; void own.pick(f); }} data-testid="own-model-folder" />
          </label>
          <label className="control"><span>or pick the files</span>
            <input type="file" multiple accept=".json,.safetensors" disabled={off} onChange={(e) => { const f = [...(e.target.files ?? [])]; e.target.value = ''; void own.pick(f); }} data-testid="own-model-files" />
          </label>
        </div>
      </div>
      {busy === 'opening' && <p className="widget-caption" role="status">Reading the header…</p>}
      {opened && (
        <>
          <p className="widget-caption"><strong>{opened.label}</strong>, from the header alone:</p>
          <ul className="widget-caption" data-testid="own-model-summary" style={{ margin: '0.2rem 0 0.5rem', paddingLeft: '1.2rem' }}>
            {summaryRows.map(([k, v]) => <li key={k}><strong>{k}:</strong> {v}</li>)}
          </ul>
          <div className="controls">
            {busy === 'loading' ? (
              <button type="button" onClick={own.cancel} data-testid="own-model-cancel">Cancel loading</button>
            ) : (
              <button type="button" className="primary" onClick={() => void own.load()} disabled={off || !opened.summary.fits} data-testid="own-model-load">Load this model</button>
            )}
            {progress && (
              <span role="status" data-testid="own-model-progress">
                Reading tensor {progress.k} of {progress.n} <progress max={progress.n} value={progress.k} aria-label="Tensors read" />
              </span>
            )}
          </div>
        </>
      )}
      {note && <p className="widget-caption" role="status" data-testid="own-model-note">{note}</p>}
      {error && <WidgetError testId="own-model-error">{error}</WidgetError>}
      {loaded && (
        <>
          <p className="widget-caption" data-testid="own-model-loaded">Loaded: <strong>{loaded.label}</strong>. The comparison runs on it.</p>
          <label className="control" style={{ display: 'flex' }}>
            <span>Text to score (perplexity, KL, top-1), at most 20,000 characters; empty: the course’s held-out text</span>
            <textarea rows={4} value={text} onChange={(e) => onText(e.target.value)} disabled={disabled} aria-invalid={textError !== null} data-testid="own-model-text" style={{ width: '100%' }} />
          </label>
          {textError && <WidgetError testId="own-model-text-error">{textError}</WidgetError>}
          <button type="button" onClick={own.back} disabled={disabled} data-testid="own-model-back">Back to the course’s tiny model</button>
        </>
      )}
    </fieldset>
  );
}

function rows(s: CheckpointSummary): [string, string][] {
  return [
    ['Parameters', s.parameters],
    ['File', `${s.fileSize}, ${s.dtypes}`],
    ['Memory needed', `${s.needed}: ${s.breakdown}`],
    ['Budget', s.budget],
    ['Fits', s.fits ? 'yes' : 'no: too large for this budget'],
  ];
}
