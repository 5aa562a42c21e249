'use client';

import { useEffect, useState } from 'react';

import { forwardWidgetEvents, isWidgetKey, reportProgress, trackWidgetState, widgetQueryOf } from './progress-client';
import styles from './progress.module.css';
import { loadLessonState } from './session-client';

/** A section counts as viewed once its heading has led the viewport for this long. */
const DWELL_MS = 1500;

let mounted = false;

interface ResumeOffer {
  /** The section to go back to, or null when only the widget settings come back. */
  title: string | null;
  href: string;
  widgets: boolean;
}

/** The saved widget settings (GET /api/progress), asked for only by a learner who has been here. */
async function savedWidgetState(lessonSlug: string): Promise<string> {
  try {
    const response = await fetch(`/api/progress?lessonSlug=${encodeURIComponent(lessonSlug)}`, {
      cache: 'no-store',
      credentials: 'same-origin',
    });
    if (!response.ok) return '';
    const body = (await response.json()) as { widgetState?: unknown };
    return typeof body.widgetState === 'string' ? body.widgetState : '';
  } catch {
    return '';
  }
}

/** This page's address with the saved widget settings in place of the current ones. */
function hrefWith(widgets: string, hash: string): string {
  const params = new URLSearchParams(window.location.search);
  for (const key of [...params.keys()]) if (isWidgetKey(key)) params.delete(key);
  for (const [key, value] of new URLSearchParams(widgets)) params.append(key, value);
  const query = params.toString();
  return `${window.location.pathname}${query ? `?${query}` : ''}${hash}`;
}

/**
 * Reports which lesson section the learner is reading (the h2 with an id nearest the top of
 * the viewport, after a short dwell), forwards widget events and the widgets' settings, and
 * offers to go back to where the learner left off: the section, with the widgets set as they
 * were (docs/decisions/014). Mount it once per lesson page; extra mounts do nothing.
 */
export function SectionViewTracker({ lessonSlug }: { lessonSlug: string }) {
  const [resume, setResume] = useState<ResumeOffer | null>(null);

  useEffect(() => {
    if (mounted) return;
    mounted = true;
    const stopForwarding = forwardWidgetEvents(lessonSlug);
    trackWidgetState(lessonSlug);
    const headings = [...document.querySelectorAll<HTMLHeadingElement>('article h2[id]')];
    const visible = new Set<Element>();
    let current: string | null = null;
    let reported: string | null = null;
    let dwell: ReturnType<typeof setTimeout> | undefined;
    // The page opens at its top: that says nothing about where the learner is. Reporting the
    // first heading then would overwrite their resume point before they can take the offer
    // below, so sections count once the learner moves (or arrived at a place by a link).
    let moved = window.location.hash !== '';

    const consider = () => {
      if (!moved) return;
      const top = headings.find((heading) => visible.has(heading));
      if (top?.id === current) return;
      // A heading that left the reading area before its dwell ended was only scrolled past.
      clearTimeout(dwell);
      current = top?.id ?? null;
      if (!top) return;
      dwell = setTimeout(() => {
        if (current && current !== reported && visible.has(top)) {
          reported = current;
          reportProgress({ type: 'section-viewed', lessonSlug, target: current });
        }
      }, DWELL_MS);
    };
    const onMove = () => {
      moved = true;
      consider();
    };
    window.addEventListener('scroll', onMove, { passive: true, once: true });

    const observer = new IntersectionObserver(
      (entries) => {
        for (const entry of entries) {
          if (entry.isIntersecting) visible.add(entry.target);
          else visible.delete(entry.target);
        }
        consider();
      },
      // The upper 60% of the viewport: a heading counts once it is where a reader's eyes are.
      { rootMargin: '0px 0px -40% 0px' },
    );
    for (const heading of headings) observer.observe(heading);

    let cancelled = false;
    loadLessonState(lessonSlug).then(
      async (state) => {
        // A link to a place in the lesson (or a resume link) says where to be: no offer then.
        if (cancelled || window.location.hash || !state.lastSectionId) return;
        const widgets = await savedWidgetState(lessonSlug);
        const restoreWidgets = widgets !== '' && widgets !== widgetQueryOf(window.location.search);
        const target = document.getElementById(state.lastSectionId);
        const atStart = !target || state.lastSectionId === headings[0]?.id;
        if (cancelled || window.location.hash || (atStart && !restoreWidgets)) return;
        const hash = target && !atStart ? `#${target.id}` : '';
        setResume({
          title: target && !atStart ? (target.textContent?.trim() ?? target.id) : null,
          // New widget settings need a new page load (the widgets read the address once); a
          // section alone is a jump within the page.
          href: restoreWidgets ? hrefWith(widgets, hash) : hash,
          widgets: restoreWidgets,
        });
      },
      () => undefined,
    );

    return () => {
      cancelled = true;
      mounted = false;
      clearTimeout(dwell);
      window.removeEventListener('scroll', onMove);
      observer.disconnect();
      stopForwarding();
    };
  }, [lessonSlug]);

  if (!resume) return null;
  return (
    <aside className={styles.resume} aria-label="Continue where you left off" data-progress="resume-offer">
      <p>
        Welcome back.{' '}
        {resume.title ? (
          <>
            You were reading <strong>{resume.title}</strong>.
          </>
        ) : null}
        {resume.widgets ? ' Your widget settings can come back too.' : ''}
      </p>
      <div className={styles.resumeActions}>
        <a className={styles.button} href={resume.href} onClick={() => setResume(null)}>
          {resume.title ? 'Continue reading' : 'Restore my widget settings'}
        </a>
        <button type="button" className={styles.buttonSecondary} onClick={() => setResume(null)}>
          Dismiss
        </button>
      </div>
    </aside>
  );
}
