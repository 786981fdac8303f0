'use client';

import { useCallback, useEffect, useState } from 'react';
import { decodeWidgetState, withWidgetState, type StateSpec, type WidgetState } from '@/lib/url/widget-state';

/** How long the URL waits after the last change: Next's router re-renders the page on every replaceState. */
export const URL_WRITE_DELAY_MS = 400;

/** Puts `query` ("?a=1" or "") in the address bar without a navigation, if it changed. */
export function replaceQuery(query: string): void {
  const next = `${location.pathname}${query}${location.hash}`;
  if (next !== `${location.pathname}${location.search}${location.hash}`) history.replaceState(history.state, '', next);
}

/**
 * A widget's state, shared through the URL as `?<id>.<field>=<value>` (lib/url/widget-state). The
 * server renders `base`; the URL is read once after hydration and written after a pause. Returns
 * the state, a setter for some of its fields, and the link values that were ignored.
 */
export function useWidgetUrlState<T extends WidgetState>(id: string, spec: StateSpec<T>, base: T): [T, (next: Partial<T>) => void, string[]] {
  const [state, setState] = useState<T>(base);
  const [ignored, setIgnored] = useState<string[]>([]);

  useEffect(() => {
    const { state: fromUrl, ignored: bad } = decodeWidgetState(new URLSearchParams(location.search), id, spec, base);
    /* eslint-disable react-hooks/set-state-in-effect -- one-time read of the URL after hydration */
    setState(fromUrl);
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

  const update = useCallback((next: Partial<T>) => setState((s) => ({ ...s, ...next })), []);
  return [state, update, ignored];
}
