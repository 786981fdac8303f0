/**
 * The widgets' states on the page, by their URL id (lib/url/widget-state), so that a state can be
 * read and applied from outside the widget without a reload: a presenter's scene, or Reset (back to
 * the widget's defaults). useWidgetState registers each widget here; the presenter tools and the
 * Reset button look it up by id. Framework-free.
 *
 * A scene is the widget's URL state: its `<id>.<field>=<value>` parameters, the fields that differ
 * from its defaults (encodeWidgetState); lib/url/scene applies one.
 */

import { encodeWidgetState, type StateSpec, type WidgetState } from './widget-state';

/** What useWidgetState gives the registry for one widget. `base` is its defaults (what Reset restores). */
export interface WidgetStateHandle {
  readonly spec: StateSpec<WidgetState>;
  readonly base: WidgetState;
  /** The state shown now. */
  get(): WidgetState;
  /** Shows `state` (a whole state: base with a scene's fields over it). */
  set(state: WidgetState): void;
}

/** The scene query of `state`: its fields that differ from `base`, as `<id>.<field>=<value>&…` ("" at the defaults). */
export function sceneQueryOf(id: string, state: WidgetState, base: WidgetState): string {
  return encodeWidgetState(state, id, base).toString();
}

export interface WidgetStateRegistry {
  /** Adds widget `id`; returns the function that removes this very handle (a later one under the same id stays). */
  register(id: string, handle: WidgetStateHandle): () => void;
  /** The handle of widget `id`, if one is on the page. */
  get(id: string): WidgetStateHandle | undefined;
  /** Calls `listener` whenever a widget comes or goes. */
  subscribe(listener: () => void): () => void;
  /** Widget `id`'s current scene query, or undefined when it is not on the page. */
  sceneOf(id: string): string | undefined;
  /** Puts widget `id` back to its defaults; false when it is not on the page. */
  reset(id: string): boolean;
}

/** A registry of widget states (the page has one: {@link widgetStates}; tests make their own). */
export function createWidgetStateRegistry(): WidgetStateRegistry {
  const handles = new Map<string, WidgetStateHandle>();
  const listeners = new Set<() => void>();
  const notify = () => {
    for (const l of [...listeners]) l();
  };
  return {
    register(id, handle) {
      handles.set(id, handle);
      notify();
      return () => {
        if (handles.get(id) !== handle) return;
        handles.delete(id);
        notify();
      };
    },
    get: (id) => handles.get(id),
    subscribe(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    sceneOf(id) {
      const h = handles.get(id);
      return h ? sceneQueryOf(id, h.get(), h.base) : undefined;
    },
    reset(id) {
      const h = handles.get(id);
      if (!h) return false;
      h.set({ ...h.base });
      return true;
    },
  };
}

/** The page's registry: useWidgetState registers every widget in it. */
export const widgetStates: WidgetStateRegistry = createWidgetStateRegistry();
