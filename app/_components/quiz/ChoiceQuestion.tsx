'use client';

import { useState, type FormEvent } from 'react';

import type { ChoiceQuestionView } from '@/lib/quiz/views';

import { QuestionStatus } from './QuestionStatus';
import { ReportProblem } from './ReportProblem';
import styles from './quiz.module.css';
import { useQuiz } from './QuizProvider';

export interface ChoiceQuestionProps {
  id: string;
  number: number;
  promptHtml: string;
  optionCount: number;
}

/** A single-answer question. Options arrive with the learner's state, in their own order, as letters. */
export function ChoiceQuestion({ id, number, promptHtml, optionCount }: ChoiceQuestionProps) {
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
        <div className={styles.actions}>
          <button type="submit" className={styles.button} disabled={locked || choice === null}>
            Check answer
          </button>
          <QuestionStatus view={view} statusId={statusId} />
        </div>
        {view?.reveal?.kind === 'single-choice-summary' ? (
          <div className={styles.reveal}>
            <p>{view.reveal.summary}</p>
          </div>
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
