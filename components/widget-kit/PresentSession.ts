'use client';

import { useSyncExternalStore } from 'react';
import { DECK_PARAM, addScene, checkDeck, decodeDeckParam, deckStorageKey, emptyDeck, type Deck, type Scene } from '@/lib/present/deck';
import { createStore } from '@/lib/store';
import { applyScene } from '@/lib/url/scene';
import { widgetStates } from '@/lib/url/widget-registry';
import { replaceQuery } from './useWidgetState';

/**
 * The page's presenter session (docs/design.md, widget kit: presenter mode): which widget is shown
 * full screen, the page's deck of scenes (kept in localStorage per page), the scene shown last and
 * the latest message. One per page, shared by every widget's PresentButton.
 */
export interface PresentSnapshot {
  /** The key of the widget being presented (its stateId, or a generated key), or null. */
  presenting: string | null;
  deck: Deck;
  /** The scene shown last (index into deck.scenes), or null. */
  index: number | null;
  /** What the last deck action said: kind 'bad' for a refusal. */
  message: { text: string; kind: 'ok' | 'bad' } | null;
  /** A widget to present once it is on the page (a deck link's first scene). */
  pending: string | null;
  /** Why the page's deck link could not be opened (shown beside the first widget's Present button). */
  linkError: string | null;
}

const store = createStore<PresentSnapshot>({ presenting: null, deck: emptyDeck('/'), index: null, message: null, pending: null, linkError: null });
const SERVER: PresentSnapshot = store.getSnapshot();
const presenters = new Map<string, () => void>();
let loadedFor: string | null = null;

function set(part: Partial<PresentSnapshot>): void {
  store.set({ ...store.getSnapshot(), ...part });
}

/** The session now (for event handlers). */
export function presentSnapshot(): PresentSnapshot {
  return store.getSnapshot();
}

/** The session, for React. */
export function usePresentSession(): PresentSnapshot {
  return useSyncExternalStore(store.subscribe, store.getSnapshot, () => SERVER);
}

function saveDeck(deck: Deck): void {
  try {
    if (deck.scenes.length === 0) localStorage.removeItem(deckStorageKey(deck.page));
    else localStorage.setItem(deckStorageKey(deck.page), JSON.stringify(deck));
  } catch {
    // Storage full or blocked: the deck still works until the page is left.
  }
}

/**
 * Loads the page's deck once per page: from a deck link (`?deck=`, checked whole before it replaces
 * the stored deck; the parameter is then taken out of the address) or else from localStorage.
 */
export function loadPageDeck(): void {
  const page = location.pathname;
  if (loadedFor === page) return;
  loadedFor = page;
  let stored = emptyDeck(page);
  try {
    const raw = localStorage.getItem(deckStorageKey(page));
    const check = raw ? checkDeck(JSON.parse(raw)) : null;
    if (check?.ok && check.deck.page === page) stored = check.deck;
  } catch {
    // An unreadable stored deck is left out.
  }
  const params = new URLSearchParams(location.search);
  const raw = params.get(DECK_PARAM);
  if (raw === null) {
    set({ deck: stored, index: null, message: null, presenting: null, pending: null });
    return;
  }
  params.delete(DECK_PARAM);
  const q = params.toString();
  replaceQuery(q ? `?${q}` : '');
  const check = decodeDeckParam(raw);
  if (!check.ok || check.deck.page !== page || check.deck.scenes.length === 0) {
    const why = !check.ok ? check.problems.join('; ') : check.deck.page !== page ? `it is for the page ${check.deck.page}, not this one` : 'it has no scenes';
    const text = `This link’s deck could not be opened: ${why}. Your saved deck is unchanged.`;
    set({ deck: stored, index: null, pending: null, message: { kind: 'bad', text }, linkError: text });
    return;
  }
  saveDeck(check.deck);
  const first = check.deck.scenes[0];
  set({ deck: check.deck, index: null, pending: first.widget, message: { kind: 'ok', text: `Opened a deck of ${check.deck.scenes.length} scenes from the link.` } });
}

/** The widget that shows page-wide notices (the deck link's error): the first one registered. */
export function isLeadPresenter(key: string): boolean {
  return presenters.keys().next().value === key;
}

export function dismissLinkError(): void {
  set({ linkError: null });
}

/** Registers widget `key`'s way to start presenting; a pending deck start for it runs now. */
export function registerPresenter(key: string, start: () => void): () => void {
  presenters.set(key, start);
  if (store.getSnapshot().pending === key) {
    set({ pending: null });
    start();
    // The widget registers its state in its own effect, which runs after its frame's (a child's).
    queueMicrotask(() => goToScene(0));
  }
  return () => {
    if (presenters.get(key) === start) presenters.delete(key);
  };
}

export function startPresenting(key: string): void {
  set({ presenting: key });
}

export function stopPresenting(key: string): void {
  if (store.getSnapshot().presenting === key) set({ presenting: null });
}

export function setPresentMessage(message: PresentSnapshot['message']): void {
  set({ message });
}

/** Replaces the deck (already checked) and stores it. */
export function setDeck(deck: Deck, message: PresentSnapshot['message'] = null, index: number | null = null): void {
  saveDeck(deck);
  set({ deck, index, message });
}

/** Adds the widget's current state as a scene named `name`. */
export function saveScene(widget: string, name: string): void {
  const { deck } = store.getSnapshot();
  const query = widgetStates.sceneOf(widget);
  if (query === undefined) return setPresentMessage({ kind: 'bad', text: 'This widget’s settings are not available yet.' });
  const scene: Scene = { name: name.trim() || 'Untitled', widget, query };
  const next = addScene(deck, scene);
  if (!next) return setPresentMessage({ kind: 'bad', text: 'The deck is full: delete a scene first.' });
  setDeck(next, { kind: 'ok', text: `Saved “${scene.name}” as scene ${next.scenes.length}.` }, next.scenes.length - 1);
}

/**
 * Shows scene `index`: presents its widget (switching widgets if it is another one on the page) and
 * applies its settings, all or — with each bad value named — none.
 */
export function goToScene(index: number): void {
  const { deck } = store.getSnapshot();
  const scene = deck.scenes[index];
  if (!scene) return;
  const label = `Scene ${index + 1} (“${scene.name}”)`;
  if (!widgetStates.get(scene.widget)) {
    return setPresentMessage({ kind: 'bad', text: `${label} is for the widget “${scene.widget}”, which is not on this page${presenters.size ? ' (or not loaded yet: scroll to it)' : ''}.` });
  }
  const result = applyScene(widgetStates, scene.widget, scene.query);
  if (!result.ok) return setPresentMessage({ kind: 'bad', text: `${label} could not be shown: ${result.problems.join('; ')}. Nothing was changed.` });
  if (store.getSnapshot().presenting !== scene.widget) presenters.get(scene.widget)?.();
  set({ index, message: null });
}
