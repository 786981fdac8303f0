'use client';

import { useState, type DragEvent, type ReactNode } from 'react';
import { WidgetError } from '@/components/widget-kit/WidgetError';
import type { CheckpointSummary } from '@/lib/model/own-model';
import type { OwnModelState } from './useOwnModel';

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

/**
 * The "Your own model" control every widget that can run on a checkpoint shows: pick or drop the
 * files, the header's figures, Load with progress and Cancel; once loaded (in this widget or another
 * of the tab), use it here or go back to the tiny model, or unload it. `usedFor` says what runs on it
 * ("The comparison runs on it."); `children` are this widget's own settings for it (shown while it is used).
 */
export function OwnModelPicker({ own, disabled, usedFor, children }: { own: OwnModelState; disabled: boolean; usedFor: string; children?: ReactNode }) {
  const [over, setOver] = useState(false);
  const { opened, loaded, available, busy, progress, error, note } = own;
  const summaryRows = opened ? rows(opened.summary) : [];
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
          <p className="widget-caption" data-testid="own-model-loaded">Loaded: <strong>{loaded.label}</strong>. {usedFor}</p>
          {children}
          <div className="controls">
            <button type="button" onClick={own.back} disabled={disabled} data-testid="own-model-back">Back to the course’s tiny model</button>
            <button type="button" onClick={own.unload} disabled={disabled} data-testid="own-model-unload">Unload it from this tab</button>
          </div>
        </>
      )}
      {!loaded && available && (
        <div className="controls" data-testid="own-model-available">
          <p className="widget-caption" style={{ margin: 0 }}>Loaded in this tab: <strong>{available.label}</strong>.</p>
          <button type="button" className="primary" onClick={own.use} disabled={disabled} data-testid="own-model-use">Use it here</button>
          <button type="button" onClick={own.unload} disabled={disabled} data-testid="own-model-unload">Unload it</button>
        </div>
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
