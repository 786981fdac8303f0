'use client';

import { useCallback, useEffect, useRef, useState, type DragEvent } from 'react';
import { checkNotebook, freshCellId, MAX_CELLS, type CellDoc, type NotebookDoc } from '@/lib/notebook/document';
import type { ExampleNotebook } from '@/lib/notebook/examples';
import { fromIpynb, toIpynb } from '@/lib/notebook/ipynb';
import { forgetNotebook, loadJson, saveJson, STORAGE_PREFIX, type KeyValueStore } from '@/lib/notebook/persist';
import { decodeShareFragment, encodeShareFragment, hasShareFragment } from '@/lib/notebook/share';
import type { KernelFile } from '@/lib/notebook/protocol';
import { CodeCellView } from './CodeCellView';
import { NotebookProvider, useNotebook } from './NotebookProvider';
import { NotebookToolbar } from './NotebookToolbar';
import { errorMessage } from '@/lib/errors';

const NOTEBOOK_ID = 'sandbox';
const DOC_KEY = `${STORAGE_PREFIX}${NOTEBOOK_ID}:doc`;
const PREVIOUS_KEY = `${STORAGE_PREFIX}previous-sandbox`;
/** How many files, and how many bytes in all, the learner may drop on the notebook. */
export const MAX_FILES = 16;
export const MAX_FILES_BYTES = 4 * 2 ** 30;
const FILE_TYPES = /\.(safetensors|npy|gguf)$/i;

interface Saved {
  doc: NotebookDoc;
  /** The example the notebook was opened from: Reset cell / Reset notebook go back to its code. */
  origin: string | null;
}

const EMPTY_DOC: NotebookDoc = { title: 'Sandbox', cells: [{ id: 'c1', kind: 'code', source: '' }] };

function storage(): KeyValueStore | null {
  try {
    return typeof localStorage === 'undefined' ? null : localStorage;
  } catch {
    return null;
  }
}

function readSaved(value: unknown): Saved | null {
  if (typeof value !== 'object' || value === null) return null;
  try {
    const v = value as { doc?: unknown; origin?: unknown };
    return { doc: checkNotebook(v.doc), origin: typeof v.origin === 'string' ? v.origin : null };
  } catch {
    return null;
  }
}

function originDoc(examples: readonly ExampleNotebook[], origin: string | null): NotebookDoc | null {
  return examples.find((e) => e.id === origin)?.doc ?? null;
}

function fileName(title: string): string {
  return `${title.trim().replace(/[^A-Za-z0-9_-]+/g, '-').replace(/^-+|-+$/g, '').toLowerCase() || 'notebook'}.ipynb`;
}

function bytesText(n: number): string {
  if (n < 1024) return `${n} B`;
  if (n < 2 ** 20) return `${(n / 1024).toFixed(1)} KiB`;
  if (n < 2 ** 30) return `${(n / 2 ** 20).toFixed(1)} MiB`;
  return `${(n / 2 ** 30).toFixed(2)} GiB`;
}

function saveBlob(blob: Blob, name: string) {
  const url = URL.createObjectURL(blob);
  const a = document.createElement('a');
  a.href = url;
  a.download = name;
  a.click();
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
}

function MarkdownCell({ cell, onChange }: { cell: CellDoc; onChange: (s: string) => void }) {
  const [editing, setEditing] = useState(cell.source === '');
  return (
    <div className="nb-md" data-testid="markdown-cell">
      {editing ? (
        <textarea value={cell.source} onChange={(e) => onChange(e.target.value)} rows={Math.min(20, Math.max(3, cell.source.split('\n').length + 1))} aria-label="Text of this note (Markdown, shown as plain text)" />
      ) : (
        <div className="nb-md-text">{cell.source || <span className="nb-muted">(empty note)</span>}</div>
      )}
      <button type="button" className="link-button" onClick={() => setEditing(!editing)}>{editing ? 'Done' : 'Edit note'}</button>
    </div>
  );
}

type Message = { kind: 'ok' | 'error'; text: string };

/** The title box and the notebook's file actions: open an example, share, download, import, reset. */
function NotebookBar({ doc, onTitle, examples, onOpenExample, onShare, onDownload, onImport, onReset }: {
  doc: NotebookDoc;
  onTitle: (title: string) => void;
  examples: readonly ExampleNotebook[];
  onOpenExample: (id: string) => void;
  onShare: () => void;
  onDownload: () => void;
  onImport: (f: File) => void;
  onReset: () => void;
}) {
  const [example, setExample] = useState(examples[0]?.id ?? '');
  const importInput = useRef<HTMLInputElement>(null);
  return (
    <div className="nb-files-bar">
      <label className="nb-title">
        <span className="visually-hidden">Notebook title</span>
        <input value={doc.title} maxLength={200} onChange={(e) => onTitle(e.target.value)} data-testid="notebook-title" />
      </label>
      <span className="nb-file-actions">
        <label className="nb-example">
          <span className="visually-hidden">Example notebook</span>
          <select value={example} onChange={(e) => setExample(e.target.value)} data-testid="example-picker">
            {examples.map((e) => <option key={e.id} value={e.id}>{e.title}</option>)}
          </select>
        </label>
        <button type="button" onClick={() => onOpenExample(example)} data-testid="open-example">Open example</button>
        <button type="button" onClick={onShare} data-testid="share-link">Share link</button>
        <button type="button" onClick={onDownload} data-testid="download-ipynb">Download .ipynb</button>
        <button type="button" onClick={() => importInput.current?.click()} data-testid="import-ipynb">Import .ipynb</button>
        <input ref={importInput} type="file" accept=".ipynb,application/x-ipynb+json,application/json" hidden data-testid="import-ipynb-input" onChange={(e) => { const f = e.target.files?.[0]; e.target.value = ''; if (f) onImport(f); }} />
        <button type="button" onClick={onReset} data-testid="reset-notebook">Reset notebook</button>
      </span>
    </div>
  );
}

/** What the last action said, the share link to copy, and a storage failure. */
function NotebookNotices({ message, canRestore, onRestore, shareUrl, storeError }: { message: Message | null; canRestore: boolean; onRestore: () => void; shareUrl: string | null; storeError: string | null }) {
  return (
    <>
      {message ? (
        <p className={message.kind === 'error' ? 'error-message nb-message' : 'nb-message'} role={message.kind === 'error' ? 'alert' : 'status'} data-testid="notebook-message">
          {message.text}{' '}
          {canRestore && message.kind === 'ok' && message.text !== RESTORED ? <button type="button" className="link-button" onClick={onRestore}>Restore my previous notebook</button> : null}
        </p>
      ) : null}
      {shareUrl ? (
        <label className="nb-share">
          Share link <input readOnly value={shareUrl} onFocus={(e) => e.target.select()} data-testid="share-url" />
        </label>
      ) : null}
      {storeError ? <p className="error-message" role="status">{storeError}</p> : null}
    </>
  );
}

/** The learner's files for the cells (`files["name"]`): dropped or picked, listed with their sizes. */
function FileDrop({ files, dragging, onAdd, onRemove }: { files: KernelFile[]; dragging: boolean; onAdd: (list: FileList) => void; onRemove: (name: string) => void }) {
  const fileInput = useRef<HTMLInputElement>(null);
  return (
    <div className={`nb-dropzone${dragging ? ' nb-dragging' : ''}`} data-testid="file-drop">
      <p>
        <strong>Your files:</strong> drop <code>.safetensors</code>, <code>.npy</code> or <code>.gguf</code> files here, or{' '}
        <button type="button" className="link-button" onClick={() => fileInput.current?.click()}>pick files</button>. Cells read them as <code>files[&quot;name&quot;]</code>; they stay on your computer.
      </p>
      <input ref={fileInput} type="file" multiple accept=".safetensors,.npy,.gguf" hidden data-testid="file-input" onChange={(e) => { if (e.target.files) onAdd(e.target.files); e.target.value = ''; }} />
      {files.length > 0 ? (
        <ul className="nb-files" data-testid="file-list">
          {files.map((f) => (
            <li key={f.name}>
              <code>{f.name}</code> <span className="nb-muted">{bytesText(f.blob.size)}</span>{' '}
              <button type="button" className="link-button" onClick={() => onRemove(f.name)} aria-label={`Remove ${f.name}`}>remove</button>
            </li>
          ))}
        </ul>
      ) : null}
    </div>
  );
}

/** The cells in order, each with its tools (reset to the example's code, move, delete), and the add buttons. */
function CellList({ doc, originCells, onSet, onMove, onRemove, onReset, onAdd }: {
  doc: NotebookDoc;
  originCells: NotebookDoc | null;
  onSet: (id: string, source: string) => void;
  onMove: (id: string, by: -1 | 1) => void;
  onRemove: (id: string) => void;
  onReset: (id: string) => void;
  onAdd: (kind: CellDoc['kind']) => void;
}) {
  let codeIndex = 0;
  return (
    <>
      <ol className="nb-cells">
        {doc.cells.map((c, i) => {
          const n = c.kind === 'code' ? ++codeIndex : null;
          const tools = (
            <>
              {originCells?.cells.some((o) => o.id === c.id && o.source !== c.source) ? <button type="button" onClick={() => onReset(c.id)} data-testid="reset-cell">Reset cell</button> : null}
              <button type="button" onClick={() => onMove(c.id, -1)} disabled={i === 0} aria-label={`Move ${n ? `cell ${n}` : 'note'} up`} title="Move up">↑</button>
              <button type="button" onClick={() => onMove(c.id, 1)} disabled={i === doc.cells.length - 1} aria-label={`Move ${n ? `cell ${n}` : 'note'} down`} title="Move down">↓</button>
              <button type="button" onClick={() => onRemove(c.id)} aria-label={`Delete ${n ? `cell ${n}` : 'note'}`} title="Delete">✕</button>
            </>
          );
          return (
            <li key={c.id} className="nb-cell-item">
              {c.kind === 'code' ? (
                <CodeCellView id={c.id} source={c.source} onSourceChange={(s) => onSet(c.id, s)} tools={tools} />
              ) : (
                <div className="nb-cell nb-md-cell">
                  <MarkdownCell cell={c} onChange={(s) => onSet(c.id, s)} />
                  <div className="nb-actions"><span className="nb-tools">{tools}</span></div>
                </div>
              )}
            </li>
          );
        })}
      </ol>
      <p className="nb-add">
        <button type="button" onClick={() => onAdd('code')} aria-label="Add cell">+ Cell</button>
        <button type="button" onClick={() => onAdd('markdown')} aria-label="Add note">+ Note</button>
      </p>
    </>
  );
}

const RESTORED = 'Your previous notebook is back.';

/**
 * The files a drop or a pick adds to `files` (same name: replaced), or why none can be: only
 * .safetensors, .npy and .gguf are read, at most MAX_FILES files and MAX_FILES_BYTES in all.
 */
function withFiles(files: KernelFile[], list: FileList | File[]): { next: KernelFile[]; message: Message | null } | { next: null; message: Message } {
  const incoming = [...list];
  const rejected = incoming.filter((f) => !FILE_TYPES.test(f.name)).map((f) => f.name);
  const byName = new Map(files.map((f) => [f.name, f]));
  for (const f of incoming) if (FILE_TYPES.test(f.name)) byName.set(f.name, { name: f.name, blob: f });
  const next = [...byName.values()];
  const total = next.reduce((a, f) => a + f.blob.size, 0);
  if (next.length > MAX_FILES) return { next: null, message: { kind: 'error', text: `At most ${MAX_FILES} files can be open at once; remove some first.` } };
  if (total > MAX_FILES_BYTES) return { next: null, message: { kind: 'error', text: `These files come to ${bytesText(total)}; the notebook opens at most ${bytesText(MAX_FILES_BYTES)} in all.` } };
  return { next, message: rejected.length ? { kind: 'error', text: `Not added (only .safetensors, .npy and .gguf files are read): ${rejected.join(', ')}.` } : null };
}

/** The learner's files for the kernel: added by a drop or a pick (checked by withFiles), removed one by one. */
function useNotebookFiles(setMessage: (m: Message | null) => void) {
  const nb = useNotebook();
  const [files, setFiles] = useState<KernelFile[]>([]);
  const [dragging, setDragging] = useState(false);
  const addFiles = (list: FileList | File[]) => {
    const { next, message: said } = withFiles(files, list);
    if (next) {
      setFiles(next);
      nb.setFiles(next);
    }
    setMessage(said);
  };
  const removeFile = (name: string) => {
    const next = files.filter((f) => f.name !== name);
    setFiles(next);
    nb.setFiles(next);
  };
  const onDrop = (e: DragEvent) => {
    e.preventDefault();
    setDragging(false);
    if (e.dataTransfer.files.length) addFiles(e.dataTransfer.files);
  };
  return { files, dragging, setDragging, addFiles, removeFile, onDrop };
}

/** Editing the cells of `saved`: each change is persisted; a cell reset goes back to the example's code. */
function useCellEdits(saved: Saved, persist: (next: Saved) => void, examples: readonly ExampleNotebook[], setMessage: (m: Message | null) => void) {
  const nb = useNotebook();
  const { doc, origin } = saved;
  const setCells = (cells: CellDoc[]) => persist({ doc: { ...doc, cells }, origin });
  const setCell = (id: string, source: string) => setCells(doc.cells.map((c) => (c.id === id ? { ...c, source } : c)));
  const addCell = (kind: CellDoc['kind']) => {
    if (doc.cells.length >= MAX_CELLS) {
      setMessage({ kind: 'error', text: `A notebook holds at most ${MAX_CELLS} cells.` });
      return;
    }
    setCells([...doc.cells, { id: freshCellId(doc.cells), kind, source: '' }]);
  };
  const removeCell = (id: string) => {
    const c = doc.cells.find((x) => x.id === id);
    if (c && c.source.trim() !== '' && !window.confirm('Delete this cell and its code?')) return;
    nb.clearCell(id);
    setCells(doc.cells.filter((x) => x.id !== id));
  };
  const moveCell = (id: string, by: -1 | 1) => {
    const i = doc.cells.findIndex((c) => c.id === id);
    const j = i + by;
    if (i < 0 || j < 0 || j >= doc.cells.length) return;
    const cells = [...doc.cells];
    [cells[i], cells[j]] = [cells[j], cells[i]];
    setCells(cells);
  };
  const resetCell = (id: string) => {
    const o = originDoc(examples, origin)?.cells.find((c) => c.id === id);
    if (!o) return;
    setCell(id, o.source);
    nb.clearCell(id);
  };
  return { setCell, addCell, removeCell, moveCell, resetCell };
}

function SandboxNotebook({ examples }: { examples: readonly ExampleNotebook[] }) {
  const nb = useNotebook();
  const [message, setMessage] = useState<Message | null>(null);
  const { files, dragging, setDragging, addFiles, removeFile, onDrop } = useNotebookFiles(setMessage);
  const [saved, setSaved] = useState<Saved>({ doc: EMPTY_DOC, origin: null });
  const [storeError, setStoreError] = useState<string | null>(null);
  const [canRestore, setCanRestore] = useState(false);
  const [shareUrl, setShareUrl] = useState<string | null>(null);
  const loaded = useRef(false);
  const { doc, origin } = saved;
  const savedRef = useRef(saved);
  useEffect(() => {
    savedRef.current = saved;
  }, [saved]);

  const persist = useCallback((next: Saved) => {
    setSaved(next);
    setStoreError(saveJson(storage(), DOC_KEY, next));
  }, []);

  /** Replaces the notebook (example, link, file), keeping the old one to restore; nothing runs. */
  const replace = useCallback((next: Saved, text: string) => {
    setStoreError(saveJson(storage(), PREVIOUS_KEY, savedRef.current) ?? saveJson(storage(), DOC_KEY, next));
    setSaved(next);
    setCanRestore(true);
    setShareUrl(null);
    // A different notebook: a fresh kernel (its names are not this notebook's), and nothing runs.
    nb.restart();
    for (const id of Object.keys(nb.snapshot.cells)) nb.clearCell(id);
    setMessage({ kind: 'ok', text });
  }, [nb]);

  const openLink = useCallback(async (hash: string) => {
    try {
      const d = await decodeShareFragment(hash);
      replace({ doc: d, origin: null }, `Opened a shared notebook, “${d.title || 'untitled'}” (${d.cells.length} cell${d.cells.length === 1 ? '' : 's'}). Nothing has run: read the code, then press Run.`);
      history.replaceState(null, '', location.pathname + location.search);
    } catch (e) {
      setMessage({ kind: 'error', text: `The shared link could not be opened: ${errorMessage(e)} Your notebook is unchanged.` });
    }
  }, [replace]);

  useEffect(() => {
    if (loaded.current) return;
    loaded.current = true;
    const stored = readSaved(loadJson(storage(), DOC_KEY));
    /* eslint-disable react-hooks/set-state-in-effect -- one-time read of the saved notebook after hydration */
    if (stored) {
      savedRef.current = stored;
      setSaved(stored);
    }
    setCanRestore(readSaved(loadJson(storage(), PREVIOUS_KEY)) !== null);
    /* eslint-enable react-hooks/set-state-in-effect */
    if (hasShareFragment(location.hash)) void openLink(location.hash);
    const onHash = () => {
      if (hasShareFragment(location.hash)) void openLink(location.hash);
    };
    window.addEventListener('hashchange', onHash);
    return () => window.removeEventListener('hashchange', onHash);
  }, [openLink]);

  const { setCell, addCell, removeCell, moveCell, resetCell } = useCellEdits(saved, persist, examples, setMessage);
  const resetNotebook = () => {
    const o = originDoc(examples, origin);
    if (!window.confirm(o ? `Put the notebook back to the example “${o.title}”? Your edits are forgotten.` : 'Empty the notebook? Your cells are forgotten.')) return;
    setStoreError(forgetNotebook(storage(), NOTEBOOK_ID));
    nb.restart();
    for (const id of Object.keys(nb.snapshot.cells)) nb.clearCell(id);
    setSaved({ doc: o ?? EMPTY_DOC, origin: o ? origin : null });
    if (o) setStoreError(saveJson(storage(), DOC_KEY, { doc: o, origin }));
    setMessage(null);
  };
  const restorePrevious = () => {
    const prev = readSaved(loadJson(storage(), PREVIOUS_KEY));
    if (!prev) return;
    replace(prev, RESTORED);
  };

  const share = async () => {
    try {
      const url = `${location.origin}/notebook/#${await encodeShareFragment(doc)}`;
      setShareUrl(url);
      try {
        await navigator.clipboard.writeText(url);
        setMessage({ kind: 'ok', text: `Link copied (${url.length.toLocaleString('en-US')} characters). Whoever opens it sees your code; it runs only when they press Run.` });
      } catch {
        setMessage({ kind: 'ok', text: 'Copy the link below (the browser did not let the page copy it).' });
      }
    } catch (e) {
      setMessage({ kind: 'error', text: `No link could be made: ${errorMessage(e)}` });
    }
  };

  const download = () => saveBlob(new Blob([toIpynb(doc)], { type: 'application/x-ipynb+json' }), fileName(doc.title));

  const importFile = async (f: File) => {
    try {
      const d = fromIpynb(await f.text(), f.name.replace(/\.ipynb$/i, ''));
      replace({ doc: d, origin: null }, `Imported ${f.name} (${d.cells.length} cell${d.cells.length === 1 ? '' : 's'}). Nothing has run: read the code, then press Run.`);
    } catch (e) {
      setMessage({ kind: 'error', text: `${f.name} could not be imported: ${errorMessage(e)} Your notebook is unchanged.` });
    }
  };

  const openExample = (id: string) => {
    const e = examples.find((x) => x.id === id);
    if (!e) return;
    replace({ doc: checkNotebook(e.doc), origin: e.id }, `Opened the example “${e.title}”. Nothing has run: press Run all, or run the cells one by one.`);
  };


  return (
    <div className="nb-sandbox" onDragOver={(e) => { e.preventDefault(); setDragging(true); }} onDragLeave={() => setDragging(false)} onDrop={onDrop}>
      <NotebookBar
        doc={doc}
        onTitle={(title) => persist({ doc: { ...doc, title }, origin })}
        examples={examples}
        onOpenExample={openExample}
        onShare={() => void share()}
        onDownload={download}
        onImport={(f) => void importFile(f)}
        onReset={resetNotebook}
      />
      <NotebookNotices message={message} canRestore={canRestore} onRestore={restorePrevious} shareUrl={shareUrl} storeError={storeError} />
      <NotebookToolbar />
      <FileDrop files={files} dragging={dragging} onAdd={addFiles} onRemove={removeFile} />
      <CellList doc={doc} originCells={originDoc(examples, origin)} onSet={setCell} onMove={moveCell} onRemove={removeCell} onReset={resetCell} onAdd={addCell} />
    </div>
  );
}

/** The /notebook/ sandbox: one session for the page; `examples` for its picker (made at build time). */
export function Sandbox({ examples }: { examples: readonly ExampleNotebook[] }) {
  return (
    <NotebookProvider>
      <SandboxNotebook examples={examples} />
    </NotebookProvider>
  );
}
