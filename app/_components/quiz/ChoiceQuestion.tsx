'use client';

import { useState, type FormEvent } from 'react';

import type { ChoiceQuestionView } from '@/lib/quiz/views';

import { CheckAnswer } from './GeneratedQuestion';
import { QuestionStatus } from './QuestionStatus';
import { ReportProblem } from './ReportProblem';
import styles from './quiz.module.css';
import { useQuiz } from './QuizProvider';

export interface ChoiceQuestionProps {
  id: string;
  number: number;
  promptHtml: string;
  optionCount: number;
  /** A generated question on the same skill (its anchor and number), offered once this one is finished. */
  practiseWith: { id: string; number: number } | null;
}

/** A single-answer question. Options arrive with the learner's state, in their own order, as letters. */
export function ChoiceQuestion({ id, number, promptHtml, optionCount, practiseWith }: ChoiceQuestionProps) {
  const quiz = useQuiz();
  const found = quiz.questions[id];
  const view = found?.kind === 'single-choice' ? found : undefined;
  const [choice, setChoice] = useState<string | null>(null);
  const lastChoice = (view?.last?.answer as { choice?: string } | undefined)?.choice ?? null;
  const selected = choice ?? lastChoice;
  const pending = quiz.pending[id];
  const locked = !view || view.closed || pending !== undefined;
  const statusId = `${id}-status`;

  function onSubmit(event: FormEvent) {
    event.preventDefault();
    if (!view || view.nextAttempt === null || choice === null) return;
    quiz.submit({ questionId: id, attempt: view.nextAttempt, answer: { choice } });
    setChoice(null);
  }

  return (
    <form onSubmit={onSubmit} noValidate aria-busy={!view}>
      <fieldset aria-describedby={statusId}>
        <legend>
          <span className="kc-number">Question {number}. </span>
          <span dangerouslySetInnerHTML={{ __html: promptHtml }} />
        </legend>
        {view ? (
          <Options view={view} name={id} selected={selected} locked={locked} onSelect={setChoice} />
        ) : (
          <div aria-hidden="true">
            {Array.from({ length: optionCount }, (_, index) => (
              <div key={index} className={styles.skeletonOption} />
            ))}
          </div>
        )}
        <CheckAnswer disabled={locked || choice === null} status={<QuestionStatus view={view} statusId={statusId} />} />
        {view?.reveal?.kind === 'single-choice-summary' ? (
          <div className={styles.reveal}>
            <p>{view.reveal.summary}</p>
          </div>
        ) : null}
        {view?.closed && practiseWith ? (
          // No practice round here: the same options in another order would test memory, and
          // grading them would show a learner out of attempts the key (docs/decisions/013).
          <p className={styles.meta}>
            To practise this idea on new numbers, try <a href={`#${practiseWith.id}`}>question {practiseWith.number}</a>
            .
          </p>
        ) : null}
        <ReportProblem questionId={id} />
      </fieldset>
    </form>
  );
}

function Options({
  view,
  name,
  selected,
  locked,
  onSelect,
}: {
  view: ChoiceQuestionView;
  name: string;
  selected: string | null;
  locked: boolean;
  onSelect: (key: string) => void;
}) {
  const reveal = view.reveal?.kind === 'single-choice' ? view.reveal : null;
  return (
    <>
      {view.options.map((option) => {
        const explanation = reveal?.explanations.find((entry) => entry.key === option.key)?.text;
        const isCorrect = reveal?.correctKey === option.key;
        return (
          <div key={option.key} className={isCorrect ? `${styles.option} ${styles.optionCorrect}` : styles.option}>
            <label className="kc-option">
              <input
                type="radio"
                name={name}
                value={option.key}
                checked={selected === option.key}
                disabled={locked}
                onChange={() => onSelect(option.key)}
              />
              <span>
                {option.text}
                {isCorrect ? <strong className={styles.badge}> Correct answer</strong> : null}
              </span>
            </label>
            {explanation ? <p className={styles.explanation}>{explanation}</p> : null}
          </div>
        );
      })}
    </>
  );
}
