import type { Metadata } from 'next';
import Link from 'next/link';
import { LESSONS } from '@/content/lessons';

export const metadata: Metadata = {
  title: 'Page not found',
  robots: { index: false, follow: false },
};

const STATUS = 404;

/** The static export's 404.html: what happened, and the ways back into the course. */
export default function NotFound() {
  return (
    <div className="column not-found" data-testid="not-found">
      <p className="bits" aria-hidden="true">{STATUS.toString(2)}</p>
      <p className="code">Error {STATUS} · 0b{STATUS.toString(2)}</p>
      <h1>Page not found</h1>
      <p>
        Nothing lives at this address — perhaps a link lost a few bits on the way. The course, its notebook and its
        benchmarks are all still here.
      </p>
      <ul>
        <li>
          <Link href="/">The course home</Link>, with every lesson
        </li>
        {LESSONS[0] && (
          <li>
            Start at the beginning: <Link href={`/lessons/${LESSONS[0].slug}/`}>{LESSONS[0].title}</Link>
          </li>
        )}
        <li>
          <Link href="/notebook/">The notebook</Link>
        </li>
      </ul>
    </div>
  );
}
