'use client';

import { useEffect, useMemo, useState, useSyncExternalStore, type RefObject } from 'react';
import { unpackSearchIndex, type PackedSearchIndex } from '@/lib/search/build';
import { searchIndex, type SearchKind } from '@/lib/search/search';

const KIND_LABEL: Record<SearchKind, string> = { term: 'Glossary', section: 'Section', lesson: 'Lesson', question: 'Quiz' };
/** The listbox's id, which the box (./SearchBox) names in aria-controls. */
const LIST_ID = 'site-search-results';

/** The header's search box (./SearchBox). */
function box(): HTMLInputElement | null {
  return document.getElementById('site-search') as HTMLInputElement | null;
}

function boxText(): string {
  return box()?.value ?? '';
}

function subscribeToBox(onChange: () => void): () => void {
  const input = box();
  input?.addEventListener('input', onChange);
  return () => input?.removeEventListener('input', onChange);
}

/**
 * The search (loaded when the header's box, ./SearchBox, is first focused): it reads what is
 * typed in the box, finds the matching entries of the packed index (lib/search) and shows them as
 * the box's listbox. ↑ and ↓ move through them, Enter or a click opens one (a lesson's section, a
 * glossary entry, a quiz question), Escape clears the box and then leaves it. The box's ARIA
 * state (aria-expanded, aria-activedescendant) follows.
 */
export default function SearchResults({ index, boxRef }: { index: PackedSearchIndex; boxRef: RefObject<HTMLDivElement | null> }) {
  const entries = useMemo(() => unpackSearchIndex(index), [index]);
  // The query is the box's text (what was typed while this loaded included).
  const query = useSyncExternalStore(subscribeToBox, boxText, () => '');
  const [open, setOpen] = useState(true);
  const [picked, setPicked] = useState({ query: '', at: 0 });
  const results = useMemo(() => searchIndex(entries, query, 8), [entries, query]);
  // A new query starts at the first result.
  const active = picked.query === query ? Math.min(picked.at, results.length - 1) : 0;
  const shown = open && query.trim() !== '';

  const go = (href: string) => {
    const input = box();
    if (input) {
      input.value = '';
      input.dispatchEvent(new Event('input'));
      input.blur();
    }
    // A plain page load: next/navigation's router here would split Next's own code into more first-load chunks.
    location.assign(href);
  };

  // The box's own events drive the search; the handlers are renewed each render, with its state.
  useEffect(() => {
    const box = boxRef.current;
    const input = box?.querySelector('input');
    if (!box || !input) return;
    const onInput = () => setOpen(true);
    const onKey = (event: KeyboardEvent) => {
      if (event.key === 'Escape') {
        if (input.value !== '') {
          input.value = '';
          input.dispatchEvent(new Event('input'));
        } else input.blur();
      } else if ((event.key === 'ArrowDown' || event.key === 'ArrowUp') && results.length > 0) {
        event.preventDefault();
        setOpen(true);
        setPicked({ query, at: (active + (event.key === 'ArrowDown' ? 1 : results.length - 1)) % results.length });
      } else if (event.key === 'Enter' && shown && results[active]) {
        event.preventDefault();
        go(results[active].entry.href);
      }
    };
    const onFocus = () => setOpen(true);
    const onLeave = (event: FocusEvent) => {
      if (!box.contains(event.relatedTarget as Node | null)) setOpen(false);
    };
    input.addEventListener('input', onInput);
    input.addEventListener('keydown', onKey);
    input.addEventListener('focus', onFocus);
    box.addEventListener('focusout', onLeave);
    input.setAttribute('aria-controls', LIST_ID);
    input.setAttribute('aria-expanded', String(shown));
    if (shown && results.length > 0) input.setAttribute('aria-activedescendant', `${LIST_ID}-${active}`);
    else input.removeAttribute('aria-activedescendant');
    return () => {
      input.removeEventListener('input', onInput);
      input.removeEventListener('keydown', onKey);
      input.removeEventListener('focus', onFocus);
      box.removeEventListener('focusout', onLeave);
    };
  });

  return (
    <div className="search-panel" hidden={!shown} data-testid="search-results">
      {results.length === 0 ? (
        <p className="search-empty" role="status">
          Nothing found for “{query.trim()}”.
        </p>
      ) : null}
      <ul id={LIST_ID} role="listbox" aria-label="Search results">
        {results.map(({ entry }, i) => (
          <li
            key={entry.href}
            id={`${LIST_ID}-${i}`}
            role="option"
            aria-selected={i === active}
            data-kind={entry.kind}
            data-href={entry.href}
            onMouseDown={(e) => e.preventDefault()}
            onMouseEnter={() => setPicked({ query, at: i })}
            onClick={() => go(entry.href)}
          >
            <span className="search-kind">{KIND_LABEL[entry.kind]}</span>
            <span className="search-title">{entry.title}</span>
            <span className="search-context">{entry.context}</span>
          </li>
        ))}
      </ul>
    </div>
  );
}
