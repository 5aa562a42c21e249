import { publicChoiceQuestionSchema, type PublicChoiceQuestion } from '@/lib/quiz/schema';

/**
 * The quiz's skill tags. Taken from the quiz schema rather than restated, so a skill added there
 * reaches the dashboards (and a renamed one fails type-checking here) without a second list.
 */
export type Skill = PublicChoiceQuestion['skill'];

export const SKILLS: readonly Skill[] = publicChoiceQuestionSchema.shape.skill.options;
