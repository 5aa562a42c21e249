/**
 * One formula typeset by KaTeX at build time (lib/mdx/rehype-katex-html.mjs writes these into
 * the compiled lesson): KaTeX's outer span, with the rest of its markup (HTML for the eye,
 * MathML for screen readers) as one string. A server component: the RSC payload carries one
 * element and one string per formula instead of KaTeX's whole element tree, and hydration
 * does not walk the formula's inner nodes.
 *
 *   <KatexHtml className="katex-display" html='<span class="katex">…</span>' />
 */
export function KatexHtml({ className, html }: { className: string; html: string }) {
  return <span className={className} dangerouslySetInnerHTML={{ __html: html }} />;
}
