'use client';

import { useEffect } from 'react';

/**
 * Fetches the two KaTeX fonts nearly every formula uses (upright KaTeX_Main, italic KaTeX_Math)
 * once the page has hydrated, in an idle period, so they are in the cache before a learner
 * scrolls to math. KaTeX's CSS uses `font-display: block` (math stays invisible until its font
 * arrives, and no swap can shift the text).
 *
 * They used to be preloaded from the <head> (decision 004.6), which made 44 kB of fonts
 * compete with the HTML for a slow connection before the first paint, although the lesson's
 * first screen holds no math; the lesson's LCP waited for them (docs/decisions/004, update).
 * `document.fonts.load` asks for the faces katex.min.css declares, so each font is still
 * downloaded once, from the same hashed URL. Renders nothing; use it only on pages with math.
 */
export function KatexFontPreload() {
  useEffect(() => {
    const warm = () => {
      for (const font of ['1em KaTeX_Main', 'italic 1em KaTeX_Math']) {
        document.fonts.load(font).catch(() => {
          // Offline or blocked: the math falls back when it renders, as without this.
        });
      }
    };
    if (typeof window.requestIdleCallback === 'function') {
      const handle = window.requestIdleCallback(warm, { timeout: 2000 });
      return () => window.cancelIdleCallback(handle);
    }
    const timer = window.setTimeout(warm, 200);
    return () => window.clearTimeout(timer);
  }, []);
  return null;
}
