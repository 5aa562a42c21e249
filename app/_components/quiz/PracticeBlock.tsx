'use client';

import type { ReactNode } from 'react';

import styles from './quiz.module.css';
import { usePractice, type PracticeState } from './usePractice';

/**
 * Under a finished question: "Practice with new numbers" deals a fresh seeded variant, graded the
 * same way and recorded as practice, apart from the graded attempts (issue 16, item 5).
 */
export function PracticeBlock({
  questionId,
  children,
}: {
  questionId: string;
  children: (practice: PracticeState) => ReactNode;
}) {
  const practice = usePractice(questionId);
  const roundOver = practice.view?.closed ?? true;
  return (
    <div className={styles.practice} data-practice={questionId}>
      {practice.view ? children(practice) : null}
      {roundOver ? (
        <p className={styles.practiceActions}>
          <button type="button" className={styles.buttonSecondary} onClick={practice.start} disabled={practice.busy}>
            {practice.view ? 'Practice again with new numbers' : 'Practice with new numbers'}
          </button>{' '}
          <span className={styles.meta}>Practice is not graded: your score keeps your first answers.</span>
        </p>
      ) : null}
      {practice.error && !practice.view ? (
        <p className={styles.error} role="alert">
          {practice.error}
        </p>
      ) : null}
    </div>
  );
}
