'use client';

import { lazy, Suspense, useRef, type ComponentProps } from 'react';
import { useNearScreen } from '@/components/ui/useNearScreen';
import type { LessonCell as LessonCellType } from './LessonCell';

const LessonCell = lazy(() => import('./LessonCell').then((m) => ({ default: m.LessonCell })));

/**
 * A lesson's code cell whose code loads when it nears the screen: until then (and while it loads)
 * the page shows the cell's caption and code as plain text, so a lesson's first load carries no
 * notebook code.
 */
export function LazyLessonCell(props: ComponentProps<typeof LessonCellType>) {
  const ref = useRef<HTMLElement>(null);
  const near = useNearScreen(ref, '600px');
  const preview = (
    <section ref={ref} className="widget nb-lesson-cell" aria-label={props.caption ? `Code cell: ${props.caption}` : 'Code cell'} data-testid="code-cell-preview">
      <div className="nb-cell">
        {props.caption ? <p className="nb-caption">{props.caption}</p> : null}
        <div className="nb-editor">
          <pre className="nb-static">{props.original}</pre>
        </div>
      </div>
    </section>
  );
  if (!near) return preview;
  return (
    <Suspense fallback={preview}>
      <LessonCell {...props} />
    </Suspense>
  );
}
