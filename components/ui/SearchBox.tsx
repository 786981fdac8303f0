'use client';

import { useEffect, useId, useRef, useState, type ComponentProps, type ComponentType, type KeyboardEvent } from 'react';
import type { PackedSearchIndex } from '@/lib/search/build';
import { useHydrated } from '@/components/widget-kit/useHydrated';

type ResultsComponent = ComponentType<ComponentProps<typeof import('./SearchResults').default>>;

/** Whether a key press is typing into a field, where "/" is a character and not the search shortcut. */
function typingInField(target: EventTarget | null): boolean {
  const el = target as HTMLElement | null;
  return !!el && (el.isContentEditable || /^(INPUT|TEXTAREA|SELECT)$/.test(el.tagName));
}

/**
 * The search box: a combobox over the packed index (lib/search), searched in the browser as the
 * learner types. "/" anywhere on the page focuses it; ↑ and ↓ move through the results, Enter
 * opens one, Escape clears the box and then leaves it. Results (./SearchResults) are links: a
 * lesson's section, a glossary entry, a quiz question.
 */
export function SearchBox({ index }: { index: PackedSearchIndex }) {
  const [query, setQuery] = useState('');
  const [open, setOpen] = useState(false);
  // The results and the search code load when the box is first used (docs/design.md rule 8).
  const [Results, setResults] = useState<ResultsComponent | null>(null);
  const [activeId, setActiveId] = useState<string | undefined>(undefined);
  const input = useRef<HTMLInputElement>(null);
  const keysRef = useRef<((event: KeyboardEvent<HTMLInputElement>) => void) | null>(null);
  const hydrated = useHydrated();
  const uid = useId();
  const listId = `${uid}-results`;
  const shown = open && query.trim() !== '';

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

  const onKeyDown = (event: KeyboardEvent<HTMLInputElement>) => {
    if (event.key === 'Escape') {
      if (query !== '') setQuery('');
      else input.current?.blur();
      return;
    }
    setOpen(true);
    keysRef.current?.(event);
  };

  return (
    <div
      className="search"
      role="search"
      data-hydrated={hydrated ? 'true' : undefined}
      onBlur={(e) => !e.currentTarget.contains(e.relatedTarget) && setOpen(false)}
    >
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
        role="combobox"
        aria-expanded={shown}
        aria-controls={Results ? listId : undefined}
        aria-autocomplete="list"
        aria-activedescendant={shown ? activeId : undefined}
        value={query}
        onChange={(e) => {
          setQuery(e.target.value);
          setOpen(true);
        }}
        onFocus={() => {
          setOpen(true);
          if (!Results) void import('./SearchResults').then((m) => setResults(() => m.default));
        }}
        onKeyDown={onKeyDown}
        data-testid="search-input"
      />
      {Results ? (
        <Results
          index={index}
          query={query}
          shown={shown}
          listId={listId}
          keysRef={keysRef}
          onActive={setActiveId}
          onGo={() => {
            setOpen(false);
            setQuery('');
            input.current?.blur();
          }}
        />
      ) : null}
    </div>
  );
}
