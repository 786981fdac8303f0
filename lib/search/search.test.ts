import { describe, expect, it } from 'vitest';
import { lessonSource } from '@/components/lesson/source';
import { LESSONS } from '@/content/lessons';
import { GLOSSARY } from '../glossary/terms';
import { extractHeadings } from '../lessons/headings';
import { extractQuiz } from '../lessons/quiz-ids';
import { buildSearchIndex, packSearchIndex, questionAnchor, unpackSearchIndex } from './build';
import { quizPrompts } from './quiz-prompts';
import { foldText, searchIndex, type SearchEntry } from './search';

const entry = (kind: SearchEntry['kind'], title: string, extra: Partial<SearchEntry> = {}): SearchEntry => ({
  kind,
  title,
  href: `/${kind}/${foldText(title).replace(/ /g, '-')}`,
  context: 'Somewhere',
  ...extra,
});

describe('foldText', () => {
  it('lowers case and drops accents and punctuation', () => {
    expect(foldText('LLM.int8()')).toBe('llm int8');
    expect(foldText('  KV-cache, Café ')).toBe('kv cache cafe');
  });
});

describe('searchIndex', () => {
  const index = [
    entry('question', 'Why does the KV cache grow with the batch?'),
    entry('section', 'The KV cache'),
    entry('term', 'KV cache', { keywords: 'key-value cache' }),
    entry('term', 'PagedAttention', { keywords: 'vLLM' }),
    entry('section', 'Blocks and absmax', { context: '4-bit: NF4' }),
  ];

  it('puts the term whose title is the query first, then headings, then questions', () => {
    expect(searchIndex(index, 'kv cache').map((r) => r.entry.title)).toEqual(['KV cache', 'The KV cache', 'Why does the KV cache grow with the batch?']);
  });
  it('needs every word of the query, each at the start of a word, in the title, keywords or context', () => {
    expect(searchIndex(index, 'kv batch').map((r) => r.entry.kind)).toEqual(['question']);
    expect(searchIndex(index, 'ache')).toEqual([]);
    expect(searchIndex(index, 'abs').map((r) => r.entry.title)).toEqual(['Blocks and absmax']);
    expect(searchIndex(index, 'nf4 blocks').map((r) => r.entry.title)).toEqual(['Blocks and absmax']);
  });
  it('finds a term by an alias, ignoring case and punctuation', () => {
    expect(searchIndex(index, 'VLLM')[0].entry.title).toBe('PagedAttention');
    expect(searchIndex(index, 'key value')[0].entry.title).toBe('KV cache');
  });
  it('gives nothing for an empty query, and at most `limit` results', () => {
    expect(searchIndex(index, '  ')).toEqual([]);
    expect(searchIndex(index, 'kv', 1)).toHaveLength(1);
  });
});

describe('quizPrompts', () => {
  it('reads each question’s id and prompt, with escapes, from the <Quiz> element only', () => {
    const source = [
      "Some prose with id: 'not-this'.",
      '<Quiz lesson="x" questions={[',
      "  { id: 'a', kind: 'choice', prompt: 'It\\'s \"one\"?', options: ['y'], answer: 0 },",
      '  { id: "b", kind: \'numeric\', prompt: `Two\\u00b2`, answer: 4 },',
      ']} />',
    ].join('\n');
    expect(quizPrompts(source)).toEqual([
      { id: 'a', prompt: 'It\'s "one"?' },
      { id: 'b', prompt: 'Two²' },
    ]);
    expect(quizPrompts('no quiz')).toEqual([]);
  });
  it('fails on a question without a readable prompt', () => {
    expect(() => quizPrompts("<Quiz questions={[{ id: 'a', prompt: `x ${'{'}y}` }]} />")).toThrow(/not a plain string literal/);
    expect(() => quizPrompts("<Quiz questions={[{ id: 'a' }, { id: 'b', prompt: 'p' }]} />")).toThrow(/"a" has no prompt/);
  });
  for (const { slug } of LESSONS) {
    it(`${slug}: finds the same questions as lib/lessons/quiz-ids`, () => {
      const source = lessonSource(slug);
      const prompts = quizPrompts(source);
      expect(prompts.map((p) => p.id)).toEqual(extractQuiz(source)?.ids ?? []);
      for (const p of prompts) expect(p.prompt.length).toBeGreaterThan(10);
    });
  }
});

describe('buildSearchIndex over the course', () => {
  const lessons = LESSONS.map(({ slug, title }) => {
    const source = lessonSource(slug);
    return { slug, title, headings: extractHeadings(source), questions: quizPrompts(source) };
  });
  const index = buildSearchIndex(lessons, GLOSSARY);

  it('holds every lesson, heading, question and term once, with links to them', () => {
    const count = (kind: string) => index.filter((e) => e.kind === kind).length;
    expect(count('lesson')).toBe(LESSONS.length);
    expect(count('section')).toBe(lessons.reduce((n, l) => n + l.headings.length, 0));
    expect(count('question')).toBe(lessons.reduce((n, l) => n + l.questions.length, 0));
    expect(count('term')).toBe(GLOSSARY.length);
    expect(new Set(index.map((e) => e.href)).size).toBe(index.length);
    const q = lessons[0].questions[0];
    expect(index).toContainEqual(expect.objectContaining({ kind: 'question', href: `/lessons/${lessons[0].slug}/#${questionAnchor(q.id)}` }));
  });
  it('finds the glossary term first for the terms of the course', () => {
    expect(searchIndex(index, 'NF4')[0].entry.href).toBe('/glossary/#nf4');
    expect(searchIndex(index, 'kv cache')[0].entry.href).toBe('/glossary/#kv-cache');
    expect(searchIndex(index, 'vllm')[0].entry.href).toBe('/glossary/#vllm');
    expect(searchIndex(index, 'smoothquant').map((r) => r.entry.href)).toContain('/lessons/activations-and-outliers/#smoothquant-move-the-difficulty-into-the-weights');
  });
  it('packs into a compact form that unpacks to the same entries, small enough to ship in every page', () => {
    const packed = packSearchIndex(lessons, GLOSSARY);
    expect(unpackSearchIndex(packed)).toEqual(index);
    expect(JSON.stringify(packed).length).toBeLessThan(24_000);
  });
});
