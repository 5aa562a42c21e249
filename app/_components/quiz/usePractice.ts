'use client';

import { useCallback, useState } from 'react';

import type { MasteryView } from '@/lib/quiz/mastery';
import type { QuestionView, ResultView } from '@/lib/quiz/views';

import { useQuiz } from './QuizProvider';

/**
 * "Practice with new numbers" for one question (issue 16, item 5): the round the server deals
 * (GET /api/quiz/practice), and its attempts (POST). Practice is stored apart from graded answers
 * and never changes the score. Nothing is kept here that the server does not have: reloading and
 * asking again resumes an unfinished round.
 */

export interface PracticeState {
  /** null until the learner asks for new numbers. */
  view: QuestionView | null;
  round: number | null;
  busy: boolean;
  error: string | null;
  start: () => void;
  submit: (attempt: number, answer: unknown) => void;
}

async function errorText(response: Response): Promise<string> {
  const body = (await response.json().catch(() => null)) as { error?: { message?: string } } | null;
  return body?.error?.message ?? `The server did not accept that (HTTP ${response.status}).`;
}

export function usePractice(questionId: string): PracticeState {
  const [view, setView] = useState<QuestionView | null>(null);
  const [round, setRound] = useState<number | null>(null);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const { setMastery } = useQuiz();

  const start = useCallback(() => {
    setBusy(true);
    setError(null);
    void fetch(`/api/quiz/practice?questionId=${encodeURIComponent(questionId)}`, {
      cache: 'no-store',
      credentials: 'same-origin',
    })
      .then(async (response) => {
        if (!response.ok) throw new Error(await errorText(response));
        const body = (await response.json()) as { round: number; question: QuestionView };
        setView(body.question);
        setRound(body.round);
      })
      .catch((caught: unknown) => setError(caught instanceof Error ? caught.message : 'The server cannot be reached.'))
      .finally(() => setBusy(false));
  }, [questionId]);

  const submit = useCallback(
    (attempt: number, answer: unknown) => {
      if (round === null) return;
      setBusy(true);
      setError(null);
      void fetch('/api/quiz/practice', {
        method: 'POST',
        credentials: 'same-origin',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ questionId, round, attempt, answer }),
      })
        .then(async (response) => {
          if (!response.ok) throw new Error(await errorText(response));
          const body = (await response.json()) as {
            round: number;
            question: QuestionView;
            result: ResultView;
            mastery?: MasteryView[];
          };
          setView(body.question);
          if (body.mastery) setMastery(body.mastery);
        })
        .catch((caught: unknown) =>
          setError(caught instanceof Error ? caught.message : 'The server cannot be reached. Try again.'),
        )
        .finally(() => setBusy(false));
    },
    [questionId, round, setMastery],
  );

  return { view, round, busy, error, start, submit };
}
