'use client';

import { createStore } from '@/lib/store';
import { DECK_PARAM } from '@/lib/present/param';

/**
 * The small part of presenter mode every page loads (PresentButton): the key that starts it, which
 * keys belong to the focused control, and whether presenter mode is wanted on the page yet — its
 * code (PresentMode, the deck) loads only then, to keep it out of each lesson's first load
 * (docs/design.md rule 8).
 */

/** The key that starts presenter mode while focus is inside a widget (not in a text box). */
export const PRESENT_KEY = 'p';

/** True when `el` uses printable keys or the arrow keys itself (text boxes, sliders, lists, focusable charts). */
export function ownsKeys(el: EventTarget | null): boolean {
  if (!(el instanceof Element)) return false;
  if (el.closest('input, select, textarea, [contenteditable=""], [contenteditable="true"], .cm-editor')) return true;
  const role = el.getAttribute('role');
  if (role && ['slider', 'listbox', 'option', 'radio', 'tab', 'spinbutton', 'grid', 'menu', 'menuitem', 'textbox'].includes(role)) return true;
  return (el instanceof SVGElement || el instanceof HTMLCanvasElement) && el.hasAttribute('tabindex');
}

export interface PresentActivation {
  /** Presenter mode's code is wanted on this page (a Present press, the key, or a deck link). */
  on: boolean;
  /** The widget to present as soon as that code is in. */
  start: string | null;
}

export const OFF: PresentActivation = { on: false, start: null };
export const presentActivation = createStore<PresentActivation>(OFF);

/** Loads presenter mode, and presents widget `key` (if given) once it is in. */
export function activatePresenter(key: string | null): void {
  presentActivation.set({ on: true, start: key });
}

/** The pending start has been taken. */
export function clearPresentStart(): void {
  const a = presentActivation.getSnapshot();
  if (a.start !== null) presentActivation.set({ ...a, start: null });
}

/** True when the page was opened with a deck link. */
export function hasDeckLink(): boolean {
  return new URLSearchParams(location.search).has(DECK_PARAM);
}
