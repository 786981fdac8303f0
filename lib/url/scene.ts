/**
 * Applying a presenter's scene (a widget's URL state under a name, lib/url/widget-registry) to a
 * widget on the page: every parameter is checked with the same decodeField the link reader uses,
 * and nothing is applied when any is bad, each one named. Apart from the registry so that pages
 * load it only with presenter mode. Framework-free.
 */

import { shortenInput } from '../text/input';
import type { WidgetStateRegistry } from './widget-registry';
import { decodeWidgetState, type StateSpec, type WidgetState } from './widget-state';

/** The longest scene query accepted (UTF-16 units): a widget's fields are a few short values. */
export const MAX_SCENE_QUERY = 2000;

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

/** Applies scene `query` to widget `id` of `registry`, all of it or (with every problem named) none of it. */
export function applyScene(registry: WidgetStateRegistry, id: string, query: string): SceneCheck {
  const h = registry.get(id);
  if (!h) return { ok: false, problems: [`the widget ${id} is not on this page`] };
  const check = checkSceneQuery(query, id, h.spec, h.base);
  if (check.ok) h.set(check.state);
  return check;
}
