import type { Metadata } from 'next';
import Link from 'next/link';
import type { ReactNode } from 'react';
import { NotebookProvider } from '@/components/notebook/NotebookProvider';
import { LESSONS } from '@/content/lessons';
import { extractHeadings, tocSections, type Heading } from '@/lib/lessons/headings';
import { lessonNeighbours } from '@/lib/lessons/order';
import { lessonSource } from './source';
import 'katex/dist/katex.min.css';

function find(slug: string) {
  const found = lessonNeighbours(LESSONS, slug);
  if (!found) throw new Error(`Lesson "${slug}" is not in content/lessons/index.ts`);
  return found;
}

/** The page metadata of a lesson, from the course index. */
export function lessonMetadata(slug: string): Metadata {
  const { lesson } = find(slug);
  return { title: lesson.title, description: lesson.summary };
}

/** The `###` entries of the table of contents: unnumbered, under their section. */
function TocSubsections({ headings }: { headings: readonly Heading[] }) {
  return (
    <ul>
      {headings.map((h) => (
        <li key={h.id}>
          <a href={`#${h.id}`}>{h.text}</a>
        </li>
      ))}
    </ul>
  );
}

/**
 * The frame of every lesson page: title, minutes, the table of contents (the MDX source's
 * headings, read at build time), the lesson itself, and links to its neighbours. The route
 * (app/lessons/[slug]/page.tsx) passes the lesson's MDX as `children`.
 */
export function LessonPage({ slug, children }: { slug: string; children: ReactNode }) {
  const { lesson, index, previous, next } = find(slug);
  const headings = extractHeadings(lessonSource(slug));
  const toc = tocSections(headings);
  return (
    <article className="column" data-lesson={slug}>
      <header className="lesson-header">
        <p className="meta">
          Lesson {index + 1} of {LESSONS.length} · {lesson.minutes} min
        </p>
        <h1>{lesson.title}</h1>
      </header>
      {headings.length > 0 && (
        <nav className="toc" aria-labelledby="toc-title" data-testid="toc">
          <h2 id="toc-title">On this page</h2>
          {toc.leading.length > 0 && <TocSubsections headings={toc.leading} />}
          <ol>
            {toc.sections.map(({ heading, subsections }) => (
              <li key={heading.id}>
                <a href={`#${heading.id}`}>{heading.text}</a>
                {subsections.length > 0 && <TocSubsections headings={subsections} />}
              </li>
            ))}
          </ol>
        </nav>
      )}
      {/* One notebook kernel per lesson page, shared by its <CodeCell>s; it starts on the first Run. */}
      <NotebookProvider>
        <div className="lesson-body">{children}</div>
      </NotebookProvider>
      <nav className="pager" aria-label="Previous and next lesson">
        {previous && (
          <Link href={`/lessons/${previous.slug}/`} className="previous" rel="prev">
            <small>← Previous</small>
            {previous.title}
          </Link>
        )}
        {next && (
          <Link href={`/lessons/${next.slug}/`} className="next" rel="next">
            <small>Next →</small>
            {next.title}
          </Link>
        )}
      </nav>
    </article>
  );
}
