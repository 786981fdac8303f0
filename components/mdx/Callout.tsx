import type { ReactNode } from 'react';

/**
 * A boxed aside in a lesson: a "Try this" prompt, a recap, or a note; `id` makes it a link target.
 * It is a `note` (ARIA's role for parenthetic content in the flow of the text), not an `<aside>`:
 * an aside with a name is a complementary landmark, and a lesson with six "Try this" boxes listed
 * six landmarks of the same name. Its visible title is read first, so screen readers announce it.
 */
export function Callout({ title, kind = 'note', id, children }: { title?: string; kind?: 'note' | 'try' | 'recap'; id?: string; children: ReactNode }) {
  const heading = title ?? (kind === 'try' ? 'Try this' : kind === 'recap' ? 'Recap' : 'Note');
  return (
    <div id={id} role="note" className={`callout callout-${kind}${kind === 'try' ? ' try-this' : ''}`} aria-label={heading}>
      <strong className="callout-title">{heading}</strong>
      {children}
    </div>
  );
}

export function TryThis({ children }: { children: ReactNode }) {
  return <Callout kind="try">{children}</Callout>;
}
