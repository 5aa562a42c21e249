import { formatNumber } from './format';
import { LOSS_NAMES } from './formula';
import type { Grading } from './grading';
import { hintFor, LOSS_FORMULAS, type HintContext } from './hints';
import {
  attemptState,
  currentVariantIndex,
  mayReveal,
  variantIndexFor,
  type AttemptRecord,
  type AttemptState,
} from './policy';
import type {
  AttemptPolicy,
  ChoiceAnswerKey,
  FormulaWrt,
  Loss,
  MisconceptionId,
  NumericSolution,
  PublicChoiceQuestion,
  PublicFormulaQuestion,
  PublicNumericQuestion,
  PublicQuestion,
} from './schema';
import { givensFor, type GivenName } from './targets';
import { TOLERANCE } from './tolerance';
import { choiceVariant, formulaVariant, numericVariant, PRACTICE_VARIANT_BASE, type ChoiceKey } from './variants';

/**
 * What the browser receives about a learner's question: their option order or numbers, their
 * attempts and feedback, and the key only once the policy allows. Built on the server from the
 * stored attempts; the browser imports these types only.
 */

export interface PartResultView {
  id: string;
  correct: boolean;
  feedback: string;
  misconception: MisconceptionId | null;
}

export interface ResultView {
  attempt: number;
  score: number;
  correct: boolean;
  parts: PartResultView[];
  /** The learner's own answer, as stored. */
  answer: unknown;
}

export type RevealView =
  | { kind: 'single-choice'; correctKey: ChoiceKey; explanations: { key: ChoiceKey; text: string }[] }
  /**
   * A choice question closed without a right answer: what it was about, pointing at no option
   * (issue 19: a throwaway session that spends its attempts must not learn the key).
   */
  | { kind: 'single-choice-summary'; summary: string }
  | { kind: 'numeric'; answers: { id: string; value: number; display: string }[]; explanation: string }
  | { kind: 'formula'; explanation: string };

interface BaseView {
  id: string;
  policy: AttemptPolicy;
  attemptsUsed: number;
  attemptsLeft: number;
  /** The attempt number to send with the next answer; null when the question is over. */
  nextAttempt: number | null;
  solved: boolean;
  closed: boolean;
  last: ResultView | null;
  reveal: RevealView | null;
  /** Practice on fresh numbers (issue 16): the round shown, or null for the graded question. */
  practiceRound: number | null;
}

export interface ChoiceQuestionView extends BaseView {
  kind: 'single-choice';
  options: { key: ChoiceKey; text: string }[];
}

export interface NumericQuestionView extends BaseView {
  kind: 'numeric' | 'multi-part';
  givens: { name: GivenName; value: number; display: string }[];
  tolerance: { relative: number; absolute: number };
}

export interface FormulaQuestionView extends BaseView {
  kind: 'formula';
  /** What this variant asks: ∂L/∂wrt of the lesson neuron with this loss. */
  ask: { wrt: FormulaWrt; loss: Loss; lossName: string; lossFormula: string };
}

export type QuestionView = ChoiceQuestionView | NumericQuestionView | FormulaQuestionView;

/** Content a lesson's quiz needs on the server: public questions plus the server-only keys. */
export interface LessonQuizContent {
  slug: string;
  questions: readonly PublicQuestion[];
  choiceKeys: ReadonlyMap<string, ChoiceAnswerKey>;
  solutions: ReadonlyMap<string, NumericSolution>;
  misconceptionFeedback: Readonly<Record<MisconceptionId, string>>;
}

export interface StoredAttempt extends AttemptRecord {
  answer: unknown;
  grading: Grading;
}

const NOT_WITHIN_TOLERANCE = 'Not within tolerance of the expected value.';

/**
 * Who answered, and which variant range: with it, feedback is built from the learner's own
 * numbers (hints) and their own option order (why the chosen option is wrong). Without it (old
 * callers), the fixed misconception texts.
 */
export interface FeedbackContext {
  learnerId: string;
  /** 0 for graded attempts; PRACTICE_VARIANT_BASE * round for practice. */
  variantBase: number;
}

function variantOf(question: PublicQuestion, context: FeedbackContext, attempt: number): number {
  return context.variantBase + variantIndexFor(question.policy, attempt);
}

function partFeedback(
  content: LessonQuizContent,
  question: PublicQuestion,
  stored: StoredAttempt,
  part: StoredAttempt['grading']['parts'][number],
  context: FeedbackContext | undefined,
): string {
  if (part.correct) return 'Correct.';
  if (question.kind === 'single-choice') {
    if (!context) return 'Not quite.';
    const choice = (stored.answer as { choice?: string } | null)?.choice;
    const options = choiceVariant(question, context.learnerId, variantOf(question, context, stored.attempt));
    const chosen = options.find((option) => option.key === choice);
    const why = chosen ? content.choiceKeys.get(question.id)?.whyWrong[chosen.optionId] : undefined;
    return why ? `Not quite. ${why}` : 'Not quite.';
  }
  if (!context) {
    return part.misconception ? content.misconceptionFeedback[part.misconception] : NOT_WITHIN_TOLERANCE;
  }
  const variantIndex = variantOf(question, context, stored.attempt);
  let hint: HintContext;
  if (question.kind === 'formula') {
    const variant = formulaVariant(question, context.learnerId, variantIndex);
    hint = { target: { formula: variant.wrt }, loss: variant.loss, values: {}, answer: null };
  } else {
    const { variant, solutions } = numericVariant(question, context.learnerId, variantIndex);
    const index = question.parts.findIndex((entry) => entry.id === part.id);
    const typed = (stored.answer as { parts?: Record<string, unknown> } | null)?.parts?.[part.id];
    hint = {
      target: question.parts[index]?.target ?? 'neuron-dL-dw',
      loss: question.loss,
      values: { ...variant, ...solutions[index]?.values },
      answer: typeof typed === 'number' ? typed : null,
    };
  }
  return hintFor(part.misconception, hint);
}

export function resultView(
  content: LessonQuizContent,
  question: PublicQuestion,
  stored: StoredAttempt,
  context?: FeedbackContext,
): ResultView {
  return {
    attempt: stored.attempt,
    score: stored.grading.score,
    correct: stored.grading.correct,
    answer: stored.answer,
    parts: stored.grading.parts.map((part) => ({
      id: part.id,
      correct: part.correct,
      misconception: part.misconception,
      feedback: partFeedback(content, question, stored, part, context),
    })),
  };
}

function choiceView(
  content: LessonQuizContent,
  question: PublicChoiceQuestion,
  context: FeedbackContext,
  state: AttemptState,
  last: StoredAttempt | undefined,
): ChoiceQuestionView {
  const options = choiceVariant(
    question,
    context.learnerId,
    context.variantBase + currentVariantIndex(question.policy, state),
  );
  let reveal: RevealView | null = null;
  if (mayReveal(question.policy, state)) {
    const key = content.choiceKeys.get(question.id);
    const correct = options.find((option) => option.optionId === key?.correctOptionId);
    if (!key || !correct) throw new Error(`no answer key for question '${question.id}'`);
    // Which option is right is shown only to a learner who found it. Out of attempts, the
    // learner gets what the question was about: a throwaway session that spends its attempts
    // learns no more than the lesson says (issue 19).
    reveal = state.solved
      ? {
          kind: 'single-choice',
          correctKey: correct.key,
          explanations: options.map((option) => ({ key: option.key, text: key.explanations[option.optionId] ?? '' })),
        }
      : { kind: 'single-choice-summary', summary: key.summary };
  }
  return {
    ...baseView(content, question, state, last, context),
    kind: 'single-choice',
    options: options.map(({ key, text }) => ({ key, text })),
    reveal,
  };
}

function numericView(
  content: LessonQuizContent,
  question: PublicNumericQuestion,
  context: FeedbackContext,
  state: AttemptState,
  last: StoredAttempt | undefined,
): NumericQuestionView {
  const { variant, solutions } = numericVariant(
    question,
    context.learnerId,
    context.variantBase + currentVariantIndex(question.policy, state),
  );
  const names = [...new Set(question.parts.flatMap((part) => givensFor(part.target)))];
  let reveal: RevealView | null = null;
  if (mayReveal(question.policy, state)) {
    const solution = content.solutions.get(question.id);
    if (!solution) throw new Error(`no worked solution for question '${question.id}'`);
    const values = Object.assign({}, ...solutions.map((entry) => entry.values)) as Record<string, number>;
    reveal = {
      kind: 'numeric',
      answers: question.parts.map((part, index) => {
        const value = solutions[index]?.expected ?? Number.NaN;
        return { id: part.id, value, display: formatNumber(value) };
      }),
      explanation: solution.explain(values, formatNumber),
    };
  }
  return {
    ...baseView(content, question, state, last, context),
    kind: question.kind,
    givens: names.map((name) => ({ name, value: variant[name], display: formatNumber(variant[name]) })),
    tolerance: { ...TOLERANCE },
    reveal,
  };
}

function formulaView(
  content: LessonQuizContent,
  question: PublicFormulaQuestion,
  context: FeedbackContext,
  state: AttemptState,
  last: StoredAttempt | undefined,
): FormulaQuestionView {
  const variant = formulaVariant(
    question,
    context.learnerId,
    context.variantBase + currentVariantIndex(question.policy, state),
  );
  let reveal: RevealView | null = null;
  if (mayReveal(question.policy, state)) {
    const solution = content.solutions.get(question.id);
    if (!solution) throw new Error(`no worked solution for question '${question.id}'`);
    reveal = {
      kind: 'formula',
      explanation: solution.explain({ [`${variant.wrt}:${variant.loss}`]: 1 }, formatNumber),
    };
  }
  return {
    ...baseView(content, question, state, last, context),
    kind: 'formula',
    ask: { ...variant, lossName: LOSS_NAMES[variant.loss], lossFormula: LOSS_FORMULAS[variant.loss].formula },
    reveal,
  };
}

function baseView(
  content: LessonQuizContent,
  question: PublicQuestion,
  state: AttemptState,
  last: StoredAttempt | undefined,
  context: FeedbackContext,
): Omit<BaseView, 'reveal'> {
  return {
    practiceRound: context.variantBase === 0 ? null : Math.round(context.variantBase / PRACTICE_VARIANT_BASE),
    id: question.id,
    policy: question.policy,
    attemptsUsed: state.used,
    attemptsLeft: state.left,
    nextAttempt: state.nextAttempt,
    solved: state.solved,
    closed: state.closed,
    last: last ? resultView(content, question, last, context) : null,
  };
}

/**
 * The learner's view of one question, from their stored attempts at it (any order). With a
 * practice round, the attempts are that round's and the numbers are the round's own variant.
 */
export function questionView(
  content: LessonQuizContent,
  question: PublicQuestion,
  learnerId: string,
  attempts: readonly StoredAttempt[],
  practiceRound: number | null = null,
): QuestionView {
  const state = attemptState(question.policy, attempts);
  const last = attempts.reduce<StoredAttempt | undefined>(
    (latest, attempt) => (latest === undefined || attempt.attempt > latest.attempt ? attempt : latest),
    undefined,
  );
  const context: FeedbackContext = {
    learnerId,
    variantBase: practiceRound === null ? 0 : PRACTICE_VARIANT_BASE * practiceRound,
  };
  switch (question.kind) {
    case 'single-choice':
      return choiceView(content, question, context, state, last);
    case 'formula':
      return formulaView(content, question, context, state, last);
    default:
      return numericView(content, question, context, state, last);
  }
}
