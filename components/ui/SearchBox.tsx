'use client';

import { useEffect, useRef, useState, type ComponentProps, type ComponentType } from 'react';
import type { PackedSearchIndex } from '@/lib/search/build';

type ResultsComponent = ComponentType<ComponentProps<typeof import('./SearchResults').default>>;

/** Whether a key press is typing into a field, where "/" is a character and not the search shortcut. */
function typingInField(target: EventTarget | null): boolean {
  const el = target as HTMLElement | null;
  return !!el && (el.isContentEditable || /^(INPUT|TEXTAREA|SELECT)$/.test(el.tagName));
}

/**
 * The search box in the header: "/" anywhere on the page focuses it. This part is all that every
 * page loads; the search itself (./SearchResults: the index, the matching, the listbox and the
 * keys) loads when the box is first focused (docs/design.md rule 8) and drives this input. The
 * box is marked `data-hydrated` once React runs it.
 */
export function SearchBox({ index }: { index: PackedSearchIndex }) {
  const boxRef = useRef<HTMLDivElement>(null);
  const [Results, setResults] = useState<ResultsComponent | null>(null);

  useEffect(() => {
    const box = boxRef.current;
    if (!box) return;
    box.dataset.hydrated = 'true';
    const onKey = (event: KeyboardEvent) => {
      if (event.key !== '/' || event.ctrlKey || event.metaKey || event.altKey || typingInField(event.target)) return;
      event.preventDefault();
      box.querySelector('input')?.select();
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, []);

  return (
    <div className="search" role="search" ref={boxRef}>
      <label htmlFor="site-search" className="visually-hidden">
        Search lessons, glossary and quizzes
      </label>
      <input
        id="site-search"
        type="search"
        className="search-input"
        placeholder="Search ( / )"
        autoComplete="off"
        spellCheck={false}
        role="combobox"
        aria-expanded="false"
        aria-controls="site-search-results"
        aria-autocomplete="list"
        onFocus={() => {
          if (!Results) void import('./SearchResults').then((m) => setResults(() => m.default));
        }}
        data-testid="search-input"
      />
      {Results ? <Results index={index} boxRef={boxRef} /> : null}
    </div>
  );
}
