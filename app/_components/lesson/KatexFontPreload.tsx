import mainRegular from 'katex/dist/fonts/KaTeX_Main-Regular.woff2';
import mathItalic from 'katex/dist/fonts/KaTeX_Math-Italic.woff2';
import { preload } from 'react-dom';

/**
 * Starts the two KaTeX fonts nearly every formula uses (upright KaTeX_Main, italic KaTeX_Math)
 * from the <head>, instead of after the CSS is parsed and layout finds math. KaTeX's CSS uses
 * `font-display: block`, so math stays invisible until its font arrives; fetched this early,
 * the fonts are normally in before the first paint of a lesson, and nothing swaps (no layout
 * shift). The imports give the same hashed /_next/static/media URLs that katex.min.css uses, so
 * each font is downloaded once. Renders nothing; use it only on pages that show math.
 */
export function KatexFontPreload() {
  for (const href of [mainRegular, mathItalic]) {
    preload(href, { as: 'font', type: 'font/woff2', crossOrigin: 'anonymous' });
  }
  return null;
}
