'use client';

/**
 * Predict, then reveal: the learner commits to the sign (or a value) of a gradient before the
 * widget shows it, then sees whether they were right. The prediction is kept in this
 * component's state and reported as a `prediction-made` WidgetEvent (lib/widgets/events).
 *
 *   <PredictReveal key={setupKey} widget="backward-steps" instance="bs" target="dL/dw"
 *     targetLabel="∂L/∂w" actual={grads.w} revealed={revealed} onReveal={() => setRevealed(true)}
 *     allowValue />
 *
 * Give it a `key` that changes with the setup (values, chosen node) so a new setup asks anew.
 * `revealed` is owned by the parent (a step can reveal the answer too); committing a
 * prediction calls onReveal, unless `revealOnCommit` is false: then the prediction is kept,
 * `waiting` says how the learner finds out (the backward stepper reveals one factor per step),
 * and the verdict appears when the parent reveals. `onPrediction` lets a parent see the
 * prediction as well. After a prediction the sign buttons stay, the chosen one pressed
 * (aria-pressed), so the learner can see what they chose.
 */
import { useId, useState, type ReactNode } from 'react';

import { judgePrediction, type Prediction, type WidgetKind } from '@/lib/widgets/events';

import { formatNumber } from './format';
import { useWidgetEvents } from './useWidgetEvents';
import styles from './widgets.module.css';

export interface PredictRevealProps {
  widget: WidgetKind;
  instance: string;
  /** Plain-text target for events and accessible names: `dL/dw`. */
  target: string;
  /** How the target is written in the prompt (may be KaTeX HTML or text). */
  targetLabel: ReactNode;
  actual: number;
  revealed: boolean;
  onReveal: () => void;
  /** Offer a number field as well as the sign buttons. */
  allowValue?: boolean;
  onPrediction?: (prediction: Prediction, correct: boolean) => void;
  /** Shown under the verdict once revealed (e.g. where the number comes from). */
  children?: ReactNode;
  locked?: boolean;
  /** Whether committing a prediction reveals the answer at once (default true). */
  revealOnCommit?: boolean;
  /** Shown after a prediction while the answer is still hidden (with revealOnCommit false). */
  waiting?: ReactNode;
}

const SIGNS: { sign: -1 | 0 | 1; text: string; word: string }[] = [
  { sign: 1, text: '+', word: 'positive' },
  { sign: -1, text: '−', word: 'negative' },
  { sign: 0, text: '0', word: 'zero' },
];

function describe(prediction: Prediction): string {
  if (prediction.kind === 'value') return formatNumber(prediction.value);
  return SIGNS.find((s) => s.sign === prediction.sign)!.word;
}

export function PredictReveal({
  widget,
  instance,
  target,
  targetLabel,
  actual,
  revealed,
  onReveal,
  allowValue = false,
  onPrediction,
  children,
  locked = false,
  revealOnCommit = true,
  waiting,
}: PredictRevealProps) {
  const inputId = useId();
  const [made, setMade] = useState<{ prediction: Prediction; correct: boolean } | null>(null);
  const [typed, setTyped] = useState('');
  const { emit, markUsed } = useWidgetEvents(widget, instance);

  const commit = (prediction: Prediction) => {
    if (made) return;
    const correct = judgePrediction(prediction, actual);
    setMade({ prediction, correct });
    markUsed('predict');
    emit({ type: 'prediction-made', widget, instance, target, predicted: prediction, actual, correct });
    onPrediction?.(prediction, correct);
    if (revealOnCommit) onReveal();
  };
  const chosenSign = made?.prediction.kind === 'sign' ? made.prediction.sign : null;

  const typedValue = Number(typed);
  const typedOk = typed.trim() !== '' && Number.isFinite(typedValue);

  return (
    <div className={styles.predict} data-predict={target}>
      {(!revealed && !made) || chosenSign !== null ? (
        <fieldset className={styles.predictForm} disabled={locked}>
          <legend>
            {made ? 'Your prediction' : 'Predict first'}: is {targetLabel} positive, negative or zero?
          </legend>
          <div className={styles.predictRow}>
            {SIGNS.map(({ sign, text, word }) => (
              <button
                key={word}
                type="button"
                className={`${styles.button} ${chosenSign === sign ? styles.buttonChosen : ''}`}
                aria-label={`Predict ${target} is ${word}`}
                // Pressed marks the learner's choice; once made, the choice is kept (aria-disabled
                // rather than disabled, so a focused button keeps its focus).
                aria-pressed={made ? chosenSign === sign : undefined}
                aria-disabled={made ? true : undefined}
                onClick={() => commit({ kind: 'sign', sign })}
              >
                {text}
              </button>
            ))}
            {made ? null : allowValue ? (
              <form
                className={styles.predictValue}
                onSubmit={(event) => {
                  event.preventDefault();
                  if (typedOk) commit({ kind: 'value', value: typedValue });
                }}
              >
                <label htmlFor={inputId}>or its value</label>
                <input
                  id={inputId}
                  className={styles.number}
                  type="number"
                  step="any"
                  inputMode="decimal"
                  value={typed}
                  aria-label={`Predicted value of ${target}`}
                  onChange={(event) => setTyped(event.currentTarget.value)}
                />
                <button type="submit" className={styles.button} disabled={!typedOk}>
                  Commit
                </button>
              </form>
            ) : null}
            {made ? null : (
              <button type="button" className={`${styles.button} ${styles.buttonQuiet}`} onClick={onReveal}>
                Just show me
              </button>
            )}
          </div>
        </fieldset>
      ) : null}
      <div role="status" className={styles.predictResult}>
        {made && !revealed ? (
          <p data-prediction-waiting="">
            You predicted {describe(made.prediction)}. {waiting}
          </p>
        ) : made ? (
          <p data-correct={made.correct ? 'true' : 'false'}>
            <strong>{made.correct ? 'Right.' : 'Not quite.'}</strong> You predicted {describe(made.prediction)}; the
            engine says {target} = {formatNumber(actual)}.
          </p>
        ) : revealed ? (
          <p>
            {target} = {formatNumber(actual)}.
          </p>
        ) : null}
        {revealed ? children : null}
      </div>
    </div>
  );
}
