'use client';

import { useCallback, useSyncExternalStore } from 'react';
import { classModeFromSearch, searchWithClassMode } from '@/lib/quiz/class-mode';

// Class mode lives in the URL (lib/quiz/class-mode); the quizzes of a page hear each other's switch.
const listeners = new Set<() => void>();

function subscribe(listener: () => void): () => void {
  listeners.add(listener);
  window.addEventListener('popstate', listener);
  return () => {
    listeners.delete(listener);
    window.removeEventListener('popstate', listener);
  };
}

/**
 * Whether the page is in class mode (`?class=1`), and the switch that turns it on or off by
 * rewriting the URL in place (history.replaceState, other parameters kept). Off on the server and
 * until hydration, so the exported page shows the ordinary quiz.
 */
export function useClassMode(): [boolean, (on: boolean) => void] {
  const on = useSyncExternalStore(
    subscribe,
    () => classModeFromSearch(location.search),
    () => false,
  );
  const set = useCallback((next: boolean) => {
    const url = `${location.pathname}${searchWithClassMode(location.search, next)}${location.hash}`;
    history.replaceState(history.state, '', url);
    for (const listener of listeners) listener();
  }, []);
  return [on, set];
}
