import { lessonSource } from '@/components/lesson/source';
import { LESSONS } from '@/content/lessons';
import { GLOSSARY } from '@/lib/glossary/terms';
import { extractHeadings } from '@/lib/lessons/headings';
import { packSearchIndex } from '@/lib/search/build';
import { quizPrompts } from '@/lib/search/quiz-prompts';
import { SearchBox } from './SearchBox';

/**
 * The site's search box (in the header). Renders on the server at build time: it reads every
 * lesson's MDX source for its headings and quiz prompts, adds the glossary, and hands the packed
 * index (lib/search/build) to the box, which searches it in the browser with no request.
 */
export function Search() {
  const lessons = LESSONS.map(({ slug, title }) => {
    const source = lessonSource(slug);
    return { slug, title, headings: extractHeadings(source), questions: quizPrompts(source) };
  });
  return <SearchBox index={packSearchIndex(lessons, GLOSSARY)} />;
}
