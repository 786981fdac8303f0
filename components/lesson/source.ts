import { readFileSync } from 'node:fs';
import path from 'node:path';
import { extractQuiz } from '../../lib/lessons/quiz-ids';

/**
 * A lesson's MDX source, read from content/lessons/<slug>.mdx at build time (and by the tests):
 * the table of contents, the course home's quiz progress and the e2e suite read it. Node only.
 */
export function lessonSource(slug: string): string {
  return readFileSync(path.join(process.cwd(), 'content', 'lessons', `${slug}.mdx`), 'utf8');
}

/** The ids of a lesson's quiz questions, in order, read from its MDX source (lib/lessons/quiz-ids); empty when it has no quiz. */
export function lessonQuizIds(slug: string): string[] {
  return extractQuiz(lessonSource(slug))?.ids ?? [];
}
