'use client';

import { useEffect, useRef, useState, type FormEvent } from 'react';

import type { FormulaQuestionView, QuestionView } from '@/lib/quiz/views';

import { CheckAnswer, GeneratedQuestion, type QuestionFormSlot } from './GeneratedQuestion';
import styles from './quiz.module.css';

export interface FormulaQuestionProps {
  id: string;
  number: number;
  promptHtml: string;
  /** The graded variant's loss, with its formula, typeset on the server. */
  lossHtml: string;
}

type Preview =
  | { state: 'empty' }
  | { state: 'ok'; html: string }
  | { state: 'error'; message: string; column: number }
  | { state: 'offline' };

const PREVIEW_DELAY_MS = 200;

function formulaOf(view: QuestionView | null | undefined): FormulaQuestionView | undefined {
  return view?.kind === 'formula' ? view : undefined;
}

/**
 * The learner types an expression; the server typesets it with KaTeX as they type (a preview
 * route: the lesson ships no KaTeX JavaScript, docs/decisions/013) and reports the language's
 * errors with their position, exactly as the graph playground does.
 */
function useFormulaPreview(text: string): Preview {
  const [preview, setPreview] = useState<Preview>({ state: 'empty' });
  useEffect(() => {
    if (text.trim() === '') {
      const timer = setTimeout(() => setPreview({ state: 'empty' }), 0);
      return () => clearTimeout(timer);
    }
    const controller = new AbortController();
    const timer = setTimeout(() => {
      fetch(`/api/quiz/formula-preview?expression=${encodeURIComponent(text)}`, {
        credentials: 'same-origin',
        signal: controller.signal,
      })
        .then(async (response) => {
          if (!response.ok) throw new Error(String(response.status));
          const body = (await response.json()) as
            { ok: true; html: string } | { ok: false; error: { message: string; line: number; column: number } };
          setPreview(
            body.ok
              ? { state: 'ok', html: body.html }
              : { state: 'error', message: body.error.message, column: body.error.column },
          );
        })
        .catch((error: unknown) => {
          if ((error as { name?: string }).name !== 'AbortError') setPreview({ state: 'offline' });
        });
    }, PREVIEW_DELAY_MS);
    return () => {
      clearTimeout(timer);
      controller.abort();
    };
  }, [text]);
  return preview;
}

export function FormulaQuestion({ lossHtml, ...question }: FormulaQuestionProps) {
  return (
    <GeneratedQuestion
      {...question}
      viewOf={formulaOf}
      practiceLegend={(view, round) => (
        <>
          Practice round {round} (not graded): write {`∂L/∂${view.ask.wrt}`} with {view.ask.lossName}.
        </>
      )}
      // A practice round states its own loss in words (its loss may differ from the graded one).
      form={(slot: QuestionFormSlot<FormulaQuestionView, FormulaAnswer>) => (
        <FormulaForm {...slot} lossHtml={slot.practice ? null : lossHtml} />
      )}
    />
  );
}

type FormulaAnswer = { expression: string };

interface FormulaFormProps extends QuestionFormSlot<FormulaQuestionView, FormulaAnswer> {
  lossHtml: string | null;
}

function FormulaForm({ formId, legend, lossHtml, view, locked, onSubmit, status, statusId }: FormulaFormProps) {
  const lastExpression = (view?.last?.answer as { expression?: string } | undefined)?.expression ?? '';
  const [draft, setDraft] = useState<string | null>(null);
  const text = draft ?? lastExpression;
  const preview = useFormulaPreview(text);
  const input = useRef<HTMLInputElement>(null);
  const inputId = `${formId}-expression`;
  const previewId = `${formId}-preview`;
  const revealed = view?.reveal?.kind === 'formula' ? view.reveal : null;

  function submit(event: FormEvent) {
    event.preventDefault();
    if (!view || view.nextAttempt === null || text.trim() === '') return;
    onSubmit(view.nextAttempt, { expression: text.trim() });
    setDraft(null);
  }

  /** Puts the caret at the error, without selecting anything the next key would replace. */
  function goToError(column: number) {
    const element = input.current;
    if (!element) return;
    element.focus();
    const at = Math.max(0, Math.min(column - 1, element.value.length));
    element.setSelectionRange(at, at);
  }

  return (
    <form onSubmit={submit} noValidate aria-busy={!view}>
      <fieldset aria-describedby={statusId}>
        <legend>{legend}</legend>
        {lossHtml ? <p className={styles.loss} dangerouslySetInnerHTML={{ __html: lossHtml }} /> : null}
        {view ? (
          <p className={styles.meta}>
            {/* The graded question states its loss above, typeset; a practice round states its own here. */}
            {lossHtml ? null : `Loss: ${view.ask.lossName}, ${view.ask.lossFormula}. `}Use x, w, b and y (you may write
            z for w*x + b and a for sigmoid(z)), with + − * / ^ and functions such as sigmoid, exp and log.
          </p>
        ) : (
          <div className={styles.skeletonGivens} aria-hidden="true" />
        )}
        <label htmlFor={inputId} className={styles.partLabel}>
          {view ? `∂L/∂${view.ask.wrt} =` : 'Your formula'}
        </label>
        <input
          ref={input}
          id={inputId}
          className={`${styles.input} ${styles.formulaInput}`}
          type="text"
          autoComplete="off"
          autoCapitalize="off"
          spellCheck={false}
          placeholder="for example 2*x*(w - b)"
          value={text}
          disabled={locked}
          aria-describedby={previewId}
          aria-invalid={preview.state === 'error' || undefined}
          onChange={(event) => setDraft(event.target.value)}
        />
        <div id={previewId} className={styles.preview} aria-live="polite">
          {preview.state === 'ok' ? (
            <span>
              <span className={styles.meta}>Preview: </span>
              <span dangerouslySetInnerHTML={{ __html: preview.html }} />
            </span>
          ) : preview.state === 'error' ? (
            <span className={styles.previewError}>
              {preview.message}{' '}
              <button type="button" className={styles.linkButton} onClick={() => goToError(preview.column)}>
                Go to the error
              </button>
            </span>
          ) : preview.state === 'offline' ? (
            <span className={styles.meta}>No preview: the server cannot be reached.</span>
          ) : (
            <span className={styles.meta}>Your formula will appear here, typeset, as you type.</span>
          )}
        </div>
        <CheckAnswer disabled={locked || text.trim() === ''} status={status} />
        {revealed ? (
          <div className={styles.reveal}>
            <p>{revealed.explanation}</p>
          </div>
        ) : null}
      </fieldset>
    </form>
  );
}
