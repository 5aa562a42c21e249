import { fileURLToPath } from 'node:url';

import createMDX from '@next/mdx';
import { PHASE_DEVELOPMENT_SERVER } from 'next/constants.js';

import { ltiBaseHeaders, securityHeaders } from './lib/security-headers.mjs';

/** @type {import('next').NextConfig} */
const baseConfig = {
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
    // KaTeX checks every formula at build time; the server typesets it (lib/mdx/rehype-katex-html.mjs).
    rehypePlugins: [fileURLToPath(new URL('./lib/mdx/rehype-katex-html.mjs', import.meta.url))],
  },
});

// A function config, to know the phase: `next dev` needs 'unsafe-eval' in the CSP, production
// builds must not have it (lib/security-headers.mjs, docs/decisions/006).
export default function nextConfig(phase) {
  const dev = phase === PHASE_DEVELOPMENT_SERVER;
  return withMDX({
    ...baseConfig,
    // /lti/* pages set their own framing rules per response (only registered LMS origins may
    // frame them, decision 017); every other page stays unframeable.
    headers: () =>
      Promise.resolve([
        { source: '/:path((?!lti/).*)', headers: securityHeaders({ dev }) },
        { source: '/lti/:path*', headers: ltiBaseHeaders({ dev }) },
      ]),
  });
}
