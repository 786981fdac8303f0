/**
 * Presenter decks (docs/design.md, widget kit: presenter mode). A scene is one widget's URL state
 * under a name — the widget's `<id>.<field>=<value>` parameters (lib/url/widget-registry) — and a
 * deck is a lesson's ordered list of scenes. A deck travels as a link (`?deck=`, its JSON in
 * base64url) or as a small JSON file; both are read by {@link checkDeck}, which checks every
 * field and bound before anything is used and names each problem. Whether a scene's values suit
 * its widget is checked when it is applied (checkSceneQuery), by the widget's own spec.
 * Framework-free.
 */

import { shortenInput } from '../text/input';
import { MAX_SCENE_QUERY } from '../url/scene';

/** One saved view of one widget. */
export interface Scene {
  /** The teacher's name for it, e.g. "INT4, per-tensor". */
  name: string;
  /** The widget's URL state id (useWidgetState's id). */
  widget: string;
  /** The widget's settings that differ from its defaults, `<widget>.<field>=<value>&…` ("" = defaults). */
  query: string;
}

/** A lesson's scenes in the order they are shown. */
export interface Deck {
  version: 1;
  /** The page the deck belongs to, a path such as "/lessons/scale-and-zero-point/". */
  page: string;
  scenes: Scene[];
}

export const DECK_LIMITS = {
  /** Scenes in one deck. */
  scenes: 40,
  /** A scene's name, in UTF-16 units. */
  name: 80,
  /** A widget id. */
  widget: 64,
  /** A page path. */
  page: 200,
  /** A deck link's `deck=` value, in characters. */
  param: 16_000,
  /** A deck file, in bytes. */
  file: 200_000,
} as const;

export { DECK_PARAM } from './param';

export type DeckCheck = { ok: true; deck: Deck } | { ok: false; problems: string[] };

const WIDGET_ID = /^[A-Za-z0-9_-]+$/;

function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/** The problems of scene `v` (number `n`, counted from 1), none when it is a well-formed scene. */
function sceneProblems(v: unknown, n: number): string[] {
  if (!isRecord(v)) return [`scene ${n} is not an object`];
  const out: string[] = [];
  const { name, widget, query } = v;
  if (typeof name !== 'string' || name.trim() === '') out.push(`scene ${n} has no name`);
  else if (name.length > DECK_LIMITS.name) out.push(`scene ${n}’s name is longer than ${DECK_LIMITS.name} characters`);
  if (typeof widget !== 'string' || !WIDGET_ID.test(widget) || widget.length > DECK_LIMITS.widget) out.push(`scene ${n}’s widget is not a widget id (letters, digits, - and _, at most ${DECK_LIMITS.widget})`);
  if (typeof query !== 'string') out.push(`scene ${n} has no settings (query)`);
  else if (query.length > MAX_SCENE_QUERY) out.push(`scene ${n}’s settings are longer than ${MAX_SCENE_QUERY} characters`);
  else if (typeof widget === 'string') {
    for (const key of new URLSearchParams(query).keys()) {
      if (!key.startsWith(`${widget}.`)) {
        out.push(`scene ${n}’s setting ${shortenInput(key)} is not one of widget ${shortenInput(widget)}’s`);
        break;
      }
    }
  }
  return out;
}

/**
 * Checks that `v` (parsed JSON) is a deck: `{ version: 1, page, scenes: [{ name, widget, query }] }`
 * within DECK_LIMITS. Returns a fresh deck holding only the known fields, or every problem found.
 */
export function checkDeck(v: unknown): DeckCheck {
  if (!isRecord(v)) return { ok: false, problems: ['it is not a deck (a JSON object with version, page and scenes)'] };
  const problems: string[] = [];
  if (v.version !== 1) problems.push(`its version is ${shortenInput(JSON.stringify(v.version) ?? 'missing')}, and only version 1 is known`);
  if (typeof v.page !== 'string' || !v.page.startsWith('/') || v.page.length > DECK_LIMITS.page) problems.push('its page is not a path of this site');
  if (!Array.isArray(v.scenes)) problems.push('it has no list of scenes');
  else if (v.scenes.length > DECK_LIMITS.scenes) problems.push(`it has ${v.scenes.length} scenes, more than the ${DECK_LIMITS.scenes} a deck can hold`);
  else v.scenes.forEach((s, i) => problems.push(...sceneProblems(s, i + 1)));
  if (problems.length > 0) return { ok: false, problems };
  const scenes = (v.scenes as Scene[]).map(({ name, widget, query }) => ({ name, widget, query }));
  return { ok: true, deck: { version: 1, page: v.page as string, scenes } };
}

/** A deck file's text (pretty JSON), as "Download deck" writes it. */
export function deckToJson(deck: Deck): string {
  return `${JSON.stringify(deck, null, 2)}\n`;
}

/** Reads a deck file's text: its size, its JSON and then the deck (checkDeck). */
export function deckFromJson(text: string): DeckCheck {
  const bytes = new TextEncoder().encode(text).length;
  if (bytes > DECK_LIMITS.file) return { ok: false, problems: [`the file is ${bytes.toLocaleString('en-US')} bytes, more than the ${DECK_LIMITS.file.toLocaleString('en-US')} a deck can be`] };
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    return { ok: false, problems: ['the file is not JSON'] };
  }
  return checkDeck(parsed);
}

function toBase64Url(bytes: Uint8Array): string {
  let bin = '';
  for (const b of bytes) bin += String.fromCharCode(b);
  return btoa(bin).replaceAll('+', '-').replaceAll('/', '_').replace(/=+$/, '');
}

function fromBase64Url(text: string): Uint8Array | null {
  if (!/^[A-Za-z0-9_-]*$/.test(text) || text.length % 4 === 1) return null;
  const bin = atob(text.replaceAll('-', '+').replaceAll('_', '/'));
  return Uint8Array.from(bin, (c) => c.charCodeAt(0));
}

/**
 * A deck link's `deck=` value: the deck's compact JSON, UTF-8, in base64url (RFC 4648 §5, no
 * padding), so it needs no escaping in a URL. Null when it would exceed DECK_LIMITS.param.
 */
export function encodeDeckParam(deck: Deck): string | null {
  const value = toBase64Url(new TextEncoder().encode(JSON.stringify(deck)));
  return value.length <= DECK_LIMITS.param ? value : null;
}

/** Reads a `deck=` value: its length, base64url, UTF-8, JSON, then the deck (checkDeck). */
export function decodeDeckParam(raw: string): DeckCheck {
  if (raw.length > DECK_LIMITS.param) return { ok: false, problems: [`the link’s deck is ${raw.length.toLocaleString('en-US')} characters long, more than the ${DECK_LIMITS.param.toLocaleString('en-US')} a deck link can carry`] };
  const bytes = fromBase64Url(raw);
  if (!bytes) return { ok: false, problems: ['the link’s deck is not base64url text (it may have been cut short)'] };
  let text: string;
  try {
    text = new TextDecoder('utf-8', { fatal: true }).decode(bytes);
  } catch {
    return { ok: false, problems: ['the link’s deck is not UTF-8 text'] };
  }
  try {
    return checkDeck(JSON.parse(text));
  } catch {
    return { ok: false, problems: ['the link’s deck is not JSON (it may have been cut short)'] };
  }
}

/** An empty deck for `page`. */
export function emptyDeck(page: string): Deck {
  return { version: 1, page, scenes: [] };
}

/** The deck with `scene` added at the end, or null when the deck is full (DECK_LIMITS.scenes). */
export function addScene(deck: Deck, scene: Scene): Deck | null {
  if (deck.scenes.length >= DECK_LIMITS.scenes) return null;
  return { ...deck, scenes: [...deck.scenes, scene] };
}

/** The deck without scene `index` (unchanged for an index out of range). */
export function removeScene(deck: Deck, index: number): Deck {
  return { ...deck, scenes: deck.scenes.filter((_, i) => i !== index) };
}

/** The deck with scene `index` moved by `by` places (−1 earlier, +1 later), kept within the deck. */
export function moveScene(deck: Deck, index: number, by: number): Deck {
  const to = Math.min(deck.scenes.length - 1, Math.max(0, index + by));
  if (index < 0 || index >= deck.scenes.length || to === index) return deck;
  const scenes = [...deck.scenes];
  const [s] = scenes.splice(index, 1);
  scenes.splice(to, 0, s);
  return { ...deck, scenes };
}

/** The scene after stepping `by` (±1) from `index` in a deck of `length`, kept within it; null for an empty deck. */
export function stepScene(index: number | null, by: number, length: number): number | null {
  if (length === 0) return null;
  if (index === null) return by < 0 ? length - 1 : 0;
  return Math.min(length - 1, Math.max(0, index + by));
}

/** A name for a new scene: `Scene n`, n one past the deck's size, made unique among its names. */
export function nextSceneName(deck: Deck): string {
  const names = new Set(deck.scenes.map((s) => s.name));
  let n = deck.scenes.length + 1;
  while (names.has(`Scene ${n}`)) n++;
  return `Scene ${n}`;
}

/** The localStorage key of a page's deck. */
export function deckStorageKey(page: string): string {
  return `lowbit.deck:${page}`;
}

/** A deck file's name for `page`: "deck-<last path segment>.json". */
export function deckFileName(page: string): string {
  const slug = page.split('/').filter(Boolean).pop() ?? 'home';
  return `deck-${slug.replace(/[^A-Za-z0-9_-]/g, '-')}.json`;
}
