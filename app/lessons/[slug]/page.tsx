import type { Metadata } from 'next';
import Link from 'next/link';
import { notFound } from 'next/navigation';
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { LESSONS } from '@/content/lessons';
import { extractHeadings } from '@/lib/lessons/headings';
import { lessonNeighbours } from '@/lib/lessons/order';
import 'katex/dist/katex.min.css';

export const dynamicParams = false;

export function generateStaticParams() {
  return LESSONS.map(({ slug }) => ({ slug }));
}

type Props = { params: Promise<{ slug: string }> };

export async function generateMetadata({ params }: Props): Promise<Metadata> {
  const { slug } = await params;
  const found = lessonNeighbours(LESSONS, slug);
  return found ? { title: found.lesson.title, description: found.lesson.summary } : {};
}

export default async function LessonPage({ params }: Props) {
  const { slug } = await params;
  const found = lessonNeighbours(LESSONS, slug);
  if (!found) notFound();
  const { lesson, index, previous, next } = found;
  const source = await readFile(path.join(process.cwd(), 'content', 'lessons', `${slug}.mdx`), 'utf8');
  const headings = extractHeadings(source);
  const { default: Lesson } = await import(`@/content/lessons/${slug}.mdx`);

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
          <ol>
            {headings.map((h) => (
              <li key={h.id} className={`depth-${h.depth}`}>
                <a href={`#${h.id}`}>{h.text}</a>
              </li>
            ))}
          </ol>
        </nav>
      )}
      <div className="lesson-body">
        <Lesson />
      </div>
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
