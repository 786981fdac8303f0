/**
 * Look-ups over the glossary (./terms) and the lesson text it points into: a term by id, the
 * links to and from the glossary, and the section of a lesson's MDX that a heading opens, for the
 * check that a term is mentioned where it is said to be taught. Pure: the MDX source is passed in.
 */
import GithubSlugger from 'github-slugger';
import { headingText } from '../lessons/headings';
import { GLOSSARY, type GlossaryTerm, type TermLocation } from './terms';

export { GLOSSARY, type GlossaryTerm, type TermLocation };

const BY_ID = new Map(GLOSSARY.map((t) => [t.id, t]));

/** The glossary term with id `id`, or undefined. */
export function glossaryTerm(id: string): GlossaryTerm | undefined {
  return BY_ID.get(id);
}

/** The term's entry on the glossary page: `/glossary/#<id>`. */
export function glossaryHref(id: string): string {
  return `/glossary/#${id}`;
}

/** The lesson section a term points to: `/lessons/<slug>/#<heading>`. */
export function lessonHref(where: TermLocation): string {
  return `/lessons/${where.slug}/#${where.heading}`;
}

/** The glossary in alphabetical order of its terms (case- and accent-insensitive, as English sorts them). */
export function sortedGlossary(terms: readonly GlossaryTerm[] = GLOSSARY): GlossaryTerm[] {
  return [...terms].sort((a, b) => a.term.localeCompare(b.term, 'en', { sensitivity: 'base' }));
}

/** Text folded for comparison: lower case, hyphens and runs of spaces as one space. */
function fold(text: string): string {
  return text.toLowerCase().replace(/[-\s]+/g, ' ');
}

/** Whether `text` mentions the term or one of its aliases, ignoring case and hyphenation ("mixed-precision" is "mixed precision"). */
export function mentionsTerm(text: string, term: Pick<GlossaryTerm, 'term' | 'aliases'>): boolean {
  const haystack = fold(text);
  return [term.term, ...(term.aliases ?? [])].some((name) => haystack.includes(fold(name)));
}

/**
 * The lines of an MDX source from the `##`/`###` heading whose id is `headingId` (ids as
 * lib/lessons/headings extractHeadings gives them: github-slugger over every heading in order) up
 * to the next heading of the same or a higher level; null when no heading has that id. Headings in
 * fenced code are skipped, as extractHeadings skips them.
 */
export function lessonSection(source: string, headingId: string): string | null {
  const slugger = new GithubSlugger();
  const lines = source.split(/\r?\n/);
  let fence: string | null = null;
  let start = -1;
  let depth = 0;
  for (let i = 0; i < lines.length; i += 1) {
    const fenceMatch = /^\s*(```|~~~)/.exec(lines[i]);
    if (fenceMatch) {
      if (fence === null) fence = fenceMatch[1];
      else if (fence === fenceMatch[1]) fence = null;
      continue;
    }
    if (fence !== null) continue;
    const m = /^(#{1,6})\s+(.+?)\s*$/.exec(lines[i]);
    if (!m) continue;
    const id = slugger.slug(headingText(m[2]));
    if (start >= 0 && m[1].length <= depth) return lines.slice(start, i).join('\n');
    if (start < 0 && id === headingId) {
      start = i;
      depth = m[1].length;
    }
  }
  return start >= 0 ? lines.slice(start).join('\n') : null;
}
