import { z } from 'zod';

import { FORMULA_LIMITS, formulaPoints, gradeFormula, type ParsedFormula } from './formula';
import type { MisconceptionId, PublicChoiceQuestion, PublicFormulaQuestion, PublicNumericQuestion } from './schema';
import type { TargetSolution } from './targets';
import { withinTolerance } from './tolerance';
import { CHOICE_KEYS, type FormulaVariant, type ShuffledOption } from './variants';

/** Answers as the browser sends them. Numbers must be finite and of sane size (zod 4 rejects NaN and ±Infinity). */
export const MAX_ANSWER_MAGNITUDE = 1e6;

export const choiceAnswerSchema = z.object({ choice: z.enum(CHOICE_KEYS) }).strict();
export type ChoiceAnswer = z.infer<typeof choiceAnswerSchema>;

const offeredSchemas = new WeakMap<PublicChoiceQuestion, z.ZodType<ChoiceAnswer>>();

/**
 * Only the letters this question offers (A-C for three options): a letter that was never shown
 * is a bad request (400), not an attempt (issue 19).
 */
export function offeredChoiceSchema(question: PublicChoiceQuestion): z.ZodType<ChoiceAnswer> {
  let schema = offeredSchemas.get(question);
  if (!schema) {
    const letters = CHOICE_KEYS.slice(0, question.options.length) as unknown as [
      ChoiceAnswer['choice'],
      ...ChoiceAnswer['choice'][],
    ];
    schema = z
      .object({
        choice: z.enum(letters, { error: `choose one of the letters offered: ${letters.join(', ')}` }),
      })
      .strict();
    offeredSchemas.set(question, schema);
  }
  return schema;
}

/** A typed formula: one line of the playground's language. */
export const formulaAnswerSchema = z
  .object({ expression: z.string().trim().min(1, 'type an expression').max(FORMULA_LIMITS.maxSourceLength) })
  .strict();
export type FormulaAnswer = z.infer<typeof formulaAnswerSchema>;

const numberSchema = z.number().min(-MAX_ANSWER_MAGNITUDE).max(MAX_ANSWER_MAGNITUDE);

function buildNumericAnswerSchema(question: PublicNumericQuestion) {
  const shape = Object.fromEntries(question.parts.map((part) => [part.id, numberSchema]));
  return z.object({ parts: z.object(shape).strict() }).strict();
}

/**
 * One schema per question object (content is immutable): zod 4 compiles an object schema on its
 * first parse, so a schema built per request paid that compilation on every answer.
 */
const numericSchemas = new WeakMap<PublicNumericQuestion, ReturnType<typeof buildNumericAnswerSchema>>();

export function numericAnswerSchema(question: PublicNumericQuestion) {
  let schema = numericSchemas.get(question);
  if (!schema) {
    schema = buildNumericAnswerSchema(question);
    numericSchemas.set(question, schema);
  }
  return schema;
}
export interface NumericAnswer {
  parts: Record<string, number>;
}

export interface PartGrading {
  id: string;
  score: number;
  correct: boolean;
  /** The specific mistake the answer matches, when it is wrong in a recognisable way. */
  misconception: MisconceptionId | null;
}

/** What is stored with a response and returned for it (and for every replay of it). */
export interface Grading {
  score: number;
  correct: boolean;
  parts: PartGrading[];
}

export const CHOICE_PART_ID = 'choice';

export function gradeChoice(
  options: readonly ShuffledOption[],
  correctOptionId: string,
  answer: ChoiceAnswer,
): Grading {
  const chosen = options.find((option) => option.key === answer.choice);
  const correct = chosen?.optionId === correctOptionId;
  const score = correct ? 1 : 0;
  return { score, correct, parts: [{ id: CHOICE_PART_ID, score, correct, misconception: null }] };
}

/** One numeric part: correct within tolerance, else the first misconception it matches (same tolerance). */
export function gradeNumericPart(id: string, value: number, solution: TargetSolution): PartGrading {
  if (withinTolerance(value, solution.expected)) return { id, score: 1, correct: true, misconception: null };
  const match = solution.misconceptions.find((misconception) => withinTolerance(value, misconception.value));
  return { id, score: 0, correct: false, misconception: match?.id ?? null };
}

/** Partial credit: each part is worth the same, and the question is correct only when all are. */
export function gradeNumeric(
  question: PublicNumericQuestion,
  solutions: readonly TargetSolution[],
  answer: NumericAnswer,
): Grading {
  const parts = question.parts.map((part, index) => {
    const solution = solutions[index];
    const value = answer.parts[part.id];
    if (!solution || value === undefined) throw new Error(`no solution or answer for part '${part.id}'`);
    return gradeNumericPart(part.id, value, solution);
  });
  const score = parts.reduce((sum, part) => sum + part.score, 0) / parts.length;
  return { score, correct: parts.every((part) => part.correct), parts };
}

export const FORMULA_PART_ID = 'formula';

/** A formula question's grading: one part, correct when equivalent at every grading point. */
export function gradeFormulaAnswer(
  question: PublicFormulaQuestion,
  variant: FormulaVariant,
  formula: Extract<ParsedFormula, { ok: true }>,
): Grading {
  const { correct, misconception } = gradeFormula(formula, variant, formulaPoints(question.id));
  const score = correct ? 1 : 0;
  return { score, correct, parts: [{ id: FORMULA_PART_ID, score, correct, misconception }] };
}
