import type { PublicQuestion } from './schema';
import { TARGET_GRAPH } from './targets';
import { formulaVariant, numericVariant } from './variants';

/**
 * Facility per variant parameter (issue 16, item 5): which numbers make a generated question
 * hard. Each attempt's variant is regenerated from (learner, question, variant index), as the
 * grader does, and described by a few parameters a teacher can act on: the label y, the signs
 * of x and w, whether z sits where the sigmoid is steep or flat, the learning rate; for formula
 * questions the parameter and loss asked.
 */

export interface VariantAttempt {
  questionId: string;
  learnerId: string;
  variant: number;
  score: number;
  practice: boolean;
}

export interface ParameterFacility {
  parameter: string;
  value: string;
  attempts: number;
  /** Mean score of these attempts, 0..1. */
  facility: number;
}

export interface QuestionVariantFacility {
  questionId: string;
  attempts: number;
  practiceAttempts: number;
  rows: ParameterFacility[];
}

/** The parameters that describe one attempt's variant, as (parameter, value) pairs. */
export function variantParameters(
  question: PublicQuestion,
  learnerId: string,
  variantIndex: number,
): [string, string][] {
  if (question.kind === 'single-choice') return [];
  if (question.kind === 'formula') {
    const variant = formulaVariant(question, learnerId, variantIndex);
    return [
      ['derivative asked', `∂L/∂${variant.wrt}`],
      ['loss', variant.loss === 'bce' ? 'cross-entropy' : 'squared error'],
    ];
  }
  const { variant } = numericVariant(question, learnerId, variantIndex);
  const onNeuron = question.parts.some((part) => TARGET_GRAPH[part.target] === 'neuron');
  const z = variant.w * variant.x + variant.b;
  const pairs: [string, string][] = [];
  if (onNeuron) pairs.push(['label', `y = ${variant.y}`]);
  pairs.push(['sign of x', variant.x < 0 ? 'x < 0' : 'x > 0']);
  pairs.push(['sign of w', variant.w < 0 ? 'w < 0' : 'w > 0']);
  if (onNeuron) pairs.push(['z = w·x + b', Math.abs(z) < 1 ? '|z| < 1 (sigmoid steep)' : '|z| ≥ 1 (sigmoid flatter)']);
  else pairs.push(['sign of b', variant.b < 0 ? 'b < 0' : 'b ≥ 0']);
  if (question.parts.some((part) => part.target === 'neuron-step-w'))
    pairs.push(['learning rate', `η = ${variant.eta}`]);
  return pairs;
}

/** Groups attempts by question and parameter value; rows in parameter order, then value order. */
export function facilityByParameter(
  questions: readonly PublicQuestion[],
  attempts: readonly VariantAttempt[],
): QuestionVariantFacility[] {
  const byId = new Map(questions.map((question) => [question.id, question]));
  const result = new Map<
    string,
    { attempts: number; practice: number; sums: Map<string, [string, string, number, number]> }
  >();
  for (const attempt of attempts) {
    const question = byId.get(attempt.questionId);
    if (!question || question.kind === 'single-choice') continue;
    let entry = result.get(question.id);
    if (!entry) {
      entry = { attempts: 0, practice: 0, sums: new Map() };
      result.set(question.id, entry);
    }
    entry.attempts++;
    if (attempt.practice) entry.practice++;
    for (const [parameter, value] of variantParameters(question, attempt.learnerId, attempt.variant)) {
      const key = `${parameter}\u0000${value}`;
      const sum = entry.sums.get(key) ?? [parameter, value, 0, 0];
      sum[2]++;
      sum[3] += attempt.score;
      entry.sums.set(key, sum);
    }
  }
  return questions.flatMap((question) => {
    const entry = result.get(question.id);
    if (!entry) return [];
    const rows = [...entry.sums.values()]
      .map(([parameter, value, count, total]) => ({ parameter, value, attempts: count, facility: total / count }))
      .sort((a, b) => a.parameter.localeCompare(b.parameter) || a.value.localeCompare(b.value));
    return [{ questionId: question.id, attempts: entry.attempts, practiceAttempts: entry.practice, rows }];
  });
}
