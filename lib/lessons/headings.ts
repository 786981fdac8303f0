import GithubSlugger from 'github-slugger';

/**
 * Extracts a lesson's table of contents from its MDX source: the `##` and `###` headings, in
 * order, with the ids rehype-slug gives them (both use github-slugger over the heading's text,
 * so the links match the rendered anchors). Headings inside fenced code blocks are skipped.
 */
export interface Heading {
  depth: 2 | 3;
  text: string;
  id: string;
}

/** Reduces inline Markdown to the text a reader sees: `code`, $math$, *emphasis*, [links](url). */
export function headingText(markdown: string): string {
  return markdown
    .replace(/\[([^\]]*)\]\([^)]*\)/g, '$1')
    .replace(/`([^`]*)`/g, '$1')
    .replace(/\$+([^$]*)\$+/g, '$1')
    .replace(/(\*\*|\*)(\S(?:.*?\S)?)\1/g, '$2')
    // Underscores emphasise only at word edges (CommonMark): Q4_0 and Q8_0 keep theirs.
    .replace(/(?<![\p{L}\p{N}])(__|_)(\S(?:.*?\S)?)\1(?![\p{L}\p{N}])/gu, '$2')
    .replace(/\s+#+\s*$/, '')
    .trim();
}

export function extractHeadings(source: string): Heading[] {
  const slugger = new GithubSlugger();
  const out: Heading[] = [];
  let fence: string | null = null;
  for (const line of source.split(/\r?\n/)) {
    const fenceMatch = /^\s*(```|~~~)/.exec(line);
    if (fenceMatch) {
      if (fence === null) fence = fenceMatch[1];
      else if (fence === fenceMatch[1]) fence = null;
      continue;
    }
    if (fence !== null) continue;
    const m = /^(#{1,6})\s+(.+?)\s*$/.exec(line);
    if (!m) continue;
    const text = headingText(m[2]);
    // Every heading takes a slug, so that repeated titles get the same -1, -2 suffixes as the page.
    const id = slugger.slug(text);
    const depth = m[1].length;
    if (depth === 2 || depth === 3) out.push({ depth, text, id });
  }
  return out;
}

/** A `##` section of the table of contents with the `###` headings under it. */
export interface TocSection {
  heading: Heading;
  subsections: Heading[];
}

/**
 * Groups headings into the table of contents' two levels: each `##` heading becomes a numbered
 * section holding the `###` headings that follow it, so that only sections take numbers
 * (1, 2, 3 … rather than counting subsections too). `###` headings before the first `##` have
 * no section; they are returned apart, as `leading`.
 */
export function tocSections(headings: readonly Heading[]): { leading: Heading[]; sections: TocSection[] } {
  const leading: Heading[] = [];
  const sections: TocSection[] = [];
  for (const heading of headings) {
    if (heading.depth === 2) sections.push({ heading, subsections: [] });
    else if (sections.length > 0) sections[sections.length - 1].subsections.push(heading);
    else leading.push(heading);
  }
  return { leading, sections };
}
