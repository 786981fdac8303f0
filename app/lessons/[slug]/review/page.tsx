import type { MDXContent } from 'mdx/types';
import type { Metadata } from 'next';
import Link from 'next/link';
import { lessonQuizIds } from '@/components/lesson/source';
import { findQuizProps, QuizReview } from '@/components/mdx/quiz/QuizReview';
import { LESSONS } from '@/content/lessons';

interface Props {
  params: Promise<{ slug: string }>;
}

export const dynamicParams = false;

/** One review page per lesson that has a quiz. */
export function generateStaticParams(): { slug: string }[] {
  return LESSONS.filter(({ slug }) => lessonQuizIds(slug).length > 0).map(({ slug }) => ({ slug }));
}

function lessonTitle(slug: string): string {
  const lesson = LESSONS.find((l) => l.slug === slug);
  if (!lesson) throw new Error(`Lesson "${slug}" is not in content/lessons/index.ts`);
  return lesson.title;
}

export async function generateMetadata({ params }: Props): Promise<Metadata> {
  const title = lessonTitle((await params).slug);
  return { title: `Quiz review: ${title}`, description: `Every question of the quiz of “${title}”, with its answer and explanation.` };
}

/**
 * /lessons/<slug>/review/: the lesson's quiz, every question with its answer and explanation
 * (components/mdx/quiz/QuizReview). The questions are taken from the lesson's own `<Quiz>`
 * element: the MDX content is called as a function, which returns its element tree without
 * rendering anything in it, and the Quiz element's props are read from that tree.
 */
export default async function ReviewPage({ params }: Props) {
  const { slug } = await params;
  const title = lessonTitle(slug);
  const { default: Lesson }: { default: MDXContent } = await import(`@/content/lessons/${slug}.mdx`);
  const quiz = findQuizProps(Lesson({}));
  if (!quiz) throw new Error(`Lesson "${slug}" has no <Quiz> element to review`);
  return (
    <article className="column" data-testid="review">
      <header className="lesson-header">
        <p className="meta">
          <Link href={`/lessons/${slug}/`}>← {title}</Link>
        </p>
        <h1>Quiz review: {title}</h1>
        <p className="meta">
          Every question with its answer and explanation. To ask them in class with the answers hidden, open the{' '}
          <Link href={`/lessons/${slug}/?class=1#lesson-quiz`}>quiz in class mode</Link>.
        </p>
      </header>
      <QuizReview lesson={quiz.lesson} questions={quiz.questions} />
    </article>
  );
}
