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
  // A small network (lib/quiz/network-targets.ts): x feeds two tanh units, sigmoid output, cross-entropy.
  /** dL/ds: the blame at the output's sum. */
  'network-dL-ds',
  /** dh1/dz1: the first hidden unit's tanh slope. */
  'network-dh1-dz1',
  /** dL/dw: a first-layer weight's path through one hidden unit. */
  'network-dL-dw',
  /** The products along x's two paths, through h1 and through h2. */
  'network-path-x-h1',
  'network-path-x-h2',
  /** dL/dx: the two paths added. */
  'network-dL-dx',
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

/**
 * The loss a question on the lesson neuron uses. Every such question states it, with its
 * formula, next to the learner's numbers (issue 16): without it dL/da is not determined.
 */
export const lossSchema = z.enum(['bce', 'squared-error']);
export type Loss = z.infer<typeof lossSchema>;

/** A generated question on the lesson's graph: one part ('numeric') or several ('multi-part'). */
export const publicNumericQuestionSchema = z
  .object({
    id: idSchema,
    kind: z.enum(['numeric', 'multi-part']),
    skill: skillSchema,
    prompt: z.string().min(5),
    parts: z.array(numericPartSchema).min(1).max(6),
    /** Required when a part is on the lesson neuron (the graph that ends in a loss). */
    loss: lossSchema.optional(),
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

/** The parameter a formula question differentiates with respect to. */
export const formulaWrtSchema = z.enum(['w', 'b', 'x']);
export type FormulaWrt = z.infer<typeof formulaWrtSchema>;

/**
 * A formula answer (PrairieLearn's symbolic input, STACK's algebraic input): the learner types
 * dL/d(wrt) of the lesson neuron as an expression in x, w, b and y, in the playground's language.
 * It is graded by equivalence at seeded random points (lib/quiz/formula.ts). The graded variant
 * asks `target`; practice rounds draw other parameters and losses.
 */
export const publicFormulaQuestionSchema = z
  .object({
    id: idSchema,
    kind: z.literal('formula'),
    skill: skillSchema,
    prompt: z.string().min(5),
    target: z.object({ wrt: formulaWrtSchema, loss: lossSchema }).strict(),
    policy: attemptPolicySchema,
  })
  .strict();
export type PublicFormulaQuestion = z.infer<typeof publicFormulaQuestionSchema>;

export type PublicQuestion = PublicChoiceQuestion | PublicNumericQuestion | PublicFormulaQuestion;

export const choiceAnswerKeySchema = z
  .object({
    questionId: z.string(),
    correctOptionId: z.string(),
    /** Why each option is right or wrong, keyed by option id: every option needs one. */
    explanations: z.record(z.string(), z.string().min(5)),
    /**
     * Feedback on a wrong choice, keyed by wrong option id: why that option is wrong, worded so
     * that it does not name the right one. Returned with the learner's own wrong answer.
     */
    whyWrong: z.record(z.string(), z.string().min(5)),
    /**
     * What the question was about, without pointing at an option: all that a learner who ran out
     * of attempts is shown (issue 19: a throwaway session must not learn which option is right).
     */
    summary: z.string().min(20),
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
  /** The other loss's derivative (squared error where cross-entropy was asked, or the reverse). */
  'wrong-loss',
  /** The chain without the sigmoid's slope a(1 - a). */
  'missing-sigmoid-slope',
  /** The chain without the loss's own slope dL/da. */
  'missing-loss-slope',
  /** The product along another input's path (dL/dx where dL/dw was asked). */
  'wrong-path',
]);
export type MisconceptionId = z.infer<typeof misconceptionIdSchema>;
