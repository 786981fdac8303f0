import type { MDXContent } from 'mdx/types';
import type { Metadata } from 'next';
import { LessonPage, lessonMetadata } from '@/components/lesson/LessonPage';
import { LESSONS } from '@/content/lessons';
import { assertValidLessonIndex } from '@/lib/lessons/order';

interface Props {
  params: Promise<{ slug: string }>;
}

/** One page per entry of the lesson index, and no other: /lessons/<slug>/ for any other slug is a 404. */
export const dynamicParams = false;

export function generateStaticParams(): { slug: string }[] {
  assertValidLessonIndex(LESSONS); // a repeated or malformed slug fails the build
  return LESSONS.map(({ slug }) => ({ slug }));
}

export async function generateMetadata({ params }: Props): Promise<Metadata> {
  return lessonMetadata((await params).slug);
}

/**
 * A lesson page: the lesson's MDX in the lesson frame. The import names the MDX by its slug, so
 * the bundler compiles every content/lessons/*.mdx into this one route. A route has one
 * first-load bundle for all its pages, so lessons place their widgets through
 * components/mdx/widgets.tsx, which loads each one's code only on the pages that render it
 * (`npm run check:bundle` measures each page).
 */
export default async function Page({ params }: Props) {
  const { slug } = await params;
  const { default: Lesson }: { default: MDXContent } = await import(`@/content/lessons/${slug}.mdx`);
  return (
    <LessonPage slug={slug}>
      <Lesson />
    </LessonPage>
  );
}
