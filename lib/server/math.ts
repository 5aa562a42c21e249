import 'server-only';

import katex from 'katex';

const ESCAPES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };

function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (character) => ESCAPES[character] ?? character);
}

/**
 * Question text with inline TeX between $...$, as HTML: KaTeX renders on the server (at build
 * time, the lesson page is static), so the browser gets markup and no KaTeX JavaScript.
 * Bad TeX throws, which fails the build instead of showing red text to learners.
 */
export function renderInlineMath(text: string): string {
  return text
    .split(/(\$[^$]+\$)/)
    .map((segment) =>
      segment.startsWith('$') && segment.endsWith('$') && segment.length > 2
        ? katex.renderToString(segment.slice(1, -1), { throwOnError: true, output: 'htmlAndMathml' })
        : escapeHtml(segment),
    )
    .join('');
}

const TEX_SYMBOLS: Record<string, string> = { partial: '∂', eta: 'η', sigma: 'σ', to: '→', cdot: '·', times: '×' };

/**
 * The same text as plain Unicode, for accessible names: assistive technology reads KaTeX's
 * MathML, but some checkers (and older screen readers) only take plain text.
 */
export function inlineMathAsText(text: string): string {
  return text
    .replace(/\$([^$]+)\$/g, (_, tex: string) =>
      tex
        .replace(/\\([a-zA-Z]+)/g, (match, name: string) => TEX_SYMBOLS[name] ?? match)
        .replace(/[{}]/g, '')
        .replace(/\s*\/\s*/g, '/')
        .replace(/\s+/g, ' ')
        .trim(),
    )
    .trim();
}
