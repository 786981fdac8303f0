'use client';

import { useEffect, useState } from 'react';
import { forgetCell, forgetNotebook, loadCell, saveCell, type KeyValueStore } from '@/lib/notebook/persist';
import { CodeCellView } from './CodeCellView';
import { useNotebook } from './NotebookProvider';
import { NotebookToolbar } from './NotebookToolbar';

function storage(): KeyValueStore | null {
  try {
    return typeof localStorage === 'undefined' ? null : localStorage;
  } catch {
    return null;
  }
}

/** Tells every lesson cell of the page that "Reset notebook" was pressed. */
const RESET_EVENT = 'lowbit:nb-reset';

/**
 * A lesson's code cell: the lesson's code, the learner's saved edit of it (localStorage, per lesson
 * and cell), Reset cell / Reset notebook, and a notice when the lesson's code changed since the edit.
 */
export function LessonCell({ notebookId, cellId, original, caption }: { notebookId: string; cellId: string; original: string; caption?: string }) {
  const nb = useNotebook();
  const [source, setSource] = useState(original);
  const [edited, setEdited] = useState(false);
  const [changed, setChanged] = useState(false);
  const [storeError, setStoreError] = useState<string | null>(null);

  useEffect(() => {
    const r = loadCell(storage(), notebookId, cellId, original);
    /* eslint-disable react-hooks/set-state-in-effect -- one-time read of the saved edit after hydration */
    setSource(r.source);
    setEdited(r.edited);
    setChanged(r.originalChanged);
    setStoreError(r.error);
    /* eslint-enable react-hooks/set-state-in-effect */
    const onReset = (e: Event) => {
      if ((e as CustomEvent<string>).detail !== notebookId) return;
      setSource(original);
      setEdited(false);
      setChanged(false);
    };
    window.addEventListener(RESET_EVENT, onReset);
    return () => window.removeEventListener(RESET_EVENT, onReset);
  }, [notebookId, cellId, original]);

  const change = (s: string) => {
    setSource(s);
    setEdited(s !== original);
    setStoreError(saveCell(storage(), notebookId, cellId, s, original));
  };
  const resetCell = () => {
    setStoreError(forgetCell(storage(), notebookId, cellId));
    setSource(original);
    setEdited(false);
    setChanged(false);
    nb.clearCell(cellId);
  };
  const resetNotebook = () => {
    if (!window.confirm('Put every cell of this lesson back to the lesson’s code? Your edits to them are forgotten.')) return;
    setStoreError(forgetNotebook(storage(), notebookId));
    window.dispatchEvent(new CustomEvent(RESET_EVENT, { detail: notebookId }));
  };

  return (
    <section className="widget nb-lesson-cell" aria-label={caption ? `Code cell: ${caption}` : 'Code cell'}>
      <CodeCellView
        id={cellId}
        editorOnIntent
        source={source}
        onSourceChange={change}
        caption={caption}
        notices={
          <>
            {changed ? (
              <p className="nb-notice" role="status" data-testid="original-changed">
                The lesson’s code for this cell has changed since you edited it. <button type="button" className="link-button" onClick={resetCell}>Use the lesson’s new code</button>
              </p>
            ) : null}
            {storeError ? <p className="error-message" role="status">{storeError}</p> : null}
          </>
        }
        tools={edited ? <button type="button" onClick={resetCell} data-testid="reset-cell" title="Back to the lesson's code">Reset cell</button> : null}
        toolbar={<NotebookToolbar compact extra={<button type="button" onClick={resetNotebook} data-testid="reset-notebook">Reset notebook</button>} />}
      />
    </section>
  );
}
