import type { MDXComponents } from 'mdx/types';

// Global MDX element overrides. Lessons import their own widgets explicitly (DESIGN.md rule 7),
// so only plain elements are mapped here.
const components: MDXComponents = {
  table: (props) => (
    <div className="table-scroll">
      <table {...props} />
    </div>
  ),
};

export function useMDXComponents(): MDXComponents {
  return components;
}
