import { z } from 'zod';

/**
 * Question data as content authors write it. The public part (prompts, options, policies) may
 * reach the browser; keys, explanations and solutions live in a server-only module per lesson
 * and are validated by the *KeySchema schemas below.
 */

const idSchema = z.string().regex(/^[a-z0-9-]+$/, 'use lowercase letters, digits and dashes');

export const skillSchema = z.enum(['local-derivative', 'chain-product', 'sum-over-paths', 'gradient-step', 'concepts']);
export type Skill = z.infer<typeof skillSchema>;

/**
 * When the correct answer and the explanations may be shown (PrairieLearn-style attempt policy):
 * once the learner answers correctly, once the question is over (correct or out of attempts), or never.
 */
export const revealPolicySchema = z.enum(['after-correct', 'after-last-attempt', 'never']);
export type RevealPolicy = z.infer<typeof revealPolicySchema>;

export const attemptPolicySchema = z
  .object({
    maxAttempts: z.number().int().min(1).max(10),
    /** After a wrong answer, the next attempt gets freshly seeded numbers (or a new option order). */
    newVariantOnWrong: z.boolean(),
    reveal: revealPolicySchema,
  })
  .strict();
export type AttemptPolicy = z.infer<typeof attemptPolicySchema>;

export const choiceOptionSchema = z.object({ id: idSchema, text: z.string().min(1) }).strict();

export const publicChoiceQuestionSchema = z
  .object({
    id: idSchema,
    kind: z.literal('single-choice'),
    skill: skillSchema,
    prompt: z.string().min(5),
    options: z.array(choiceOptionSchema).min(2).max(8),
    policy: attemptPolicySchema,
  })
  .strict();
export type PublicChoiceQuestion = z.infer<typeof publicChoiceQuestionSchema>;

/**
 * What a numeric part asks for, on which graph. Each target names a quantity that
 * lib/quiz/targets.ts computes with lib/autodiff for the learner's variant.
 */
export const numericTargetSchema = z.enum([
  /** Local derivative on the edge z -> a of the lesson neuron: da/dz. */
  'neuron-local-z-a',
  /** Local derivative on the edge a -> L: dL/da. */
  'neuron-local-a-L',
  /** dz/dw: the product of the local derivatives on the path w -> p -> z. */
  'neuron-path-w-z',
  /** dL/dw for the whole neuron. */
  'neuron-dL-dw',
  /** w after one gradient-descent step with learning rate eta. */
  'neuron-step-w',
  /** dL/dp on the graph p = w*x, z = p + b, L = p*z, where p is used twice. */
  'reused-dL-dp',
]);
export type NumericTarget = z.infer<typeof numericTargetSchema>;

export const numericPartSchema = z
  .object({
    id: z.string().regex(/^[a-zA-Z0-9-]+$/),
    /** Inline TeX between $...$ is typeset on the server. */
    label: z.string().min(1),
    target: numericTargetSchema,
    /** Defaults to the question's skill. */
    skill: skillSchema.optional(),
  })
  .strict();
export type NumericPart = z.infer<typeof numericPartSchema>;

/** A generated question on the lesson's graph: one part ('numeric') or several ('multi-part'). */
export const publicNumericQuestionSchema = z
  .object({
    id: idSchema,
    kind: z.enum(['numeric', 'multi-part']),
    skill: skillSchema,
    prompt: z.string().min(5),
    parts: z.array(numericPartSchema).min(1).max(6),
    policy: attemptPolicySchema,
  })
  .strict()
  .refine((question) => (question.kind === 'numeric') === (question.parts.length === 1), {
    message: "a 'numeric' question has exactly one part; use 'multi-part' for more",
  })
  .refine((question) => new Set(question.parts.map((part) => part.id)).size === question.parts.length, {
    message: 'part ids must be unique',
  });
export type PublicNumericQuestion = z.infer<typeof publicNumericQuestionSchema>;

export type PublicQuestion = PublicChoiceQuestion | PublicNumericQuestion;

export const choiceAnswerKeySchema = z
  .object({
    questionId: z.string(),
    correctOptionId: z.string(),
    /** Why each option is right or wrong, keyed by option id: every option needs one. */
    explanations: z.record(z.string(), z.string().min(5)),
  })
  .strict();
export type ChoiceAnswerKey = z.infer<typeof choiceAnswerKeySchema>;

/** Worked solution for a generated question; the numbers come from the learner's variant. */
export interface NumericSolution {
  questionId: string;
  explain: (values: Readonly<Record<string, number>>, format: (value: number) => string) => string;
}

/** Learner-facing text for each misconception the graders can detect (lib/quiz/targets.ts). */
export const misconceptionIdSchema = z.enum([
  'sigmoid-for-derivative',
  'sign-dL-da',
  'dL-dz-for-dL-da',
  'missing-x',
  'w-for-x',
  'paths-multiplied',
  'one-path-only',
  'step-uphill',
  'no-learning-rate',
]);
export type MisconceptionId = z.infer<typeof misconceptionIdSchema>;
