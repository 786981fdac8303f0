import type { Metadata } from 'next';
import Link from 'next/link';
import { lessonSource } from '@/components/lesson/source';
import { LESSONS } from '@/content/lessons';
import { glossaryHref, glossaryTerm, lessonHref, sortedGlossary, type GlossaryTerm } from '@/lib/glossary/glossary';
import { extractHeadings } from '@/lib/lessons/headings';

export const metadata: Metadata = {
  title: 'Glossary',
  description: 'The terms the course uses, each with a short definition and a link to the lesson section that teaches it.',
};

/** Where a term is taught (or only mentioned): the lesson's title and the section's heading, read from the MDX at build time. */
function Where({ term }: { term: GlossaryTerm }) {
  if (term.where === null) return <p className="glossary-where">Not covered by this course.</p>;
  const { slug, heading } = term.where;
  const lesson = LESSONS.find((l) => l.slug === slug);
  const section = extractHeadings(lessonSource(slug)).find((h) => h.id === heading);
  if (!lesson || !section) throw new Error(`Glossary "${term.id}": no section ${slug}#${heading}`);
  return (
    <p className="glossary-where">
      {term.taught === false ? 'Mentioned, not taught, in ' : 'Taught in '}
      <Link href={lessonHref(term.where)} data-testid={`glossary-lesson-${term.id}`}>
        {lesson.title} › {section.text}
      </Link>
    </p>
  );
}

/** The glossary: every term of lib/glossary in alphabetical order, with its definition, its lesson section and related terms. */
export default function GlossaryPage() {
  const terms = sortedGlossary();
  return (
    <article className="column glossary" data-testid="glossary">
      <header className="lesson-header">
        <h1>Glossary</h1>
        <p className="meta">
          {terms.length} terms the course uses, each linked to the section that teaches it. In the lessons, a term’s first
          mention links here.
        </p>
      </header>
      <nav className="glossary-index" aria-label="Terms">
        {terms.map((t) => (
          <a key={t.id} href={`#${t.id}`}>
            {t.term}
          </a>
        ))}
      </nav>
      <dl className="glossary-list">
        {terms.map((t) => (
          <div key={t.id} id={t.id} className="glossary-entry" data-testid={`glossary-term-${t.id}`} tabIndex={-1}>
            <dt>
              {t.term}
              {t.aliases && t.aliases.length > 0 ? <span className="glossary-aliases"> — also {t.aliases.join(', ')}</span> : null}
            </dt>
            <dd>
              <p>{t.definition}</p>
              <Where term={t} />
              {t.seeAlso && t.seeAlso.length > 0 ? (
                <p className="glossary-see">
                  See also{' '}
                  {t.seeAlso.map((id, i) => (
                    <span key={id}>
                      {i > 0 ? ', ' : null}
                      <a href={glossaryHref(id).replace('/glossary/', '')}>{glossaryTerm(id)?.term ?? id}</a>
                    </span>
                  ))}
                  .
                </p>
              ) : null}
            </dd>
          </div>
        ))}
      </dl>
    </article>
  );
}
