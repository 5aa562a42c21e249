'use client';

import { useEffect } from 'react';

/**
 * Keeps an in-page jump (a table-of-contents link, a shared #section URL) on its target.
 * Lesson runs far from the viewport are not rendered (content-visibility: auto, see
 * LessonSections) and count with an estimated height, so the browser scrolls to where the
 * target would be with those estimates; the runs around it then render at their real height
 * and the target can end up off screen. Once the scroll has ended (at once after an instant
 * jump), this puts the target back at the top, frame by frame, until it stays put (at most ~half
 * a second). Renders nothing.
 */
export function FragmentSettle() {
  useEffect(() => {
    let frame = 0;
    let cancelled = false;
    const settle = () => {
      const id = decodeURIComponent(window.location.hash.slice(1));
      const target = id ? document.getElementById(id) : null;
      if (!target) return;
      window.cancelAnimationFrame(frame);
      let last = Number.NaN;
      let stable = 0;
      let tries = 0;
      const step = () => {
        if (cancelled) return;
        const top = target.getBoundingClientRect().top;
        const padding = parseFloat(getComputedStyle(document.documentElement).scrollPaddingTop) || 0;
        if (Math.abs(top - padding) > 2) target.scrollIntoView({ block: 'start', behavior: 'instant' });
        stable = Math.abs(top - last) < 1 ? stable + 1 : 0;
        last = top;
        if (stable < 3 && ++tries < 30) frame = window.requestAnimationFrame(step);
      };
      // A smooth scroll is still running: start once it has ended.
      let started = false;
      const start = () => {
        if (started) return;
        started = true;
        window.removeEventListener('scrollend', start);
        frame = window.requestAnimationFrame(step);
      };
      window.addEventListener('scrollend', start);
      window.setTimeout(start, 1000);
      // No smooth scroll can be running (a landing on an anchor jumps instantly until the learner
      // first acts, app/_components/progress/early-state.ts): the jump is over, start now.
      if (getComputedStyle(document.documentElement).scrollBehavior !== 'smooth') start();
    };
    settle();
    window.addEventListener('hashchange', settle);
    return () => {
      cancelled = true;
      window.removeEventListener('hashchange', settle);
      window.cancelAnimationFrame(frame);
    };
  }, []);
  return null;
}
