'use client';

import { useState, type FormEvent } from 'react';

import type { NumericQuestionView } from '@/lib/quiz/views';

import { QuestionStatus } from './QuestionStatus';
import styles from './quiz.module.css';
import { useQuiz } from './QuizProvider';

export interface NumericQuestionProps {
  id: string;
  number: number;
  promptHtml: string;
  parts: { id: string; labelHtml: string; labelText: string }[];
}

const GIVEN_LABELS: Record<string, string> = { x: 'x', w: 'w', b: 'b', y: 'y', eta: 'η' };

/** Accepts what people type: a leading "+", a typographic minus, spaces, a decimal comma. */
export function parseNumber(text: string): number | null {
  const normalised = text.trim().replace(/[−–]/g, '-').replace(/\s+/g, '').replace(',', '.');
  if (!/^[+-]?(\d+\.?\d*|\.\d+)(e[+-]?\d+)?$/i.test(normalised)) return null;
  const value = Number(normalised);
  return Number.isFinite(value) ? value : null;
}

/** A generated question on the lesson's graph: the learner's own numbers, one input per part. */
export function NumericQuestion({ id, number, promptHtml, parts }: NumericQuestionProps) {
  const quiz = useQuiz();
  const found = quiz.questions[id];
  const view = found && found.kind !== 'single-choice' ? found : undefined;
  const [drafts, setDrafts] = useState<Record<string, string>>({});
  const [invalid, setInvalid] = useState<string[]>([]);
  const pending = quiz.pending[id];
  const locked = !view || view.closed || pending !== undefined;
  const statusId = `${id}-status`;
  // Keep the last answer in the boxes while the numbers stay the same, so one wrong part can be fixed.
  const lastAnswer = (view?.last?.answer as { parts?: Record<string, number> } | undefined)?.parts;
  const sameNumbers = view !== undefined && (!view.policy.newVariantOnWrong || view.closed);
  const valueOf = (partId: string) =>
    drafts[partId] ?? (sameNumbers && lastAnswer?.[partId] !== undefined ? String(lastAnswer[partId]) : '');

  function onSubmit(event: FormEvent) {
    event.preventDefault();
    if (!view || view.nextAttempt === null) return;
    const values = parts.map((part) => [part.id, parseNumber(valueOf(part.id))] as const);
    const bad = values.filter(([, value]) => value === null).map(([partId]) => partId);
    setInvalid(bad);
    if (bad.length > 0) {
      document.getElementById(`${id}-${bad[0]}`)?.focus();
      return;
    }
    quiz.submit({ questionId: id, attempt: view.nextAttempt, answer: { parts: Object.fromEntries(values) } });
    setDrafts({});
  }

  const partResult = (partId: string) => view?.last?.parts.find((part) => part.id === partId);
  const revealed = view?.reveal?.kind === 'numeric' ? view.reveal : null;

  return (
    <form onSubmit={onSubmit} noValidate aria-busy={!view}>
      <fieldset aria-describedby={statusId}>
        <legend>
          <span className="kc-number">Question {number}. </span>
          <span dangerouslySetInnerHTML={{ __html: promptHtml }} />
        </legend>
        {view ? <Givens view={view} /> : <div className={styles.skeletonGivens} aria-hidden="true" />}
        <div className={styles.parts}>
          {parts.map((part) => {
            const result = partResult(part.id);
            const showResult = result !== undefined && sameNumbers && drafts[part.id] === undefined;
            const errorId = `${id}-${part.id}-error`;
            const feedbackId = `${id}-${part.id}-feedback`;
            const isInvalid = invalid.includes(part.id);
            return (
              <div key={part.id} className={styles.part}>
                <label htmlFor={`${id}-${part.id}`} className={styles.partLabel}>
                  <span dangerouslySetInnerHTML={{ __html: part.labelHtml }} />
                </label>
                <input
                  id={`${id}-${part.id}`}
                  aria-label={part.labelText}
                  className={styles.input}
                  type="text"
                  inputMode="decimal"
                  autoComplete="off"
                  spellCheck={false}
                  value={valueOf(part.id)}
                  disabled={locked}
                  aria-invalid={isInvalid || undefined}
                  aria-describedby={
                    [isInvalid ? errorId : '', showResult && parts.length > 1 ? feedbackId : '']
                      .filter(Boolean)
                      .join(' ') || undefined
                  }
                  onChange={(event) => {
                    const text = event.target.value;
                    setDrafts((current) => ({ ...current, [part.id]: text }));
                    setInvalid((current) => current.filter((entry) => entry !== part.id));
                  }}
                />
                {isInvalid ? (
                  <p id={errorId} className={styles.error}>
                    Enter a number, like −0.25 or 1.5e-3.
                  </p>
                ) : null}
                {showResult && parts.length > 1 ? (
                  <p id={feedbackId} className={result.correct ? styles.correct : styles.incorrect}>
                    <span aria-hidden="true">{result.correct ? '✓ ' : '✗ '}</span>
                    {result.feedback}
                  </p>
                ) : null}
              </div>
            );
          })}
        </div>
        {view ? (
          <p className={styles.meta}>
            Answers within {view.tolerance.relative * 100}% (or {view.tolerance.absolute}) of the exact value count as
            correct.
          </p>
        ) : null}
        <div className={styles.actions}>
          <button type="submit" className={styles.button} disabled={locked}>
            Check answer
          </button>
          <QuestionStatus view={view} statusId={statusId} />
        </div>
        {revealed ? (
          <div className={styles.reveal}>
            <p>
              <strong>Answer: </strong>
              {revealed.answers.map((answer, index) => (
                <span key={answer.id}>
                  {index > 0 ? '; ' : ''}
                  <span
                    dangerouslySetInnerHTML={{ __html: parts.find((part) => part.id === answer.id)?.labelHtml ?? '' }}
                  />{' '}
                  = {answer.display}
                </span>
              ))}
            </p>
            <p>{revealed.explanation}</p>
          </div>
        ) : null}
      </fieldset>
    </form>
  );
}

function Givens({ view }: { view: NumericQuestionView }) {
  return (
    <dl className={styles.givens} aria-label="Your numbers">
      {view.givens.map((given) => (
        <div key={given.name}>
          <dt>{GIVEN_LABELS[given.name] ?? given.name}</dt>
          <dd>{given.display}</dd>
        </div>
      ))}
    </dl>
  );
}
