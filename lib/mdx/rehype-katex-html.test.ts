import { compile, run } from '@mdx-js/mdx';
import { createElement, type ComponentType } from 'react';
import * as jsxRuntime from 'react/jsx-runtime';
import { renderToStaticMarkup } from 'react-dom/server';
import rehypeKatex from 'rehype-katex';
import remarkMath from 'remark-math';
import { describe, expect, it } from 'vitest';

import rehypeKatexHtml from './rehype-katex-html.mjs';

const OPTIONS = { strict: true, output: 'htmlAndMathml' } as const;

/** The same component as app/_components/lesson/KatexHtml.tsx (a .tsx server file is not imported here). */
function KatexHtml({ className, html }: { className: string; html: string }) {
  return createElement('span', { className, dangerouslySetInnerHTML: { __html: html } });
}

function Box({ children }: { children?: React.ReactNode }) {
  return createElement('div', { className: 'box' }, children);
}

async function render(source: string, rehypePlugin: unknown): Promise<{ html: string; code: string }> {
  const compiled = await compile(source, {
    outputFormat: 'function-body',
    remarkPlugins: [remarkMath],
    rehypePlugins: [[rehypePlugin as never, OPTIONS]],
  });
  const { default: Content } = (await run(compiled, { ...jsxRuntime, baseUrl: import.meta.url })) as {
    default: ComponentType<{ components?: Record<string, unknown> }>;
  };
  return {
    html: renderToStaticMarkup(createElement(Content, { components: { KatexHtml, Box } })),
    code: String(compiled),
  };
}

const SOURCE = [
  'Inline $\\frac{\\partial L}{\\partial w} = x$ and $a^2$ in a sentence.',
  '',
  '$$',
  '\\begin{aligned} z &= wx + b \\\\ a &= \\sigma(z) \\end{aligned}',
  '$$',
  '',
  '<Box>',
  '  $$',
  '  L = -\\ln a',
  '  $$',
  '</Box>',
].join('\n');

describe('rehype-katex-html', () => {
  it('renders the same markup as rehype-katex', async () => {
    const ours = await render(SOURCE, rehypeKatexHtml);
    const theirs = await render(SOURCE, rehypeKatex);
    // The only difference is serialisation: KaTeX's own style strings end with ';', React's
    // rendering of the hast style attribute does not.
    const normalised = (html: string) => html.replaceAll(';"', '"');
    expect(normalised(ours.html)).toBe(normalised(theirs.html));
    expect(ours.html).toContain('<math');
    expect(ours.html).toContain('katex-display');
  });

  it('emits one element per formula, not KaTeX element trees', async () => {
    const { code } = await render(SOURCE, rehypeKatexHtml);
    expect(code.match(/_jsx\(KatexHtml/g)).toHaveLength(4);
    // The spans inside a formula are in its html string, not compiled into JSX calls.
    expect(code).not.toMatch(/className: "katex-html"/);
  });

  it('fails the build on bad TeX', async () => {
    for (const bad of ['An unknown macro $\\foo{x}$.', 'A strict-mode violation $\u00e9$.', '$$\n\\frac{a}\n$$']) {
      await expect(render(bad, rehypeKatexHtml), bad).rejects.toThrow(/KaTeX cannot typeset/);
    }
  });
});
