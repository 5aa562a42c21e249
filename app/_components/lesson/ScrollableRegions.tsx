'use client';

import { useEffect } from 'react';

/** Blocks of the lesson text that scroll sideways when wider than the screen (CSS overflow-x). */
const SCROLLING_BLOCKS = 'article.lesson .katex-display, article.lesson pre';

type IdleSlice = { timeRemaining(): number };

/** requestIdleCallback, or a short timer slice where the browser has none (Safari). */
function whenIdle(callback: (deadline: IdleSlice) => void): () => void {
  if (typeof window.requestIdleCallback === 'function') {
    const handle = window.requestIdleCallback(callback, { timeout: 2000 });
    return () => window.cancelIdleCallback(handle);
  }
  const handle = window.setTimeout(() => {
    const end = performance.now() + 8;
    callback({ timeRemaining: () => Math.max(0, end - performance.now()) });
  }, 50);
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
 * All of it runs when the browser is idle, so hydration does no extra layout work. Most of the
 * lesson is not laid out at load (content-visibility: auto on its runs), and a ResizeObserver
 * hears nothing from a block until its run renders, so each block is also measured once, a few
 * per idle period (measuring forces a layout of that block's run, bounded and off the critical
 * path); the observer then follows later changes (a rotation, a zoom). Widgets manage their own
 * scrolling boxes.
 */
export function ScrollableRegions() {
  useEffect(() => {
    const observer = new ResizeObserver((entries) => {
      for (const { target } of entries) if (target instanceof HTMLElement) markIfScrolling(target);
    });
    let cancel = () => {};
    cancel = whenIdle(() => {
      const blocks = [...document.querySelectorAll<HTMLElement>(SCROLLING_BLOCKS)].filter(
        (block) => !block.closest('[data-widget]'),
      );
      for (const block of blocks) observer.observe(block);
      let next = 0;
      const sweep = (deadline: IdleSlice) => {
        do markIfScrolling(blocks[next++]!);
        while (next < blocks.length && deadline.timeRemaining() > 4);
        if (next < blocks.length) cancel = whenIdle(sweep);
      };
      if (blocks.length > 0) cancel = whenIdle(sweep);
    });
    return () => {
      cancel();
      observer.disconnect();
    };
  }, []);
  return null;
}
