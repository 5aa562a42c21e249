'use client';

import { useEffect, useState, type RefObject } from 'react';

/**
 * True from the moment the element comes within `margin` of the viewport (a screen and a half
 * by default, the distance at which the lesson's widgets load), and true from then on. It is
 * true at once after hydration when `now()` says so, or without IntersectionObserver (there is
 * no telling what is near).
 *
 *   const marker = useRef<HTMLDivElement>(null);
 *   const near = useNearViewport(marker, { now: () => hasUnsentAnswers() });
 */
export function useNearViewport(
  target: RefObject<Element | null>,
  { margin = '150% 0px', now }: { margin?: string; now?: () => boolean } = {},
): boolean {
  const [near, setNear] = useState(false);
  useEffect(() => {
    const element = target.current;
    if (near || !element) return;
    if (typeof IntersectionObserver !== 'function' || now?.()) {
      // After this commit rather than during it, like an observer's first report.
      let live = true;
      queueMicrotask(() => live && setNear(true));
      return () => {
        live = false;
      };
    }
    const observer = new IntersectionObserver(
      (entries) => {
        if (entries.some((entry) => entry.isIntersecting)) {
          observer.disconnect();
          setNear(true);
        }
      },
      { rootMargin: margin },
    );
    observer.observe(element);
    return () => observer.disconnect();
  }, [target, margin, now, near]);
  return near;
}
