'use client';

import Link from 'next/link';
import { usePathname } from 'next/navigation';

/** The ordered lesson list of the sidebar; marks the current lesson with aria-current. */
export function LessonNav({ lessons }: { lessons: { slug: string; title: string }[] }) {
  const pathname = usePathname();
  return (
    <nav className="lesson-nav" aria-label="Lessons">
      <ol>
        {lessons.map(({ slug, title }) => {
          const href = `/lessons/${slug}/`;
          const current = pathname === href || pathname === href.slice(0, -1);
          return (
            <li key={slug}>
              <Link href={href} aria-current={current ? 'page' : undefined}>
                {title}
              </Link>
            </li>
          );
        })}
      </ol>
    </nav>
  );
}
