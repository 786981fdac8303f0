'use client';

import { useCallback, useEffect, useRef, type RefObject } from 'react';
import { stepScene } from '@/lib/present/deck';
import { DeckPanel } from './DeckPanel';
import { dismissLinkError, goToScene, isLeadPresenter, loadPageDeck, presentSnapshot, registerPresenter, startPresenting, stopPresenting, usePresentSession } from './PresentSession';
import { PRESENT_KEY, clearPresentStart, ownsKeys } from './PresentKeys';
import type { WidgetToolProps } from './WidgetTools';

/** The section's grid items: its children, and the children of any it dissolves (display: contents). */
function gridItems(parent: Element, out: HTMLElement[] = []): HTMLElement[] {
  for (const el of parent.children) {
    if (!(el instanceof HTMLElement)) continue;
    if (getComputedStyle(el).display === 'contents') gridItems(el, out);
    else out.push(el);
  }
  return out;
}

const ITEM_GAP_PX = 10;

/**
 * Lays the presented widget out and sizes its chart text. presenter.css makes the section a grid of
 * 1 px rows, the controls in the first column and the rest in the second; each item spans as many
 * rows as it is tall, so the two columns stack independently (no row of one column waits for the
 * other), and items holding a chart come first in theirs. Each chart svg's on-screen scale (user
 * units per CSS pixel, getScreenCTM) goes into `--present-svg-scale`, so chart text is sized in
 * pixels as seen (≥ 18 px); the header's height goes into `--present-top` for the charts' height.
 */
function layoutPresenting(section: HTMLElement): void {
  const items = gridItems(section);
  for (const item of items) item.style.alignSelf = 'start'; // its own height, not its rows'
  for (const item of items) {
    const h = item.getBoundingClientRect().height;
    const cs = getComputedStyle(item);
    const rows = Math.max(1, Math.ceil(h + parseFloat(cs.marginTop) + parseFloat(cs.marginBottom) + ITEM_GAP_PX));
    item.style.gridRowEnd = `span ${rows}`;
    if (item.tagName !== 'HEADER' && !item.classList.contains('controls') && item.querySelector('svg[viewBox], canvas')) item.style.order = '-1';
  }
  const header = section.querySelector(':scope > header');
  if (header) section.style.setProperty('--present-top', `${Math.ceil(header.getBoundingClientRect().height)}px`);
  for (const svg of section.querySelectorAll<SVGSVGElement>('svg[viewBox]')) {
    const a = svg.getScreenCTM()?.a;
    if (a && Number.isFinite(a) && a > 0) svg.style.setProperty('--present-svg-scale', String(Math.floor(a * 1e4) / 1e4)); // rounded down: text never under 18 px
  }
}

function clearLayout(section: HTMLElement): void {
  for (const item of gridItems(section)) {
    item.style.removeProperty('grid-row-end');
    item.style.removeProperty('order');
    item.style.removeProperty('align-self');
  }
  section.style.removeProperty('--present-top');
  for (const svg of section.querySelectorAll<SVGSVGElement>('svg[viewBox]')) svg.style.removeProperty('--present-svg-scale');
}

/**
 * Makes everything but `section` (and the page's dialogs) inert while it is presented, so Tab and
 * screen readers stay in the presented widget; returns the undo.
 */
function inertAround(section: HTMLElement): () => void {
  const made: Element[] = [];
  for (let el: Element | null = section; el && el !== document.body; el = el.parentElement) {
    for (const sibling of el.parentElement?.children ?? []) {
      if (sibling === el || sibling.hasAttribute('inert') || sibling.tagName === 'SCRIPT') continue;
      sibling.setAttribute('inert', '');
      made.push(sibling);
    }
  }
  return () => {
    for (const el of made) el.removeAttribute('inert');
  };
}

/** While presenting: the section fixed to the viewport, charts measured, Escape and ←/→ handled. */
function usePresenting(frame: RefObject<HTMLElement | null>, on: boolean, exit: () => void, exitButton: RefObject<HTMLButtonElement | null>) {
  useEffect(() => {
    const section = frame.current;
    if (!on || !section) return;
    section.setAttribute('data-presenting', 'true');
    document.documentElement.setAttribute('data-presenting', 'true');
    const undoInert = inertAround(section);
    exitButton.current?.focus();
    let raf = 0;
    const resize = new ResizeObserver(() => remeasure());
    const remeasure = () => {
      cancelAnimationFrame(raf);
      raf = requestAnimationFrame(() => {
        layoutPresenting(section);
        resize.disconnect();
        resize.observe(section);
        for (const item of gridItems(section)) resize.observe(item);
      });
    };
    remeasure();
    const mutations = new MutationObserver(remeasure);
    mutations.observe(section, { childList: true, subtree: true });
    const onKey = (e: KeyboardEvent) => {
      if (e.defaultPrevented || e.altKey || e.ctrlKey || e.metaKey) return;
      if (e.key === 'Escape') {
        e.preventDefault();
        exit();
      } else if ((e.key === 'ArrowLeft' || e.key === 'ArrowRight') && !ownsKeys(e.target)) {
        const { deck, index } = presentSnapshot();
        const next = stepScene(index, e.key === 'ArrowLeft' ? -1 : 1, deck.scenes.length);
        if (next !== null && next !== index) {
          e.preventDefault();
          goToScene(next);
        }
      }
    };
    document.addEventListener('keydown', onKey);
    // Leaving the browser's full screen (its own Escape) leaves presenter mode too.
    const onFullscreen = () => {
      if (!document.fullscreenElement) exit();
    };
    document.addEventListener('fullscreenchange', onFullscreen);
    return () => {
      cancelAnimationFrame(raf);
      resize.disconnect();
      mutations.disconnect();
      document.removeEventListener('keydown', onKey);
      document.removeEventListener('fullscreenchange', onFullscreen);
      undoInert();
      clearLayout(section);
      section.removeAttribute('data-presenting');
      document.documentElement.removeAttribute('data-presenting');
    };
  }, [on, frame, exit, exitButton]);
}

/**
 * Presenter mode for a widget, loaded once a presenter is wanted on the page (PresentButton): the
 * "Present" button (and the `p` key while the widget has focus) shows the widget over the whole
 * viewport, controls beside charts, in large high-contrast type (app/styles/presenter.css), with
 * the deck of scenes; "Exit (Esc)" or Escape leaves it. Uses the Fullscreen API when the browser
 * grants it, and works without it. `startNow`: the learner asked for this widget before this code
 * had loaded.
 */
export function PresentMode({ frame, stateId, title, presentKey: key, startNow }: WidgetToolProps & { presentKey: string; startNow: boolean }) {
  const session = usePresentSession();
  const on = session.presenting === key;
  const exitButton = useRef<HTMLButtonElement>(null);
  const presentButton = useRef<HTMLButtonElement>(null);

  const start = useCallback(() => {
    startPresenting(key);
    document.documentElement.requestFullscreen?.().catch(() => undefined);
  }, [key]);
  const exit = useCallback(() => {
    stopPresenting(key);
    if (document.fullscreenElement) document.exitFullscreen().catch(() => undefined);
    requestAnimationFrame(() => presentButton.current?.focus());
  }, [key]);

  useEffect(() => {
    loadPageDeck();
    return registerPresenter(key, start);
  }, [key, start]);
  useEffect(() => {
    if (!startNow) return;
    clearPresentStart();
    start();
  }, [startNow, start]);
  usePresenting(frame, on, exit, exitButton);

  // `p` while focus is inside this widget, not in a box that takes typing.
  useEffect(() => {
    const section = frame.current;
    if (!section || on) return;
    const onKey = (e: KeyboardEvent) => {
      if (e.key !== PRESENT_KEY || e.altKey || e.ctrlKey || e.metaKey || e.defaultPrevented || ownsKeys(e.target)) return;
      e.preventDefault();
      start();
    };
    section.addEventListener('keydown', onKey);
    return () => section.removeEventListener('keydown', onKey);
  }, [frame, on, start]);

  if (!on) {
    const button = (
      <button ref={presentButton} type="button" className="widget-tool" onClick={start} aria-keyshortcuts={PRESENT_KEY} title="Show this widget full screen for a class (P)" data-testid="widget-present">
        Present
      </button>
    );
    if (!session.linkError || !isLeadPresenter(key)) return button;
    return (
      <>
        <span className="error-message deck-link-error" role="alert" data-testid="deck-link-error">
          {session.linkError}{' '}
          <button type="button" className="link-button" onClick={dismissLinkError}>
            Dismiss
          </button>
        </span>
        {button}
      </>
    );
  }
  return (
    <div className="present-bar" data-testid="present-bar">
      <DeckPanel stateId={stateId} title={title} session={session} />
      <button ref={exitButton} type="button" className="present-exit" onClick={exit} aria-keyshortcuts="Escape" data-testid="present-exit">
        Exit (Esc)
      </button>
    </div>
  );
}
