/**
 * The site's search: a small index of lesson titles, lesson headings, glossary terms and quiz
 * questions, built at build time (./build) and searched in the browser as the learner types, with
 * no server. Pure: no DOM.
 *
 * Matching: the query and every field are folded (lower case, accents and punctuation removed, so
 * "LLM.int8()" is "llm int8" and "kv-cache" is "kv cache"); every word of the query must begin a
 * word of the entry (a word "int8" also matches inside "llmint8" only as a prefix of a word). The
 * score adds, per query word, more for a match in the title than in the keywords (aliases) or the
 * context, and more for a whole word than for a prefix; a title equal to, or starting with, the
 * whole query scores most. Ties keep kinds in the order term, section, lesson, question.
 */

/** What a result is: a lesson, a heading of a lesson, a glossary term, a quiz question. */
export type SearchKind = 'term' | 'section' | 'lesson' | 'question';

/** One searchable thing. Compact: it is serialised into the page. */
export interface SearchEntry {
  kind: SearchKind;
  /** What the result shows, and what counts most. */
  title: string;
  /** Where it leads: `/lessons/<slug>/#<heading>`, `/glossary/#<id>`, … */
  href: string;
  /** Where it is (the lesson's title), shown under the title and searched too. */
  context: string;
  /** Other names (a term's aliases), searched but not shown. */
  keywords?: string;
}

/** A result: the entry and its score. */
export interface SearchResult {
  entry: SearchEntry;
  score: number;
}

const KIND_ORDER: Record<SearchKind, number> = { term: 0, section: 1, lesson: 2, question: 3 };

/** Text folded for matching: NFKD without combining marks, lower case, every run of non-letters/digits one space. */
export function foldText(text: string): string {
  return text
    .normalize('NFKD')
    .replace(/\p{M}/gu, '')
    .toLowerCase()
    .replace(/[^\p{L}\p{N}]+/gu, ' ')
    .trim();
}

/** How well one query word matches the words of a field: 2 a whole word, 1 the start of a word, 0 none. */
function wordMatch(word: string, fieldWords: readonly string[]): number {
  let best = 0;
  for (const w of fieldWords) {
    if (w === word) return 2;
    if (w.startsWith(word)) best = 1;
  }
  return best;
}

interface Folded {
  title: string;
  titleWords: string[];
  keywords: string[];
  context: string[];
}

function foldEntry(entry: SearchEntry): Folded {
  const title = foldText(entry.title);
  return {
    title,
    titleWords: title.split(' '),
    keywords: foldText(entry.keywords ?? '').split(' '),
    context: foldText(entry.context).split(' '),
  };
}

/** The entry's score for the folded query words, or 0 when some word matches nowhere. */
function scoreEntry(f: Folded, words: readonly string[], phrase: string): number {
  let score = 0;
  for (const word of words) {
    const inTitle = wordMatch(word, f.titleWords);
    const inKeywords = wordMatch(word, f.keywords);
    const inContext = wordMatch(word, f.context);
    if (inTitle + inKeywords + inContext === 0) return 0;
    score += Math.max(inTitle * 5, inKeywords * 4, inContext);
  }
  if (f.title === phrase) score += 20;
  else if (f.title.startsWith(phrase)) score += 8;
  // A phrase equal to a whole alias ("pagedattention", "ptq") is as good as the title.
  else if (` ${f.keywords.join(' ')} `.includes(` ${phrase} `)) score += 12;
  return score;
}

/**
 * Searches the index: the entries in which every word of `query` starts a word of the title, the
 * keywords or the context, best first (ties: term, section, lesson, question, then index order),
 * at most `limit`. An empty query gives no results.
 */
export function searchIndex(index: readonly SearchEntry[], query: string, limit = 10): SearchResult[] {
  const phrase = foldText(query);
  if (phrase === '') return [];
  const words = phrase.split(' ');
  const results: (SearchResult & { order: number })[] = [];
  index.forEach((entry, order) => {
    const score = scoreEntry(foldEntry(entry), words, phrase);
    if (score > 0) results.push({ entry, score, order });
  });
  results.sort((a, b) => b.score - a.score || KIND_ORDER[a.entry.kind] - KIND_ORDER[b.entry.kind] || a.order - b.order);
  return results.slice(0, limit).map(({ entry, score }) => ({ entry, score }));
}
