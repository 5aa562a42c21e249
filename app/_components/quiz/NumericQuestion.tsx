'use client';

import { useState, type FormEvent } from 'react';

import type { NumericQuestionView, QuestionView } from '@/lib/quiz/views';

import { CheckAnswer, GeneratedQuestion, type QuestionFormSlot } from './GeneratedQuestion';
import styles from './quiz.module.css';

export interface NumericQuestionProps {
  id: string;
  number: number;
  promptHtml: string;
  /** The loss the question uses, with its formula, typeset on the server; null off the neuron. */
  lossHtml: string | null;
  parts: { id: string; labelHtml: string; labelText: string }[];
}

const GIVEN_LABELS: Record<string, string> = { x: 'x', w: 'w', b: 'b', y: 'label y', eta: 'η' };

/** Accepts what people type: a leading "+", a typographic minus, spaces, a decimal comma. */
export function parseNumber(text: string): number | null {
  const normalised = text.trim().replace(/[−–]/g, '-').replace(/\s+/g, '').replace(',', '.');
  if (!/^[+-]?(\d+\.?\d*|\.\d+)(e[+-]?\d+)?$/i.test(normalised)) return null;
  const value = Number(normalised);
  return Number.isFinite(value) ? value : null;
}

function numericOf(view: QuestionView | null | undefined): NumericQuestionView | undefined {
  return view && (view.kind === 'numeric' || view.kind === 'multi-part') ? view : undefined;
}

/** A generated question on the lesson's graph: the learner's own numbers, one input per part; then practice. */
export function NumericQuestion({ lossHtml, parts, ...question }: NumericQuestionProps) {
  return (
    <GeneratedQuestion
      {...question}
      viewOf={numericOf}
      practiceLegend={(_, round) => <>Practice round {round} (not graded): new numbers, same question.</>}
      form={(slot: QuestionFormSlot<NumericQuestionView, NumericAnswer>) => (
        <NumericForm {...slot} lossHtml={lossHtml} parts={parts} />
      )}
    />
  );
}

type NumericAnswer = { parts: Record<string, number> };

interface NumericFormProps extends QuestionFormSlot<NumericQuestionView, NumericAnswer> {
  lossHtml: string | null;
  parts: NumericQuestionProps['parts'];
}

function NumericForm({ formId, legend, lossHtml, parts, view, locked, onSubmit, status, statusId }: NumericFormProps) {
  const [drafts, setDrafts] = useState<Record<string, string>>({});
  const [invalid, setInvalid] = useState<string[]>([]);
  // Keep the last answer in the boxes while the numbers stay the same, so one wrong part can be fixed.
  const lastAnswer = (view?.last?.answer as { parts?: Record<string, number> } | undefined)?.parts;
  const sameNumbers = view !== undefined && (!view.policy.newVariantOnWrong || view.closed);
  const valueOf = (partId: string) =>
    drafts[partId] ?? (sameNumbers && lastAnswer?.[partId] !== undefined ? String(lastAnswer[partId]) : '');

  function submit(event: FormEvent) {
    event.preventDefault();
    if (!view || view.nextAttempt === null) return;
    const values = parts.map((part) => [part.id, parseNumber(valueOf(part.id))] as const);
    const bad = values.filter(([, value]) => value === null).map(([partId]) => partId);
    setInvalid(bad);
    if (bad.length > 0) {
      document.getElementById(`${formId}-${bad[0]}`)?.focus();
      return;
    }
    onSubmit(view.nextAttempt, { parts: Object.fromEntries(values) as Record<string, number> });
    setDrafts({});
  }

  const partResult = (partId: string) => view?.last?.parts.find((part) => part.id === partId);
  const revealed = view?.reveal?.kind === 'numeric' ? view.reveal : null;

  return (
    <form onSubmit={submit} noValidate aria-busy={!view}>
      <fieldset aria-describedby={statusId}>
        <legend>{legend}</legend>
        {lossHtml ? <p className={styles.loss} dangerouslySetInnerHTML={{ __html: lossHtml }} /> : null}
        {view ? <Givens view={view} /> : <div className={styles.skeletonGivens} aria-hidden="true" />}
        <div className={styles.parts}>
          {parts.map((part) => {
            const result = partResult(part.id);
            const showResult = result !== undefined && sameNumbers && drafts[part.id] === undefined;
            const inputId = `${formId}-${part.id}`;
            const errorId = `${inputId}-error`;
            const feedbackId = `${inputId}-feedback`;
            const isInvalid = invalid.includes(part.id);
            return (
              <div key={part.id} className={styles.part}>
                <label htmlFor={inputId} className={styles.partLabel}>
                  <span dangerouslySetInnerHTML={{ __html: part.labelHtml }} />
                </label>
                <input
                  id={inputId}
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
        <CheckAnswer disabled={locked} status={status} />
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
