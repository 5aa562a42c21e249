'use client';

import { useEffect } from 'react';

/** Blocks of the lesson text that scroll sideways when wider than the screen (CSS overflow-x). */
const SCROLLING_BLOCKS = 'article.lesson .katex-display, article.lesson pre';

/** requestIdleCallback, or a short timer where the browser has none (Safari). */
function whenIdle(callback: () => void): () => void {
  if (typeof window.requestIdleCallback === 'function') {
    const handle = window.requestIdleCallback(callback, { timeout: 2000 });
    return () => window.cancelIdleCallback(handle);
  }
  const handle = window.setTimeout(callback, 50);
  return () => window.clearTimeout(handle);
}

function markIfScrolling(block: HTMLElement): void {
  if (block.scrollWidth > block.clientWidth + 1) block.tabIndex = 0;
  else block.removeAttribute('tabindex');
}

/**
 * Puts the lesson's sideways-scrolling blocks in the tab order while they overflow, so a
 * keyboard user can reach them and scroll with the arrow keys (WCAG 2.1.1; axe's
 * scrollable-region-focusable). On a phone, or a desktop zoomed in, a long display formula or the
 * code sample is wider than the column; elsewhere the same block fits and stays out of the tab
 * order. Renders nothing.
 *
 * One ResizeObserver does the measuring, and it starts when the browser is idle, so hydration
 * does no extra layout work. Most of the lesson is not laid out at load (content-visibility:
 * auto on its runs), and the observer hears from a block only when its run renders, as the
 * reader comes near it. Measuring every block at load instead would force a layout of every run
 * (measured: a 93 ms task at load, and two KaTeX fonts fetched for formulas nobody sees yet).
 * A keyboard user loses nothing by the wait: moving focus down the page brings the runs ahead
 * near the viewport, so a block is in the tab order before focus gets to it (an e2e test tabs
 * through the page to check). Widgets manage their own scrolling boxes (TableScroll).
 */
export function ScrollableRegions() {
  useEffect(() => {
    const observer = new ResizeObserver((entries) => {
      for (const { target } of entries) if (target instanceof HTMLElement) markIfScrolling(target);
    });
    const cancel = whenIdle(() => {
      for (const block of document.querySelectorAll<HTMLElement>(SCROLLING_BLOCKS))
        if (!block.closest('[data-widget]')) observer.observe(block);
    });
    return () => {
      cancel();
      observer.disconnect();
    };
  }, []);
  return null;
}
