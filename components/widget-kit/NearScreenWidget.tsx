'use client';

import { Suspense, useRef, type ReactNode } from 'react';
import { useNearScreen } from '@/components/ui/useNearScreen';
import { WidgetFrame } from './WidgetFrame';

/**
 * Renders `children` — typically a React.lazy widget — only once the place it stands in comes near
 * the screen; until then, and while its code loads, a framed placeholder with the widget's title,
 * carrying the same test id. Keeps a heavy widget's code out of a lesson's first load.
 */
export function NearScreenWidget({ title, testId, children }: { title: string; testId: string; children: ReactNode }) {
  const ref = useRef<HTMLElement>(null);
  const near = useNearScreen(ref, '600px');
  const placeholder = (
    <WidgetFrame ref={ref} title={title} testId={testId} state="loading">
      <p className="widget-caption">Loading this widget…</p>
    </WidgetFrame>
  );
  return near ? <Suspense fallback={placeholder}>{children}</Suspense> : placeholder;
}
