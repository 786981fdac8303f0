import type { ReactNode } from 'react';

/** A boxed aside in a lesson: a "Try this" prompt, a recap, or a note; `id` makes it a link target. */
export function Callout({ title, kind = 'note', id, children }: { title?: string; kind?: 'note' | 'try' | 'recap'; id?: string; children: ReactNode }) {
  const heading = title ?? (kind === 'try' ? 'Try this' : kind === 'recap' ? 'Recap' : 'Note');
  return (
    <aside id={id} className={`callout callout-${kind}${kind === 'try' ? ' try-this' : ''}`} aria-label={heading}>
      <strong className="callout-title">{heading}</strong>
      {children}
    </aside>
  );
}

export function TryThis({ children }: { children: ReactNode }) {
  return <Callout kind="try">{children}</Callout>;
}
