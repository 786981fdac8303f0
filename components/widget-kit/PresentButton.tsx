'use client';

import { lazy, Suspense, useEffect, useId, useSyncExternalStore } from 'react';
import { OFF, PRESENT_KEY, activatePresenter, hasDeckLink, ownsKeys, presentActivation } from './PresentKeys';
import type { WidgetToolProps } from './WidgetTools';

const PresentMode = lazy(() => import('./PresentMode').then((m) => ({ default: m.PresentMode })));

/**
 * The widget's "Present" button (and the `p` key while the widget has focus; docs/design.md,
 * widget kit). Presenter mode's code — PresentMode, the deck — loads on the first press on the
 * page, or at once when the page was opened with a deck link; every widget's button then becomes
 * PresentMode's, so scenes can move between widgets.
 */
export function PresentButton(props: WidgetToolProps) {
  const generated = useId();
  const key = props.stateId ?? generated;
  const activation = useSyncExternalStore(presentActivation.subscribe, presentActivation.getSnapshot, () => OFF);
  const { frame } = props;

  useEffect(() => {
    if (!presentActivation.getSnapshot().on && hasDeckLink()) activatePresenter(null);
  }, []);
  useEffect(() => {
    const section = frame.current;
    if (!section || activation.on) return;
    const onKey = (e: KeyboardEvent) => {
      if (e.key !== PRESENT_KEY || e.altKey || e.ctrlKey || e.metaKey || e.defaultPrevented || ownsKeys(e.target)) return;
      e.preventDefault();
      activatePresenter(key);
    };
    section.addEventListener('keydown', onKey);
    return () => section.removeEventListener('keydown', onKey);
  }, [frame, activation.on, key]);

  const button = (
    <button type="button" className="widget-tool" onClick={() => activatePresenter(key)} aria-keyshortcuts={PRESENT_KEY} title="Show this widget full screen for a class (P)" data-testid="widget-present">
      Present
    </button>
  );
  if (!activation.on) return button;
  return (
    <Suspense fallback={button}>
      <PresentMode {...props} presentKey={key} startNow={activation.start === key} />
    </Suspense>
  );
}
