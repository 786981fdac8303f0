/**
 * Builds the search index (./search) at build time from what the lessons' sources say: each
 * lesson's title, its `##`/`###` headings (ids as lib/lessons/headings gives them), its quiz's
 * prompts (./quiz-prompts), and the glossary (lib/glossary). The caller reads the sources (a server
 * component); this is pure.
 */
import type { GlossaryTerm } from '../glossary/terms';
import { questionAnchor } from './anchor';
import type { SearchEntry } from './search';

/** What the index needs of one lesson. */
export interface LessonForIndex {
  slug: string;
  title: string;
  headings: readonly { id: string; text: string }[];
  questions: readonly { id: string; prompt: string }[];
}

export { questionAnchor };

/**
 * The index: for each lesson in order its title, its headings and its questions, then the
 * glossary's terms. A heading leads to `/lessons/<slug>/#<id>`, a question to its element in the
 * lesson's quiz (`#quiz-<id>`), a term to `/glossary/#<id>`.
 */
export function buildSearchIndex(lessons: readonly LessonForIndex[], glossary: readonly GlossaryTerm[]): SearchEntry[] {
  const entries: SearchEntry[] = [];
  for (const lesson of lessons) {
    const base = `/lessons/${lesson.slug}/`;
    entries.push({ kind: 'lesson', title: lesson.title, href: base, context: 'Lesson' });
    for (const h of lesson.headings) entries.push({ kind: 'section', title: h.text, href: `${base}#${h.id}`, context: lesson.title });
    for (const q of lesson.questions) {
      entries.push({ kind: 'question', title: q.prompt, href: `${base}#${questionAnchor(q.id)}`, context: `Quiz · ${lesson.title}` });
    }
  }
  for (const t of glossary) {
    const entry: SearchEntry = { kind: 'term', title: t.term, href: `/glossary/#${t.id}`, context: 'Glossary' };
    if (t.aliases && t.aliases.length > 0) entry.keywords = t.aliases.join(' · ');
    entries.push(entry);
  }
  return entries;
}

/**
 * The index as it travels to the browser: the lessons' slugs and titles once, and each entry as a
 * tuple [kind, title, lesson (index into `lessons`, −1 for a term), anchor, keywords?], from which
 * {@link unpackSearchIndex} rebuilds the links and contexts. About half the size of the entries.
 */
export interface PackedSearchIndex {
  lessons: readonly (readonly [slug: string, title: string])[];
  entries: readonly (readonly [kind: number, title: string, lesson: number, anchor: string, keywords?: string])[];
}

const KINDS = ['lesson', 'section', 'question', 'term'] as const;

/** Packs {@link buildSearchIndex}'s input into a {@link PackedSearchIndex}; unpacking gives the same entries. */
export function packSearchIndex(lessons: readonly LessonForIndex[], glossary: readonly GlossaryTerm[]): PackedSearchIndex {
  const entries: [number, string, number, string, string?][] = [];
  lessons.forEach((lesson, i) => {
    entries.push([0, lesson.title, i, '']);
    for (const h of lesson.headings) entries.push([1, h.text, i, h.id]);
    for (const q of lesson.questions) entries.push([2, q.prompt, i, questionAnchor(q.id)]);
  });
  for (const t of glossary) {
    const entry: [number, string, number, string, string?] = [3, t.term, -1, t.id];
    if (t.aliases && t.aliases.length > 0) entry.push(t.aliases.join(' · '));
    entries.push(entry);
  }
  return { lessons: lessons.map((l) => [l.slug, l.title] as const), entries };
}

/** The entries of a packed index (see {@link packSearchIndex}). */
export function unpackSearchIndex(packed: PackedSearchIndex): SearchEntry[] {
  return packed.entries.map(([k, title, i, anchor, keywords]) => {
    const kind = KINDS[k];
    const lesson = packed.lessons[i];
    const href = kind === 'term' ? `/glossary/#${anchor}` : `/lessons/${lesson[0]}/${anchor ? `#${anchor}` : ''}`;
    const context = kind === 'term' ? 'Glossary' : kind === 'lesson' ? 'Lesson' : kind === 'question' ? `Quiz · ${lesson[1]}` : lesson[1];
    const entry: SearchEntry = { kind, title, href, context };
    if (keywords !== undefined) entry.keywords = keywords;
    return entry;
  });
}
