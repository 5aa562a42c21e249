'use client';

import {
  createContext,
  useCallback,
  useContext,
  useEffect,
  useLayoutEffect,
  useMemo,
  useRef,
  useState,
  type ReactNode,
} from 'react';

import { lessonStateIfArrived, loadLessonState } from '@/app/_components/progress/session-client';
import { useNearViewport } from '@/app/_components/useNearViewport';
import type { MasteryView } from '@/lib/quiz/mastery';
import type { QuestionView } from '@/lib/quiz/views';
import type { LearnerView, LessonState, SubmissionOutcome } from '@/lib/server/quiz-service';

import styles from './quiz.module.css';

/**
 * The learner's quiz state in the browser. The static page carries prompts only; after
 * hydration this loads the learner's options, numbers, attempts and mastery. Answers are kept
 * in localStorage until the server has stored them, so a lost connection (or a closed tab)
 * never loses a submitted answer: the question shows it as pending and it is re-sent, which
 * is safe because the server stores each (question, attempt) once.
 *
 * The quiz wakes when ANY part of it comes near the viewport (within a screen and a half, as
 * the widgets do), not at load: rendering every learner's options far below the first screen
 * was one of the long tasks of the lesson's load (docs/decisions/004, fifth-session update).
 * The observer watches the whole quiz, not a marker above it, so a learner who lands on any
 * question (a link to its anchor, the table of contents, find-in-page) wakes it at once; a link
 * to a question's anchor wakes it before the first paint (issue 16, item 1; docs/decisions/013).
 * The state request itself starts at load (the section tracker shares it), so waking costs no
 * wait; answers still waiting on this device wake it at once.
 */

/**
 * The learner's state is requested by the page's inline script while the HTML is parsed
 * (early-state.ts); this module adopts that request as soon as it runs, or starts one (a page
 * reached without that script), before React hydrates the page: a learner who lands on a question
 * waits for that request, not for hydration and then the request (issue 16, item 1).
 * loadLessonState shares the one request with every later caller.
 */
if (typeof window !== 'undefined') {
  const lesson = /^\/lessons\/([^/?#]+)/.exec(window.location.pathname);
  if (lesson?.[1]) loadLessonState(decodeURIComponent(lesson[1])).catch(() => undefined);
}

export interface PendingSubmission {
  questionId: string;
  attempt: number;
  answer: unknown;
}

export type PendingStatus = 'sending' | 'waiting';

interface QuizContextValue {
  status: 'loading' | 'ready' | 'error';
  questions: Readonly<Record<string, QuestionView>>;
  mastery: readonly MasteryView[];
  learner: LearnerView | null;
  pending: Readonly<Record<string, PendingSubmission & { status: PendingStatus }>>;
  errors: Readonly<Record<string, string>>;
  reload: () => void;
  submit: (submission: PendingSubmission) => void;
  retryNow: () => void;
  setLearner: (learner: LearnerView) => void;
  /** Mastery after a practice attempt (practice counts as evidence, docs/decisions/014). */
  setMastery: (mastery: readonly MasteryView[]) => void;
}

const QuizContext = createContext<QuizContextValue | null>(null);

export function useQuiz(): QuizContextValue {
  const value = useContext(QuizContext);
  if (!value) throw new Error('useQuiz() needs a <QuizProvider>');
  return value;
}

const RETRY_DELAYS_MS = [1_000, 2_000, 5_000, 10_000, 30_000];

function storageKey(lessonSlug: string): string {
  return `autodidact:pending-answers:${lessonSlug}`;
}

function readStored(lessonSlug: string): PendingSubmission[] {
  try {
    const parsed = JSON.parse(localStorage.getItem(storageKey(lessonSlug)) ?? '[]') as unknown;
    return Array.isArray(parsed) ? (parsed as PendingSubmission[]) : [];
  } catch {
    return [];
  }
}

function writeStored(lessonSlug: string, entries: readonly PendingSubmission[]): void {
  try {
    if (entries.length === 0) localStorage.removeItem(storageKey(lessonSlug));
    else localStorage.setItem(storageKey(lessonSlug), JSON.stringify(entries));
  } catch {
    // Private mode or a full quota: the answer is still retried while the page stays open.
  }
}

export function QuizProvider({ lessonSlug, children }: { lessonSlug: string; children: ReactNode }) {
  const [status, setStatus] = useState<QuizContextValue['status']>('loading');
  const [questions, setQuestions] = useState<Record<string, QuestionView>>({});
  const [mastery, setMastery] = useState<readonly MasteryView[]>([]);
  const [learner, setLearner] = useState<LearnerView | null>(null);
  const [pending, setPending] = useState<QuizContextValue['pending']>({});
  const [errors, setErrors] = useState<Record<string, string>>({});
  const retries = useRef(new Map<string, { timer: ReturnType<typeof setTimeout>; tries: number }>());
  const sendRef = useRef<(submission: PendingSubmission) => Promise<void>>(async () => {});

  const applied = useRef<LessonState | null>(null);
  const applyState = useCallback((state: LessonState) => {
    if (applied.current === state) return;
    applied.current = state;
    setQuestions(Object.fromEntries(state.questions.map((question) => [question.id, question])));
    setMastery(state.mastery);
    setLearner(state.learner);
    setStatus('ready');
  }, []);

  const load = useCallback(
    (refresh: boolean) =>
      loadLessonState(lessonSlug, { refresh }).then(
        (state) => {
          applyState(state);
          return state;
        },
        () => {
          setStatus((current) => (current === 'ready' ? current : 'error'));
          return null;
        },
      ),
    [lessonSlug, applyState],
  );

  const forget = useCallback(
    (questionId: string) => {
      writeStored(
        lessonSlug,
        readStored(lessonSlug).filter((entry) => entry.questionId !== questionId),
      );
      const retry = retries.current.get(questionId);
      if (retry) clearTimeout(retry.timer);
      retries.current.delete(questionId);
      setPending(({ [questionId]: _done, ...rest }) => rest);
    },
    [lessonSlug],
  );

  const scheduleRetry = useCallback((submission: PendingSubmission) => {
    const previous = retries.current.get(submission.questionId);
    if (previous) clearTimeout(previous.timer);
    const tries = (previous?.tries ?? 0) + 1;
    const delay = RETRY_DELAYS_MS[Math.min(tries - 1, RETRY_DELAYS_MS.length - 1)]!;
    const timer = setTimeout(() => void sendRef.current(submission), delay);
    retries.current.set(submission.questionId, { timer, tries });
    setPending((current) => ({ ...current, [submission.questionId]: { ...submission, status: 'waiting' } }));
  }, []);

  const send = useCallback(
    async (submission: PendingSubmission) => {
      setPending((current) => ({ ...current, [submission.questionId]: { ...submission, status: 'sending' } }));
      let response: Response;
      try {
        response = await fetch('/api/quiz/answers', {
          method: 'POST',
          credentials: 'same-origin',
          headers: { 'content-type': 'application/json' },
          body: JSON.stringify(submission),
        });
      } catch {
        scheduleRetry(submission);
        return;
      }
      if (response.ok) {
        const outcome = (await response.json()) as SubmissionOutcome;
        forget(submission.questionId);
        setQuestions((current) => ({ ...current, [outcome.question.id]: outcome.question }));
        setMastery(outcome.mastery);
        return;
      }
      if (response.status >= 500 || response.status === 408 || response.status === 429) {
        scheduleRetry(submission);
        return;
      }
      const body = (await response.json().catch(() => null)) as { error?: { message?: string } } | null;
      forget(submission.questionId);
      setErrors((current) => ({
        ...current,
        [submission.questionId]: body?.error?.message ?? `Your answer was not accepted (HTTP ${response.status}).`,
      }));
      // The server knows something this page does not (another tab answered, the session ended).
      if (response.status === 409 || response.status === 401) void load(true);
    },
    [forget, scheduleRetry, load],
  );

  useEffect(() => {
    sendRef.current = send;
  }, [send]);

  const submit = useCallback(
    (submission: PendingSubmission) => {
      setErrors(({ [submission.questionId]: _cleared, ...rest }) => rest);
      writeStored(lessonSlug, [
        ...readStored(lessonSlug).filter((entry) => entry.questionId !== submission.questionId),
        submission,
      ]);
      void send(submission);
    },
    [lessonSlug, send],
  );

  const retryNow = useCallback(() => {
    for (const submission of readStored(lessonSlug)) void sendRef.current(submission);
  }, [lessonSlug]);

  // The whole quiz is what the proximity observer watches. Answers waiting on this device, or a
  // link straight to something inside the quiz, wake it at once.
  const container = useRef<HTMLDivElement>(null);
  const wakeNow = useCallback(() => {
    if (readStored(lessonSlug).length > 0) return true;
    const hash = decodeURIComponent(window.location.hash.slice(1));
    const target = hash ? document.getElementById(hash) : null;
    return target !== null && container.current?.contains(target) === true;
  }, [lessonSlug]);
  const near = useNearViewport(container, { now: wakeNow });

  // Landing on a question whose state has already arrived (the page's inline script asked for it
  // while the HTML was parsed): show the learner's numbers in the commit that hydrates the quiz,
  // before the first paint after it, instead of after the effects and a further render.
  useLayoutEffect(() => {
    if (!wakeNow()) return;
    const arrived = lessonStateIfArrived(lessonSlug);
    if (arrived) applyState(arrived);
  }, [wakeNow, lessonSlug, applyState]);

  useEffect(() => {
    if (!near) return;
    let active = true;
    void load(false).then((state) => {
      if (!active || !state) return;
      // Answers submitted while offline (perhaps before a reload): send those the server lacks.
      for (const entry of readStored(lessonSlug)) {
        const view = state.questions.find((question) => question.id === entry.questionId);
        if (view && view.nextAttempt === entry.attempt) void sendRef.current(entry);
        else forget(entry.questionId);
      }
    });
    window.addEventListener('online', retryNow);
    const timers = retries.current;
    return () => {
      active = false;
      window.removeEventListener('online', retryNow);
      for (const { timer } of timers.values()) clearTimeout(timer);
    };
  }, [near, lessonSlug, load, forget, retryNow]);

  const value = useMemo<QuizContextValue>(
    () => ({
      status,
      questions,
      mastery,
      learner,
      pending,
      errors,
      reload: () => {
        setStatus('loading');
        void load(true);
      },
      submit,
      retryNow,
      setLearner,
      setMastery,
    }),
    [status, questions, mastery, learner, pending, errors, load, submit, retryNow],
  );
  return (
    <QuizContext.Provider value={value}>
      <div ref={container}>
        {status === 'error' ? (
          <div role="alert" className={styles.loadError}>
            <p>Your quiz could not be loaded: the server did not answer.</p>
            <button type="button" className={styles.button} onClick={value.reload}>
              Try again
            </button>
          </div>
        ) : null}
        {children}
      </div>
    </QuizContext.Provider>
  );
}
