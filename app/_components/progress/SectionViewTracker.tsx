'use client';

import { useEffect, useState } from 'react';

import { forwardWidgetEvents, reportProgress } from './progress-client';
import styles from './progress.module.css';
import { loadLessonState } from './session-client';

/** A section counts as viewed once its heading has led the viewport for this long. */
const DWELL_MS = 1500;

let mounted = false;

/**
 * Reports which lesson section the learner is reading (the h2 with an id nearest the top of
 * the viewport, after a short dwell), forwards widget events, and offers to jump back to the
 * section where the learner left off. Mount it once per lesson page; extra mounts do nothing.
 */
export function SectionViewTracker({ lessonSlug }: { lessonSlug: string }) {
  const [resume, setResume] = useState<{ id: string; title: string } | null>(null);

  useEffect(() => {
    if (mounted) return;
    mounted = true;
    const stopForwarding = forwardWidgetEvents(lessonSlug);
    const headings = [...document.querySelectorAll<HTMLHeadingElement>('article h2[id]')];
    const visible = new Set<Element>();
    let current: string | null = null;
    let reported: string | null = null;
    let dwell: ReturnType<typeof setTimeout> | undefined;

    const observer = new IntersectionObserver(
      (entries) => {
        for (const entry of entries) {
          if (entry.isIntersecting) visible.add(entry.target);
          else visible.delete(entry.target);
        }
        const top = headings.find((heading) => visible.has(heading));
        if (!top || top.id === current) return;
        current = top.id;
        clearTimeout(dwell);
        dwell = setTimeout(() => {
          if (current && current !== reported) {
            reported = current;
            reportProgress({ type: 'section-viewed', lessonSlug, target: current });
          }
        }, DWELL_MS);
      },
      // The upper 60% of the viewport: a heading counts once it is where a reader's eyes are.
      { rootMargin: '0px 0px -40% 0px' },
    );
    for (const heading of headings) observer.observe(heading);

    let cancelled = false;
    loadLessonState(lessonSlug).then(
      (state) => {
        const target = state.lastSectionId ? document.getElementById(state.lastSectionId) : null;
        const first = headings[0]?.id;
        if (cancelled || !target || window.location.hash || state.lastSectionId === first) return;
        setResume({ id: target.id, title: target.textContent?.trim() ?? target.id });
      },
      () => undefined,
    );

    return () => {
      cancelled = true;
      mounted = false;
      clearTimeout(dwell);
      observer.disconnect();
      stopForwarding();
    };
  }, [lessonSlug]);

  if (!resume) return null;
  return (
    <aside className={styles.resume} aria-label="Continue where you left off">
      <p>
        Welcome back. You were reading <strong>{resume.title}</strong>.
      </p>
      <div className={styles.resumeActions}>
        <a className={styles.button} href={`#${resume.id}`} onClick={() => setResume(null)}>
          Continue reading
        </a>
        <button type="button" className={styles.buttonSecondary} onClick={() => setResume(null)}>
          Dismiss
        </button>
      </div>
    </aside>
  );
}
