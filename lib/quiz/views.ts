import type { Grading } from './grading';
import { attemptState, currentVariantIndex, mayReveal, type AttemptRecord, type AttemptState } from './policy';
import type {
  AttemptPolicy,
  ChoiceAnswerKey,
  MisconceptionId,
  NumericSolution,
  PublicChoiceQuestion,
  PublicNumericQuestion,
  PublicQuestion,
} from './schema';
import { givensFor, type GivenName } from './targets';
import { TOLERANCE } from './tolerance';
import { choiceVariant, numericVariant, type ChoiceKey } from './variants';
import { formatNumber } from './format';

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
  | { kind: 'numeric'; answers: { id: string; value: number; display: string }[]; explanation: string };

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

export type QuestionView = ChoiceQuestionView | NumericQuestionView;

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

export function resultView(content: LessonQuizContent, question: PublicQuestion, stored: StoredAttempt): ResultView {
  return {
    attempt: stored.attempt,
    score: stored.grading.score,
    correct: stored.grading.correct,
    answer: stored.answer,
    parts: stored.grading.parts.map((part) => ({
      id: part.id,
      correct: part.correct,
      misconception: part.misconception,
      feedback: part.correct
        ? 'Correct.'
        : part.misconception
          ? content.misconceptionFeedback[part.misconception]
          : question.kind === 'single-choice'
            ? 'Not quite.'
            : NOT_WITHIN_TOLERANCE,
    })),
  };
}

function choiceView(
  content: LessonQuizContent,
  question: PublicChoiceQuestion,
  learnerId: string,
  state: AttemptState,
  last: StoredAttempt | undefined,
): ChoiceQuestionView {
  const options = choiceVariant(question, learnerId, currentVariantIndex(question.policy, state));
  let reveal: RevealView | null = null;
  if (mayReveal(question.policy, state)) {
    const key = content.choiceKeys.get(question.id);
    const correct = options.find((option) => option.optionId === key?.correctOptionId);
    if (!key || !correct) throw new Error(`no answer key for question '${question.id}'`);
    reveal = {
      kind: 'single-choice',
      correctKey: correct.key,
      explanations: options.map((option) => ({ key: option.key, text: key.explanations[option.optionId] ?? '' })),
    };
  }
  return {
    ...baseView(content, question, state, last),
    kind: 'single-choice',
    options: options.map(({ key, text }) => ({ key, text })),
    reveal,
  };
}

function numericView(
  content: LessonQuizContent,
  question: PublicNumericQuestion,
  learnerId: string,
  state: AttemptState,
  last: StoredAttempt | undefined,
): NumericQuestionView {
  const { variant, solutions } = numericVariant(question, learnerId, currentVariantIndex(question.policy, state));
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
    ...baseView(content, question, state, last),
    kind: question.kind,
    givens: names.map((name) => ({ name, value: variant[name], display: formatNumber(variant[name]) })),
    tolerance: { ...TOLERANCE },
    reveal,
  };
}

function baseView(
  content: LessonQuizContent,
  question: PublicQuestion,
  state: AttemptState,
  last: StoredAttempt | undefined,
): Omit<BaseView, 'reveal'> {
  return {
    id: question.id,
    policy: question.policy,
    attemptsUsed: state.used,
    attemptsLeft: state.left,
    nextAttempt: state.nextAttempt,
    solved: state.solved,
    closed: state.closed,
    last: last ? resultView(content, question, last) : null,
  };
}

/** The learner's view of one question, from their stored attempts at it (any order). */
export function questionView(
  content: LessonQuizContent,
  question: PublicQuestion,
  learnerId: string,
  attempts: readonly StoredAttempt[],
): QuestionView {
  const state = attemptState(question.policy, attempts);
  const last = attempts.reduce<StoredAttempt | undefined>(
    (latest, attempt) => (latest === undefined || attempt.attempt > latest.attempt ? attempt : latest),
    undefined,
  );
  return question.kind === 'single-choice'
    ? choiceView(content, question, learnerId, state, last)
    : numericView(content, question, learnerId, state, last);
}
