import { describe, expect, it } from 'vitest';
import { lessonSource } from '@/components/lesson/source';
import { LESSONS } from '@/content/lessons';
import { extractHeadings } from '../lessons/headings';
import { GLOSSARY, glossaryHref, glossaryTerm, lessonHref, lessonSection, mentionsTerm, sortedGlossary } from './glossary';

describe('the glossary', () => {
  it('has unique ids (usable as anchors) and no name claimed by two terms', () => {
    const ids = GLOSSARY.map((t) => t.id);
    expect(new Set(ids).size).toBe(ids.length);
    for (const id of ids) expect(id).toMatch(/^[a-z0-9]+(-[a-z0-9]+)*$/);
    const names = GLOSSARY.flatMap((t) => [t.term, ...(t.aliases ?? [])].map((n) => n.toLowerCase()));
    expect(names.filter((n, i) => names.indexOf(n) !== i)).toEqual([]);
  });

  it('has the terms the course is built on', () => {
    for (const id of ['inference', 'kv-cache', 'vllm', 'paged-attention', 'mixed-precision', 'bf16', 'distillation', 'lora', 'qlora', 'nf4', 'gptq', 'awq']) {
      expect(glossaryTerm(id), id).toBeDefined();
    }
  });

  it('links every "see also" to a term of the glossary, never to itself', () => {
    for (const t of GLOSSARY) {
      for (const other of t.seeAlso ?? []) {
        expect(glossaryTerm(other), `${t.id} → ${other}`).toBeDefined();
        expect(other).not.toBe(t.id);
      }
    }
  });

  for (const t of GLOSSARY) {
    it(`${t.id}: its lesson and heading exist, and the section mentions it`, () => {
      if (t.where === null) {
        // A term no lesson covers must say so; and indeed no lesson mentions it.
        expect(t.taught).toBe(false);
        for (const { slug } of LESSONS) expect(mentionsTerm(lessonSource(slug), t), slug).toBe(false);
        return;
      }
      const { slug, heading } = t.where;
      expect(LESSONS.map((l) => l.slug)).toContain(slug);
      const source = lessonSource(slug);
      expect(extractHeadings(source).map((h) => h.id)).toContain(heading);
      const section = lessonSection(source, heading);
      expect(section).not.toBeNull();
      expect(mentionsTerm(section ?? '', t), `${t.term} in ${slug}#${heading}`).toBe(true);
    });
  }
});

describe('lessonSection', () => {
  const source = '# T\n\n## One\n\nalpha\n\n### One a\n\nbeta\n\n```\n## not\n```\n\n## Two\n\ngamma\n\n## One\n\ndelta\n';
  it('runs from the heading to the next heading of its level or above, skipping fenced code', () => {
    expect(lessonSection(source, 'one')).toBe('## One\n\nalpha\n\n### One a\n\nbeta\n\n```\n## not\n```\n');
    expect(lessonSection(source, 'one-a')).toBe('### One a\n\nbeta\n\n```\n## not\n```\n');
  });
  it('gives repeated titles the -1 suffix, as rehype-slug does, and null for no such id', () => {
    expect(lessonSection(source, 'one-1')).toBe('## One\n\ndelta\n');
    expect(lessonSection(source, 'three')).toBeNull();
  });
});

describe('links and order', () => {
  it('links to the glossary entry and to the lesson section', () => {
    expect(glossaryHref('nf4')).toBe('/glossary/#nf4');
    expect(lessonHref({ slug: 'four-bit', heading: 'why-a-normal-float' })).toBe('/lessons/four-bit/#why-a-normal-float');
  });
  it('sorts terms alphabetically, ignoring case', () => {
    const sorted = sortedGlossary([
      { id: 'b', term: 'bf16', definition: '', where: null },
      { id: 'a', term: 'AWQ', definition: '', where: null },
      { id: 'c', term: 'Calibration', definition: '', where: null },
    ]);
    expect(sorted.map((t) => t.id)).toEqual(['a', 'b', 'c']);
  });
  it('matches mentions regardless of case and hyphenation', () => {
    expect(mentionsTerm('mixed-precision training', { term: 'Mixed precision' })).toBe(true);
    expect(mentionsTerm('in int8', { term: 'LLM.int8()' })).toBe(false);
  });
});

describe('the lessons’ <Term> links', () => {
  for (const { slug } of LESSONS) {
    it(`${slug}: name glossary terms, each once (its first mention), outside headings and the quiz`, () => {
      const source = lessonSource(slug);
      const ids = [...source.matchAll(/<Term id="([^"]+)">/g)].map((m) => m[1]);
      for (const id of ids) expect(glossaryTerm(id), id).toBeDefined();
      expect(ids.filter((id, i) => ids.indexOf(id) !== i)).toEqual([]);
      expect(source).not.toMatch(/^#.*<Term/m);
      const quiz = source.search(/^[ \t]*<Quiz\b/m);
      if (quiz >= 0) expect(source.slice(quiz)).not.toContain('<Term');
    });
  }
  it('link every term the course teaches from at least one lesson', () => {
    const linked = new Set(LESSONS.flatMap(({ slug }) => [...lessonSource(slug).matchAll(/<Term id="([^"]+)">/g)].map((m) => m[1])));
    expect(GLOSSARY.filter((t) => t.where !== null && !linked.has(t.id)).map((t) => t.id)).toEqual([]);
  });
});
