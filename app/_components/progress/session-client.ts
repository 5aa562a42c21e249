'use client';

import type { LessonState } from '@/lib/server/quiz-service';

import { EARLY_STATE_KEY, STATE_STARTED_KEY, type EarlyState } from './early-state';

/**
 * The browser side of the session and lesson state. One request per page load, shared by
 * every component that needs it (the quiz, the resume prompt, the progress reporter): the
 * static lesson page cannot set a cookie, so this first API call is what starts the session.
 *
 * The lesson page starts that request itself, from a tiny async script in its head while the HTML
 * is still being parsed (early-state.ts); the first call here adopts it instead of asking again,
 * so a learner who lands on a question waits for one request that began at the top of the
 * document, not after the page's JavaScript had loaded (issue 16, item 1). Should that script
 * arrive after this code has asked, the mark below tells it not to ask again.
 */

const statePromises = new Map<string, Promise<LessonState>>();
/** Each lesson's state once it has arrived: what the quiz reads synchronously at hydration. */
const settled = new Map<string, LessonState>();
let sessionPromise: Promise<void> | undefined;

function stateUrl(lessonSlug: string): string {
  return `/api/lessons/${encodeURIComponent(lessonSlug)}/state`;
}

async function readState(responsePromise: Promise<Response>): Promise<LessonState> {
  const response = await responsePromise;
  if (!response.ok) throw new Error(`Could not load your progress (HTTP ${response.status}).`);
  return (await response.json()) as LessonState;
}

/** The request the page's inline script started for this lesson, taken once (a refresh asks anew). */
function adoptEarly(lessonSlug: string): Promise<Response> | undefined {
  const holder = window as unknown as Record<string, EarlyState | undefined>;
  const early = holder[EARLY_STATE_KEY];
  if (!early || early.slug !== lessonSlug) return undefined;
  holder[EARLY_STATE_KEY] = undefined;
  return early.response;
}

/** The learner's state for a lesson: fetched once, then shared. A failure clears it so a retry refetches. */
export function loadLessonState(lessonSlug: string, { refresh = false } = {}): Promise<LessonState> {
  let promise = refresh ? undefined : statePromises.get(lessonSlug);
  if (!promise) {
    (window as unknown as Record<string, unknown>)[STATE_STARTED_KEY] = true;
    const early = refresh ? undefined : adoptEarly(lessonSlug);
    promise = readState(early ?? fetch(stateUrl(lessonSlug), { cache: 'no-store', credentials: 'same-origin' }));
    const mine = promise;
    mine.then(
      (state) => {
        if (statePromises.get(lessonSlug) === mine) settled.set(lessonSlug, state);
      },
      () => {
        if (statePromises.get(lessonSlug) === mine) statePromises.delete(lessonSlug);
      },
    );
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

/**
 * The lesson's state if it has already arrived (null otherwise): lets the quiz show the
 * learner's numbers in the same commit that hydrates it, without waiting a turn of the event loop.
 * Starts the request (or adopts the early one) when nobody has yet.
 */
export function lessonStateIfArrived(lessonSlug: string): LessonState | null {
  void loadLessonState(lessonSlug).catch(() => undefined);
  return settled.get(lessonSlug) ?? null;
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
