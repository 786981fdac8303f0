'use client';

import { Suspense, useRef, type ReactNode } from 'react';
import { useNearScreen } from '@/components/ui/useNearScreen';

/**
 * Renders `children` — typically a React.lazy widget — only once the place it stands in comes near
 * the screen; until then, and while its code loads, a framed placeholder with the widget's title,
 * carrying the same test id. Keeps a heavy widget's code out of a lesson's first load.
 */
export function NearScreenWidget({ title, testId, children }: { title: string; testId: string; children: ReactNode }) {
  const ref = useRef<HTMLElement>(null);
  const near = useNearScreen(ref, '600px');
  const placeholder = (
    <section ref={ref} className="widget" data-testid={testId} data-state="loading" aria-label={title}>
      <header>
        <h3>{title}</h3>
      </header>
      <p className="widget-caption">Loading this widget…</p>
    </section>
  );
  return near ? <Suspense fallback={placeholder}>{children}</Suspense> : placeholder;
}
