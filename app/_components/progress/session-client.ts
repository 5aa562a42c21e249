'use client';

import type { LessonState } from '@/lib/server/quiz-service';

/**
 * The browser side of the session and lesson state. One request per page load, shared by
 * every component that needs it (the quiz, the resume prompt, the progress reporter): the
 * static lesson page cannot set a cookie, so this first API call is what starts the session.
 */

const statePromises = new Map<string, Promise<LessonState>>();
let sessionPromise: Promise<void> | undefined;

async function fetchState(lessonSlug: string): Promise<LessonState> {
  const response = await fetch(`/api/lessons/${encodeURIComponent(lessonSlug)}/state`, {
    cache: 'no-store',
    credentials: 'same-origin',
  });
  if (!response.ok) throw new Error(`Could not load your progress (HTTP ${response.status}).`);
  return (await response.json()) as LessonState;
}

/** The learner's state for a lesson: fetched once, then shared. A failure clears it so a retry refetches. */
export function loadLessonState(lessonSlug: string, { refresh = false } = {}): Promise<LessonState> {
  let promise = refresh ? undefined : statePromises.get(lessonSlug);
  if (!promise) {
    promise = fetchState(lessonSlug);
    promise.catch(() => statePromises.delete(lessonSlug));
    statePromises.set(lessonSlug, promise);
    sessionPromise ??= promise.then(
      () => undefined,
      () => {
        sessionPromise = undefined;
      },
    );
  }
  return promise;
}

/** Resolves once the browser holds a session cookie (from a state load, or POST /api/session). */
export function ensureSession(): Promise<void> {
  sessionPromise ??= fetch('/api/session', { method: 'POST', credentials: 'same-origin' }).then(
    (response) => {
      if (!response.ok) throw new Error(`HTTP ${response.status}`);
    },
    (error: unknown) => {
      sessionPromise = undefined;
      throw error;
    },
  );
  return sessionPromise;
}
