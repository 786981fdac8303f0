import type { ReactNode } from 'react';
import { glossaryHref, glossaryTerm } from '@/lib/glossary/glossary';

/**
 * A term of the glossary where a lesson first uses it, `<Term id="nf4">NF4</Term>`: the words stay
 * as written, become a link to the term's glossary entry (/glossary/#<id>), and show the short
 * definition (lib/glossary/terms) as a tooltip on hover or keyboard focus. Registered in
 * mdx-components.tsx, so lessons use it without an import. An unknown id fails the build. Each id
 * is used once per lesson (its first mention; the unit test checks it), which keeps the tooltip's
 * element id unique on the page.
 */
export function Term({ id, children }: { id: string; children: ReactNode }) {
  const term = glossaryTerm(id);
  if (!term) throw new Error(`<Term id="${id}">: no such term in lib/glossary/terms.ts`);
  const tipId = `term-tip-${id}`;
  return (
    <span className="term">
      <a className="term-link" href={glossaryHref(id)} aria-describedby={tipId} data-term={id}>
        {children}
      </a>
      <span className="term-tip" id={tipId} role="tooltip">
        <strong>{term.term}</strong>: {term.definition}
      </span>
    </span>
  );
}
