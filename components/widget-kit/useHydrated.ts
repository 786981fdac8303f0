'use client';

import { useSyncExternalStore } from 'react';

const noSubscription = () => () => {};

/**
 * False on the server and while React hydrates the page, true once this component is live in the
 * browser. Frames mark themselves `data-hydrated` with it, so a test (or a script) knows when typing
 * into a widget reaches React: input given before hydration is not seen by it.
 */
export function useHydrated(): boolean {
  return useSyncExternalStore(noSubscription, () => true, () => false);
}
