'use client';

import { Fragment, type ReactNode } from 'react';

import type { QuestionView } from '@/lib/quiz/views';

import { PracticeBlock } from './PracticeBlock';
import { QuestionStatus } from './QuestionStatus';
import { ReportProblem } from './ReportProblem';
import styles from './quiz.module.css';
import { useQuiz } from './QuizProvider';

/** What a generated question's form gets: the graded question's, or a practice round's. */
export interface QuestionFormSlot<V extends QuestionView, A> {
  formId: string;
  legend: ReactNode;
  view: V | undefined;
  locked: boolean;
  onSubmit: (attempt: number, answer: A) => void;
  status: ReactNode;
  statusId: string;
  /** A practice round (not graded) rather than the graded question. */
  practice: boolean;
}

/**
 * A question with the learner's own seeded variant (numbers, or a formula to write): the graded
 * form, then, once it is finished, "Practice with new numbers" with the same form on a practice
 * round (issue 16, item 5), then "Report a problem". NumericQuestion and FormulaQuestion differ
 * only in their form and in how a practice round is introduced.
 */
export function GeneratedQuestion<V extends QuestionView, A>({
  id,
  number,
  promptHtml,
  viewOf,
  practiceLegend,
  form,
}: {
  id: string;
  number: number;
  promptHtml: string;
  /** The view when it is this kind of question (the state holds every kind). */
  viewOf: (view: QuestionView | null | undefined) => V | undefined;
  practiceLegend: (view: V, round: number) => ReactNode;
  form: (slot: QuestionFormSlot<V, A>) => ReactNode;
}) {
  const quiz = useQuiz();
  const view = viewOf(quiz.questions[id]);
  const statusId = `${id}-status`;
  return (
    <>
      {form({
        formId: id,
        legend: (
          <>
            <span className="kc-number">Question {number}. </span>
            <span dangerouslySetInnerHTML={{ __html: promptHtml }} />
          </>
        ),
        view,
        locked: !view || view.closed || quiz.pending[id] !== undefined,
        onSubmit: (attempt, answer) => quiz.submit({ questionId: id, attempt, answer }),
        status: <QuestionStatus view={view} statusId={statusId} />,
        statusId,
        practice: false,
      })}
      {view?.closed ? (
        <PracticeBlock questionId={id}>
          {(practice) => {
            const practiceView = viewOf(practice.view);
            const practiceStatus = `${id}-practice-status`;
            return practiceView && practice.round !== null ? (
              <Fragment key={practice.round}>
                {form({
                  formId: `${id}-practice`,
                  legend: practiceLegend(practiceView, practice.round),
                  view: practiceView,
                  locked: practiceView.closed || practice.busy,
                  onSubmit: practice.submit,
                  status: <QuestionStatus view={practiceView} statusId={practiceStatus} practice={practice} />,
                  statusId: practiceStatus,
                  practice: true,
                })}
              </Fragment>
            ) : null;
          }}
        </PracticeBlock>
      ) : null}
      <ReportProblem questionId={id} />
    </>
  );
}

/** Every question form's foot: "Check answer" and the question's status beside it. */
export function CheckAnswer({ disabled, status }: { disabled: boolean; status: ReactNode }) {
  return (
    <div className={styles.actions}>
      <button type="submit" className={styles.button} disabled={disabled}>
        Check answer
      </button>
      {status}
    </div>
  );
}
