'use client';

import { useRouter } from 'next/navigation';
import { useEffect, useId, useMemo, useRef, useState, type KeyboardEvent } from 'react';
import { unpackSearchIndex, type PackedSearchIndex } from '@/lib/search/build';
import { searchIndex, type SearchKind } from '@/lib/search/search';
import { INPUT_LIMITS } from '@/lib/text/input';
import { useHydrated } from '@/components/widget-kit/useHydrated';

const KIND_LABEL: Record<SearchKind, string> = { term: 'Glossary', section: 'Section', lesson: 'Lesson', question: 'Quiz' };

/** Whether a key press is typing into a field, where "/" is a character and not the search shortcut. */
function typingInField(target: EventTarget | null): boolean {
  const el = target as HTMLElement | null;
  return !!el && (el.isContentEditable || /^(INPUT|TEXTAREA|SELECT)$/.test(el.tagName));
}

/**
 * The search box: a combobox over the packed index (lib/search), searched as the learner types.
 * "/" anywhere on the page focuses it; ↑ and ↓ move through the results, Enter opens one, Escape
 * clears the box and then leaves it. Results are links: a lesson's section, a glossary entry, a
 * quiz question.
 */
export function SearchBox({ index }: { index: PackedSearchIndex }) {
  const entries = useMemo(() => unpackSearchIndex(index), [index]);
  const [query, setQuery] = useState('');
  const [open, setOpen] = useState(false);
  const [active, setActive] = useState(0);
  const input = useRef<HTMLInputElement>(null);
  const router = useRouter();
  const uid = useId();
  const listId = `${uid}-results`;
  const results = useMemo(() => searchIndex(entries, query, 8), [entries, query]);
  const shown = open && query.trim() !== '';
  const hydrated = useHydrated();

  useEffect(() => {
    const onKey = (event: globalThis.KeyboardEvent) => {
      if (event.key !== '/' || event.ctrlKey || event.metaKey || event.altKey || typingInField(event.target)) return;
      event.preventDefault();
      input.current?.focus();
      input.current?.select();
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, []);

  const go = (href: string) => {
    setOpen(false);
    setQuery('');
    input.current?.blur();
    router.push(href);
  };

  const onKeyDown = (event: KeyboardEvent<HTMLInputElement>) => {
    if (event.key === 'ArrowDown' || event.key === 'ArrowUp') {
      event.preventDefault();
      setOpen(true);
      if (results.length > 0) setActive((a) => (a + (event.key === 'ArrowDown' ? 1 : results.length - 1)) % results.length);
    } else if (event.key === 'Enter') {
      const result = results[Math.min(active, results.length - 1)];
      if (shown && result) {
        event.preventDefault();
        go(result.entry.href);
      }
    } else if (event.key === 'Escape') {
      if (query !== '') setQuery('');
      else input.current?.blur();
    }
  };

  return (
    <div className="search" role="search" data-hydrated={hydrated ? 'true' : undefined} onBlur={(e) => !e.currentTarget.contains(e.relatedTarget) && setOpen(false)}>
      <label htmlFor={`${uid}-input`} className="visually-hidden">
        Search lessons, glossary and quizzes
      </label>
      <input
        ref={input}
        id={`${uid}-input`}
        type="search"
        className="search-input"
        placeholder="Search ( / )"
        autoComplete="off"
        spellCheck={false}
        maxLength={INPUT_LIMITS.answer}
        role="combobox"
        aria-expanded={shown}
        aria-controls={listId}
        aria-autocomplete="list"
        aria-activedescendant={shown && results.length > 0 ? `${listId}-${Math.min(active, results.length - 1)}` : undefined}
        value={query}
        onChange={(e) => {
          setQuery(e.target.value);
          setActive(0);
          setOpen(true);
        }}
        onFocus={() => setOpen(true)}
        onKeyDown={onKeyDown}
        data-testid="search-input"
      />
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
              id={`${listId}-${i}`}
              role="option"
              aria-selected={i === Math.min(active, results.length - 1)}
              data-kind={entry.kind}
              onMouseDown={(e) => e.preventDefault()}
              onMouseEnter={() => setActive(i)}
            >
              <a href={entry.href} tabIndex={-1} onClick={(e) => { e.preventDefault(); go(entry.href); }}>
                <span className="search-kind">{KIND_LABEL[entry.kind]}</span>
                <span className="search-title">{entry.title}</span>
                <span className="search-context">{entry.context}</span>
              </a>
            </li>
          ))}
        </ul>
      </div>
    </div>
  );
}
