'use client';

import type { QuestionView } from '@/lib/quiz/views';

import styles from './quiz.module.css';
import { useQuiz } from './QuizProvider';

/**
 * Attempts left, the result of the last attempt, and a pending or refused submission. A practice
 * round passes its own state (`practice`): it is sent at once, never queued on this device.
 */
export function QuestionStatus({
  view,
  statusId,
  practice,
}: {
  view: QuestionView | undefined | null;
  statusId: string;
  practice?: { busy: boolean; error: string | null };
}) {
  const { pending, errors, retryNow } = useQuiz();
  if (!view) return <p id={statusId} className={styles.meta} role="status" />;
  const waiting = practice ? (practice.busy ? { status: 'sending' as const } : undefined) : pending[view.id];
  const error = practice ? practice.error : errors[view.id];
  const { last } = view;
  const multiPart = view.kind === 'multi-part';
  const correctParts = last?.parts.filter((part) => part.correct).length ?? 0;

  let attempts: string;
  if (view.solved) attempts = `Solved on attempt ${last?.attempt ?? view.attemptsUsed}.`;
  else if (view.closed) attempts = 'No attempts left.';
  else {
    attempts = `Attempt ${view.nextAttempt} of ${view.policy.maxAttempts}.`;
    if (view.policy.newVariantOnWrong && view.attemptsUsed > 0) attempts += ' New numbers for this attempt.';
  }

  return (
    <div id={statusId} className={styles.status} role="status">
      {waiting ? (
        <p className={styles.pending}>
          {waiting.status === 'sending' ? (
            'Checking your answer…'
          ) : (
            <>
              Not sent yet: the server cannot be reached. Your answer is saved on this device and will be sent
              automatically.{' '}
              <button type="button" className={styles.linkButton} onClick={retryNow}>
                Retry now
              </button>
            </>
          )}
        </p>
      ) : (
        <>
          {error ? <p className={styles.error}>{error}</p> : null}
          {last ? (
            <p className={last.correct ? styles.correct : styles.incorrect}>
              <span aria-hidden="true">{last.correct ? '✓ ' : '✗ '}</span>
              {last.correct
                ? 'Correct.'
                : multiPart
                  ? `${correctParts} of ${last.parts.length} parts correct.`
                  : (last.parts[0]?.feedback ?? 'Not correct.')}
            </p>
          ) : null}
        </>
      )}
      <p className={styles.meta}>{attempts}</p>
    </div>
  );
}
