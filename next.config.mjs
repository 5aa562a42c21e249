import { fileURLToPath } from 'node:url';

import createMDX from '@next/mdx';

/** @type {import('next').NextConfig} */
const nextConfig = {
  pageExtensions: ['ts', 'tsx', 'md', 'mdx'],
  // A separate build folder lets a second build (a benchmark, a parallel test run) coexist with the main one.
  distDir: process.env.NEXT_DIST_DIR ?? '.next',
  poweredByHeader: false,
  reactStrictMode: true,
  // forbidden() in instructor pages answers a learner with a real 403 (docs/decisions/008).
  experimental: { authInterrupts: true },
};

// Under Turbopack, MDX plugins must be named as strings with serialisable options.
const withMDX = createMDX({
  extension: /\.mdx?$/,
  options: {
    remarkPlugins: [
      'remark-frontmatter',
      ['remark-mdx-frontmatter', { name: 'frontmatter' }],
      'remark-math',
      // An absolute path: the MDX loader resolves plugin names from a folder other than the root.
      fileURLToPath(new URL('./lib/mdx/remark-heading-ids.mjs', import.meta.url)),
    ],
    rehypePlugins: [['rehype-katex', { strict: true, output: 'htmlAndMathml' }]],
  },
});

export default withMDX(nextConfig);
