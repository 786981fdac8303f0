'use client';

import { useCallback, useEffect, useRef, useState } from 'react';
import { widgetStates } from '@/lib/url/widget-registry';
import { decodeWidgetState, ignoredEntry, withWidgetState, type StateFields, type StateSpec, type WidgetState } from '@/lib/url/widget-state';

/** How long the URL waits after the last change: Next's router re-renders the page on every replaceState. */
export const URL_WRITE_DELAY_MS = 400;

/** Puts `query` ("?a=1" or "") in the address bar without a navigation, if it changed. */
export function replaceQuery(query: string): void {
  const next = `${location.pathname}${query}${location.hash}`;
  if (next !== `${location.pathname}${location.search}${location.hash}`) history.replaceState(history.state, '', next);
}

/**
 * A widget's state, shared through the URL as `?<id>.<field>=<value>` (lib/url/widget-state: the
 * spec names each field's kind — oneOf, number/int with bounds, text with a length bound, bool).
 * The server renders `base`; the URL is read once after hydration and written after a pause, only
 * the fields that differ from `base`. `spec` and `base` are constants of the calling widget.
 *
 * Returns `[state, update, ignored, reject]`:
 * - `update(partial)` sets some fields (the learner has taken over from the link);
 * - `ignored` lists the link's values that could not be used, as `field=value` — show them with
 *   IgnoredLinkValues; a bad value keeps the default and is named, never clamped in silence;
 * - `reject(field)`: a widget whose data shows that a link's value cannot be used (a block the file
 *   does not have, a rank above the matrix's) calls it, and while the field still holds the link's
 *   value it goes back to the default and is named in `ignored` like any other bad value.
 *
 * @example
 * const [state, update, ignored] = useWidgetState('blocks', SPEC, BASE);
 * <IgnoredLinkValues ignored={ignored} />
 */
export function useWidgetState<T extends StateFields<T>>(id: string, spec: StateSpec<T>, base: T): [T, (next: Partial<T>) => void, string[], (field: keyof T & string) => void] {
  const [state, setState] = useState<T>(base);
  const [ignored, setIgnored] = useState<string[]>([]);
  const fromLink = useRef<Partial<T>>({});

  useEffect(() => {
    const { ignored: bad, fromLink: linked } = decodeWidgetState(new URLSearchParams(location.search), id, spec, base);
    fromLink.current = linked;
    // A page opened without this widget's fields keeps its state untouched: no re-render, so input
    // the learner gave while the page hydrated is not overwritten by the defaults.
    if (Object.keys(linked).length === 0 && bad.length === 0) return;
    /* eslint-disable react-hooks/set-state-in-effect -- one-time read of the URL after hydration */
    setState((s) => ({ ...s, ...linked }));
    setIgnored(bad);
    /* eslint-enable react-hooks/set-state-in-effect */
    // spec and base are constants of the calling widget
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [id]);

  useEffect(() => {
    const timer = setTimeout(() => replaceQuery(withWidgetState(location.search, id, state, base)), URL_WRITE_DELAY_MS);
    return () => clearTimeout(timer);
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [state, id]);

  const current = useRef(state);
  useEffect(() => {
    current.current = state;
  }, [state]);
  useEffect(
    () =>
      widgetStates.register(id, {
        spec: spec as unknown as StateSpec<WidgetState>,
        base: base as unknown as WidgetState,
        get: () => current.current as unknown as WidgetState,
        set(next) {
          fromLink.current = {};
          current.current = next as unknown as T;
          setState(next as unknown as T);
          setIgnored([]);
        },
      }),
    // spec and base are constants of the calling widget
    // eslint-disable-next-line react-hooks/exhaustive-deps
    [id],
  );

  const update = useCallback((next: Partial<T>) => {
    fromLink.current = {}; // the learner has taken over: what is shown is no longer the link's
    setState((s) => ({ ...s, ...next }));
  }, []);
  const reject = useCallback((field: keyof T & string) => {
    const linked = fromLink.current[field];
    if (linked === undefined) return;
    delete fromLink.current[field];
    setState((s) => (s[field] === linked ? { ...s, [field]: base[field] } : s));
    setIgnored((list) => [...list, ignoredEntry(field, String(linked))]);
    // base is a constant of the calling widget
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, []);
  return [state, update, ignored, reject];
}
