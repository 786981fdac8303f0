import { describe, expect, it } from 'vitest';
import { extractHeadings, headingText, tocSections } from './headings';

describe('headingText', () => {
  it('strips code, math, emphasis and links', () => {
    expect(headingText('The `fp16` [format](x) is *not* __bf16__ or $x_1$')).toBe('The fp16 format is not bf16 or x_1');
  });
  it('keeps underscores inside words, as Markdown does (GGUF type names)', () => {
    expect(headingText('GGUF: Q8_0, Q4_0 and Q4_1')).toBe('GGUF: Q8_0, Q4_0 and Q4_1');
    expect(headingText('_emphasis_ and snake_case_name')).toBe('emphasis and snake_case_name');
  });
});

describe('extractHeadings', () => {
  it('gives ids that match rehype-slug for headings with underscores, and skips fenced code', () => {
    const source = '## GGUF: Q8_0, Q4_0 and Q4_1\n\n```\n## not a heading\n```\n\n### Why *normal*?\n';
    expect(extractHeadings(source)).toEqual([
      { depth: 2, text: 'GGUF: Q8_0, Q4_0 and Q4_1', id: 'gguf-q8_0-q4_0-and-q4_1' },
      { depth: 3, text: 'Why normal?', id: 'why-normal' },
    ]);
  });
});

describe('tocSections', () => {
  it('numbers only ## headings: ### headings nest under the section before them', () => {
    const headings = extractHeadings('## One\n\n## Two\n\n### Two a\n\n### Two b\n\n## Three\n');
    const { leading, sections } = tocSections(headings);
    expect(leading).toEqual([]);
    expect(sections.map((s) => s.heading.text)).toEqual(['One', 'Two', 'Three']);
    expect(sections.map((s) => s.subsections.map((h) => h.text))).toEqual([[], ['Two a', 'Two b'], []]);
  });

  it('keeps ### headings before the first ## apart', () => {
    const { leading, sections } = tocSections(extractHeadings('### Early\n\n## First\n'));
    expect(leading.map((h) => h.text)).toEqual(['Early']);
    expect(sections).toHaveLength(1);
  });
});
