import createMDX from '@next/mdx';

// Under Turbopack, MDX plugins are named by string so that the options stay serialisable.
const withMDX = createMDX({
  options: {
    remarkPlugins: ['remark-gfm', 'remark-math'],
    // rehype-slug first: heading ids come from the heading text before KaTeX rewrites math.
    rehypePlugins: ['rehype-slug', 'rehype-katex'],
  },
});

/** @type {import('next').NextConfig} */
const nextConfig = {
  output: 'export',
  trailingSlash: true,
  reactStrictMode: true,
  pageExtensions: ['ts', 'tsx', 'md', 'mdx'],
  images: { unoptimized: true },
};

export default withMDX(nextConfig);
