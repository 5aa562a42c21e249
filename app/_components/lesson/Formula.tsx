'use client';

import { useLayoutEffect, useRef } from 'react';

import type { typesetFormula as TypesetFormula } from '@/lib/mdx/katex-typeset.mjs';

/**
 * One lesson formula (lib/mdx/rehype-katex-html.mjs writes these into the compiled lesson).
 *
 *   <Formula className="katex-display" tex="\frac{\partial L}{\partial w}" mode="display" />
 *
 * - On the server it typesets the TeX with KaTeX into KaTeX's outer span (HTML for the eye,
 *   MathML for screen readers). The branch below is compiled out of the browser bundle (Next
 *   replaces `typeof window`), so no KaTeX code reaches the browser.
 * - The page's RSC payload carries only the TeX. As a server component holding the markup, each
 *   formula travelled twice, in the HTML and as a prop in the payload: 186 kB of its 345 kB,
 *   script text the browser had to compile at load (docs/decisions/004, fifth-session update).
 * - Hydration: the span claims the server's markup without touching it (an empty
 *   dangerouslySetInnerHTML, which React leaves alone, as lazyWidget does) and is remembered, so
 *   a later client render of the same formula (the router showing the page again from its cache,
 *   after a back navigation) copies its markup. The element is kept, not its markup: reading
 *   innerHTML of every formula during hydration would add work to the page's load.
 * - A client render of a formula this document never received (a client-side navigation into a
 *   lesson) cannot typeset: links to lessons are plain links for that reason, and should one
 *   happen anyway the page is loaded whole, once.
 */
const typeset =
  typeof window === 'undefined'
    ? // eslint-disable-next-line @typescript-eslint/no-require-imports
      (require('@/lib/mdx/katex-typeset.mjs') as { typesetFormula: typeof TypesetFormula }).typesetFormula
    : undefined;

/** The last element that showed each formula in this document, by mode and TeX. */
const seen = new Map<string, Element>();

const RELOADED_KEY = 'autodidact:formula-reload';
let reloadMarkCleared = false;

/** A page that shows its formulas ends the "loaded whole once" episode: a later one may reload again. */
function clearReloadMark() {
  if (reloadMarkCleared) return;
  reloadMarkCleared = true;
  try {
    sessionStorage.removeItem(RELOADED_KEY);
  } catch {
    // Storage unavailable: the reload below is skipped too.
  }
}

export function Formula({ className, tex, mode }: { className: string; tex: string; mode: 'display' | 'inline' }) {
  const span = useRef<HTMLSpanElement>(null);
  const key = `${mode}:${tex}`;
  const html = typeset ? typeset(tex, mode === 'display').html : seen.get(key)?.innerHTML;

  useLayoutEffect(() => {
    const element = span.current;
    if (!element) return;
    if (element.firstChild) {
      seen.set(key, element);
      clearReloadMark();
      return;
    }
    // Rendered in the browser without markup: load the page whole, once per tab (never a loop).
    try {
      if (sessionStorage.getItem(RELOADED_KEY) === location.href) return;
      sessionStorage.setItem(RELOADED_KEY, location.href);
    } catch {
      return;
    }
    location.reload();
  }, [key]);

  return (
    <span ref={span} className={className} suppressHydrationWarning dangerouslySetInnerHTML={{ __html: html ?? '' }} />
  );
}
