import type { MDXComponents } from 'mdx/types';
import type { ComponentProps } from 'react';
import { Term } from '@/components/mdx/Term';
import { ScrollRegion } from '@/components/ui/ScrollRegion';

// Global MDX element overrides. Lessons import their own widgets explicitly (docs/design.md rule 7),
// so only plain elements are mapped here. Tables and KaTeX's display formulas scroll sideways when
// they do not fit; ScrollRegion makes them focusable and named while they do.
const components: MDXComponents = {
  // A glossary term's first mention in a lesson (components/mdx/Term.tsx), usable without an import.
  Term,
  table: (props) => (
    <ScrollRegion>
      <table {...props} />
    </ScrollRegion>
  ),
  span: ({ className, children, ...props }: ComponentProps<'span'>) =>
    className === 'katex-display' ? (
      <ScrollRegion as="span" className={className} label="Formula" {...props}>
        {children}
      </ScrollRegion>
    ) : (
      <span className={className} {...props}>
        {children}
      </span>
    ),
};

export function useMDXComponents(): MDXComponents {
  return components;
}
