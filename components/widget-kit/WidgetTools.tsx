'use client';

import { lazy, Suspense, type ReactNode, type RefObject } from 'react';
import { useHydrated } from './useHydrated';

export interface WidgetToolProps {
  /** The widget's section element (WidgetFrame's). */
  frame: RefObject<HTMLElement | null>;
  /** The widget's URL state id (useWidgetState), when it has settings. */
  stateId?: string;
  /** The widget's title, for names of scenes and exported files. */
  title: ReactNode;
}

// The tools load once the page is live, after its first load: a lesson's first-load JavaScript stays
// within its budget (docs/design.md), and a tool cannot be pressed before React hydrates anyway.
const WidgetToolBar = lazy(() => import('./WidgetToolBar'));

/** The tools in every widget's header: present full screen, reset, export what it shows. */
export function WidgetTools(props: WidgetToolProps) {
  const hydrated = useHydrated();
  return (
    <div className="widget-tools">
      {hydrated && (
        <Suspense fallback={null}>
          <WidgetToolBar {...props} />
        </Suspense>
      )}
    </div>
  );
}
