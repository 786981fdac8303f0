import type { MDXComponents } from 'mdx/types';
import { ScrollRegion } from '@/components/ui/ScrollRegion';

// Global MDX element overrides. Lessons import their own widgets explicitly (DESIGN.md rule 7),
// so only plain elements are mapped here.
const components: MDXComponents = {
  table: (props) => (
    <ScrollRegion>
      <table {...props} />
    </ScrollRegion>
  ),
};

export function useMDXComponents(): MDXComponents {
  return components;
}
