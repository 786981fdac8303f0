/**
 * A widget's settings in the page's query string, as `<widget id>.<field>=<value>`, so a view can
 * be shared by link (DESIGN.md rule 7). Only fields that differ from the widget's defaults are
 * written; reading checks every value against the field's spec, keeps the default for a bad one
 * and reports it, so a mangled link still opens a sensible view and says what it ignored.
 */

export type FieldSpec =
  | { kind: 'oneOf'; options: readonly string[] }
  | { kind: 'int'; min: number; max: number; allowed?: readonly number[] }
  | { kind: 'bool' };

export type WidgetState = Record<string, string | number | boolean>;
export type StateSpec<T extends WidgetState> = { readonly [K in keyof T]: FieldSpec };

/** The fields of `state` that differ from `base`, as `<prefix>.<field>` parameters. */
export function encodeWidgetState<T extends WidgetState>(state: T, prefix: string, base: T): URLSearchParams {
  const p = new URLSearchParams();
  for (const key of Object.keys(base)) {
    if (state[key] !== base[key]) p.set(`${prefix}.${key}`, String(state[key]));
  }
  return p;
}

function decodeField(spec: FieldSpec, raw: string): string | number | boolean | undefined {
  if (spec.kind === 'bool') return raw === 'true' ? true : raw === 'false' ? false : undefined;
  if (spec.kind === 'oneOf') return spec.options.includes(raw) ? raw : undefined;
  const n = Number(raw);
  if (!Number.isInteger(n) || n < spec.min || n > spec.max) return undefined;
  if (spec.allowed && !spec.allowed.includes(n)) return undefined;
  return n;
}

/** Reads the `<prefix>.<field>` parameters over `base`; each value the spec rejects is listed in `ignored` as `field=value`. */
export function decodeWidgetState<T extends WidgetState>(params: URLSearchParams, prefix: string, spec: StateSpec<T>, base: T): { state: T; ignored: string[] } {
  const state: WidgetState = { ...base };
  const ignored: string[] = [];
  for (const key of Object.keys(spec)) {
    const raw = params.get(`${prefix}.${key}`);
    if (raw === null) continue;
    const v = decodeField(spec[key], raw);
    if (v === undefined) ignored.push(`${key}=${raw}`);
    else state[key] = v;
  }
  return { state: state as T, ignored };
}

/** The query string `search` with every `<prefix>.*` parameter replaced by `params` (other widgets' are kept). */
export function withPrefixedParams(search: string, prefix: string, params: URLSearchParams): string {
  const out = new URLSearchParams(search);
  for (const k of [...out.keys()]) if (k.startsWith(`${prefix}.`)) out.delete(k);
  for (const [k, v] of params) out.set(k, v);
  const q = out.toString();
  return q ? `?${q}` : '';
}

/** The query string `search` with `prefix`'s parameters replaced by those of `state`. */
export function withWidgetState<T extends WidgetState>(search: string, prefix: string, state: T, base: T): string {
  return withPrefixedParams(search, prefix, encodeWidgetState(state, prefix, base));
}
