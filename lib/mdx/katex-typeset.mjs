// The lesson's one way of typesetting a formula with KaTeX, shared by the MDX plugin (at build
// time, where bad TeX fails the build) and by app/_components/lesson/Formula.tsx (on the server,
// when it renders the page's HTML), so both produce the same markup.
import katex from 'katex';

/** KaTeX options for lesson math: strict TeX, and MathML beside the HTML for screen readers. */
export const KATEX_OPTIONS = Object.freeze({ strict: true, output: 'htmlAndMathml' });

const OUTER_SPAN = /^<span class="([^"]+)">([\s\S]*)<\/span>$/;

/**
 * Typesets `tex`; throws on bad TeX. Returns the class of KaTeX's outer span ("katex", or
 * "katex-display" in display mode) and the markup inside it.
 *
 * @param {string} tex
 * @param {boolean} displayMode
 * @returns {{ className: string, html: string }}
 */
export function typesetFormula(tex, displayMode) {
  const html = katex.renderToString(tex, { ...KATEX_OPTIONS, displayMode, throwOnError: true });
  const match = OUTER_SPAN.exec(html);
  if (!match) throw new Error(`KaTeX output without one outer span: ${html.slice(0, 80)}`);
  return { className: match[1], html: match[2] };
}
