/**
 * The widgets' states on the page, by their URL id (lib/url/widget-state), so that a state can be
 * read and applied from outside the widget without a reload: a presenter's scene, or Reset (back to
 * the widget's defaults). useWidgetState registers each widget here; the presenter tools and the
 * Reset button look it up by id. Framework-free.
 *
 * A scene is the widget's URL state: its `<id>.<field>=<value>` parameters, the fields that differ
 * from its defaults (encodeWidgetState). Applying one checks every parameter with the same
 * decodeField the link reader uses, and applies nothing when any is bad, naming each one.
 */

import { shortenInput } from '../text/input';
import { decodeWidgetState, encodeWidgetState, type StateSpec, type WidgetState } from './widget-state';

/** The longest scene query accepted (UTF-16 units): a widget's fields are a few short values. */
export const MAX_SCENE_QUERY = 2000;

/** What useWidgetState gives the registry for one widget. `base` is its defaults (what Reset restores). */
export interface WidgetStateHandle {
  readonly spec: StateSpec<WidgetState>;
  readonly base: WidgetState;
  /** The state shown now. */
  get(): WidgetState;
  /** Shows `state` (a whole state: base with a scene's fields over it). */
  set(state: WidgetState): void;
}

/** A scene checked against a widget's spec: the whole state to show, or every problem named. */
export type SceneCheck = { ok: true; state: WidgetState } | { ok: false; problems: string[] };

/**
 * Checks scene `query` (`<id>.<field>=<value>&…`) for widget `id`: every parameter must be one of
 * the widget's fields (`<id>.` prefix, a field of `spec`), given once, with a value its FieldSpec
 * accepts (decodeWidgetState). On success the state is `base` with the scene's fields over it, so
 * fields the scene leaves out go back to their defaults (the scene is the whole view).
 */
export function checkSceneQuery(query: string, id: string, spec: StateSpec<WidgetState>, base: WidgetState): SceneCheck {
  if (query.length > MAX_SCENE_QUERY) return { ok: false, problems: [`the scene is ${query.length} characters long, over the ${MAX_SCENE_QUERY} a widget's settings can take`] };
  const params = new URLSearchParams(query);
  const problems: string[] = [];
  const seen = new Set<string>();
  const twice = new Set<string>();
  for (const key of params.keys()) {
    if (seen.has(key)) continue;
    seen.add(key);
    const field = key.startsWith(`${id}.`) ? key.slice(id.length + 1) : null;
    if (field === null) problems.push(`${shortKey(key)} is not a setting of this widget (${id})`);
    else if (!Object.hasOwn(spec, field)) problems.push(`${shortKey(field)} is not a setting of this widget`);
    else if (params.getAll(key).length > 1) {
      twice.add(field);
      problems.push(`${field} is given more than once`);
    }
  }
  const { state, ignored } = decodeWidgetState(params, id, spec, base);
  // decodeWidgetState names each value of a repeated field; it is named once above instead.
  const bad = ignored.filter((e) => !twice.has(e.slice(0, e.indexOf('='))));
  problems.push(...bad.map((e) => `${e} is not a value this widget accepts`));
  return problems.length === 0 ? { ok: true, state } : { ok: false, problems };
}

function shortKey(key: string): string {
  return shortenInput(key);
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
  /** Applies scene `query` to widget `id`, all of it or (with every problem named) none of it. */
  apply(id: string, query: string): SceneCheck;
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
    apply(id, query) {
      const h = handles.get(id);
      if (!h) return { ok: false, problems: [`the widget ${id} is not on this page`] };
      const check = checkSceneQuery(query, id, h.spec, h.base);
      if (check.ok) h.set(check.state);
      return check;
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
