import { z } from 'zod';

/**
 * A question as the browser may see it: prompt and options, never the key. The key and the
 * explanations live in a separate server-only module (see answerKeySchema).
 */
export const choiceOptionSchema = z.object({ id: z.string().regex(/^[a-z0-9-]+$/), text: z.string().min(1) }).strict();

export const publicChoiceQuestionSchema = z
  .object({
    id: z.string().regex(/^[a-z0-9-]+$/),
    kind: z.literal('single-choice'),
    skill: z.enum(['local-derivative', 'chain-product', 'sum-over-paths', 'gradient-step', 'concepts']),
    prompt: z.string().min(5),
    options: z.array(choiceOptionSchema).min(2).max(8),
  })
  .strict();

export type PublicChoiceQuestion = z.infer<typeof publicChoiceQuestionSchema>;

export const choiceAnswerKeySchema = z
  .object({
    questionId: z.string(),
    correctOptionId: z.string(),
    /** Why each option is right or wrong, keyed by option id. */
    explanations: z.record(z.string(), z.string().min(5)),
  })
  .strict();

export type ChoiceAnswerKey = z.infer<typeof choiceAnswerKeySchema>;
