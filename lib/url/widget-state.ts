/**
 * A widget's settings in the page's query string, as `<widget id>.<field>=<value>`, so a view can
 * be shared by link (docs/design.md rule 7). Only fields that differ from the widget's defaults are
 * written; reading checks every value against the field's spec, keeps the default for a bad one
 * and reports it, so a mangled link still opens a sensible view and says what it ignored.
 *
 * Reading is strict, so that a link means exactly one view: a number is accepted only in the form
 * the widget writes it (String(n): no hex, blanks, exponents, "+" or leading zeros), and a field
 * given twice is reported rather than one of its values picked.
 */

import { SEED_MAX } from '../random';
import { shortenInput } from '../text/input';

/**
 * What a field accepts. `number`: a finite number in [min, max] (`minExclusive`: above min, not at
 * it), a whole one when `integer`, one of `allowed` when given. `int` is shorthand for a whole
 * `number`. `text`: any string of at most `maxLength` UTF-16 units (a prompt, a typed value).
 */
export type FieldSpec =
  | { kind: 'oneOf'; options: readonly string[] }
  | { kind: 'number'; min: number; max: number; integer?: boolean; minExclusive?: boolean; allowed?: readonly number[] }
  | { kind: 'int'; min: number; max: number; allowed?: readonly number[] }
  | { kind: 'text'; maxLength: number }
  | { kind: 'bool' };

/** A seed field: every seed a seed box or a "New weights" button can produce (lib/random SEED_MAX). */
export const SEED_FIELD: FieldSpec = { kind: 'int', min: 0, max: SEED_MAX };

export type WidgetState = Record<string, string | number | boolean>;
/** A widget's state: flat fields of strings, numbers and booleans (an interface such as LabView fits too). */
export type StateFields<T> = { [K in keyof T]: string | number | boolean };
export type StateSpec<T extends StateFields<T>> = { readonly [K in keyof T]: FieldSpec };

/** The fields of `state` that differ from `base`, as `<prefix>.<field>` parameters. */
export function encodeWidgetState<T extends StateFields<T>>(state: T, prefix: string, base: T): URLSearchParams {
  const p = new URLSearchParams();
  for (const key of Object.keys(base) as (keyof T & string)[]) {
    if (state[key] !== base[key]) p.set(`${prefix}.${key}`, String(state[key]));
  }
  return p;
}

/**
 * The number `raw` spells, only if it is spelled exactly as String() writes that number ("12",
 * "-3", "99.9"): "0x10", " 12", "1e3", "+5", "007", "" and "-0" are not. So every value a widget
 * writes reads back, and nothing else does.
 */
export function strictNumber(raw: string): number | undefined {
  const n = Number(raw);
  return raw !== '' && Number.isFinite(n) && String(n) === raw ? n : undefined;
}

/** A strict whole number (see {@link strictNumber}), within the safe integers. */
export function strictInt(raw: string): number | undefined {
  const n = strictNumber(raw);
  return n !== undefined && Number.isSafeInteger(n) ? n : undefined;
}

/** How a link's rejected value is named in a notice: `field=value`, a long value cut short (lib/text/input). */
export function ignoredEntry(field: string, raw: string): string {
  return `${field}=${shortenInput(raw)}`;
}

/**
 * The one value of parameter `name`: null when absent; when it is given more than once, the
 * notice entries for each of its values (`field=a`, `field=b`), none of which is used.
 */
export function singleParam(params: URLSearchParams, name: string, field: string): { raw: string | null; duplicates?: string[] } {
  const all = params.getAll(name);
  if (all.length > 1) return { raw: null, duplicates: all.map((v) => ignoredEntry(field, v)) };
  return { raw: all.length === 1 ? all[0] : null };
}

/** The value `raw` stands for under `spec`, or undefined when the spec rejects it. */
export function decodeField(spec: FieldSpec, raw: string): string | number | boolean | undefined {
  if (spec.kind === 'bool') return raw === 'true' ? true : raw === 'false' ? false : undefined;
  if (spec.kind === 'oneOf') return spec.options.includes(raw) ? raw : undefined;
  if (spec.kind === 'text') return raw.length <= spec.maxLength ? raw : undefined;
  const integer = spec.kind === 'int' || spec.integer === true;
  const n = integer ? strictInt(raw) : strictNumber(raw);
  if (n === undefined || n > spec.max) return undefined;
  if (spec.kind === 'number' && spec.minExclusive ? n <= spec.min : n < spec.min) return undefined;
  if (spec.allowed && !spec.allowed.includes(n)) return undefined;
  return n;
}

/**
 * Reads the `<prefix>.<field>` parameters over `base`; each value the spec rejects, and each value
 * of a field given more than once, is listed in `ignored` as `field=value`. `fromLink` holds the
 * fields that were read from the link.
 */
export function decodeWidgetState<T extends StateFields<T>>(params: URLSearchParams, prefix: string, spec: StateSpec<T>, base: T): { state: T; ignored: string[]; fromLink: Partial<T> } {
  const state: WidgetState = { ...base };
  const fromLink: WidgetState = {};
  const ignored: string[] = [];
  for (const key of Object.keys(spec) as (keyof T & string)[]) {
    const { raw, duplicates } = singleParam(params, `${prefix}.${key}`, key);
    if (duplicates) ignored.push(...duplicates);
    if (raw === null) continue;
    const v = decodeField(spec[key], raw);
    if (v === undefined) ignored.push(ignoredEntry(key, raw));
    else state[key] = fromLink[key] = v;
  }
  return { state: state as unknown as T, ignored, fromLink: fromLink as Partial<T> };
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
export function withWidgetState<T extends StateFields<T>>(search: string, prefix: string, state: T, base: T): string {
  return withPrefixedParams(search, prefix, encodeWidgetState(state, prefix, base));
}

/** True when `a` and `b` hold the same value in every field of `a` (states of one widget). */
export function sameWidgetState<T extends StateFields<T>>(a: T, b: T): boolean {
  return (Object.keys(a) as (keyof T)[]).every((k) => Object.is(a[k], b[k]));
}

/**
 * A subset of `options` as one whole number for a URL field: bit i set when options[i] is chosen
 * (so the field is `{ kind: 'int', min: 0, max: allMask(options) }`).
 */
export function maskOf<T>(options: readonly T[], chosen: readonly T[]): number {
  return options.reduce((m, o, i) => (chosen.includes(o) ? m | (1 << i) : m), 0);
}

/** The options whose bit is set in `mask`, in the options' order (the inverse of {@link maskOf}). */
export function chosenOf<T>(options: readonly T[], mask: number): T[] {
  return options.filter((_, i) => (mask & (1 << i)) !== 0);
}

/** The mask with every option chosen: 2^n − 1. */
export function allMask(options: readonly unknown[]): number {
  return 2 ** options.length - 1;
}
