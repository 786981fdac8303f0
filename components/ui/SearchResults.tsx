'use client';

import { useRouter } from 'next/navigation';
import { useEffect, useMemo, useState, type KeyboardEvent, type RefObject } from 'react';
import { unpackSearchIndex, type PackedSearchIndex } from '@/lib/search/build';
import { searchIndex, type SearchKind } from '@/lib/search/search';

const KIND_LABEL: Record<SearchKind, string> = { term: 'Glossary', section: 'Section', lesson: 'Lesson', question: 'Quiz' };

/**
 * The search box's results (loaded when the box is first used, so pages do not carry the search
 * code up front): the entries of the packed index matching `query` (lib/search), as a listbox. It
 * handles the box's ↑, ↓ and Enter through `keysRef`, and names the highlighted option through
 * `onActive` (the box's aria-activedescendant). `onGo` runs before a result is opened.
 */
export default function SearchResults({ index, query, shown, listId, keysRef, onActive, onGo }: {
  index: PackedSearchIndex;
  query: string;
  shown: boolean;
  listId: string;
  keysRef: RefObject<((event: KeyboardEvent<HTMLInputElement>) => void) | null>;
  onActive: (id: string | undefined) => void;
  onGo: () => void;
}) {
  const entries = useMemo(() => unpackSearchIndex(index), [index]);
  const results = useMemo(() => searchIndex(entries, query, 8), [entries, query]);
  const [picked, setPicked] = useState({ query, at: 0 });
  // A new query starts at the first result.
  const active = picked.query === query ? Math.min(picked.at, results.length - 1) : 0;
  const router = useRouter();
  const optionId = (i: number) => `${listId}-${i}`;

  const go = (href: string) => {
    onGo();
    router.push(href);
  };

  useEffect(() => {
    onActive(shown && results.length > 0 ? optionId(active) : undefined);
  });

  useEffect(() => {
    keysRef.current = (event) => {
      if ((event.key === 'ArrowDown' || event.key === 'ArrowUp') && results.length > 0) {
        event.preventDefault();
        const step = event.key === 'ArrowDown' ? 1 : results.length - 1;
        setPicked({ query, at: (active + step) % results.length });
      } else if (event.key === 'Enter' && shown && results[active]) {
        event.preventDefault();
        go(results[active].entry.href);
      }
    };
  });

  return (
    <div className="search-panel" hidden={!shown} data-testid="search-results">
      {results.length === 0 ? (
        <p className="search-empty" role="status">
          Nothing found for “{query.trim()}”.
        </p>
      ) : null}
      <ul id={listId} role="listbox" aria-label="Search results">
        {results.map(({ entry }, i) => (
          <li
            key={entry.href}
            id={optionId(i)}
            role="option"
            aria-selected={i === active}
            data-kind={entry.kind}
            onMouseDown={(e) => e.preventDefault()}
            onMouseEnter={() => setPicked({ query, at: i })}
          >
            <a
              href={entry.href}
              tabIndex={-1}
              onClick={(e) => {
                e.preventDefault();
                go(entry.href);
              }}
            >
              <span className="search-kind">{KIND_LABEL[entry.kind]}</span>
              <span className="search-title">{entry.title}</span>
              <span className="search-context">{entry.context}</span>
            </a>
          </li>
        ))}
      </ul>
    </div>
  );
}
