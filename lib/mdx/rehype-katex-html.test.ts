import { compile, run } from '@mdx-js/mdx';
import { createElement, type ComponentType } from 'react';
import * as jsxRuntime from 'react/jsx-runtime';
import { renderToStaticMarkup } from 'react-dom/server';
import rehypeKatex from 'rehype-katex';
import remarkMath from 'remark-math';
import { describe, expect, it } from 'vitest';

import { typesetFormula } from './katex-typeset.mjs';
import rehypeKatexHtml from './rehype-katex-html.mjs';

const OPTIONS = { strict: true, output: 'htmlAndMathml' } as const;

/**
 * What app/_components/lesson/Formula.tsx renders on the server (a .tsx client file is not
 * imported here): KaTeX's outer span with the markup typeset from the TeX.
 */
function Formula({ className, tex, mode }: { className: string; tex: string; mode: 'display' | 'inline' }) {
  return createElement('span', {
    className,
    dangerouslySetInnerHTML: { __html: typesetFormula(tex, mode === 'display').html },
  });
}

function Box({ children }: { children?: React.ReactNode }) {
  return createElement('div', { className: 'box' }, children);
}

async function render(source: string, rehypePlugin: unknown): Promise<{ html: string; code: string }> {
  const compiled = await compile(source, {
    outputFormat: 'function-body',
    remarkPlugins: [remarkMath],
    // rehype-katex takes the options; rehype-katex-html always uses the lesson's (KATEX_OPTIONS).
    rehypePlugins: [[rehypePlugin as never, OPTIONS]],
  });
  const { default: Content } = (await run(compiled, { ...jsxRuntime, baseUrl: import.meta.url })) as {
    default: ComponentType<{ components?: Record<string, unknown> }>;
  };
  return {
    html: renderToStaticMarkup(createElement(Content, { components: { Formula, Box } })),
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

  it('emits one element per formula, holding its TeX rather than its markup', async () => {
    const { code } = await render(SOURCE, rehypeKatexHtml);
    expect(code.match(/_jsx\(Formula/g)).toHaveLength(4);
    expect(code).toContain('tex: "a^2"');
    expect(code).toContain('mode: "display"');
    // Neither KaTeX's element tree nor its markup is in the compiled lesson (so not in the RSC payload).
    expect(code).not.toContain('katex-html');
    expect(code).not.toContain('<math');
  });

  it('typesets with the lesson options: strict TeX, MathML beside the HTML', () => {
    const { className, html } = typesetFormula('x^2', false);
    expect(className).toBe('katex');
    expect(html).toContain('<math');
    expect(html).toContain('class="katex-html"');
    expect(typesetFormula('x^2', true).className).toBe('katex-display');
    expect(() => typesetFormula('\\foo', false)).toThrow();
  });

  it('fails the build on bad TeX', async () => {
    for (const bad of ['An unknown macro $\\foo{x}$.', 'A strict-mode violation $\u00e9$.', '$$\n\\frac{a}\n$$']) {
      await expect(render(bad, rehypeKatexHtml), bad).rejects.toThrow(/KaTeX cannot typeset/);
    }
  });
});
